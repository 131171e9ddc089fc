/*
 * cmd_build.c - win7gen2 build: a Gen2-bootable, unattended installer ISO
 *
 * Streaming: the source ISO is never unpacked.  Only boot.wim, the UEFI
 * boot image and install.wim's header and XML are read out of it (and
 * install.wim whole only when boot.wim lacks the Gen2 drivers); boot.wim
 * is changed in place with wimlib, a new EFI boot image is made with
 * mkfs.fat + mtools, and OUT is a kernel copy of IN with those two files
 * appended and its trees pointed at them (rewrite.c).
 *
 * Nothing half-written ever appears at OUT: all work happens in a
 * private folder beside OUT (same file system, so the last step is a
 * rename), removed on success and failure alike.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "diskpolicy.h"
#include "drivers.h"
#include "efiimg.h"
#include "embedded.h"
#include "files.h"
#include "icpkg.h"
#include "package.h"
#include "package_list.h"
#include "pkgcheck.h"
#include "insource.h"
#include "interrupt.h"
#include "iso.h"
#include "languages.h"
#include "media.h"
#include "numbers.h"
#include "outcheck.h"
#include "outsync.h"
#include "rewrite.h"
#include "password.h"
#include "payload.h"
#include "publish.h"
#include "text.h"
#include "ui.h"
#include "unattend.h"
#include "usage.h"
#include "vmscript.h"
#include "wimfile.h"
#include "wimsd.h"
#include "win7gen2.h"

#define STAGE_DIR_IN_WIM "\\" WIN7GEN2_STAGE_DIR
#define ANSWER_FILE_IN_WIM "\\win7gen2\\autounattend.xml"
#define AGENT_IN_WIM "\\win7gen2\\win7gen2pe.exe"
#define DRIVERS_IN_WIM "\\win7gen2\\drivers"
#define USER_DRIVERS_IN_WIM "\\win7gen2\\drivers\\user"
#define WINPESHL_IN_WIM "\\Windows\\System32\\winpeshl.ini"
#define EFI_BOOT_DIR "/EFI/BOOT/"
/* Room for the EFI boot images and the files staged in boot.wim. */
#define SPACE_MARGIN (32u << 20)

struct build_options {
	const char *iso;
	const char *output;
	const char *edition;
	const char *user;
	const char *password;
	const char *password_file;
	const char *computer_name;
	const char *locale;         /* NULL: as the new system's UI language */
	const char *ui_language;    /* NULL: the media's */
	char locale_tag[LANGTAG_SIZE];
	char ui_language_tag[LANGTAG_SIZE];
	const char *timezone;
	const char *product_key;
	const char *unattend;
	const char *drivers;
	const char *payload;
	const char *agent;
	const char *integration_services;
	const char *const *packages; /* --package, in the order given */
	size_t package_count;
	const char *vm_script;
	unsigned menu_timeout;
	bool wipe_unattended;
	bool force;
	enum ui_level level;
};

struct build {
	struct build_options opt;
	struct ui ui;
	struct text err;
	struct media media;
	bool media_open;
	char *tempdir;
	char *payload_path;
	char payload_version[32];
	char *agent_path;
	unsigned edition;
	struct language_set setup_languages, edition_languages;
	struct language_choice languages;
	enum media_loader loader;
	char *loader_copy;
	char generated_password[PASSWORD_LENGTH + 1];
	char *file_password;             /* --password-file's, then opt.password */
	struct driver_plan drivers;
	bool drivers_staged;
	struct icpkg ic;
	/* --package: opt.packages' files checked, in the order given; then
	 * the install order (packages.txt) and what OUT gains. */
	struct package *packages;
	struct package_list package_list;
	/* Their members, checked on a second thread from open_packages until
	 * write_iso has copied IN, and each CAB's XXH64 for the read-back
	 * (pkgcheck.h), in the order given. */
	struct package_check package_check;
	uint64_t *package_hashes;
	struct rewrite_add *adds;
	size_t add_count;
	char **add_paths;
	char *package_list_disk;
	bool replaced_winpeshl;
	uint64_t out_size;
	struct in_source in;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: win7gen2 build --iso IN --output OUT [OPTIONS]\n"
		"\n"
		"Write OUT, a copy of the Windows 7 SP1 x64 ISO IN that installs Windows 7\n"
		"on a Hyper-V Generation 2 VM with nobody at the keyboard.  IN is read, never\n"
		"changed.  Work happens in a private folder beside OUT (same file system),\n"
		"removed at the end; OUT appears only when complete.\n"
		"\n"
		"  --iso IN              the Windows 7 SP1 x64 ISO\n"
		"  --output OUT          the ISO to write\n"
		"  -f, --force           replace OUT if it exists\n"
		"  --edition NAME|INDEX  the edition to install (see `win7gen2 inspect IN`);\n"
		"                        needed when install.wim holds more than one\n"
		"  --user NAME           the administrator account to create   (win7)\n"
		"  --password TEXT       its password; without it a strong one is generated\n"
		"                        and shown once at the end\n"
		"  --password-file FILE  the password from the first line of FILE (- reads\n"
		"                        standard input): not on the command line, in ps or\n"
		"                        in shell history\n"
		"  --computer-name NAME  the new system's name                 (WIN7-GEN2)\n"
		"  --ui-language TAG     the language of Setup and Windows: one the chosen\n"
		"                        edition holds (see `win7gen2 inspect IN`)\n"
		"                                                              (the media's)\n"
		"  --locale TAG          formats and keyboard, any language    (as the UI)\n"
		"  --timezone ZONE       Windows time zone name                (UTC)\n"
		"  --product-key KEY     XXXXX-XXXXX-XXXXX-XXXXX-XXXXX          (none)\n"
		"  --unattend FILE       use this answer file instead of writing one (the\n"
		"                        options from --edition to --product-key then do\n"
		"                        not apply)\n"
		"  --drivers DIR         add these INF driver packages for Setup and the\n"
		"                        installed system\n"
		"  --payload FILE        win7gen2.efi to use                   (the built one)\n"
		"  --agent FILE          win7gen2pe.exe, the Windows PE agent  (the built one)\n"
		"  --menu-timeout SEC    seconds the boot menu waits before installing (10)\n"
		"  --wipe-unattended     let Install start by itself even when a disk holds\n"
		"                        data, wiping disk 0 (for lab VMs reinstalled on\n"
		"                        purpose); without it, Install starts by itself only\n"
		"                        when every disk is blank, else the menu waits\n"
		"  --integration-services FILE\n"
		"                        Hyper-V Integration Services 6.2.9200.16385 or later\n"
		"                        for the new system (keyboard, mouse, video on Gen2):\n"
		"                        KB3063109's .msu, its .cab, a host's vmguest.iso or\n"
		"                        its Windows6.x-HyperVIntegrationServices-x64.cab;\n"
		"                        the agent installs it with DISM after Setup\n"
		"  --package FILE        a Windows 7 SP1 x64 update (.msu or package .cab) to\n"
		"                        install after Setup, from \\win7gen2\\packages on the\n"
		"                        DVD; repeat it for more: servicing stack updates\n"
		"                        first, the rest in the order given\n"
		"  --vm-script FILE      also write the PowerShell script that makes and\n"
		"                        starts the Hyper-V VM for OUT and shows its COM1\n"
		"                        (New-Win7Gen2VM.ps1; replaced only with --force)\n"

		"  -q, --quiet           print only errors and the final report\n"
		"  -v, --verbose         say more about each step\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status: 0 written, 1 refused or failed (OUT untouched), 2 usage error.\n");
}

/* ---- options ------------------------------------------------------- */

static int check_option(const char *option, const char *value, const char *problem)
{
	if (!problem)
		return 0;
	usage_error("build", "--%s \"%s\": %s", option, value, problem);
	return -1;
}

static const char *check_password(const char *password)
{
	const char *problem = unattend_check_text(password);

	return problem ? problem : password_check(password);
}

/* --package's files, in a list as long as argc: it cannot overflow. */
static int add_package(struct build_options *opt, int argc, const char *path)
{
	const char **list = (const char **)opt->packages;

	if (!list) {
		list = calloc((size_t)argc, sizeof(*list));
		if (!list) {
			usage_error("build", "out of memory");
			return -1;
		}
		opt->packages = list;
	}
	list[opt->package_count++] = path;
	return 0;
}

static int parse_options(int argc, char **argv, struct build_options *opt)
{
	enum { O_ISO = 256, O_OUTPUT, O_EDITION, O_USER, O_PASSWORD, O_COMPUTER, O_LOCALE,
	       O_TIMEZONE, O_KEY, O_UNATTEND, O_DRIVERS, O_PAYLOAD, O_AGENT, O_TIMEOUT, O_IC,
	       O_VM_SCRIPT, O_WIPE, O_PASSWORD_FILE, O_UI_LANGUAGE, O_PACKAGE };
	static const struct option options[] = {
		{ "iso", required_argument, NULL, O_ISO },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "force", no_argument, NULL, 'f' },
		{ "edition", required_argument, NULL, O_EDITION },
		{ "user", required_argument, NULL, O_USER },
		{ "password", required_argument, NULL, O_PASSWORD },
		{ "password-file", required_argument, NULL, O_PASSWORD_FILE },
		{ "computer-name", required_argument, NULL, O_COMPUTER },
		{ "locale", required_argument, NULL, O_LOCALE },
		{ "ui-language", required_argument, NULL, O_UI_LANGUAGE },
		{ "timezone", required_argument, NULL, O_TIMEZONE },
		{ "product-key", required_argument, NULL, O_KEY },
		{ "unattend", required_argument, NULL, O_UNATTEND },
		{ "drivers", required_argument, NULL, O_DRIVERS },
		{ "payload", required_argument, NULL, O_PAYLOAD },
		{ "agent", required_argument, NULL, O_AGENT },
		{ "menu-timeout", required_argument, NULL, O_TIMEOUT },
		{ "integration-services", required_argument, NULL, O_IC },
		{ "package", required_argument, NULL, O_PACKAGE },
		{ "vm-script", required_argument, NULL, O_VM_SCRIPT },
		{ "wipe-unattended", no_argument, NULL, O_WIPE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool answer_options = false;
	int c;

	opt->user = "win7";
	opt->computer_name = "WIN7-GEN2";
	opt->timezone = "UTC";
	opt->menu_timeout = 10;
	opt->level = UI_NORMAL;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, USAGE_OPTSTRING("", "fqvh"), options, NULL)) != -1) {
		switch (c) {
		case O_ISO: opt->iso = optarg; break;
		case O_OUTPUT: opt->output = optarg; break;
		case 'f': opt->force = true; break;
		case O_EDITION: opt->edition = optarg; break;
		case O_USER: opt->user = optarg; answer_options = true; break;
		case O_PASSWORD: opt->password = optarg; answer_options = true; break;
		case O_PASSWORD_FILE:
			opt->password_file = optarg;
			answer_options = true;
			break;
		case O_COMPUTER: opt->computer_name = optarg; answer_options = true; break;
		case O_LOCALE: opt->locale = optarg; answer_options = true; break;
		case O_UI_LANGUAGE: opt->ui_language = optarg; answer_options = true; break;
		case O_TIMEZONE: opt->timezone = optarg; answer_options = true; break;
		case O_KEY: opt->product_key = optarg; answer_options = true; break;
		case O_UNATTEND: opt->unattend = optarg; break;
		case O_DRIVERS: opt->drivers = optarg; break;
		case O_PAYLOAD: opt->payload = optarg; break;
		case O_AGENT: opt->agent = optarg; break;
		case O_IC: opt->integration_services = optarg; break;
		case O_PACKAGE:
			/* Never more than argc of them: the array is sized so. */
			if (add_package(opt, argc, optarg) < 0)
				return -1;
			break;
		case O_VM_SCRIPT: opt->vm_script = optarg; break;
		case O_WIPE: opt->wipe_unattended = true; break;
		case O_TIMEOUT:
			if (parse_unsigned(optarg, 3600, &opt->menu_timeout) < 0) {
				usage_error("build", "--menu-timeout \"%s\": give whole seconds "
					    "from 0 to 3600", optarg);
				return -1;
			}
			break;
		case 'q': opt->level = UI_QUIET; break;
		case 'v': opt->level = UI_VERBOSE; break;
		case 'h': usage(stdout); exit(0);
		default:
			usage_option_error("build", c, argv, options);
			return -1;
		}
	}
	if (optind != argc) {
		usage_error("build", "unexpected argument \"%s\"", argv[optind]);
		return -1;
	}
	if (!opt->iso || !opt->output) {
		usage_error("build", "%s", !opt->iso && !opt->output ?
			    "--iso IN and --output OUT are needed: the Windows 7 ISO to read "
			    "and the ISO to write" : !opt->iso ?
			    "--iso IN is needed: the Windows 7 ISO to read" :
			    "--output OUT is needed: the ISO to write");
		return -1;
	}
	if (opt->unattend && (answer_options || opt->edition)) {
		usage_error("build", "--unattend FILE is a whole answer file: --edition, --user, "
			    "--password, --password-file, --computer-name, --ui-language, --locale, "
			    "--timezone and --product-key do not apply with it");
		return -1;
	}
	if (opt->password && opt->password_file) {
		usage_error("build", "--password and --password-file both give the password; "
			    "give one of them");
		return -1;
	}
	if (check_option("user", opt->user, unattend_check_user(opt->user)) < 0 ||
	    (opt->password && check_option("password", "...", check_password(opt->password)) < 0) ||
	    check_option("computer-name", opt->computer_name,
			 unattend_check_computer_name(opt->computer_name)) < 0 ||
	    (opt->locale && check_option("locale", opt->locale,
					 langtag_normalize(opt->locale, strlen(opt->locale),
							   opt->locale_tag)) < 0) ||
	    (opt->ui_language && check_option("ui-language", opt->ui_language,
					      langtag_normalize(opt->ui_language,
								strlen(opt->ui_language),
								opt->ui_language_tag)) < 0) ||
	    check_option("timezone", opt->timezone, unattend_check_text(opt->timezone)) < 0 ||
	    (opt->product_key && check_option("product-key", opt->product_key,
					      unattend_check_product_key(opt->product_key)) < 0))
		return -1;
	return 0;
}

/* ---- refusals before any work -------------------------------------- */

/* The folder of a file to write must be there (OUT's also holds the
 * temporary folder). */
static int check_folder_of(const char *option, const char *path, struct text *err)
{
	char *dir = parent_dir(path);
	struct stat st;
	int rc = -1;

	if (!dir) {
		text_append(err, "out of memory");
		return -1;
	}
	if (stat(dir, &st) < 0 && errno == ENOENT)
		text_appendf(err, "%s %s: its folder %s does not exist; make the folder first, "
			     "or write it elsewhere", option, path, dir);
	else if (stat(dir, &st) < 0)
		text_appendf(err, "%s %s: cannot reach its folder %s: %s", option, path, dir,
			     strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		text_appendf(err, "%s %s: %s is not a folder", option, path, dir);
	else
		rc = 0;
	free(dir);
	return rc;
}

/* --vm-script FILE: a file of its own, never IN or OUT. */
static int check_vm_script(struct build *b, const struct stat *in)
{
	const char *path = b->opt.vm_script;
	struct stat st;

	if (strcmp(path, b->opt.output) == 0) {
		text_appendf(&b->err, "--vm-script %s is OUT as well; give the script a name of "
			     "its own", path);
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (st.st_dev == in->st_dev && st.st_ino == in->st_ino) {
			text_appendf(&b->err, "--vm-script %s is the input ISO; give the script a "
				     "name of its own", path);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			text_appendf(&b->err, "--vm-script %s is a folder; give a file name, e.g. "
				     "%s/" VMSCRIPT_FILE_NAME, path, path);
			return -1;
		}
		if (!b->opt.force) {
			text_appendf(&b->err, "%s exists; give --force to replace it", path);
			return -1;
		}
	}
	return check_folder_of("--vm-script", path, &b->err);
}

static int check_paths(struct build *b)
{
	struct stat in, out;

	if (stat(b->opt.iso, &in) < 0) {
		text_appendf(&b->err, "--iso %s: %s", b->opt.iso,
			     errno == ENOENT ? "no such file" : strerror(errno));
		return -1;
	}
	if (!S_ISREG(in.st_mode) && !S_ISBLK(in.st_mode)) {
		text_appendf(&b->err, "%s is not a file", b->opt.iso);
		return -1;
	}
	if (stat(b->opt.output, &out) == 0) {
		/* The same file under another name (hard link, symlink, ./x)
		 * is still the same file. */
		if (out.st_dev == in.st_dev && out.st_ino == in.st_ino) {
			text_appendf(&b->err, "--output %s is the input ISO itself; write the new "
				     "ISO to another file", b->opt.output);
			return -1;
		}
		if (S_ISDIR(out.st_mode)) {
			text_appendf(&b->err, "--output %s is a folder; give a file name",
				     b->opt.output);
			return -1;
		}
		if (!b->opt.force) {
			text_appendf(&b->err, "%s exists; give --force to replace it",
				     b->opt.output);
			return -1;
		}
	} else if (errno != ENOENT) {
		text_appendf(&b->err, "cannot check %s: %s", b->opt.output, strerror(errno));
		return -1;
	}
	if (check_folder_of("--output", b->opt.output, &b->err) < 0)
		return -1;
	return b->opt.vm_script ? check_vm_script(b, &in) : 0;
}

/* --password-file FILE: read before any work, checked like --password. */
static int read_password_file(struct build *b)
{
	const char *problem;

	if (password_read_file(b->opt.password_file, &b->file_password, &b->err) < 0)
		return -1;
	problem = check_password(b->file_password);
	if (problem) {
		text_appendf(&b->err, "--password-file %s: the password on its first line: %s",
			     b->opt.password_file, problem);
		return -1;
	}
	b->opt.password = b->file_password;
	return 0;
}

/* The file named on the command line, else the built or installed one. */
static char *given_or_default(const char *given, char *(*default_path)(void), struct text *err)
{
	char *path = given ? strdup(given) : default_path();

	if (!path)
		text_append(err, "out of memory");
	return path;
}

static int check_payload(struct build *b)
{
	enum recognized rc;

	b->payload_path = given_or_default(b->opt.payload, payload_default_path, &b->err);
	if (!b->payload_path)
		return -1;
	rc = payload_recognize(b->payload_path, b->payload_version, sizeof(b->payload_version),
			       &b->err);
	if (rc == UNREADABLE) {
		if (!b->opt.payload)
			text_append(&b->err, " (build it with tools/build, or give --payload "
				    "FILE)");
		return -1;
	}
	if (rc == NOT_RECOGNIZED) {
		text_appendf(&b->err, "%s is not win7gen2.efi (no \"%s\" marker in it); give the "
			     "win7gen2.efi that tools/build makes", b->payload_path,
			     WIN7GEN2_PAYLOAD_MARKER);
		return -1;
	}
	return 0;
}

/* Without the agent the new system would not be fixed after Setup, and
 * would not boot on Gen2: no agent, no ISO. */
static int check_agent(struct build *b)
{
	enum recognized rc;

	b->agent_path = given_or_default(b->opt.agent, agent_default_path, &b->err);
	if (!b->agent_path)
		return -1;
	rc = agent_recognize(b->agent_path, &b->err);
	if (rc == UNREADABLE) {
		if (!b->opt.agent)
			text_append(&b->err, " (the Windows PE agent: build it with tools/build, "
				    "which needs gcc-mingw-w64-x86-64, or give --agent FILE)");
		return -1;
	}
	if (rc == NOT_RECOGNIZED) {
		text_appendf(&b->err, "%s is not win7gen2pe.exe, the Windows PE agent; give the "
			     "one tools/build makes", b->agent_path);
		return -1;
	}
	return 0;
}

static int check_space(struct build *b)
{
	uint64_t in_size = b->media.listing.image_size, need, free_bytes;
	char *dir = parent_dir(b->opt.output);
	dev_t device;
	int rc;

	if (!dir) {
		text_append(&b->err, "out of memory");
		return -1;
	}
	/* OUT is IN plus the new boot.wim; beside it the temporary folder
	 * holds a copy of boot.wim (changed in place), the EFI images and
	 * the staged drivers.  install.wim, when needed, is checked later.
	 * On a file system that shares blocks OUT may take far less. */
	need = in_size + 3 * b->media.boot_wim->size + 3 * b->drivers.user_bytes + SPACE_MARGIN;
	/* The package CAB staged, then again inside boot.wim. */
	if (b->opt.integration_services) {
		struct stat st;

		if (stat(b->opt.integration_services, &st) == 0 && S_ISREG(st.st_mode))
			need += 2 * (uint64_t)st.st_size;
	}
	/* Each update package CAB appended to OUT, and the one in an .msu
	 * (nearly all of it) staged first; a .cab is read in place. */
	for (size_t i = 0; i < b->opt.package_count; i++) {
		struct stat st;

		if (stat(b->opt.packages[i], &st) == 0 && S_ISREG(st.st_mode))
			need += 2 * (uint64_t)st.st_size;
	}
	rc = free_space(dir, &free_bytes, &device, &b->err);
	if (rc == 0 && free_bytes < need) {
		text_appendf(&b->err, "too little free space in %s: %" PRIu64 " MiB free, about %"
			     PRIu64 " MiB needed (the new ISO and a copy of boot.wim)",
			     dir, free_bytes >> 20, (need + (1 << 20) - 1) >> 20);
		rc = -1;
	}
	free(dir);
	return rc;
}

/* ---- update packages ------------------------------------------------ */

/*
 * Every --package checked before the long steps (but their members'
 * data: that check starts here and runs beside them, see pkgcheck.h),
 * and staged in the temporary folder; then what OUT gains: the CABs
 * under \win7gen2\packages\ in install order and packages.txt.
 */
static int open_packages(struct build *b)
{
	char list_text[PACKAGE_LIST_MAX_FILE], list_path[PACKAGE_DVD_PATH_MAX];
	size_t list_length;

	if (!b->opt.package_count)
		return 0;
	b->packages = calloc(b->opt.package_count, sizeof(*b->packages));
	b->package_hashes = calloc(b->opt.package_count, sizeof(*b->package_hashes));
	b->adds = calloc(b->opt.package_count + 1, sizeof(*b->adds));
	b->add_paths = calloc(b->opt.package_count + 1, sizeof(*b->add_paths));
	if (!b->packages || !b->package_hashes || !b->adds || !b->add_paths) {
		text_append(&b->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < b->opt.package_count; i++) {
		struct package *pkg = &b->packages[i];
		char name[48];
		char *staged;
		int rc;

		ui_step(&b->ui, "checking the update package %s", b->opt.packages[i]);
		snprintf(name, sizeof(name), "package-%zu.cab", i + 1);
		staged = path_join(b->tempdir, name);
		if (!staged) {
			text_append(&b->err, "out of memory");
			return -1;
		}
		rc = package_open_quick(b->opt.packages[i], staged, PACKAGE_FOR_UPDATE, pkg,
					&b->err);
		free(staged);
		if (rc < 0)
			return -1;
		ui_detail(&b->ui, "%s: %s%s, %s", b->opt.packages[i], pkg->kb,
			  pkg->servicing_stack ? " (servicing stack)" : "", pkg->name);
	}
	if (package_order(b->packages, b->opt.packages, b->opt.package_count,
			  &b->package_list, &b->err) < 0)
		return -1;
	for (unsigned i = 0; i < b->package_list.count; i++) {
		size_t index = 0;
		const struct package *pkg = package_by_name(b->packages, b->opt.package_count,
							    b->package_list.entry[i].name, &index);
		char path[PACKAGE_DVD_PATH_MAX];

		package_dvd_path(pkg->name, path);
		/* OUT gains the file; IN must not have one by that name. */
		if (iso_find(&b->media.listing, path)) {
			text_appendf(&b->err, "%s already holds %s: build from the original "
				     "Windows 7 ISO", b->opt.iso, path);
			return -1;
		}
		b->add_paths[b->add_count] = strdup(path);
		if (!b->add_paths[b->add_count]) {
			text_append(&b->err, "out of memory");
			return -1;
		}
		b->adds[b->add_count].path = b->add_paths[b->add_count];
		b->adds[b->add_count].disk = pkg->cab;
		/* Copied by the kernel; the check's thread hashes the CAB. */
		b->adds[b->add_count].source_hash = &b->package_hashes[index];
		b->add_count++;
	}
	list_length = package_list_format(&b->package_list, "win7gen2 build", list_text,
					  sizeof(list_text));
	b->package_list_disk = path_join(b->tempdir, WIN7GEN2_PACKAGES_LIST_NAME);
	if (!list_length || !b->package_list_disk) {
		text_append(&b->err, "out of memory");
		return -1;
	}
	if (write_file(b->package_list_disk, list_text, list_length, &b->err) < 0)
		return -1;
	package_dvd_path(WIN7GEN2_PACKAGES_LIST_NAME, list_path);
	if (iso_find(&b->media.listing, list_path)) {
		text_appendf(&b->err, "%s already holds %s: build from the original Windows 7 "
			     "ISO", b->opt.iso, list_path);
		return -1;
	}
	b->add_paths[b->add_count] = strdup(list_path);
	if (!b->add_paths[b->add_count]) {
		text_append(&b->err, "out of memory");
		return -1;
	}
	b->adds[b->add_count].path = b->add_paths[b->add_count];
	b->adds[b->add_count].disk = b->package_list_disk;
	b->add_count++;
	ui_detail(&b->ui, "every member of the packages: checked beside the copy");
	return package_check_start(&b->package_check, b->packages, b->opt.package_count,
				   b->package_hashes, &b->err);
}

/* rewrite_job.stop: a damaged package, or Ctrl-C, ends the copy early. */
static bool stop_writing(void *build)
{
	struct build *b = build;

	return package_check_failed(&b->package_check) || interrupt_requested();
}

static void free_packages(struct build *b)
{
	for (size_t i = 0; b->packages && i < b->opt.package_count; i++)
		package_free(&b->packages[i]);
	for (size_t i = 0; b->add_paths && i <= b->opt.package_count; i++)
		free(b->add_paths[i]);
	free(b->packages);
	free(b->package_hashes);
	free(b->adds);
	free(b->add_paths);
	free(b->package_list_disk);
	free((void *)b->opt.packages);
}

/* ---- choices --------------------------------------------------------- */

static bool edition_matches(const struct wim_image_meta *image, const char *wanted)
{
	return (image->name && strcasecmp(image->name, wanted) == 0) ||
	       (image->display_name && strcasecmp(image->display_name, wanted) == 0) ||
	       (image->edition_id && strcasecmp(image->edition_id, wanted) == 0) ||
	       (image->flags && strcasecmp(image->flags, wanted) == 0);
}

static void list_editions(const struct wim_meta *install, struct text *err)
{
	for (unsigned i = 0; i < install->count; i++)
		text_appendf(err, "\n  %u  %s", i + 1,
			     install->images[i].name ? install->images[i].name : "(no name)");
}

static int choose_edition(struct build *b)
{
	const struct wim_meta *install = &b->media.install;
	const char *wanted = b->opt.edition;
	unsigned index = 0, matches = 0;

	if (b->opt.unattend) {
		b->edition = install->count == 1 ? 1 : 0; /* the user's file chooses */
		return 0;
	}
	if (!wanted) {
		if (install->count == 1) {
			b->edition = 1;
			return 0;
		}
		text_appendf(&b->err, "install.wim holds %u editions; choose one with --edition "
			     "NAME or INDEX:", install->count);
		list_editions(install, &b->err);
		return -1;
	}
	if (parse_unsigned(wanted, UINT32_MAX, &index) == 0) {
		if (index >= 1 && index <= install->count) {
			b->edition = index;
			return 0;
		}
	} else {
		for (unsigned i = 0; i < install->count; i++)
			if (edition_matches(&install->images[i], wanted)) {
				index = i + 1;
				matches++;
			}
		if (matches == 1) {
			b->edition = index;
			return 0;
		}
	}
	text_appendf(&b->err, "--edition \"%s\" %s; install.wim holds:", wanted,
		     matches > 1 ? "matches more than one edition" : "is no edition in this ISO");
	list_editions(install, &b->err);
	return -1;
}

/* The answer file's languages: UI languages the images hold, refused
 * here when the user asks for one the edition lacks. */
static int choose_languages(struct build *b)
{
	const struct lang_ini *ini = b->media.lang_ini.count ? &b->media.lang_ini : NULL;

	languages_of_image(media_setup_meta(&b->media), ini, &b->setup_languages);
	languages_of_image(&b->media.install.images[b->edition - 1], ini, &b->edition_languages);
	return languages_choose(&b->setup_languages, &b->edition_languages, b->edition,
				b->opt.ui_language ? b->opt.ui_language_tag : NULL,
				b->opt.locale ? b->opt.locale_tag : NULL, &b->languages, &b->err);
}

/* Copies the chosen loader out of the ISO or boot.wim.  Windows
 * binaries are copied, never changed. */
static int take_loader(struct build *b)
{
	struct media *media = &b->media;

	b->loader = media_choose_loader(media);
	switch (b->loader) {
	case LOADER_BOOTMGFW: {
		const char *path[1] = { "\\Windows\\Boot\\EFI\\bootmgfw.efi" };

		b->loader_copy = path_join(b->tempdir, "bootmgfw.efi");
		if (!b->loader_copy)
			break;
		return wimfile_extract_flat(media->boot, media->setup_image, path, 1, b->tempdir,
					    &b->err);
	}
	case LOADER_CDBOOT_NOPROMPT: {
		b->loader_copy = path_join(b->tempdir, "cdboot_noprompt.efi");
		if (!b->loader_copy)
			break;
		return iso_copy_out(&media->source, media->cdboot_noprompt, b->loader_copy, NULL,
				    NULL, &b->err);
	}
	case LOADER_EFISYS_NOPROMPT: {
		char *image = path_join(b->tempdir, "efisys_noprompt.bin");
		int rc;

		b->loader_copy = path_join(b->tempdir, "efisys_noprompt-bootx64.efi");
		if (!image || !b->loader_copy) {
			free(image);
			break;
		}
		rc = iso_copy_out(&media->source, media->efisys_noprompt, image, NULL, NULL, &b->err);
		if (rc == 0) {
			enum efiimg_get_result got = efiimg_get(image, "/EFI/BOOT/BOOTX64.EFI",
								b->loader_copy, &b->err);

			if (got == EFIIMG_NO_FILE)
				text_append(&b->err, "efisys_noprompt.bin has no "
					    "\\EFI\\BOOT\\BOOTX64.EFI");
			rc = got == EFIIMG_COPIED ? 0 : -1;
		}
		free(image);
		return rc;
	}
	case LOADER_CD_PROMPT:
		b->loader_copy = strdup(media->efi_loader_copy);
		if (!b->loader_copy)
			break;
		return 0;
	case LOADER_NONE:
		text_append(&b->err, "found no Windows EFI loader to start: boot.wim's Setup image "
			    "has no Windows\\Boot\\EFI\\bootmgfw.efi and the UEFI boot image no "
			    "\\EFI\\BOOT\\BOOTX64.EFI");
		return -1;
	}
	text_append(&b->err, "out of memory");
	return -1;
}

/* ---- boot.wim -------------------------------------------------------- */

static int write_answer_file(struct build *b, const char *path)
{
	struct unattend_settings settings = {
		.image_index = b->edition,
		.locale = b->languages.locale,
		.setup_ui_language = b->languages.setup_ui,
		.ui_language = b->languages.system_ui,
		.timezone = b->opt.timezone,
		.computer_name = b->opt.computer_name,
		.user = b->opt.user,
		.password = b->opt.password,
		.product_key = b->opt.product_key,
		.driver_path = b->drivers_staged ? "X:" DRIVERS_IN_WIM : NULL,
	};
	struct text text = TEXT_INIT;
	int rc;

	if (b->opt.unattend)
		return copy_file(b->opt.unattend, path, &b->err);
	if (!settings.password) {
		if (password_generate(b->generated_password) < 0) {
			text_append(&b->err, "cannot get random bytes for a password: give "
				    "--password");
			return -1;
		}
		settings.password = b->generated_password;
	}
	rc = unattend_render(unattend_template, &settings, &text, &b->err);
	if (rc == 0)
		rc = write_file(path, text.data, text.length, &b->err);
	text_free(&text);
	return rc;
}

static int write_winpeshl(struct build *b, const char *path)
{
	/* WinPE starts what [LaunchApps] lists instead of its default
	 * (sources\setup.exe without an answer file): our agent, which runs
	 * wpeinit and Setup with the answer file, then fixes the new system. */
	static const char text[] =
		"; written by win7gen2 build: start the win7gen2 agent\r\n"
		"[LaunchApps]\r\n"
		"X:" AGENT_IN_WIM "\r\n";

	b->replaced_winpeshl = wimfile_exists(b->media.boot, b->media.setup_image, WINPESHL_IN_WIM);
	return write_file(path, text, sizeof(text) - 1, &b->err);
}

/* Moves the checked package CAB (icpkg_open put it in the temporary
 * folder) to where the agent looks for it. */
static int stage_ic_package(struct build *b, const char *win7gen2)
{
	char *staged = path_join(win7gen2, WIN7GEN2_IC_PACKAGE_NAME);
	int rc = -1;

	if (!staged)
		text_append(&b->err, "out of memory");
	else if (rename(b->ic.cab, staged) < 0)
		text_appendf(&b->err, "cannot move %s to %s: %s", b->ic.cab, staged,
			     strerror(errno));
	else
		rc = 0;
	free(staged);
	return rc;
}

static int change_boot_wim(struct build *b)
{
	char *stage = path_join(b->tempdir, "stage");
	char *win7gen2 = stage ? path_join(stage, WIN7GEN2_STAGE_DIR) : NULL;
	char *drivers = win7gen2 ? path_join(win7gen2, "drivers") : NULL;
	char *answer = win7gen2 ? path_join(win7gen2, "autounattend.xml") : NULL;
	char *payload = win7gen2 ? path_join(win7gen2, "win7gen2.efi") : NULL;
	char *agent = win7gen2 ? path_join(win7gen2, "win7gen2pe.exe") : NULL;
	char *winpeshl = path_join(b->tempdir, "winpeshl.ini");
	int rc = -1;

	if (!drivers || !answer || !payload || !agent || !winpeshl) {
		text_append(&b->err, "out of memory");
		goto out;
	}
	/* Name the folder that could not be made, not the last one. */
	for (const char *const *dir = (const char *const[]){ stage, win7gen2, drivers, NULL };
	     *dir; dir++) {
		if (mkdir(*dir, *dir == stage ? 0700 : 0755) < 0) {
			text_appendf(&b->err, "cannot make %s: %s", *dir, strerror(errno));
			goto out;
		}
	}
	if (drivers_gather(&b->media, b->edition ? b->edition : 1, drivers, &b->drivers,
			   &b->ui, &b->err) < 0)
		goto out;
	b->drivers_staged = b->drivers.package_count > 0 || b->opt.drivers;
	if (!b->drivers_staged)
		rmdir(drivers);
	if (b->ic.cab && stage_ic_package(b, win7gen2) < 0)
		goto out;
	if (write_answer_file(b, answer) < 0 || copy_file(b->payload_path, payload, &b->err) < 0 ||
	    copy_file(b->agent_path, agent, &b->err) < 0 || write_winpeshl(b, winpeshl) < 0)
		goto out;

	ui_step(&b->ui, "changing boot.wim image %d (%s)", b->media.setup_image,
		media_setup_meta(&b->media)->name ? media_setup_meta(&b->media)->name : "Setup");
	/* Through an NTFS volume, so every added file carries a security
	 * descriptor: without one, winload fails with 0xc0000001. */
	if (wimsd_add(b->media.boot, b->media.setup_image, win7gen2, STAGE_DIR_IN_WIM,
		      b->tempdir, &b->err) < 0 ||
	    wimsd_add(b->media.boot, b->media.setup_image, winpeshl, WINPESHL_IN_WIM,
		      b->tempdir, &b->err) < 0 ||
	    (b->opt.drivers && wimsd_add(b->media.boot, b->media.setup_image, b->opt.drivers,
					 USER_DRIVERS_IN_WIM, b->tempdir, &b->err) < 0))
		goto out;
	rc = wimfile_commit(b->media.boot, &b->ui, &b->err);
out:
	free(stage);
	free(win7gen2);
	free(drivers);
	free(answer);
	free(payload);
	free(agent);
	free(winpeshl);
	return rc;
}

/* ---- EFI boot image and the ISO ------------------------------------ */

static int write_config(struct build *b, const char *path)
{
	struct text text = TEXT_INIT;
	int rc;

	text_appendf(&text,
		     "# win7gen2.cfg - written by win7gen2 build %s for this installer ISO\r\n"
		     "menu = on\r\n"
		     "menu_timeout = %u\r\n"
		     "menu_default = install\r\n",
		     WIN7GEN2_VERSION, b->opt.menu_timeout);
	if (media_loader_prompts(b->loader))
		text_append(&text, "# the CD loader asks \"Press any key to boot from CD or "
			    "DVD\"\r\nanswer_prompt = on\r\n");
	if (b->opt.wipe_unattended)
		text_append(&text, "# build --wipe-unattended: Install after the timeout wipes "
			    "disk 0\r\n" DISKPOLICY_CFG_WIPE);
	if (text_failed(&text)) {
		text_append(&b->err, "out of memory");
		text_free(&text);
		return -1;
	}
	rc = write_file(path, text.data, text.length, &b->err);
	text_free(&text);
	return rc;
}

/* The VM build's report names, and the script makes: named after the
 * new system, its ISO by OUT's file name. */
static void vm_settings(const struct build *b, struct vmscript_settings *vm)
{
	const char *base = strrchr(b->opt.output, '/');

	memset(vm, 0, sizeof(*vm));
	vm->vm_name = b->opt.unattend ? "win7" : b->opt.computer_name;
	vm->iso_name = base ? base + 1 : b->opt.output;
}

/* --vm-script FILE, written beside its name and renamed when whole. */
static int write_vm_script(struct build *b)
{
	struct vmscript_settings vm;
	struct text script = TEXT_INIT, tmp = TEXT_INIT;
	int rc = -1;

	vm_settings(b, &vm);
	text_appendf(&tmp, "%s.win7gen2-tmp", b->opt.vm_script);
	if (text_failed(&tmp)) {
		text_append(&b->err, "out of memory");
		goto out;
	}
	if (vmscript_render(&vm, VMSCRIPT_FILE, &script, &b->err) < 0)
		goto out;
	/* Our own name: a run that was killed may have left it. */
	unlink(tmp.data);
	if (write_file(tmp.data, script.data, script.length, &b->err) < 0 ||
	    sync_file(tmp.data, &b->err) < 0 ||
	    publish_file(tmp.data, b->opt.vm_script, "the VM script", b->opt.force,
			 &b->err) < 0) {
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
out:
	text_free(&script);
	text_free(&tmp);
	return rc;
}

static int write_iso(struct build *b)
{
	char *config = path_join(b->tempdir, WIN7GEN2_CONFIG_NAME);
	char *efi_image = path_join(b->tempdir, "win7gen2-efisys.bin");
	char *out_tmp = path_join(b->tempdir, "output.iso");
	struct efiimg_file files[3];
	struct rewrite_job job = { 0 };
	struct outsync sync;
	uint64_t efi_size = 0;
	int rc = -1, checked;

	if (!config || !efi_image || !out_tmp) {
		text_append(&b->err, "out of memory");
		goto out;
	}
	if (write_config(b, config) < 0)
		goto out;
	files[0].disk_path = b->payload_path;
	files[0].fat_path = EFI_BOOT_DIR "BOOTX64.EFI";
	files[1].disk_path = b->loader_copy;
	files[1].fat_path = EFI_BOOT_DIR "BOOTX64" WIN7GEN2_ORIGINAL_SUFFIX;
	files[2].disk_path = config;
	files[2].fat_path = EFI_BOOT_DIR WIN7GEN2_CONFIG_NAME;
	ui_step(&b->ui, "making the EFI boot image");
	if (efiimg_create(efi_image, files, 3, &efi_size, &b->err) < 0)
		goto out;

	memset(&job, 0, sizeof(job));
	job.in = &b->in.iso;
	job.out = out_tmp;
	job.listing = &b->media.listing;
	job.boot_wim = b->media.boot_wim;
	job.boot_wim_disk = b->media.boot_wim_copy;
	job.uefi = b->media.uefi_entry;
	job.efi_image_disk = efi_image;
	job.adds = b->adds;
	job.add_count = b->add_count;
	job.on_progress = ui_copy_progress;
	job.ctx = &b->ui;
	job.stop = stop_writing;
	job.stop_ctx = b;
	ui_step(&b->ui, "writing the new ISO: a copy of %s, the changed files appended",
		b->opt.iso);
	rc = rewrite_iso(&job, &b->err);
	ui_progress_end(&b->ui);
	/* Every package's members are proven before anything else happens
	 * to OUT; a damaged one that stopped the write gives the reason. */
	if (job.stopped && interrupt_requested()) {
		package_check_abandon(&b->package_check);
		text_append(&b->err, "interrupted");
	} else if (job.stopped) {
		package_check_finish(&b->package_check, &b->err);
	}
	if (rc < 0)
		goto out;
	if (package_check_finish(&b->package_check, &b->err) < 0) {
		rc = -1;
		goto out;
	}
	b->out_size = job.out_size;
	if (interrupt_requested()) {
		text_append(&b->err, "interrupted");
		rc = -1;
		goto out;
	}
	/* Readable by all whatever the umask, like the ISO it came from. */
	if (chmod(out_tmp, 0644) < 0) {
		text_appendf(&b->err, "cannot set the permissions of %s: %s", out_tmp,
			     strerror(errno));
		rc = -1;
		goto out;
	}
	/* OUT must be whole on the disk before its name says it is done;
	 * while the disk writes, OUT is read back by code that did not write
	 * it (the same bytes: the reader sees what fsync writes); and IN must
	 * be the file it was when the build began. */
	if (outsync_start(&sync, out_tmp, &b->err) < 0) {
		rc = -1;
		goto out;
	}
	ui_step(&b->ui, "reading the new ISO back: boot catalog, UDF, ISO 9660");
	checked = outcheck_run(&job, &b->err);
	if (checked < 0)
		text_appendf(&b->err, "; %s was not written", b->opt.output);
	if (outsync_finish(&sync, checked < 0 ? NULL : &b->err) < 0 || checked < 0) {
		rc = -1;
		goto out;
	}
	if (in_source_unchanged(&b->in, &b->err) < 0) {
		rc = -1;
		goto out;
	}
	/* A package .cab is read in place: it must be the one checked. */
	for (size_t i = 0; i < b->opt.package_count; i++)
		if (package_unchanged(&b->packages[i], &b->err) < 0) {
			text_appendf(&b->err, "; %s was not written", b->opt.output);
			rc = -1;
			goto out;
		}
	if (b->opt.vm_script && write_vm_script(b) < 0) {
		rc = -1;
		goto out;
	}
	rc = publish_file(out_tmp, b->opt.output, "the new ISO", b->opt.force, &b->err);
	/* All or nothing: no script for an ISO that is not there. */
	if (rc < 0 && b->opt.vm_script)
		unlink(b->opt.vm_script);
out:
	free(job.placed);
	free(config);
	free(efi_image);
	free(out_tmp);
	return rc;
}

/* ---- the report ------------------------------------------------------ */

static const char *vm_script_name(const char *path)
{
	const char *base = strrchr(path, '/');

	return base ? base + 1 : path;
}

static void print_disk_policy(const struct build *b)
{
	struct text policy = TEXT_INIT;

	diskpolicy_describe(b->opt.wipe_unattended, b->opt.menu_timeout, &policy);
	printf("Disks: %s.\n", text_failed(&policy) ? "(out of memory)" : text_string(&policy));
	text_free(&policy);
}

static void report_languages(struct build *b)
{
	struct text text = TEXT_INIT;

	text_append(&text, "    Languages in the answer file:\n");
	languages_report(&b->languages, &b->setup_languages, b->edition, &text);
	languages_disagree(&b->setup_languages, &b->edition_languages, b->edition,
			   b->media.lang_ini.count ? &b->media.lang_ini : NULL, &text);
	if (b->media.lang_ini_note)
		text_appendf(&text, "      not used: %s\n", b->media.lang_ini_note);
	if (!text_failed(&text))
		fputs(text_string(&text), stdout);
	text_free(&text);
}

/* What the agent installs from the DVD after Setup, in order. */
static void report_packages(const struct build *b)
{
	if (!b->package_list.count) {
		printf("Update packages: none (--package FILE adds Windows 7 SP1 x64 updates).\n");
		return;
	}
	printf("Update packages on the DVD in %s\\, installed by DISM after Setup in\n"
	       "  this order (the agent's report has each exit code):\n", WIN7GEN2_PACKAGES_DIR);
	for (unsigned i = 0; i < b->package_list.count; i++) {
		size_t index = 0;
		const struct package *pkg = package_by_name(b->packages, b->opt.package_count,
							    b->package_list.entry[i].name, &index);

		printf("  %u. %s %s %s, from %s\n", i + 1, pkg->kb,
		       pkg->servicing_stack ? "servicing stack (own DISM call)" : "update",
		       pkg->name, b->opt.packages[index]);
	}
}

static void report(struct build *b)
{
	const struct wim_image_meta *setup = media_setup_meta(&b->media);
	struct text lines = TEXT_INIT, vm_err = TEXT_INIT;
	struct vmscript_settings vm;
	printf("win7gen2: wrote %s (%" PRIu64 " MiB)\n", b->opt.output, b->out_size >> 20);
	printf("Changed:\n");
	printf("  EFI boot image   \\EFI\\BOOT\\BOOTX64.EFI is win7gen2.efi %s; it starts %s,\n"
	       "                   kept beside it as \\EFI\\BOOT\\BOOTX64%s; boot menu %u s\n",
	       b->payload_version, media_loader_describe(b->loader), WIN7GEN2_ORIGINAL_SUFFIX,
	       b->opt.menu_timeout);
	printf("  boot.wim image %d (%s):\n", b->media.setup_image,
	       setup && setup->name ? setup->name : "Setup");
	if (b->opt.unattend)
		printf("    %s        your answer file %s\n", ANSWER_FILE_IN_WIM, b->opt.unattend);
	else
		printf("    %s        edition %u (%s), user %s, computer %s, %s, %s,\n"
		       "        Remote Desktop on; disk 0 wiped: EFI 100 MB, MSR 128 MB, Windows\n",
		       ANSWER_FILE_IN_WIM, b->edition,
		       b->media.install.images[b->edition - 1].name ?
		       b->media.install.images[b->edition - 1].name : "",
		       b->opt.user, b->opt.computer_name, b->languages.locale, b->opt.timezone);
	if (!b->opt.unattend)
		report_languages(b);
	printf("    %s  %s WinPE start the agent\n", WINPESHL_IN_WIM,
	       b->replaced_winpeshl ? "replaced: makes" : "added: makes");
	printf("    %s         the agent: runs Setup with the answer file, then fixes\n"
	       "        the new system for Gen2 (the payload in front of its boot manager,\n"
	       "        registry), or repairs installed systems in Rescue mode\n", AGENT_IN_WIM);
	printf("    \\win7gen2\\win7gen2.efi           for the installed system\n");
	if (b->drivers.from_install)
		for (size_t i = 0; i < b->drivers.package_count; i++)
			printf("    %s\\%s  from install.wim\n", DRIVERS_IN_WIM, b->drivers.packages[i]);
	if (b->opt.drivers)
		printf("    %s  your packages (%u INF files) from %s\n", USER_DRIVERS_IN_WIM,
		       b->drivers.user_inf_count, b->opt.drivers);
	if (!b->drivers_staged)
		printf("    (VMBus and storvsc drivers: already in the Setup image)\n");
	if (b->ic.cab)
		printf("    %s  Integration Services %s, from %s (%s%s%s)\n",
		       WIN7GEN2_IC_PACKAGE_STAGED_PATH, b->ic.version,
		       b->opt.integration_services,
		       icpkg_form_name(b->ic.form), b->ic.inside ? ": " : "",
		       b->ic.inside ? b->ic.inside : "");
	printf("Kept: every other file where it was, the BIOS boot entry, volume label \"%s\"%s%s.\n",
	       b->media.listing.volume_id, b->media.listing.has_udf ? ", UDF" : "",
	       b->media.listing.has_joliet ? ", Joliet" : "");
	if (b->media.listing.has_udf && b->media.listing.source == ISO_FROM_UDF)
		printf("Added: an ISO 9660 tree naming every file (full names), beside UDF.\n");
	if (b->ic.cab)
		printf("Integration Services of the new system: %s, installed by DISM after Setup\n"
		       "  (its exit code is in the agent's report): %s.\n", b->ic.version,
		       icpkg_effect(true));
	else
		printf("Integration Services of the new system: in-box %s, so\n  %s;\n"
		       "  --integration-services FILE gives %s.\n", ICPKG_INBOX_VERSION,
		       icpkg_effect(false), icpkg_effect(true));
	report_packages(b);
	print_disk_policy(b);
	if (b->generated_password[0])
		printf("\nPassword for %s (generated, shown only now): %s\n", b->opt.user,
		       b->generated_password);
	vm_settings(b, &vm);
	/* One template gives these lines and the --vm-script file. */
	if (vmscript_render(&vm, VMSCRIPT_LINES, &lines, &vm_err) == 0)
		printf("\nOn the Hyper-V host (PowerShell as administrator; copy %s to "
		       VMSCRIPT_ISO_DIR " first):\n%s", vm.iso_name, text_string(&lines));
	else
		printf("\nNo Hyper-V commands: %s.\n", text_string(&vm_err));
	if (b->opt.vm_script)
		printf("The same as a script that also shows COM1: %s; on the host\n"
		       "  powershell -ExecutionPolicy Bypass -File .\\%s\n", b->opt.vm_script,
		       vm_script_name(b->opt.vm_script));
	text_free(&lines);
	text_free(&vm_err);
}

/* ---- the whole job --------------------------------------------------- */

static int run_build(struct build *b)
{
	enum media_verdict verdict;
	char *out_dir;

	if (b->opt.password_file && read_password_file(b) < 0)
		return -1;
	if (check_payload(b) < 0 || check_agent(b) < 0 || check_paths(b) < 0 ||
	    in_source_open(&b->in, b->opt.iso, &b->err) < 0)
		return -1;
	if (b->opt.unattend && unattend_check_file(b->opt.unattend, &b->err) < 0)
		return -1;
	if (drivers_scan_user(b->opt.drivers, &b->drivers, &b->err) < 0)
		return -1;
	verdict = media_open_iso(&b->media, &b->in.iso, &b->ui, &b->err);
	b->media_open = true;
	if (verdict != MEDIA_OK || check_space(b) < 0)
		return -1;

	out_dir = parent_dir(b->opt.output);
	if (!out_dir || tempdir_create(out_dir, &b->tempdir, &b->err) < 0) {
		free(out_dir);
		return -1;
	}
	free(out_dir);
	ui_detail(&b->ui, "temporary folder %s", b->tempdir);
	/* Before the long steps: a package that will not do stops here. */
	if (b->opt.integration_services) {
		ui_step(&b->ui, "checking the Integration Services package %s",
			b->opt.integration_services);
		if (icpkg_open(b->opt.integration_services, b->tempdir, &b->ic, &b->err) < 0)
			return -1;
	}
	if (open_packages(b) < 0)
		return -1;
	verdict = media_read(&b->media, b->tempdir, &b->ui, &b->err);
	if (verdict != MEDIA_OK)
		return -1;
	if (b->media.efi_loader_is_payload) {
		text_appendf(&b->err, "%s was made by win7gen2 %s already; build from the original "
			     "Windows 7 ISO", b->opt.iso, b->media.payload_version);
		return -1;
	}
	if (choose_edition(b) < 0 || (!b->opt.unattend && choose_languages(b) < 0) ||
	    take_loader(b) < 0)
		return -1;
	ui_detail(&b->ui, "loader to chain: %s", media_loader_describe(b->loader));
	if (change_boot_wim(b) < 0 || write_iso(b) < 0)
		return -1;
	return 0;
}

int cmd_build(int argc, char **argv)
{
	struct build b;
	int status;

	memset(&b, 0, sizeof(b));
	b.in.iso.fd = -1;
	if (parse_options(argc, argv, &b.opt) < 0)
		return EXIT_USAGE;
	ui_init(&b.ui, b.opt.level);
	interrupt_catch();
	if (wimfile_init(&b.err) < 0) {
		ui_error(&b.ui, "build", "%s", text_string(&b.err));
		text_free(&b.err);
		return 1;
	}
	status = run_build(&b) == 0 ? 0 : 1;
	if (status == 0)
		report(&b);
	else
		ui_error(&b.ui, "build", "%s",
			 text_failed(&b.err) ? "out of memory" : text_string(&b.err));
	if (b.media_open)
		media_close(&b.media);
	/* The thread reads the packages and the CABs staged in tempdir. */
	package_check_abandon(&b.package_check);
	in_source_close(&b.in);
	tempdir_remove(b.tempdir);
	free(b.tempdir);
	free(b.payload_path);
	free(b.agent_path);
	free(b.loader_copy);
	password_free(b.file_password);
	drivers_plan_free(&b.drivers);
	icpkg_free(&b.ic);
	free_packages(&b);
	text_free(&b.err);
	wimlib_global_cleanup();
	return status;
}
