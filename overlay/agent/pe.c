/*
 * pe.c - win7gen2pe.exe in Windows PE: install, rescue, continue
 *
 * winpeshl.ini starts the agent as Windows PE's only program; when it
 * exits, Windows PE restarts the machine.  The run:
 *
 *   1. what to do: --mode, else the boot menu's choice (firmware.h,
 *      decide_mode);
 *   2. wpeinit (Windows PE's own start-up: Plug and Play, network),
 *      which winpeshl.ini does not run for a custom program;
 *   3. the VMBus/SCSI drivers when Windows PE lacks them (drivers.h);
 *   4. the mode:
 *      install   what every disk holds; unless disk 0 (the answer file's)
 *                is blank or a person confirmed the install, no Setup:
 *                the report says why and what to do, and the VM stops
 *                (decide_wipe).  Then Setup with our answer file and
 *                /noreboot; then the
 *                newest Windows 7 on the disks gets the user's Integration
 *                Services package (icdism.h, when the builder staged one)
 *                and the DVD's update packages (updates.h, when the DVD
 *                has a list), and it and the ESP on its disk go through
 *                the fix engine;
 *      rescue    every Windows 7 x64 on the disks, each with its ESP (and
 *                the packages first, as in install: the ones staged on
 *                its own volume);
 *      continue  Setup as on the original media, waited for (if the
 *                agent exited, Windows PE would restart under it);
 *   5. restart when everything is right, else shut down (decide_power).
 *
 * Every decision is a function of decide.h; this file gathers the facts
 * and carries the decisions out.
 *
 * SPDX-License-Identifier: MIT
 */
#include "pe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmdline.h"
#include "convertdisk.h"
#include "convertrun.h"
#include "decide.h"
#include "disk.h"
#include "disklayout.h"
#include "drivers.h"
#include "firmware.h"
#include "fixrun.h"
#include "icdism.h"
#include "icpackage.h"
#include "installs.h"
#include "packages.h"
#include "power.h"
#include "process.h"
#include "report_text.h"
#include "setuplogs.h"
#include "updates.h"
#include "win32util.h"

#define WPEINIT_TIMEOUT_MS (10u * 60 * 1000)
#define VOLUMES_SETTLE_SECONDS 30 /* for disks that arrive after the drivers */
#define MAX_DISKS 16
#define MAX_MOUNTS 8

struct pe_run {
	const struct agent_args *args;
	struct output *out;
	char agent_dir[MAX_PATH * 3];   /* X:\win7gen2, UTF-8 */
	wchar_t agent_dir_wide[MAX_PATH];
	char system_letter;             /* Windows PE's drive, X */
	uint8_t *payload;
	size_t payload_size;
	char payload_path[MAX_PATH * 3 + 32];
	char mounted[MAX_MOUNTS];       /* letters the agent gave ESPs */
	size_t mount_count;
	enum agent_mode mode;
	bool confirmed;                 /* install-confirmed: disk 0 may be wiped */
	bool drivers_running;           /* VMBus and SCSI drivers run: disks can arrive */
	bool wipe_refused;              /* install stopped before Setup */
	unsigned ic_failed;             /* installations DISM failed on */
	unsigned updates_failed;        /* installations an update package failed on */
	uint32_t convert_signature;     /* convert:SSSSSSSS: the disk's MBR signature */
};

bool running_in_windows_pe(void)
{
	HKEY key;

	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\MiniNT", 0,
			  KEY_QUERY_VALUE, &key) != ERROR_SUCCESS)
		return false;
	RegCloseKey(key);
	return true;
}

static bool find_places(struct pe_run *run)
{
	wchar_t windows[MAX_PATH];
	DWORD n = GetModuleFileNameW(NULL, run->agent_dir_wide, MAX_PATH);
	wchar_t *slash;

	if (n == 0 || n >= MAX_PATH)
		return false;
	slash = wcsrchr(run->agent_dir_wide, L'\\');
	if (!slash)
		return false;
	*slash = L'\0';
	utf8_from_wide_buf(run->agent_dir_wide, run->agent_dir, sizeof(run->agent_dir));
	n = GetWindowsDirectoryW(windows, MAX_PATH);
	if (n == 0 || n >= MAX_PATH || windows[1] != L':')
		return false;
	run->system_letter = (char)(windows[0] & ~0x20);
	return true;
}

static enum mode_decision choose_mode(struct pe_run *run, enum agent_mode *mode,
				      bool *confirmed)
{
	uint8_t value[MODE_VALUE_MAX];
	size_t length = 0;
	DWORD error = ERROR_SUCCESS;
	enum mode_variable_read read;
	enum mode_decision decision;
	char why[300], reason[200];

	if (run->args->mode_given) {
		*mode = run->args->mode;
		*confirmed = run->args->confirmed;
		run->convert_signature = run->args->convert_signature;
		output_line(run->out, "Mode: %s (given with --mode)",
			    agent_mode_choice_name(*mode, *confirmed));
		return MODE_DECIDED;
	}
	read = firmware_read_mode(value, &length, &error);
	decision = decide_mode(read, value, length, mode, confirmed, why, sizeof(why));
	if (decision == MODE_DECIDED && *mode == AGENT_MODE_CONVERT &&
	    !mode_convert_signature(value, length, &run->convert_signature))
		decision = MODE_REFUSED; /* decide_mode gives convert only for a good value */
	if (read == MODE_VARIABLE_UNREADABLE) {
		win32_error_text(error, reason, sizeof(reason));
		output_line(run->out, "Mode: %s (%s)", why, reason);
	} else {
		output_line(run->out, "Mode: %s", decision == MODE_DECIDED ?
			    agent_mode_choice_name(*mode, *confirmed) : "none");
		output_line(run->out, "  %s", why);
	}
	return decision;
}

static void run_wpeinit(struct pe_run *run)
{
	char program[MAX_PATH * 3], shown[400];
	struct text line = TEXT_INIT;
	struct process_result result;

	if (!process_system_program(L"wpeinit.exe", program, sizeof(program))) {
		output_line(run->out, "wpeinit: not in this Windows PE; skipped");
		return;
	}
	cmdline_append(&line, program);
	if (line.failed) {
		text_free(&line);
		return;
	}
	process_run(program, text_string(&line), WPEINIT_TIMEOUT_MS, &result);
	text_free(&line);
	process_describe(&result, shown, sizeof(shown));
	output_line(run->out, "wpeinit: %s", shown);
}

/* The builder stages the packages in drivers\ beside the agent. */
static void load_drivers(struct pe_run *run)
{
	wchar_t staged[MAX_PATH];

	if (wcslen(run->agent_dir_wide) + sizeof("\\drivers") > MAX_PATH) {
		output_line(run->out, "Drivers: the agent's folder name is too long");
		return;
	}
	swprintf(staged, MAX_PATH, L"%ls\\drivers", run->agent_dir_wide);
	run->drivers_running = drivers_ensure(staged, run->out);
}

static bool load_payload(struct pe_run *run)
{
	char why[400];

	snprintf(run->payload_path, sizeof(run->payload_path), "%s\\win7gen2.efi", run->agent_dir);
	if (!fixrun_read_payload(run->payload_path, &run->payload, &run->payload_size, why,
				 sizeof(why))) {
		output_line(run->out, "win7gen2pe: the payload is missing: %s", why);
		return false;
	}
	return true;
}

/* An ESP's root as a drive ("S:\"), mounting it when it has no letter. */
static bool esp_root_of(struct pe_run *run, unsigned disk, unsigned partition, char root[8])
{
	wchar_t volume[VOLUME_NAME_MAX];
	char reason[200], letter;
	DWORD error;

	if (!volume_of_partition(disk, partition, volume, &error)) {
		win32_error_text(error, reason, sizeof(reason));
		output_line(run->out, "  the ESP (disk %u partition %u) has no volume Windows can "
			    "open: %s", disk, partition, reason);
		return false;
	}
	letter = volume_letter(volume);
	if (!letter) {
		letter = volume_mount_free_letter(volume, &error);
		if (!letter) {
			win32_error_text(error, reason, sizeof(reason));
			output_line(run->out, "  the ESP (disk %u partition %u) cannot be given a "
				    "drive letter: %s", disk, partition, reason);
			return false;
		}
		if (run->mount_count < MAX_MOUNTS)
			run->mounted[run->mount_count++] = letter;
		output_line(run->out, "  the ESP (disk %u partition %u) mounted at %c:", disk,
			    partition, letter);
	}
	snprintf(root, 8, "%c:\\", letter);
	return true;
}

/* The ESP on a disk: its partition number and root. */
static bool find_esp(struct pe_run *run, unsigned disk, unsigned *partition, char root[8],
		     bool quiet)
{
	struct partition_fact partitions[DISK_MAX_PARTITIONS];
	size_t count = 0;
	char reason[200];
	DWORD error;
	int chosen;

	if (!disk_partitions(disk, partitions, DISK_MAX_PARTITIONS, &count, &error)) {
		if (!quiet) {
			win32_error_text(error, reason, sizeof(reason));
			output_line(run->out, "  disk %u: its partitions cannot be read: %s", disk,
				    reason);
		}
		return false;
	}
	chosen = choose_esp(partitions, count);
	if (chosen < 0) {
		if (!quiet)
			output_line(run->out, "  disk %u has no EFI system partition", disk);
		return false;
	}
	*partition = partitions[chosen].number;
	return esp_root_of(run, disk, *partition, root);
}

/*
 * One installation: the Integration Services package (when there is
 * one), the update packages (when there are), then the fix.  The ESP is
 * looked for first, as DISM's logs go there; the packages do not depend
 * on it, and a failed package does not keep the fix from running
 * (icdism.h, updates.h).  The Integration Services package goes first:
 * it gives Gen2 its keyboard, and is not to wait on updates that may
 * fail.
 */
static bool fix_installation(struct pe_run *run, const struct installation *install)
{
	struct fixrun_request request = { 0 };
	struct fixrun_outcome outcome;
	struct ic_target package = { 0 };
	struct update_target updates = { 0 };
	struct update_outcome updated;
	char windows_root[8], esp_root[8];
	unsigned esp_partition = 0;
	bool have_esp = false;

	output_blank(run->out);
	output_line(run->out, "== Windows on %c: (%s)", install->facts.letter, install->where);
	if (!install->located)
		output_line(run->out, "  its disk is unknown, so is its ESP");
	else
		have_esp = find_esp(run, install->disk, &esp_partition, esp_root, false);

	package.letter = install->facts.letter;
	package.esp_root = have_esp ? esp_root : NULL;
	package.agent_dir = run->agent_dir;
	package.install = run->mode == AGENT_MODE_INSTALL;
	if (ic_install(&package, run->out) == IC_FAILED)
		run->ic_failed++;

	updates.letter = install->facts.letter;
	updates.esp_root = package.esp_root;
	updates.install = package.install;
	updates.system_letter = run->system_letter;
	updates_install(&updates, run->out, &updated);
	if (updated.failed)
		run->updates_failed++;

	if (!have_esp) {
		output_line(run->out, "  without its ESP, Windows on %c: is not made ready for Gen2",
			    install->facts.letter);
		return false;
	}
	snprintf(windows_root, sizeof(windows_root), "%c:\\", install->facts.letter);
	request.windows_root = windows_root;
	request.esp_root = esp_root;
	request.payload = run->payload;
	request.payload_size = run->payload_size;
	request.payload_name = run->payload_path;
	request.verbosity = run->args->verbosity;
	request.layout.known = true;
	request.layout.esp_partition = esp_partition;
	request.layout.windows_partition = install->partition;
	snprintf(request.layout.how, sizeof(request.layout.how), "found by win7gen2pe on disk %u",
		 install->disk);
	request.where = "Windows PE";
	request.write_status = true;
	request.esp_by_type = true;
	request.firmware_is_the_vms = true;
	request.packages_line = updated.listed ? updated.status_line : NULL;
	fixrun(&request, run->out, &outcome);
	return outcome.succeeded;
}

/* The installations; when the drivers were just loaded, disks may still
 * be arriving, so an empty scan is repeated for a while. */
static size_t scan(struct pe_run *run, struct installation *installs)
{
	size_t count;

	output_blank(run->out);
	output_line(run->out, "Windows installations:");
	for (unsigned second = 0;; second++) {
		count = installs_scan(installs, MAX_INSTALLS, run->system_letter, run->out);
		if (count || second >= VOLUMES_SETTLE_SECONDS)
			break;
		Sleep(1000);
	}
	if (!count)
		output_line(run->out, "  none on any disk");
	return count;
}

/* How an install that made no Windows ends, for report_no_install. */
enum install_stop {
	STOP_SETUP_FAILED,   /* Setup ran, or was to run, and failed */
	STOP_WIPE_REFUSED,   /* Setup was not started: its disk holds data */
};

/*
 * No Windows was installed: the story (with Setup's logs when Setup ran)
 * to COM1 and to any ESP there is, as status.txt for the payload's next
 * boot and in log.txt; without an ESP, log.txt goes to Windows PE's own
 * drive, where a command prompt can read it until the VM stops.
 */
static void report_no_install(struct pe_run *run, const char *what, enum install_stop stop)
{
	char esp_root[8], head[300], timestamp[64], log_root[8];
	const char *lines[3];
	size_t line_count = 0;
	struct text record = TEXT_INIT, story = TEXT_INIT;
	unsigned partition;
	bool have_esp = false;

	output_line(run->out, "win7gen2pe: %s", what);
	text_append(&story, text_string(&run->out->copy));
	for (unsigned disk = 0; disk < MAX_DISKS && !have_esp; disk++)
		have_esp = find_esp(run, disk, &partition, esp_root, true);
	if (!have_esp)
		output_line(run->out, "No EFI system partition on any disk: the report goes to "
			    "COM1, the screen and %c:" WIN7GEN2_LOG_PATH " in Windows PE.",
			    run->system_letter);
	if (stop == STOP_SETUP_FAILED)
		setup_logs_report(have_esp ? esp_root : NULL, run->system_letter, run->out);
	win32_timestamp(timestamp, sizeof(timestamp));
	log_record_text(&record, timestamp, WIN7GEN2_VERSION, "Windows PE", text_string(&story),
			stop == STOP_SETUP_FAILED ?
			"failed; Windows Setup did not install Windows" :
			"stopped; Windows Setup was not started, nothing was wiped");
	if (!have_esp) {
		snprintf(log_root, sizeof(log_root), "%c:\\", run->system_letter);
		if (!record.failed)
			fixrun_append_esp_log(log_root, text_string(&record), run->out);
		text_free(&record);
		text_free(&story);
		return;
	}
	snprintf(head, sizeof(head), "win7gen2pe %s: %s", WIN7GEN2_VERSION, what);
	lines[line_count++] = head;
	if (stop == STOP_SETUP_FAILED)
		lines[line_count++] = "Windows Setup's logs: " WIN7GEN2_SETUP_LOGS_DIR "\\ on this "
				      "partition";
	else
		lines[line_count++] = "to install over disk 0: pick Install on the menu "
				      "yourself; to repair a Windows 7 there: choose Rescue";
	lines[line_count++] = "the agent's report: " WIN7GEN2_LOG_PATH " on this partition, "
			      "and COM1";
	fixrun_write_esp_report(esp_root, false, lines, line_count, record.failed ? NULL :
				text_string(&record), run->out);
	text_free(&record);
	text_free(&story);
}

static void report_setup_failure(struct pe_run *run, const char *what)
{
	report_no_install(run, what, STOP_SETUP_FAILED);
}

/* Disk 0 may be missing for a moment after the SCSI driver was loaded. */
static void read_disk_facts(struct pe_run *run, unsigned number, struct disk_facts *facts)
{
	disk_facts_read(number, facts);
	for (unsigned second = 0; facts->state == DISK_ABSENT && run->drivers_running &&
	     number == SETUP_TARGET_DISK && second < VOLUMES_SETTLE_SECONDS; second++) {
		Sleep(1000);
		disk_facts_read(number, facts);
	}
}

/*
 * Before Setup wipes the answer file's disk: what every disk holds, and
 * whether that one may be wiped (decide_wipe).  False: Setup must not
 * run; the report says why and what to do.
 */
static bool may_wipe(struct pe_run *run)
{
	struct disk_facts disks[MAX_DISKS];
	char shown[400], why[400];
	size_t count = 0;

	output_blank(run->out);
	output_line(run->out, "Disks (Setup installs to disk %u: the answer file names DiskID %u):",
		    SETUP_TARGET_DISK, SETUP_TARGET_DISK);
	for (unsigned number = 0; number < MAX_DISKS; number++) {
		read_disk_facts(run, number, &disks[count]);
		if (disks[count].state == DISK_ABSENT && number != SETUP_TARGET_DISK)
			continue;
		describe_disk(&disks[count], shown, sizeof(shown));
		output_line(run->out, "  %s%s", shown,
			    number == SETUP_TARGET_DISK ? "   <- Setup's disk" : "");
		count++;
	}
	if (decide_wipe(disks, count, SETUP_TARGET_DISK, run->confirmed, why, sizeof(why))) {
		output_line(run->out, "%s", why);
		return true;
	}
	run->wipe_refused = true;
	output_line(run->out, "%s.", why);
	output_line(run->out, "Windows Setup is not started: nothing is wiped and no Windows is "
		    "changed.");
	output_line(run->out, "To install Windows 7 over disk %u, wiping it: start the VM again and "
		    "pick Install on the win7gen2 menu yourself (Install by the menu's timeout "
		    "does not confirm; an ISO built with --wipe-unattended does).",
		    SETUP_TARGET_DISK);
	output_line(run->out, "To make a Windows 7 on these disks boot on Gen2 instead: start "
		    "the VM again and choose Rescue.");
	output_line(run->out, "Or give the VM a new, blank disk %u.", SETUP_TARGET_DISK);
	report_no_install(run, "Windows Setup not started: its disk is not blank and the "
			  "install was not confirmed", STOP_WIPE_REFUSED);
	return false;
}

static bool install(struct pe_run *run)
{
	struct installation installs[MAX_INSTALLS];
	struct install_candidate facts[MAX_INSTALLS];
	struct process_result result;
	struct text line = TEXT_INIT, argument = TEXT_INIT;
	char setup[32], answer[MAX_PATH * 3 + 32], shown[400], what[500];
	wchar_t *wide_answer;
	DWORD attributes;
	size_t count;
	int newest;

	snprintf(setup, sizeof(setup), "%c:\\sources\\setup.exe", run->system_letter);
	snprintf(answer, sizeof(answer), "%s\\autounattend.xml", run->agent_dir);
	wide_answer = wide_from_utf8(answer);
	attributes = wide_answer ? GetFileAttributesW(wide_answer) : INVALID_FILE_ATTRIBUTES;
	free(wide_answer);
	if (attributes == INVALID_FILE_ATTRIBUTES) {
		report_setup_failure(run, "the answer file is missing, so Setup was not started");
		return false;
	}
	if (!may_wipe(run))
		return false;
	cmdline_append(&line, setup);
	text_appendf(&argument, "/unattend:%s", answer);
	cmdline_append(&line, text_string(&argument));
	cmdline_append(&line, "/noreboot");
	text_free(&argument);
	if (line.failed) {
		text_free(&line);
		report_setup_failure(run, "out of memory");
		return false;
	}
	output_blank(run->out);
	output_line(run->out, "Windows Setup: %s", text_string(&line));
	process_run(setup, text_string(&line), PROCESS_NO_TIMEOUT, &result);
	text_free(&line);
	process_describe(&result, shown, sizeof(shown));
	output_line(run->out, "Windows Setup ended: %s", shown);

	count = result.started && result.exit_code == 0 ? scan(run, installs) : 0;
	for (size_t i = 0; i < count; i++)
		facts[i] = installs[i].facts;
	newest = newest_install(facts, count);
	switch (decide_setup(result.started, result.exit_code, newest >= 0)) {
	case SETUP_FAILED:
		snprintf(what, sizeof(what), "Windows Setup failed (%s)", shown);
		report_setup_failure(run, what);
		return false;
	case SETUP_NO_INSTALLATION:
		report_setup_failure(run, "Windows Setup reported success, but no Windows 7 x64 "
				     "is on the disks");
		return false;
	case SETUP_INSTALLED:
		break;
	}
	output_line(run->out, "The new installation: %c:", installs[newest].facts.letter);
	return fix_installation(run, &installs[newest]);
}

static bool rescue(struct pe_run *run)
{
	struct installation installs[MAX_INSTALLS];
	size_t count = scan(run, installs);
	unsigned fixed = 0, tried = 0;

	for (size_t i = 0; i < count; i++) {
		if (classify_install(&installs[i].facts) != INSTALL_WINDOWS7_X64)
			continue;
		tried++;
		fixed += fix_installation(run, &installs[i]);
	}
	output_blank(run->out);
	if (tried == 0) {
		output_line(run->out, "Rescue: no Windows 7 x64 installation found; nothing fixed");
		return false;
	}
	output_line(run->out, "Rescue: %u of %u Windows 7 installations made ready for Gen2",
		    fixed, tried);
	return fixed == tried;
}

/* continue: Setup as on the original media; its end is the agent's. */
static int plain_setup(struct pe_run *run)
{
	struct process_result result;
	struct text line = TEXT_INIT;
	char setup[32], shown[400];

	snprintf(setup, sizeof(setup), "%c:\\sources\\setup.exe", run->system_letter);
	cmdline_append(&line, setup);
	if (line.failed) {
		text_free(&line);
		return AGENT_EXIT_FAILED;
	}
	output_line(run->out, "Windows Setup, as on the original media: %s", setup);
	process_run(setup, text_string(&line), PROCESS_NO_TIMEOUT, &result);
	text_free(&line);
	process_describe(&result, shown, sizeof(shown));
	output_line(run->out, "Windows Setup ended: %s", shown);
	return result.started && result.exit_code == 0 ? AGENT_EXIT_OK : AGENT_EXIT_FAILED;
}

/*
 * Mode convert: the disk the menu named by its MBR signature, through
 * the same checks and run as win7gen2pe --convert on a Hyper-V host.
 * Windows PE's own volumes are on other disks; the Gen1 disk's volumes
 * get letters from Windows PE's mount manager as any attached disk's do.
 */
static bool convert_in_pe(struct pe_run *run)
{
	wchar_t path[CONVERT_DISK_PATH_MAX];
	char name[CONVERT_DISK_PATH_MAX * 3], reason[200];
	DWORD error = ERROR_SUCCESS;

	output_blank(run->out);
	output_line(run->out, "Converting the Generation 1 disk whose MBR disk signature is %08x",
		    (unsigned)run->convert_signature);
	if (!convert_disk_find_signature(run->convert_signature, path, &error)) {
		win32_error_text(error, reason, sizeof(reason));
		output_line(run->out, "win7gen2pe: %s disk has MBR disk signature %08x (%s): "
			    "nothing was changed; attach the disk the menu named, or pick it "
			    "again on the menu", error == ERROR_DUP_NAME ? "more than one" : "no",
			    (unsigned)run->convert_signature, reason);
		return false;
	}
	utf8_from_wide_buf(path, name, sizeof(name));
	/* in_windows_pe: bcdboot writes the store of the VM it runs in. */
	return convert_run(path, name, false, false, true, run->out) == 0;
}

/* The end: restart, shut down, or (--no-reboot) say which it would be. */
static void finish(const struct agent_args *args, enum agent_mode mode, bool all_right,
		   struct output *out)
{
	enum power_action wanted = decide_power(mode, all_right, false);

	if (args->no_power && wanted != POWER_NONE) {
		output_line(out, "win7gen2pe: --no-reboot: the VM is left running (without it: %s)",
			    power_action_name(wanted));
		return;
	}
	power_finish(decide_power(mode, all_right, args->no_power), out);
}

int pe_main(const struct agent_args *args, struct output *out)
{
	struct pe_run run = { .args = args, .out = out };
	enum agent_mode mode = AGENT_MODE_INSTALL;
	bool all_right = false, confirmed = false;
	int status;

	output_line(out, "win7gen2pe %s: making Windows 7 run on Hyper-V Generation 2",
		    WIN7GEN2_VERSION);
	if (!find_places(&run)) {
		output_line(out, "win7gen2pe: cannot tell where this program or Windows PE is");
		finish(args, AGENT_MODE_INSTALL, false, out);
		return AGENT_EXIT_FAILED;
	}
	if (choose_mode(&run, &mode, &confirmed) == MODE_REFUSED) {
		finish(args, AGENT_MODE_INSTALL, false, out);
		return AGENT_EXIT_FAILED;
	}
	run.mode = mode;
	run.confirmed = confirmed;
	run_wpeinit(&run);
	load_drivers(&run);

	switch (mode) {
	case AGENT_MODE_CONTINUE:
		status = plain_setup(&run);
		finish(args, mode, status == AGENT_EXIT_OK, out);
		return status;
	case AGENT_MODE_INSTALL:
		all_right = load_payload(&run) && install(&run);
		break;
	case AGENT_MODE_RESCUE:
		all_right = load_payload(&run) && rescue(&run);
		break;
	case AGENT_MODE_CONVERT:
		all_right = convert_in_pe(&run);
		break;
	}
	for (size_t i = 0; i < run.mount_count; i++)
		volume_unmount(run.mounted[i]);
	free(run.payload);
	output_blank(out);
	/* The power decision is the fix's (ic_run_end_text says why). */
	if (run.wipe_refused)
		output_line(out, "win7gen2pe: install stopped before Setup; nothing was wiped");
	else if (mode == AGENT_MODE_CONVERT)
		output_line(out, "win7gen2pe: convert %s", all_right ?
			    "done: attach the disk to a Generation 2 VM and start it" :
			    "stopped: see above");
	else
		output_line(out, "win7gen2pe: %s %s", agent_mode_name(mode),
			    packages_run_end_text(all_right, run.ic_failed > 0,
						  run.updates_failed > 0));
	finish(args, mode, all_right, out);
	return all_right && !run.ic_failed && !run.updates_failed ? AGENT_EXIT_OK :
		AGENT_EXIT_FAILED;
}
