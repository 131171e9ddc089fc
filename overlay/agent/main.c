/*
 * main.c - win7gen2pe.exe: the WinPE agent of win7gen2
 *
 * One static x64 console program for Windows PE 3.x (Windows 7 SP1's
 * boot.wim) and any later Windows.  It uses only kernel32, advapi32,
 * user32 and msvcrt functions that Windows 7 has, and never waits
 * for a key: a Gen2 VM's Windows PE has no keyboard or display driver.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "args.h"
#include "convertrun.h"
#include "host.h"
#include "output.h"
#include "pe.h"
#include "win32util.h"
#include "win7gen2.h"

#ifndef WIN7GEN2_VERSION
#error "WIN7GEN2_VERSION must be defined (the build passes PACKAGE_VERSION)"
#endif

/* Lets win7gen2 build tell this program from any other before staging it. */
static const char agent_marker[] __attribute__((used)) =
	WIN7GEN2_AGENT_MARKER WIN7GEN2_VERSION;

/* The arguments as UTF-8, for the portable parser; NULL when out of
 * memory or an argument is not valid UTF-16. */
static char **utf8_arguments(int argc, wchar_t **argv)
{
	char **utf8 = calloc((size_t)argc + 1, sizeof(char *));

	if (!utf8)
		return NULL;
	for (int i = 0; i < argc; i++) {
		utf8[i] = utf8_from_wide(argv[i]);
		if (!utf8[i]) {
			for (int j = 0; j < i; j++)
				free(utf8[j]);
			free(utf8);
			return NULL;
		}
	}
	return utf8;
}

static void free_arguments(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	struct agent_args args;
	struct output out;
	char **utf8;
	int status;

	/* No "insert a disk" or crash dialog may ever wait for a click. */
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX | SEM_NOGPFAULTERRORBOX);

	output_init(&out, false);
	utf8 = utf8_arguments(argc, argv);
	if (!utf8) {
		output_error(&out, "win7gen2pe: the arguments cannot be read (not valid UTF-16, "
			     "or out of memory)");
		output_close(&out);
		return AGENT_EXIT_USAGE;
	}
	agent_args_parse(argc, utf8, &args);

	switch (args.action) {
	case AGENT_ACTION_HELP:
		output_text(&out, agent_usage());
		status = AGENT_EXIT_OK;
		break;
	case AGENT_ACTION_VERSION:
		output_line(&out, "win7gen2pe %s", WIN7GEN2_VERSION);
		status = AGENT_EXIT_OK;
		break;
	case AGENT_ACTION_USAGE_ERROR:
		output_error(&out, "win7gen2pe: %s; see 'win7gen2pe --help'", args.error);
		status = AGENT_EXIT_USAGE;
		break;
	case AGENT_ACTION_FIX:
		status = host_fix(&args, &out);
		break;
	case AGENT_ACTION_CONVERT: {
		wchar_t *disk = wide_from_utf8(args.convert);

		/* A host: the engine, not bcdboot, writes the boot store. */
		status = disk ? convert_run(disk, args.convert, args.dry_run, args.undo,
					     false, &out) :
				AGENT_EXIT_USAGE;
		free(disk);
		break;
	}
	case AGENT_ACTION_PE:
	default:
		if (!running_in_windows_pe()) {
			output_error(&out, "win7gen2pe: this is not Windows PE, so there is nothing "
				     "to install or rescue here; to fix a mounted disk give "
				     "--windows DIR --esp DIR (see 'win7gen2pe --help')");
			status = AGENT_EXIT_USAGE;
			break;
		}
		/* In Windows PE the report goes to COM1 too. */
		output_close(&out);
		output_init(&out, true);
		status = pe_main(&args, &out);
		break;
	}
	output_close(&out);
	free_arguments(argc, utf8);
	return status;
}
