/*
 * fake-dism.c - a stand-in for DISM, for the agent under wine
 *
 * Built by t0420-agent-wine-pe.sh and t0440 with mingw-w64 and put where the agent
 * looks for DISM (<system directory>\dism.exe).  Beside itself it
 * appends to dism-args.txt the command line it was given, then one line
 * for each folder or file the agent must have readied:
 *
 *   scratch: present|missing      the /ScratchDir: folder
 *   package: present|missing      the /PackagePath: file
 *   log: written|not written      a line appended to the /LogPath: file
 *
 * and leaves a file in a folder inside the scratch folder, as DISM may,
 * so the test sees the agent remove it all.  It exits with the number in
 * dism-exit-code.txt beside itself (0 if there is none), so the test
 * decides how "DISM" ends, unless dism-exit-codes.txt has a line for the
 * package's file name (case-insensitive):
 *
 *   Windows6.1-KB4474419-v3-x64.cab 0x800f0922
 *
 * (the code as C writes it: decimal or 0x hex), so one package of many
 * can fail; on stdout, German text that contradicts it (stand-in.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdbool.h>
#include <stdlib.h>

#include "stand-in.h"

int wmain(int argc, wchar_t **argv);

/* The value of /Name:value among the arguments (DISM's options are
 * case-insensitive), or NULL. */
static const wchar_t *option(int argc, wchar_t **argv, const wchar_t *name)
{
	size_t n = wcslen(name);

	for (int i = 1; i < argc; i++)
		if (_wcsnicmp(argv[i], name, n) == 0 && argv[i][n] == L':')
			return argv[i] + n + 1;
	return NULL;
}

static bool is_directory(const wchar_t *path)
{
	DWORD attributes = path ? GetFileAttributesW(path) : INVALID_FILE_ATTRIBUTES;

	return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY);
}

static bool is_file(const wchar_t *path)
{
	DWORD attributes = path ? GetFileAttributesW(path) : INVALID_FILE_ATTRIBUTES;

	return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

/* What DISM leaves in its scratch folder while it works. */
static void leave_work(const wchar_t *scratch)
{
	wchar_t path[MAX_PATH];
	FILE *file;

	if (!is_directory(scratch))
		return;
	swprintf(path, MAX_PATH, L"%ls\\fake-dism-work", scratch);
	CreateDirectoryW(path, NULL);
	swprintf(path, MAX_PATH, L"%ls\\fake-dism-work\\package.tmp", scratch);
	file = _wfopen(path, L"wb");
	if (file) {
		fputs("unpacked package\n", file);
		fclose(file);
	}
}

static bool write_log(const wchar_t *log)
{
	FILE *file = log ? _wfopen(log, L"ab") : NULL;

	if (!file)
		return false;
	fputs("fake dism: /Add-Package\r\n", file);
	return fclose(file) == 0;
}

/* The exit code dism-exit-codes.txt names for package, if it does. */
static bool code_for_package(const wchar_t *package, int *code)
{
	FILE *file = stand_in_open(L"dism-exit-codes.txt", L"rb");
	const wchar_t *slash = package ? wcsrchr(package, L'\\') : NULL;
	char name[MAX_PATH], line[512], listed[MAX_PATH], number[32];
	bool found = false;

	if (!file || !slash) {
		if (file)
			fclose(file);
		return false;
	}
	WideCharToMultiByte(CP_UTF8, 0, slash + 1, -1, name, sizeof(name), NULL, NULL);
	while (!found && fgets(line, sizeof(line), file))
		if (sscanf(line, "%259s %31s", listed, number) == 2 &&
		    _stricmp(listed, name) == 0) {
			/* HRESULTs are above LONG_MAX: read unsigned. */
			*code = (int)strtoul(number, NULL, 0);
			found = true;
		}
	fclose(file);
	return found;
}

int wmain(int argc, wchar_t **argv)
{
	const wchar_t *scratch = option(argc, argv, L"/ScratchDir");
	const wchar_t *package = option(argc, argv, L"/PackagePath");
	const wchar_t *log = option(argc, argv, L"/LogPath");
	FILE *file = stand_in_open(L"dism-args.txt", L"ab");
	int code;

	if (!file)
		return 98;
	stand_in_write_command_line(file);
	fprintf(file, "scratch: %s\n", is_directory(scratch) ? "present" : "missing");
	fprintf(file, "package: %s\n", is_file(package) ? "present" : "missing");
	fprintf(file, "log: %s\n", write_log(log) ? "written" : "not written");
	fclose(file);
	leave_work(scratch);
	if (!code_for_package(package, &code))
		code = stand_in_exit_code(L"dism-exit-code.txt");
	return stand_in_say_localized(code);
}
