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
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "commands.h"
#include "files.h"
#include "fix.h"
#include "icpkg.h"
#include "numbers.h"
#include "package.h"
#include "package_list.h"
#include "payload.h"
#include "posix/posix.h"
#include "text.h"
#include "ui.h"
#include "usage.h"

static void usage(FILE *out)
{
	fputs("Usage: win7gen2 fix --windows DIR --esp DIR [OPTIONS]\n"
	      "\n"
	      "Make an installed 64-bit Windows 7 boot on a Hyper-V Generation 2 VM.\n"
	      "The VM's disk must be mounted here read-write, and that Windows must\n"
	      "not be running.\n"
	      "\n"
	      "  --windows DIR     root of the Windows volume (the directory holding Windows)\n"
	      "  --esp DIR         root of the EFI system partition (the directory holding EFI)\n"
	      "  --payload FILE    the win7gen2.efi to install (default: the one built\n"
	      "                    beside this program, else the installed one)\n"
	      "  --esp-partition N, --windows-partition N\n"
	      "                    the partition numbers of the ESP and of Windows on the\n"
	      "                    disk, for FirmwareBootDevice and SystemBootDevice\n"
	      "                    (default: found from the mounts when they are sure)\n"
	      "  --integration-services FILE\n"
	      "                    check this Hyper-V Integration Services package (as for\n"
	      "                    build) and stage it as "
	      WIN7GEN2_IC_PACKAGE_STAGED_PATH "\n"
	      "                    on the Windows volume: DISM installs it when the VM next\n"
	      "                    boots a win7gen2 ISO in Rescue mode\n"
	      "  --package FILE    check this Windows 7 SP1 x64 update (.msu or package\n"
	      "                    .cab, as for build) and stage it in\n"
	      "                    " WIN7GEN2_PACKAGES_DIR "\\ on the Windows volume with\n"
	      "                    " WIN7GEN2_PACKAGES_LIST_NAME ": Rescue mode installs them with DISM,\n"
	      "                    servicing stacks first; repeat it for more\n"
	      "  --boot-wait MS    how long Windows waits for the VMBus boot disk\n"
	      "                    (PollBootPartitionTimeout), 200 to 180000 ms (30000)\n"
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
	      "Each run is recorded in " WIN7GEN2_LOG_PATH " on the ESP.\n"
	      "\n"
	      "Exit status: 0 done, or nothing to do; 1 a change failed or a problem\n"
	      "is left; 2 wrong usage.\n", out);
}

/* The file --payload names, else the built or installed one
 * (payload.c), read whole.  NULL with the reason in err. */
static unsigned char *read_payload(const char *given, char **path, size_t *size,
				   struct text *err)
{
	unsigned char *data;

	*path = given ? strdup(given) : payload_default_path();
	if (!*path) {
		text_append(err, "out of memory");
		return NULL;
	}
	if (payload_read(*path, &data, size, err) < 0) {
		if (!given)
			text_append(err, " (build it with tools/build, or give --payload FILE)");
		return NULL;
	}
	return data;
}

static int parse_partition(const char *option, const char *text, unsigned *number)
{
	if (parse_unsigned(text, 128, number) < 0 || *number == 0) {
		usage_error("fix", "%s wants a partition number from 1 to 128, not \"%s\"",
			    option, text);
		return -1;
	}
	return 0;
}

static void print_progress(void *ctx, const char *line)
{
	(void)ctx;
	printf("  ... %s\n", line);
	fflush(stdout);
}

static void print_report(struct ui *ui, const struct fix_plan *plan,
			 enum fix_verbosity verbosity)
{
	struct text report = TEXT_INIT;

	fix_report(plan, verbosity, &report);
	if (report.failed)
		ui_error(ui, "fix", "out of memory while writing the report; what follows is "
			 "cut short");
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

struct fix_args {
	const char *windows, *esp, *payload, *integration_services;
	const char **packages;  /* --package, in the order given (malloc'd) */
	size_t package_count;
	unsigned esp_partition, windows_partition;
	unsigned boot_wait_ms;
	bool dry_run;
	enum fix_verbosity verbosity;
};

/* 0, or EXIT_USAGE after saying what is wrong; -1 when --help was shown. */
static int parse_args(int argc, char **argv, struct fix_args *args)
{
	enum { O_WINDOWS = 256, O_ESP, O_PAYLOAD, O_ESP_PARTITION, O_WINDOWS_PARTITION,
	       O_IC, O_BOOT_WAIT, O_PACKAGE };
	static const struct option options[] = {
		{ "windows", required_argument, NULL, O_WINDOWS },
		{ "esp", required_argument, NULL, O_ESP },
		{ "payload", required_argument, NULL, O_PAYLOAD },
		{ "esp-partition", required_argument, NULL, O_ESP_PARTITION },
		{ "windows-partition", required_argument, NULL, O_WINDOWS_PARTITION },
		{ "integration-services", required_argument, NULL, O_IC },
		{ "package", required_argument, NULL, O_PACKAGE },
		{ "boot-wait", required_argument, NULL, O_BOOT_WAIT },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int option;

	memset(args, 0, sizeof(*args));
	args->verbosity = FIX_NORMAL;
	opterr = 0;
	optind = 1;
	while ((option = getopt_long(argc, argv, USAGE_OPTSTRING("+", "nqvh"), options,
				      NULL)) != -1) {
		switch (option) {
		case O_WINDOWS: args->windows = optarg; break;
		case O_ESP: args->esp = optarg; break;
		case O_PAYLOAD: args->payload = optarg; break;
		case O_IC: args->integration_services = optarg; break;
		case O_PACKAGE:
			/* Never more than argc of them: the list is sized so. */
			if (!args->packages)
				args->packages = calloc((size_t)argc, sizeof(*args->packages));
			if (!args->packages)
				return usage_error("fix", "out of memory");
			args->packages[args->package_count++] = optarg;
			break;
		case O_BOOT_WAIT:
			if (parse_unsigned(optarg, FIX_BOOT_WAIT_MAX_MS, &args->boot_wait_ms) < 0 ||
			    args->boot_wait_ms < FIX_BOOT_WAIT_MIN_MS)
				return usage_error("fix", "--boot-wait wants milliseconds from %u to "
						   "%u, not \"%s\"", FIX_BOOT_WAIT_MIN_MS,
						   FIX_BOOT_WAIT_MAX_MS, optarg);
			break;
		case O_ESP_PARTITION:
			if (parse_partition("--esp-partition", optarg, &args->esp_partition) < 0)
				return EXIT_USAGE;
			break;
		case O_WINDOWS_PARTITION:
			if (parse_partition("--windows-partition", optarg,
					    &args->windows_partition) < 0)
				return EXIT_USAGE;
			break;
		case 'n': args->dry_run = true; break;
		case 'q': args->verbosity = FIX_QUIET; break;
		case 'v': args->verbosity = FIX_VERBOSE; break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			return usage_option_error("fix", option, argv, options);
		}
	}
	if (optind < argc)
		return usage_error("fix", "unexpected argument \"%s\"", argv[optind]);
	if (!args->windows || !args->esp)
		return usage_error("fix", "%s", !args->windows && !args->esp ?
				   "give both --windows DIR and --esp DIR, the mounted Windows "
				   "volume and EFI system partition" : !args->windows ?
				   "--windows DIR is needed: the mounted Windows volume" :
				   "--esp DIR is needed: the mounted EFI system partition");
	if (!args->esp_partition != !args->windows_partition)
		return usage_error("fix", "give --esp-partition and --windows-partition together");
	if (args->esp_partition && args->esp_partition == args->windows_partition)
		return usage_error("fix", "the ESP and Windows cannot be the same partition (%u)",
				   args->esp_partition);
	return 0;
}

/* Names the option whose folder is missing, before the engine opens it. */
static int check_folder(struct ui *ui, const char *option, const char *path, const char *what)
{
	struct stat st;

	if (stat(path, &st) < 0 && errno == ENOENT)
		ui_error(ui, "fix", "--%s %s: no such folder; give %s, mounted", option, path,
			 what);
	else if (stat(path, &st) < 0)
		ui_error(ui, "fix", "--%s %s: %s", option, path, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		ui_error(ui, "fix", "--%s %s: not a folder; give %s, mounted", option, path, what);
	else
		return 0;
	return -1;
}

/* Plan, show the plan, make the changes, show how it went. */
static int run_fix(struct ui *ui, const struct fix_args *args, struct fix_options *fix)
{
	struct posix_fix backend;
	struct fix_plan *plan = NULL;
	struct fix_error err;
	bool ok;

	if (posix_fix_init(&backend, args->windows, args->esp, &err) != FIX_OK ||
	    fix_make_plan(&posix_fix_backend, &backend, fix, &plan, &err) != FIX_OK) {
		ui_error(ui, "fix", "%s", err.message);
		return 1;
	}
	print_report(ui, plan, args->verbosity);
	if (!fix->dry_run) {
		struct fix_summary summary;

		fix_summarize(plan, &summary);
		if (summary.changes && args->verbosity > FIX_QUIET)
			printf("\nMaking the changes:\n");
		fix_execute(plan);
		print_report(ui, plan, args->verbosity);
	}
	ok = fix_succeeded(plan);
	fix_plan_free(plan);
	return ok ? 0 : 1;
}

/* Where the agent's Rescue mode looks for a package fix staged,
 * relative to the Windows volume's root. */
#define STAGED_IC_PATH WIN7GEN2_STAGE_DIR "\\" WIN7GEN2_IC_PACKAGE_NAME
/* The largest package icpkg_open accepts is read whole, once. */
#define STAGED_IC_MAX (1024u << 20)

/*
 * Puts the checked package CAB on the Windows volume, where the agent's
 * Rescue mode looks for it: Windows installs a package only through its
 * own servicing (DISM), which cannot run on this host.  Through the fix
 * engine's backend, like every other write of fix: a win7gen2 folder
 * there is found whatever its case (Windows would see one folder, so a
 * second is never made), no link on the way is followed, and the CAB
 * is written under a temporary name, flushed and renamed, so a
 * half-copied CAB never has the name.
 */
static int stage_ic_package(const struct fix_args *args, const struct icpkg *pkg,
			    char **staged, struct text *err)
{
	struct posix_fix volumes;
	struct fix_error fix_err;
	char shown[PATH_MAX];
	unsigned char *data;
	size_t size;

	*staged = NULL;
	if (posix_fix_init(&volumes, args->windows, args->esp, &fix_err) != FIX_OK) {
		text_append(err, fix_err.message);
		return -1;
	}
	if (read_file(pkg->cab, STAGED_IC_MAX, &data, &size, err) < 0)
		return -1;
	if (posix_fix_backend.write_file(&volumes, FIX_VOLUME_WINDOWS, STAGED_IC_PATH, data, size,
					 FIX_WRITE_REPLACE, &fix_err) != FIX_OK) {
		text_appendf(err, "cannot stage the package on the Windows volume: %s",
			     fix_err.message);
		free(data);
		return -1;
	}
	free(data);
	posix_fix_disk_path(&volumes, FIX_VOLUME_WINDOWS, STAGED_IC_PATH, shown, sizeof(shown));
	*staged = strdup(shown);
	if (!*staged) {
		text_append(err, "out of memory");
		return -1;
	}
	return 0;
}

/* The package staged, or shown staged in a dry run. */
static int stage_and_say(struct ui *ui, const struct fix_args *args, const struct icpkg *pkg)
{
	struct text err = TEXT_INIT;
	char *staged = NULL;
	int rc = 0;

	if (args->dry_run) {
		struct posix_fix volumes;
		struct fix_error ignored;
		char shown[PATH_MAX];

		if (posix_fix_init(&volumes, args->windows, args->esp, &ignored) == FIX_OK)
			posix_fix_disk_path(&volumes, FIX_VOLUME_WINDOWS, STAGED_IC_PATH, shown,
					    sizeof(shown));
		else
			snprintf(shown, sizeof(shown), "%s/%s/%s", args->windows,
				 WIN7GEN2_STAGE_DIR, WIN7GEN2_IC_PACKAGE_NAME);
		printf("\nIntegration Services %s (%s): would be staged as %s.\n",
		       pkg->version, args->integration_services, shown);
	} else if (stage_ic_package(args, pkg, &staged, &err) < 0) {
		ui_error(ui, "fix", "%s", text_failed(&err) ? "out of memory" : text_string(&err));
		rc = -1;
	} else {
		printf("\nIntegration Services %s (%s): staged as %s.\n"
		       "Windows installs packages only with its own servicing (DISM), which does\n"
		       "not run on Linux: boot the VM once from an ISO made by win7gen2 build and\n"
		       "choose Rescue; the agent installs the package with DISM and removes the\n"
		       "staged copy.\nUntil then: %s.\n", pkg->version,
		       args->integration_services, staged, icpkg_effect(false));
	}
	free(staged);
	text_free(&err);
	return rc;
}

/* ---- update packages (--package) ------------------------------------ */

/* Where Rescue mode looks for them, relative to the Windows volume's root. */
#define STAGED_PACKAGES_DIR (WIN7GEN2_PACKAGES_DIR + 1)

struct fix_packages {
	struct package *packages;    /* as given */
	struct package_list list;    /* install order */
};

static void fix_packages_free(struct fix_packages *fp, size_t count)
{
	for (size_t i = 0; fp->packages && i < count; i++)
		package_free(&fp->packages[i]);
	free(fp->packages);
	fp->packages = NULL;
}

/* Every --package checked, before any change, and put in install order. */
static int open_fix_packages(const struct fix_args *args, const char *tempdir,
			     struct fix_packages *fp, struct text *err)
{
	fp->packages = calloc(args->package_count, sizeof(*fp->packages));
	if (!fp->packages) {
		text_append(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < args->package_count; i++) {
		char name[48];
		char *staged;
		int rc;

		snprintf(name, sizeof(name), "package-%zu.cab", i + 1);
		staged = path_join(tempdir, name);
		if (!staged) {
			text_append(err, "out of memory");
			return -1;
		}
		rc = package_open(args->packages[i], staged, PACKAGE_FOR_UPDATE, &fp->packages[i],
				  err);
		free(staged);
		if (rc < 0)
			return -1;
	}
	return package_order(fp->packages, args->packages, args->package_count, &fp->list, err);
}

/* One file into the packages folder, through the engine's backend (see
 * stage_ic_package). */
static int stage_one(struct posix_fix *volumes, const char *name, const void *data,
		     size_t size, struct text *err)
{
	struct fix_error fix_err;
	char path[sizeof(WIN7GEN2_PACKAGES_DIR) + 1 + PACKAGE_LIST_NAME_MAX + 1];

	snprintf(path, sizeof(path), "%s\\%s", STAGED_PACKAGES_DIR, name);
	if (posix_fix_backend.write_file(volumes, FIX_VOLUME_WINDOWS, path, data, size,
					 FIX_WRITE_REPLACE, &fix_err) != FIX_OK) {
		text_appendf(err, "cannot stage %s on the Windows volume: %s", name,
			     fix_err.message);
		return -1;
	}
	return 0;
}

/* The CABs, then packages.txt: the list names only CABs already whole. */
static int stage_packages(const struct fix_args *args, const struct fix_packages *fp,
			  struct text *err)
{
	char list_text[PACKAGE_LIST_MAX_FILE];
	struct posix_fix volumes;
	struct fix_error fix_err;
	size_t length;

	if (posix_fix_init(&volumes, args->windows, args->esp, &fix_err) != FIX_OK) {
		text_append(err, fix_err.message);
		return -1;
	}
	for (unsigned i = 0; i < fp->list.count; i++) {
		const struct package *pkg = package_by_name(fp->packages, args->package_count,
							    fp->list.entry[i].name, NULL);
		unsigned char *data;
		size_t size;
		int rc;

		if (read_file(pkg->cab, PACKAGE_MAX_SIZE, &data, &size, err) < 0)
			return -1;
		rc = stage_one(&volumes, pkg->name, data, size, err);
		free(data);
		if (rc < 0)
			return -1;
	}
	length = package_list_format(&fp->list, "win7gen2 fix", list_text, sizeof(list_text));
	if (!length) {
		text_append(err, "out of memory");
		return -1;
	}
	return stage_one(&volumes, WIN7GEN2_PACKAGES_LIST_NAME, list_text, length, err);
}

/* The packages staged, or shown staged in a dry run, in install order. */
static int stage_packages_and_say(struct ui *ui, const struct fix_args *args,
				  const struct fix_packages *fp)
{
	struct text err = TEXT_INIT;
	struct posix_fix volumes;
	struct fix_error ignored;
	char shown[PATH_MAX], folder[PACKAGE_DVD_PATH_MAX];
	int rc = 0;

	if (posix_fix_init(&volumes, args->windows, args->esp, &ignored) == FIX_OK) {
		posix_fix_disk_path(&volumes, FIX_VOLUME_WINDOWS, STAGED_PACKAGES_DIR, shown,
				    sizeof(shown));
	} else {
		/* The same path on the volume as on the DVD. */
		package_dvd_path("", folder);
		snprintf(shown, sizeof(shown), "%s%s", args->windows, folder);
	}
	if (!args->dry_run && stage_packages(args, fp, &err) < 0) {
		ui_error(ui, "fix", "%s", text_failed(&err) ? "out of memory" : text_string(&err));
		text_free(&err);
		return -1;
	}
	printf("\nUpdate packages: %s in %s with %s; Rescue mode installs them\n"
	       "with DISM in this order:\n", args->dry_run ? "would be staged" : "staged", shown,
	       WIN7GEN2_PACKAGES_LIST_NAME);
	for (unsigned i = 0; i < fp->list.count; i++) {
		size_t index = 0;
		const struct package *pkg = package_by_name(fp->packages, args->package_count,
							    fp->list.entry[i].name, &index);

		printf("  %u. %s %s %s, from %s\n", i + 1, pkg->kb,
		       pkg->servicing_stack ? "servicing stack (own DISM call)" : "update",
		       pkg->name, args->packages[index]);
	}
	text_free(&err);
	return rc;
}

int cmd_fix(int argc, char **argv)
{
	struct fix_options fix = { 0 };
	struct fix_args args;
	struct icpkg ic = { 0 };
	struct fix_packages packages = { 0 };
	char *ic_tempdir = NULL;
	struct text err = TEXT_INIT;
	struct ui ui;
	char *payload_path = NULL, when[64];
	unsigned char *payload;
	size_t payload_size = 0;
	int rc;

	/* Only ui_error is used: the engine's report has its own levels. */
	ui_init(&ui, UI_NORMAL);
	rc = parse_args(argc, argv, &args);
	if (rc) {
		free(args.packages);
		return rc < 0 ? 0 : rc;
	}
	if (check_folder(&ui, "windows", args.windows, "the root of the Windows volume") < 0 ||
	    check_folder(&ui, "esp", args.esp, "the root of the EFI system partition") < 0) {
		free(args.packages);
		return 1;
	}

	payload = read_payload(args.payload, &payload_path, &payload_size, &err);
	if (!payload) {
		ui_error(&ui, "fix", "%s", text_failed(&err) ? "out of memory" : text_string(&err));
		text_free(&err);
		free(payload_path);
		free(args.packages);
		return 1;
	}
	timestamp(when, sizeof(when));
	fix.payload = payload;
	fix.payload_size = payload_size;
	fix.payload_name = payload_path;
	fix.dry_run = args.dry_run;
	fix.boot_wait_ms = args.boot_wait_ms;
	fix.tool_version = WIN7GEN2_VERSION;
	fix.timestamp = when;
	fix.where = "Linux host";
	if (args.verbosity == FIX_VERBOSE)
		fix.progress = print_progress;
	if (args.esp_partition) {
		fix.layout.known = true;
		fix.layout.esp_partition = args.esp_partition;
		fix.layout.windows_partition = args.windows_partition;
		snprintf(fix.layout.how, sizeof(fix.layout.how),
			 "given by --esp-partition and --windows-partition");
	}
	/* A package that will not do is refused before any change. */
	if ((args.integration_services || args.package_count) &&
	    tempdir_create(NULL, &ic_tempdir, &err) < 0) {
		ui_error(&ui, "fix", "%s", text_failed(&err) ? "out of memory" : text_string(&err));
		rc = 1;
		goto out;
	}
	if ((args.integration_services &&
	     icpkg_open(args.integration_services, ic_tempdir, &ic, &err) < 0) ||
	    (args.package_count && open_fix_packages(&args, ic_tempdir, &packages, &err) < 0)) {
		ui_error(&ui, "fix", "%s", text_failed(&err) ? "out of memory" : text_string(&err));
		rc = 1;
		goto out;
	}
	rc = run_fix(&ui, &args, &fix);
	/* Staged whatever the fix left: the package helps either way. */
	if (ic.cab && stage_and_say(&ui, &args, &ic) < 0)
		rc = 1;
	if (args.package_count && stage_packages_and_say(&ui, &args, &packages) < 0)
		rc = 1;
out:
	icpkg_free(&ic);
	fix_packages_free(&packages, args.package_count);
	free(args.packages);
	tempdir_remove(ic_tempdir);
	free(ic_tempdir);
	free(payload);
	free(payload_path);
	text_free(&err);
	return rc;
}
