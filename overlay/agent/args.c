/*
 * args.c - win7gen2pe.exe's command line
 *
 * A small parser of its own rather than getopt: the same code runs in
 * the host tests and in Windows PE, and every message names the option
 * it is about.  "--name value" and "--name=value" both work.
 *
 * SPDX-License-Identifier: MIT
 */
#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "win7gen2.h"

static const char usage_text[] =
	"Usage: win7gen2pe.exe [--mode MODE] [--no-reboot]\n"
	"       win7gen2pe.exe --windows DIR --esp DIR [OPTIONS]\n"
	"       win7gen2pe.exe --convert \\\\.\\PhysicalDriveN [--dry-run] [--undo]\n"
	"\n"
	"Makes 64-bit Windows 7 install and boot on a Hyper-V Generation 2 VM.\n"
	"\n"
	"In Windows PE (started by winpeshl.ini from a win7gen2 ISO) it does what\n"
	"the ISO's boot menu chose:\n"
	"  install   run Windows Setup with the answer file beside this program,\n"
	"            then make the new system boot on Gen2, then restart; Setup wipes\n"
	"            disk 0, so it runs only when disk 0 has no partitions: else the\n"
	"            agent reports what the disks hold and shuts the VM down\n"
	"  install-confirmed\n"
	"            install, even over what disk 0 holds (Install picked by a person)\n"
	"  rescue    make every Windows 7 found on the disks boot on Gen2, then restart\n"
	"  continue  run Windows Setup as on the original media\n"
	"It loads the staged VMBus/SCSI drivers first when Windows PE lacks them.\n"
	"It reports on the console, on COM1 and in " WIN7GEN2_LOG_PATH " on the\n"
	"ESP, and never waits for a key.  When anything failed it shuts the VM\n"
	"down instead of restarting it.\n"
	"\n"
	"  --mode MODE       do MODE instead of what the boot menu chose: install,\n"
	"                    install-confirmed, rescue, continue, or convert:SSSSSSSS\n"
	"                    (the disk whose MBR signature is SSSSSSSS, 8 lower-case\n"
	"                    hex digits, as the menu's Convert sets it)\n"
	"  --no-reboot       end without restarting or shutting down\n"
	"\n"
	"On any Windows with a VM's disk mounted (run as administrator):\n"
	"  --windows DIR     root of the Windows volume (the directory holding Windows)\n"
	"  --esp DIR         root of the EFI system partition (the directory holding EFI)\n"
	"  --payload FILE    the win7gen2.efi to install (default: beside this program)\n"
	"  --esp-partition N, --windows-partition N\n"
	"                    the partition numbers of the ESP and of Windows on the\n"
	"                    disk (default: asked from Windows when both are on one disk)\n"
	"  -n, --dry-run     show the plan and change nothing\n"
	"\n"
	"On a Windows host with a Generation 1 VM's disk attached (Mount-VHD), as\n"
	"administrator:\n"
	"  --convert DISK    move DISK (\\\\.\\PhysicalDriveN, Get-Disk's number) to\n"
	"                    Generation 2: MBR with System Reserved and Windows 7\n"
	"                    SP1 x64, each refused by name (gpt, bitlocker,\n"
	"                    no-room-end, ...) with nothing changed; then the undo\n"
	"                    data in \\win7gen2\\gen1\\ on Windows, the GPT, the ESP\n"
	"                    (format.com, bcdboot) and the Gen2 fix, with\n"
	"                    win7gen2.efi beside this program; System Reserved and\n"
	"                    Windows need drive letters\n"
	"  -n, --dry-run     with --convert: check and show the plan only\n"
	"  --undo            with --convert: put back the MBR, System Reserved and\n"
	"                    the SYSTEM hive from the undo data either side's\n"
	"                    convert kept in \\win7gen2\\gen1\\ (--dry-run: check it only)\n"
	"\n"
	"  -q, --quiet       show only problems and the result\n"
	"  -v, --verbose     also show what is already right\n"
	"  -h, --help        show this help\n"
	"  --version         show the version\n"
	"\n"
	"On the ESP, \\EFI\\Microsoft\\Boot\\bootmgfw.efi and \\EFI\\Boot\\bootx64.efi\n"
	"become win7gen2.efi, each Microsoft file kept beside as <name>.original.efi.\n"
	"In the SYSTEM hive, in every ControlSet00N: vmbus, storvsc and Ntfs start at\n"
	"boot, PollBootPartitionTimeout makes Windows wait 30 s for the boot disk, and\n"
	"FirmwareBootDevice and SystemBootDevice match the disk.  The hive is copied\n"
	"to SYSTEM.win7gen2-backup before its first change and replaced in one\n"
	"rename, never half-written.\n"
	"\n"
	"Exit status: 0 done, or nothing to do; 1 a change failed or a problem is\n"
	"left; 2 wrong usage.\n";

const char *agent_usage(void)
{
	return usage_text;
}

static void __attribute__((format(printf, 2, 3)))
usage_error(struct agent_args *args, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(args->error, sizeof(args->error), format, ap);
	va_end(ap);
	args->action = AGENT_ACTION_USAGE_ERROR;
}

static bool parse_partition(struct agent_args *args, const char *option, const char *text,
			    unsigned *number)
{
	char *end;
	unsigned long value;

	if (text[0] < '0' || text[0] > '9') {
		usage_error(args, "%s wants a partition number from 1 to 128, not \"%s\"",
			    option, text);
		return false;
	}
	value = strtoul(text, &end, 10);
	if (*end || value == 0 || value > 128) {
		usage_error(args, "%s wants a partition number from 1 to 128, not \"%s\"",
			    option, text);
		return false;
	}
	*number = (unsigned)value;
	return true;
}

/* Options that take a value. */
enum option_id {
	OPT_MODE,
	OPT_WINDOWS,
	OPT_ESP,
	OPT_PAYLOAD,
	OPT_ESP_PARTITION,
	OPT_WINDOWS_PARTITION,
	OPT_CONVERT,
	OPT_NONE,
};

static const char *const value_options[] = {
	[OPT_MODE] = "--mode",
	[OPT_WINDOWS] = "--windows",
	[OPT_ESP] = "--esp",
	[OPT_PAYLOAD] = "--payload",
	[OPT_ESP_PARTITION] = "--esp-partition",
	[OPT_WINDOWS_PARTITION] = "--windows-partition",
	[OPT_CONVERT] = "--convert",
};

/* Which value option arg is, and where its value is when given with '='. */
static enum option_id value_option(const char *arg, const char **inline_value)
{
	*inline_value = NULL;
	for (size_t i = 0; i < OPT_NONE; i++) {
		size_t n = strlen(value_options[i]);

		if (strncmp(arg, value_options[i], n) != 0)
			continue;
		if (arg[n] == '\0')
			return (enum option_id)i;
		if (arg[n] == '=') {
			*inline_value = arg + n + 1;
			return (enum option_id)i;
		}
	}
	return OPT_NONE;
}

static bool take_value(struct agent_args *args, enum option_id id, const char *value)
{
	switch (id) {
	case OPT_MODE:
		if (mode_convert_signature((const uint8_t *)value, strlen(value),
					   &args->convert_signature)) {
			args->mode = AGENT_MODE_CONVERT;
			args->confirmed = false;
		} else if (!agent_mode_parse(value, &args->mode, &args->confirmed)) {
			usage_error(args, "--mode wants install, install-confirmed, rescue, "
				    "continue or convert:SSSSSSSS, not \"%s\"", value);
			return false;
		}
		args->mode_given = true;
		return true;
	case OPT_WINDOWS:
		args->windows = value;
		return true;
	case OPT_ESP:
		args->esp = value;
		return true;
	case OPT_PAYLOAD:
		args->payload = value;
		return true;
	case OPT_ESP_PARTITION:
		return parse_partition(args, "--esp-partition", value, &args->esp_partition);
	case OPT_WINDOWS_PARTITION:
		return parse_partition(args, "--windows-partition", value,
				       &args->windows_partition);
	case OPT_CONVERT:
		args->convert = value;
		return true;
	case OPT_NONE:
		break;
	}
	return false;
}

/* Whichever options were given must belong to one way of running. */
static void check_combination(struct agent_args *args)
{
	bool fix = args->windows || args->esp || args->payload || args->esp_partition ||
		   args->windows_partition || args->dry_run;
	bool pe = args->mode_given || args->no_power;

	if (args->convert) {
		if (pe || args->windows || args->esp || args->payload || args->esp_partition ||
		    args->windows_partition)
			usage_error(args, "--convert DISK takes only --dry-run and --undo");
		else
			args->action = AGENT_ACTION_CONVERT;
		return;
	}
	if (args->undo) {
		usage_error(args, "--undo is for --convert DISK");
		return;
	}
	if (fix && pe) {
		usage_error(args, "--mode and --no-reboot are for Windows PE; --windows, --esp "
			    "and the options after them are for a mounted disk: not both");
		return;
	}
	if (!fix) {
		args->action = AGENT_ACTION_PE;
		return;
	}
	if (!args->windows || !args->esp) {
		usage_error(args, "give both --windows DIR and --esp DIR");
		return;
	}
	if (!args->esp_partition != !args->windows_partition) {
		usage_error(args, "give --esp-partition and --windows-partition together");
		return;
	}
	if (args->esp_partition && args->esp_partition == args->windows_partition) {
		usage_error(args, "the ESP and Windows cannot be the same partition (%u)",
			    args->esp_partition);
		return;
	}
	args->action = AGENT_ACTION_FIX;
}

void agent_args_parse(int argc, char **argv, struct agent_args *args)
{
	memset(args, 0, sizeof(*args));
	args->verbosity = FIX_NORMAL;
	args->mode = AGENT_MODE_INSTALL;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value;
		enum option_id id = value_option(arg, &value);

		if (id != OPT_NONE) {
			if (!value) {
				if (i + 1 >= argc) {
					usage_error(args, "%s needs a value", arg);
					return;
				}
				value = argv[++i];
			}
			if (!take_value(args, id, value))
				return;
		} else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0 ||
			   strcmp(arg, "/?") == 0) {
			args->action = AGENT_ACTION_HELP;
			return;
		} else if (strcmp(arg, "--version") == 0) {
			args->action = AGENT_ACTION_VERSION;
			return;
		} else if (strcmp(arg, "-n") == 0 || strcmp(arg, "--dry-run") == 0) {
			args->dry_run = true;
		} else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
			args->verbosity = FIX_QUIET;
		} else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
			args->verbosity = FIX_VERBOSE;
		} else if (strcmp(arg, "--undo") == 0) {
			args->undo = true;
		} else if (strcmp(arg, "--no-reboot") == 0) {
			args->no_power = true;
		} else if (arg[0] == '-') {
			usage_error(args, "%s: unknown option", arg);
			return;
		} else {
			usage_error(args, "unexpected argument \"%s\"", arg);
			return;
		}
	}
	check_combination(args);
}
