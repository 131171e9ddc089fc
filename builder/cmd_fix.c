/*
 * cmd_fix.c - win7gen2 fix: make an installed Windows 7 boot on Gen2
 *
 * The command line around the fix engine (fixengine/fix.h) with its
 * Linux backend (hivex and POSIX files): for a VM disk mounted on a
 * Linux machine.  The engine plans, this prints the plan, the engine
 * makes and verifies the changes, this prints how it went.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* readlink, realpath */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "../fixengine/fix.h"
#include "../fixengine/posix/posix.h"

#define MAX_PAYLOAD_SIZE (16u * 1024 * 1024)
/* Where `make` leaves the payload, seen from builder/win7gen2. */
#define BUILD_TREE_PAYLOAD "../payload/win7gen2.efi"

static const char *default_payload_text(void)
{
#ifdef WIN7GEN2_PAYLOAD_DEFAULT
	return WIN7GEN2_PAYLOAD_DEFAULT;
#else
	return "none: give --payload";
#endif
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: win7gen2 fix --windows DIR --esp DIR [OPTIONS]\n"
		"\n"
		"Make an installed 64-bit Windows 7 boot on a Hyper-V Generation 2 VM.\n"
		"The VM's disk must be mounted here read-write, and that Windows must\n"
		"not be running.\n"
		"\n"
		"  --windows DIR     root of the Windows volume (the directory holding Windows)\n"
		"  --esp DIR         root of the EFI system partition (the directory holding EFI)\n"
		"  --payload FILE    the win7gen2.efi to install (default: the build\n"
		"                    tree's payload/win7gen2.efi when run from a build\n"
		"                    tree, else %s)\n"
		"  --esp-partition N, --windows-partition N\n"
		"                    the partition numbers of the ESP and of Windows on the\n"
		"                    disk, for FirmwareBootDevice and SystemBootDevice\n"
		"                    (default: found from the mounts when they are sure)\n"
		"  -n, --dry-run     show the plan and change nothing\n"
		"  -q, --quiet       show only problems and the result\n"
		"  -v, --verbose     also show what is already right\n"
		"  -h, --help        show this help\n"
		"\n"
		"On the ESP, \\EFI\\Microsoft\\Boot\\bootmgfw.efi and \\EFI\\Boot\\bootx64.efi\n"
		"become win7gen2.efi; each Microsoft file is kept beside as\n"
		"<name>.original.efi, and win7gen2.cfg for an installed disk is written\n"
		"next to them.  In the SYSTEM hive, in every ControlSet00N: vmbus,\n"
		"storvsc and Ntfs start at boot, the VMBus devices have Critical Device\n"
		"Database entries, FirmwareBootDevice and SystemBootDevice match the\n"
		"disk.  A service that is not installed is reported, never created.\n"
		"\n"
		"The plan comes first, with every value before and after; then the\n"
		"changes are made and read back.  The hive is copied to\n"
		"SYSTEM.win7gen2-backup before its first change and written whole under\n"
		"a temporary name, then renamed: never half-written.  A hive that does\n"
		"not open is reported and left alone.  A second run finds nothing to do.\n"
		"Each run is recorded in \\EFI\\win7gen2\\log.txt on the ESP.\n"
		"\n"
		"Exit status: 0 done, or nothing to do; 1 a change failed or a problem\n"
		"is left; 2 wrong usage.\n",
		default_payload_text());
}

/* The build tree's payload when this program runs from a build tree,
 * else the installed one.  "" when neither exists. */
static void default_payload(char *path, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	path[0] = '\0';
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			int written;

			*slash = '\0';
			written = snprintf(path, size, "%s/" BUILD_TREE_PAYLOAD, self);
			if (written > 0 && (size_t)written < size && access(path, R_OK) == 0)
				return;
		}
	}
	path[0] = '\0';
#ifdef WIN7GEN2_PAYLOAD_DEFAULT
	if (access(WIN7GEN2_PAYLOAD_DEFAULT, R_OK) == 0)
		snprintf(path, size, "%s", WIN7GEN2_PAYLOAD_DEFAULT);
#endif
}

static bool read_payload(const char *path, uint8_t **data, size_t *size)
{
	FILE *file = fopen(path, "rb");
	uint8_t *buffer;
	size_t n;

	if (!file) {
		fprintf(stderr, "win7gen2 fix: %s: %s\n", path, strerror(errno));
		return false;
	}
	buffer = malloc(MAX_PAYLOAD_SIZE + 1);
	if (!buffer) {
		fprintf(stderr, "win7gen2 fix: out of memory\n");
		fclose(file);
		return false;
	}
	n = fread(buffer, 1, MAX_PAYLOAD_SIZE + 1, file);
	if (ferror(file) || n > MAX_PAYLOAD_SIZE) {
		fprintf(stderr, "win7gen2 fix: %s: %s\n", path, ferror(file) ? strerror(errno) :
			"larger than any win7gen2.efi (16 MiB): not the payload");
		free(buffer);
		fclose(file);
		return false;
	}
	fclose(file);
	*data = buffer;
	*size = n;
	return true;
}

static bool parse_partition(const char *option, const char *text, unsigned *number)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || end == text || *end || value == 0 || value > 128 || text[0] == '-') {
		fprintf(stderr, "win7gen2 fix: %s wants a partition number from 1 to 128, "
			"not \"%s\"\n", option, text);
		return false;
	}
	*number = (unsigned)value;
	return true;
}

static void print_progress(void *ctx, const char *line)
{
	(void)ctx;
	printf("  ... %s\n", line);
	fflush(stdout);
}

static void print_report(const struct fix_plan *plan, enum fix_verbosity verbosity)
{
	struct text report = TEXT_INIT;

	fix_report(plan, verbosity, &report);
	if (report.failed)
		fputs("win7gen2 fix: out of memory while reporting\n", stderr);
	fputs(text_string(&report), stdout);
	fflush(stdout);
	text_free(&report);
}

static void timestamp(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
	    !strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, size, "(time unknown)");
}

enum {
	OPTION_WINDOWS = 256,
	OPTION_ESP,
	OPTION_PAYLOAD,
	OPTION_ESP_PARTITION,
	OPTION_WINDOWS_PARTITION,
};

int cmd_fix(int argc, char **argv)
{
	static const struct option options[] = {
		{ "windows", required_argument, NULL, OPTION_WINDOWS },
		{ "esp", required_argument, NULL, OPTION_ESP },
		{ "payload", required_argument, NULL, OPTION_PAYLOAD },
		{ "esp-partition", required_argument, NULL, OPTION_ESP_PARTITION },
		{ "windows-partition", required_argument, NULL, OPTION_WINDOWS_PARTITION },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *windows = NULL, *esp = NULL, *payload_option = NULL;
	enum fix_verbosity verbosity = FIX_NORMAL;
	unsigned esp_partition = 0, windows_partition = 0;
	struct fix_options fix = { 0 };
	struct posix_fix backend;
	struct fix_plan *plan = NULL;
	struct fix_error err;
	char payload_path[PATH_MAX], when[64];
	uint8_t *payload = NULL;
	size_t payload_size = 0;
	bool ok;
	int option;

	opterr = 0;
	optind = 1;
	while ((option = getopt_long(argc, argv, "+nqvh", options, NULL)) != -1) {
		switch (option) {
		case OPTION_WINDOWS:
			windows = optarg;
			break;
		case OPTION_ESP:
			esp = optarg;
			break;
		case OPTION_PAYLOAD:
			payload_option = optarg;
			break;
		case OPTION_ESP_PARTITION:
			if (!parse_partition("--esp-partition", optarg, &esp_partition))
				return EXIT_USAGE;
			break;
		case OPTION_WINDOWS_PARTITION:
			if (!parse_partition("--windows-partition", optarg, &windows_partition))
				return EXIT_USAGE;
			break;
		case 'n':
			fix.dry_run = true;
			break;
		case 'q':
			verbosity = FIX_QUIET;
			break;
		case 'v':
			verbosity = FIX_VERBOSE;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "win7gen2 fix: %s: unknown option, or its value is "
				"missing; see 'win7gen2 fix --help'\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "win7gen2 fix: unexpected argument \"%s\"; see "
			"'win7gen2 fix --help'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!windows || !esp) {
		fprintf(stderr, "win7gen2 fix: give both --windows DIR and --esp DIR; see "
			"'win7gen2 fix --help'\n");
		return EXIT_USAGE;
	}
	if (!esp_partition != !windows_partition) {
		fprintf(stderr, "win7gen2 fix: give --esp-partition and --windows-partition "
			"together\n");
		return EXIT_USAGE;
	}
	if (esp_partition && esp_partition == windows_partition) {
		fprintf(stderr, "win7gen2 fix: the ESP and Windows cannot be the same partition "
			"(%u)\n", esp_partition);
		return EXIT_USAGE;
	}

	if (payload_option) {
		snprintf(payload_path, sizeof(payload_path), "%s", payload_option);
	} else {
		default_payload(payload_path, sizeof(payload_path));
		if (!payload_path[0]) {
			fprintf(stderr, "win7gen2 fix: no win7gen2.efi found (looked beside this "
				"program in " BUILD_TREE_PAYLOAD " and at %s); give --payload FILE\n",
				default_payload_text());
			return 1;
		}
	}
	if (!read_payload(payload_path, &payload, &payload_size))
		return 1;

	if (posix_fix_init(&backend, windows, esp, &err) != FIX_OK) {
		fprintf(stderr, "win7gen2 fix: %s\n", err.message);
		free(payload);
		return 1;
	}

	timestamp(when, sizeof(when));
	fix.payload = payload;
	fix.payload_size = payload_size;
	fix.payload_name = payload_path;
	fix.tool_version = WIN7GEN2_VERSION;
	fix.timestamp = when;
	fix.where = "Linux host";
	if (verbosity == FIX_VERBOSE)
		fix.progress = print_progress;
	if (esp_partition) {
		fix.layout.known = true;
		fix.layout.esp_partition = esp_partition;
		fix.layout.windows_partition = windows_partition;
		snprintf(fix.layout.how, sizeof(fix.layout.how),
			 "given by --esp-partition and --windows-partition");
	}

	if (fix_make_plan(&posix_fix_backend, &backend, &fix, &plan, &err) != FIX_OK) {
		fprintf(stderr, "win7gen2 fix: %s\n", err.message);
		free(payload);
		return 1;
	}
	print_report(plan, verbosity);
	if (!fix.dry_run) {
		struct fix_summary summary;

		fix_summarize(plan, &summary);
		if (summary.changes && verbosity > FIX_QUIET)
			printf("\nMaking the changes:\n");
		fix_execute(plan);
		print_report(plan, verbosity);
	}
	ok = fix_succeeded(plan);
	fix_plan_free(plan);
	free(payload);
	return ok ? 0 : 1;
}
