/*
 * fake-setup.c - a stand-in for Windows Setup, for the agent under wine
 *
 * Built by t0420-agent-wine-pe.sh with mingw-w64 and put where the agent
 * looks for Setup (<system drive>\sources\setup.exe).  It records the
 * command line it was given in setup-args.txt beside itself and exits
 * with the number in exit-code.txt there (0 if there is none), so the
 * test decides how "Setup" ends and sees what it was asked to do.  It
 * prints German text that contradicts its exit code (stand-in.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "stand-in.h"

int wmain(void);

int wmain(void)
{
	FILE *file = stand_in_open(L"setup-args.txt", L"wb");

	if (!file)
		return 98;
	stand_in_write_command_line(file);
	fclose(file);
	return stand_in_say_localized(stand_in_exit_code(L"exit-code.txt"));
}
