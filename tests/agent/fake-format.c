/*
 * fake-format.c - a stand-in for format.com, for win7gen2pe --convert
 * under wine
 *
 * Built by t0455-agent-wine-convert-write.sh with mingw-w64 as
 * format.com in wine's System32, where the agent runs it from.  It
 * records its command line in format-args.txt beside itself, exits with
 * the number in format-exit.txt there (0 without it) and, when that is
 * 0, empties the drive its first argument names, as a quick format
 * leaves a volume (the test's folder behind that drive).  It prints
 * German text that contradicts its exit code (stand-in.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "stand-in.h"

int wmain(int argc, wchar_t **argv);

/* Everything under dir, not dir itself. */
static void empty_folder(const wchar_t *dir)
{
	wchar_t pattern[MAX_PATH], path[MAX_PATH];
	WIN32_FIND_DATAW found;
	HANDLE find;

	swprintf(pattern, MAX_PATH, L"%ls\\*", dir);
	find = FindFirstFileW(pattern, &found);
	if (find == INVALID_HANDLE_VALUE)
		return;
	do {
		if (wcscmp(found.cFileName, L".") == 0 || wcscmp(found.cFileName, L"..") == 0)
			continue;
		swprintf(path, MAX_PATH, L"%ls\\%ls", dir, found.cFileName);
		if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
			empty_folder(path);
			RemoveDirectoryW(path);
		} else {
			DeleteFileW(path);
		}
	} while (FindNextFileW(find, &found));
	FindClose(find);
}

int wmain(int argc, wchar_t **argv)
{
	FILE *file = stand_in_open(L"format-args.txt", L"ab");
	int code = stand_in_exit_code(L"format-exit.txt");

	if (!file)
		return 98;
	stand_in_write_command_line(file);
	fclose(file);
	if (code == 0 && argc > 1 && wcslen(argv[1]) == 2 && argv[1][1] == L':') {
		wchar_t root[3] = { argv[1][0], L':', L'\0' };

		empty_folder(root);
	}
	return stand_in_say_localized(code);
}
