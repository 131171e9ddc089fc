/*
 * fake-setup.c - a stand-in for Windows Setup, for the agent under wine
 *
 * Built by t0420-agent-wine-pe.sh with mingw-w64 and put where the agent
 * looks for Setup (<system drive>\sources\setup.exe).  It records the
 * command line it was given in setup-args.txt beside itself and exits
 * with the number in exit-code.txt there (0 if there is none), so the
 * test decides how "Setup" ends and sees what it was asked to do.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>

int wmain(void);

int wmain(void)
{
	wchar_t dir[MAX_PATH], path[MAX_PATH + 32], *slash;
	char line[4096];
	FILE *file;
	int code = 0;

	if (!GetModuleFileNameW(NULL, dir, MAX_PATH) || !(slash = wcsrchr(dir, L'\\')))
		return 99;
	*slash = L'\0';
	swprintf(path, MAX_PATH + 32, L"%ls\\setup-args.txt", dir);
	file = _wfopen(path, L"wb");
	if (!file)
		return 98;
	WideCharToMultiByte(CP_UTF8, 0, GetCommandLineW(), -1, line, sizeof(line), NULL, NULL);
	fprintf(file, "%s\n", line);
	fclose(file);
	swprintf(path, MAX_PATH + 32, L"%ls\\exit-code.txt", dir);
	file = _wfopen(path, L"rb");
	if (file) {
		if (fscanf(file, "%d", &code) != 1)
			code = 97;
		fclose(file);
	}
	return code;
}
