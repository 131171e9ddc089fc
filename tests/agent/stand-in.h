/*
 * stand-in.h - what the agent tests' stand-ins for Windows programs
 * share: files beside the stand-in's own .exe, where the test reads what
 * it was asked and says how it is to end
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TESTS_STAND_IN_H
#define WIN7GEN2_TESTS_STAND_IN_H

#include <stdio.h>
#include <wchar.h>
#include <windows.h>

/* Opens NAME in the folder of this program; NULL if it cannot. */
static inline FILE *stand_in_open(const wchar_t *name, const wchar_t *mode)
{
	wchar_t dir[MAX_PATH], path[MAX_PATH + 64], *slash;

	if (!GetModuleFileNameW(NULL, dir, MAX_PATH) || !(slash = wcsrchr(dir, L'\\')))
		return NULL;
	*slash = L'\0';
	swprintf(path, MAX_PATH + 64, L"%ls\\%ls", dir, name);
	return _wfopen(path, mode);
}

/* Writes this program's command line, as UTF-8, to file. */
static inline void stand_in_write_command_line(FILE *file)
{
	char line[4096];

	WideCharToMultiByte(CP_UTF8, 0, GetCommandLineW(), -1, line, sizeof(line), NULL, NULL);
	fprintf(file, "%s\n", line);
}

/* The exit code the test put in NAME beside this program: 0 without the
 * file, 97 when it holds no number. */
/*
 * Windows PE prints its tools' text in the media's language.  The stand-
 * ins print German text that says the opposite of their exit code, so
 * an agent that judged a tool by its words would get every case wrong.
 */
static inline int stand_in_say_localized(int code)
{
	if (code == 0)
		printf("Fehler: Der Vorgang ist fehlgeschlagen.\r\n");
	else
		printf("Der Vorgang wurde erfolgreich beendet.\r\n");
	fflush(stdout);
	return code;
}

static inline int stand_in_exit_code(const wchar_t *name)
{
	FILE *file = stand_in_open(name, L"rb");
	int code = 0;

	if (file) {
		if (fscanf(file, "%d", &code) != 1)
			code = 97;
		fclose(file);
	}
	return code;
}

#endif
