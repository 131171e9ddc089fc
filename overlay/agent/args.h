/*
 * args.h - win7gen2pe.exe's command line
 *
 * Two ways to run:
 *
 *   in Windows PE, started by winpeshl.ini with no arguments (or --mode
 *   to override the boot menu's choice): install, install-confirmed,
 *   rescue, continue or convert:SSSSSSSS;
 *   on any Windows with a VM's disk mounted: --windows DIR --esp DIR
 *   runs the fix engine on that pair of volumes and exits;
 *   on a Windows host with a Generation 1 VM's disk attached (Mount-VHD):
 *   --convert \\.\PhysicalDriveN checks it and shows the conversion plan.
 *
 * Portable C: the agent converts its UTF-16 arguments to UTF-8 before
 * they come here, so the host tests parse exactly what Windows would.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_ARGS_H
#define WIN7GEN2_AGENT_ARGS_H

#include <stdbool.h>

#include "decide.h"
#include "fix.h"

#define AGENT_EXIT_OK 0
#define AGENT_EXIT_FAILED 1
#define AGENT_EXIT_USAGE 2

enum agent_action {
	AGENT_ACTION_PE,      /* the Windows PE agent */
	AGENT_ACTION_FIX,     /* --windows/--esp: the engine on mounted volumes */
	AGENT_ACTION_CONVERT, /* --convert DISK: a Generation 1 disk made Gen2 */
	AGENT_ACTION_HELP,
	AGENT_ACTION_VERSION,
	AGENT_ACTION_USAGE_ERROR,
};

struct agent_args {
	enum agent_action action;

	/* Windows PE */
	bool mode_given;           /* --mode: the boot menu's choice is not read */
	enum agent_mode mode;
	bool confirmed;            /* --mode install-confirmed */
	uint32_t convert_signature; /* --mode convert:SSSSSSSS: the disk's MBR signature */
	bool no_power;             /* --no-reboot: end without a restart or shutdown */

	/* --windows/--esp */
	const char *windows;       /* point into argv */
	const char *esp;
	const char *payload;       /* NULL: win7gen2.efi beside the program */
	unsigned esp_partition;    /* 0 unless given (then both are) */
	unsigned windows_partition;
	bool dry_run;
	enum fix_verbosity verbosity;

	/* --convert DISK [--dry-run] [--undo] */
	const char *convert;       /* \\.\PhysicalDriveN, points into argv */
	bool undo;

	char error[256];           /* AGENT_ACTION_USAGE_ERROR: what is wrong */
};

/* argv[0] is the program; argv holds UTF-8. */
void agent_args_parse(int argc, char **argv, struct agent_args *args);

/* The --help text (ASCII, LF line ends). */
const char *agent_usage(void);

#endif
