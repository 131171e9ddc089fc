/*
 * fake-bcdboot.c - a stand-in for bcdboot.exe, for win7gen2pe --convert
 * under wine
 *
 * Built by t0455-agent-wine-convert-write.sh with mingw-w64 as
 * bcdboot.exe in wine's System32, where --convert on a host must never
 * start it (bcdboot-args.txt would say it ran); Windows PE's convert
 * mode runs bcdboot.  It records its command line in
 * bcdboot-args.txt beside itself, exits with the number in
 * bcdboot-exit.txt there (0 without it) and, when that is 0, does what
 * "bcdboot W:\Windows /s S:" does to the ESP: copies the UEFI boot
 * manager from W:\Windows\Boot\EFI to S:\EFI\Microsoft\Boot and makes a
 * boot store there (a copy of BCD-Template: the test checks where it
 * is, not what it holds).  Like Windows 7's bcdboot it leaves
 * \EFI\Boot\bootx64.efi to others.
 *
 * SPDX-License-Identifier: MIT
 */
#include "stand-in.h"

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	FILE *file = stand_in_open(L"bcdboot-args.txt", L"ab");
	int code = stand_in_exit_code(L"bcdboot-exit.txt");
	wchar_t from[MAX_PATH], to[MAX_PATH];

	if (!file)
		return 98;
	stand_in_write_command_line(file);
	fclose(file);
	if (code != 0)
		return stand_in_say_localized(code);
	if (argc < 4 || _wcsicmp(argv[2], L"/s") != 0 || wcslen(argv[3]) != 2)
		return 96;
	swprintf(to, MAX_PATH, L"%ls\\EFI", argv[3]);
	CreateDirectoryW(to, NULL);
	swprintf(to, MAX_PATH, L"%ls\\EFI\\Microsoft", argv[3]);
	CreateDirectoryW(to, NULL);
	swprintf(to, MAX_PATH, L"%ls\\EFI\\Microsoft\\Boot", argv[3]);
	CreateDirectoryW(to, NULL);
	swprintf(from, MAX_PATH, L"%ls\\Boot\\EFI\\bootmgfw.efi", argv[1]);
	swprintf(to, MAX_PATH, L"%ls\\EFI\\Microsoft\\Boot\\bootmgfw.efi", argv[3]);
	if (!CopyFileW(from, to, FALSE))
		return 95;
	swprintf(from, MAX_PATH, L"%ls\\System32\\config\\BCD-Template", argv[1]);
	swprintf(to, MAX_PATH, L"%ls\\EFI\\Microsoft\\Boot\\BCD", argv[3]);
	if (!CopyFileW(from, to, FALSE))
		return 94;
	return stand_in_say_localized(0);
}
