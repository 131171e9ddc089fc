/*
 * test-fix-engine.c - the fix engine on synthetic disks, through hivex
 *
 * Each test builds a Windows volume (a SYSTEM hive made with hivex, the
 * driver files) and an ESP (stand-ins for the Microsoft boot manager) in
 * a fresh directory, runs the engine with the Linux backend, and checks
 * what a user relies on: exact values afterwards in every control set,
 * the backup, a second run doing nothing, a dry run writing nothing, a
 * broken hive left alone, an update's boot manager re-wrapped, the
 * case-insensitive ESP, and the boot disk wait (PollBootPartitionTimeout)
 * with its default and a chosen time.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootopt.h"
#include "fix.h"
#include "posix/posix.h"
#include "fixture.h"
#include "status.h"
#include "tap.h"

#define HIVE_FILE "win/Windows/System32/config/SYSTEM"
#define BACKUP_FILE "win/Windows/System32/config/SYSTEM.win7gen2-backup"
#define BOOTMGFW "esp/EFI/Microsoft/Boot/bootmgfw.efi"
#define BOOTMGFW_ORIGINAL "esp/EFI/Microsoft/Boot/bootmgfw.original.efi"
#define BOOTMGFW_OLD "esp/EFI/Microsoft/Boot/bootmgfw.original.old.efi"
#define BOOTX64 "esp/EFI/Boot/bootx64.efi"
#define BOOTX64_ORIGINAL "esp/EFI/Boot/bootx64.original.efi"
#define OWN_COPY "esp/EFI/win7gen2/win7gen2.efi"
#define LOG_FILE "esp/EFI/win7gen2/log.txt"
#define STATUS_FILE "esp/EFI/win7gen2/status.txt"

static const char *const control_sets[] = { "ControlSet001", "ControlSet002" };

struct world {
	struct tree tree;
	uint8_t payload[FAKE_EFI_MAX];
	size_t payload_size;
	uint8_t loader[FAKE_EFI_MAX]; /* the Microsoft boot manager */
	size_t loader_size;
	char hive[PATH_MAX];
	uint32_t boot_wait_ms; /* fix_options.boot_wait_ms; 0: the default */
};

struct run {
	enum fix_status status;
	struct fix_error err;
	struct fix_summary summary;
	bool succeeded;
	struct text report; /* plan, then outcome, verbose */
};

/* A Windows 7 SYSTEM hive as a disk moved from elsewhere has it: the
 * drivers installed but demand-start, one group missing, the boot
 * devices of a BIOS install. */
static void add_wrong_control_set(hive_h *h, const char *set)
{
	char key[128];

	snprintf(key, sizeof(key), "%s\\Services\\vmbus", set);
	hive_set_dword(h, key, "Type", 1);
	hive_set_dword(h, key, "Start", 3);
	hive_set_dword(h, key, "ErrorControl", 3);
	hive_set_string(h, key, "ImagePath", "system32\\DRIVERS\\vmbus.sys", hive_t_REG_EXPAND_SZ);
	snprintf(key, sizeof(key), "%s\\Services\\storvsc", set);
	hive_set_dword(h, key, "Type", 1);
	hive_set_dword(h, key, "Start", 3);
	hive_set_string(h, key, "Group", "SCSI Miniport", hive_t_REG_SZ);
	hive_set_string(h, key, "ImagePath", "\\SystemRoot\\System32\\drivers\\storvsc.sys",
			hive_t_REG_EXPAND_SZ);
	snprintf(key, sizeof(key), "%s\\Services\\Ntfs", set);
	hive_set_dword(h, key, "Type", 2);
	hive_set_dword(h, key, "Start", 3);
	hive_set_string(h, key, "Group", "Boot File System", hive_t_REG_SZ);
	snprintf(key, sizeof(key), "%s\\Services\\Tcpip", set);
	hive_set_dword(h, key, "Start", 1);
	snprintf(key, sizeof(key), "%s\\Control", set);
	hive_set_string(h, key, "FirmwareBootDevice", "multi(0)disk(0)rdisk(0)partition(2)",
			hive_t_REG_SZ);
	hive_set_string(h, key, "SystemBootDevice", "multi(0)disk(0)rdisk(0)partition(2)",
			hive_t_REG_SZ);
}

static hive_h *wrong_system_hive(void)
{
	hive_h *h = hive_new();

	if (!h)
		return NULL;
	hive_set_dword(h, "Select", "Current", 1);
	hive_set_dword(h, "Select", "LastKnownGood", 2);
	for (size_t i = 0; i < 2; i++)
		add_wrong_control_set(h, control_sets[i]);
	return h;
}

/* hive is consumed. */
static bool world_new(struct world *w, hive_h *hive)
{
	static const char *const drivers[] = { "vmbus.sys", "storvsc.sys", "Ntfs.sys" };
	char path[PATH_MAX];
	bool ok;

	memset(w, 0, sizeof(*w));
	if (!hive || !tree_new(&w->tree)) {
		if (hive)
			hivex_close(hive);
		return false;
	}
	tree_path(&w->tree, HIVE_FILE, w->hive);
	ok = hive_save(hive, w->hive);
	for (size_t i = 0; i < 3; i++) {
		char name[128];

		snprintf(name, sizeof(name), "win/Windows/System32/drivers/%s", drivers[i]);
		ok = ok && file_write(tree_path(&w->tree, name, path), "MZ driver", 9);
	}
	w->payload_size = fake_payload(w->payload, "0.1.0", "build 1");
	w->loader_size = fake_loader(w->loader, "Windows Boot Manager, release A");
	ok = ok && file_write(tree_path(&w->tree, BOOTMGFW, path), w->loader, w->loader_size);
	ok = ok && file_write(tree_path(&w->tree, BOOTX64, path), w->loader, w->loader_size);
	return ok;
}

static const struct fix_disk_layout esp1_windows3 = {
	.known = true, .esp_partition = 1, .windows_partition = 3, .how = "given by the test",
};

/* The VM's firmware variables, for a backend that can read them (the
 * agent in Windows PE); the Linux backend cannot. */
struct nvram_var {
	const char *name;
	uint8_t data[256];
	size_t size;
};

struct nvram_fix {
	struct posix_fix posix; /* first: the Linux backend's functions get this */
	const struct nvram_var *vars;
	size_t count;
};

static enum fix_status nvram_read(void *ctx, const char *name, struct fix_bytes *out,
				  struct fix_error *err)
{
	const struct nvram_fix *nvram = ctx;

	(void)err;
	for (size_t i = 0; i < nvram->count; i++)
		if (strcmp(nvram->vars[i].name, name) == 0) {
			out->data = malloc(nvram->vars[i].size);
			if (!out->data)
				return FIX_ERROR;
			memcpy(out->data, nvram->vars[i].data, nvram->vars[i].size);
			out->size = nvram->vars[i].size;
			return FIX_OK;
		}
	return FIX_NOT_FOUND;
}

static enum fix_status run_fix_with(struct world *w, const uint8_t *payload, size_t size,
				    bool dry_run, const struct fix_disk_layout *layout,
				    struct run *run);

/* A dry run through a backend that reads the VM's variables as given. */
static enum fix_status run_fix_nvram(struct world *w, const struct nvram_var *vars,
				     size_t count, struct run *run)
{
	struct fix_options options = {
		.payload = w->payload,
		.payload_size = w->payload_size,
		.payload_name = "test payload",
		.dry_run = true,
		.tool_version = "test",
		.timestamp = "2026-01-01 00:00:00 UTC",
		.where = "test",
	};
	struct fix_backend backend = posix_fix_backend;
	struct nvram_fix ctx = { .vars = vars, .count = count };
	struct fix_plan *plan = NULL;

	memset(run, 0, sizeof(*run));
	options.layout = esp1_windows3;
	backend.read_boot_variable = nvram_read;
	run->status = posix_fix_init(&ctx.posix, w->tree.windows, w->tree.esp, &run->err);
	if (run->status == FIX_OK)
		run->status = fix_make_plan(&backend, &ctx, &options, &plan, &run->err);
	if (run->status != FIX_OK)
		return run->status;
	fix_report(plan, FIX_VERBOSE, &run->report);
	fix_summarize(plan, &run->summary);
	fix_plan_free(plan);
	return FIX_OK;
}

static enum fix_status run_fix_with(struct world *w, const uint8_t *payload, size_t size,
				    bool dry_run, const struct fix_disk_layout *layout,
				    struct run *run)
{
	struct fix_options options = {
		.payload = payload,
		.payload_size = size,
		.payload_name = "test payload",
		.dry_run = dry_run,
		.boot_wait_ms = w->boot_wait_ms,
		.tool_version = "test",
		.timestamp = "2026-01-01 00:00:00 UTC",
		.where = "test",
	};
	struct posix_fix backend;
	struct fix_plan *plan = NULL;

	memset(run, 0, sizeof(*run));
	if (layout)
		options.layout = *layout;
	run->status = posix_fix_init(&backend, w->tree.windows, w->tree.esp, &run->err);
	if (run->status != FIX_OK)
		return run->status;
	run->status = fix_make_plan(&posix_fix_backend, &backend, &options, &plan, &run->err);
	if (run->status != FIX_OK)
		return run->status;
	fix_report(plan, FIX_VERBOSE, &run->report);
	fix_execute(plan);
	fix_report(plan, FIX_VERBOSE, &run->report);
	fix_summarize(plan, &run->summary);
	run->succeeded = fix_succeeded(plan);
	fix_plan_free(plan);
	return FIX_OK;
}

static enum fix_status run_fix(struct world *w, bool dry_run, struct run *run)
{
	return run_fix_with(w, w->payload, w->payload_size, dry_run, &esp1_windows3, run);
}

static bool report_has(const struct run *run, const char *text)
{
	bool found = strstr(text_string(&run->report), text) != NULL;

	if (!found)
		tap_diag("report lacks \"%s\"", text);
	return found;
}

static void show_report_on_failure(bool passed, const struct run *run)
{
	if (passed)
		return;
	tap_diag("report:");
	for (const char *line = text_string(&run->report); *line;) {
		const char *end = strchr(line, '\n');
		int n = end ? (int)(end - line) : (int)strlen(line);

		printf("#   %.*s\n", n, line);
		line += n + (end ? 1 : 0);
	}
}

static bool dword_is(const char *hive, const char *set, const char *key, const char *name,
		     uint32_t want)
{
	char full[256];
	uint32_t got = 0xdeadbeef;

	snprintf(full, sizeof(full), "%s\\%s", set, key);
	if (hive_get_dword(hive, full, name, &got) && got == want)
		return true;
	tap_diag("%s\\%s: got %lu, want %lu", full, name, (unsigned long)got, (unsigned long)want);
	return false;
}

static bool string_is(const char *hive, const char *set, const char *key, const char *name,
		      const char *want)
{
	char full[256], got[256] = "(missing)";

	snprintf(full, sizeof(full), "%s\\%s", set, key);
	if (hive_get_string(hive, full, name, got, sizeof(got)) && strcmp(got, want) == 0)
		return true;
	tap_diag("%s\\%s: got \"%s\", want \"%s\"", full, name, got, want);
	return false;
}

static bool gen2_values_in(const char *hive, const char *set)
{
	bool ok = true;

	ok &= dword_is(hive, set, "Services\\vmbus", "Start", 0);
	ok &= string_is(hive, set, "Services\\vmbus", "Group", "System Bus Extender");
	ok &= dword_is(hive, set, "Services\\storvsc", "Start", 0);
	ok &= string_is(hive, set, "Services\\storvsc", "Group", "SCSI Miniport"); /* kept: same group */
	ok &= dword_is(hive, set, "Services\\Ntfs", "Start", 0);
	ok &= string_is(hive, set, "Services\\Ntfs", "Group", "Boot File System");
	ok &= string_is(hive, set, "Control\\CriticalDeviceDatabase\\acpi#vmbus", "Service", "vmbus");
	ok &= string_is(hive, set, "Control\\CriticalDeviceDatabase\\acpi#vmbus", "ClassGUID",
			"{4d36e97d-e325-11ce-bfc1-08002be10318}");
	ok &= string_is(hive, set,
			"Control\\CriticalDeviceDatabase\\vmbus#{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}",
			"Service", "storvsc");
	ok &= string_is(hive, set,
			"Control\\CriticalDeviceDatabase\\vmbus#{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}",
			"ClassGUID", "{4d36e97b-e325-11ce-bfc1-08002be10318}");
	ok &= string_is(hive, set, "Control", "FirmwareBootDevice",
			"multi(0)disk(0)rdisk(0)partition(1)");
	ok &= string_is(hive, set, "Control", "SystemBootDevice",
			"multi(0)disk(0)rdisk(0)partition(3)");
	ok &= dword_is(hive, set, "Control\\PnP", "PollBootPartitionTimeout", 30000);
	return ok;
}

static bool untouched_values_in(const char *hive, const char *set)
{
	bool ok = true;

	ok &= dword_is(hive, set, "Services\\vmbus", "ErrorControl", 3);
	ok &= string_is(hive, set, "Services\\vmbus", "ImagePath", "system32\\DRIVERS\\vmbus.sys");
	ok &= dword_is(hive, set, "Services\\storvsc", "Type", 1);
	ok &= dword_is(hive, set, "Services\\Tcpip", "Start", 1);
	return ok;
}

static bool is_file(struct world *w, const char *relative, const void *data, size_t size)
{
	char path[PATH_MAX];

	if (file_equals(tree_path(&w->tree, relative, path), data, size))
		return true;
	tap_diag("%s does not hold what it should", relative);
	return false;
}

static bool span_contains(const char *span, size_t length, const char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; n <= length && i <= length - n; i++)
		if (memcmp(span + i, text, n) == 0)
			return true;
	return false;
}

/* What the payload will show at the next boot, as it parses status.txt:
 * failed or not, and whether a summary line holds text. */
static bool next_boot_shows(struct world *w, bool failed, const char *text)
{
	struct status status;
	char path[PATH_MAX];
	uint8_t *data = NULL;
	size_t size = 0;
	bool found = text == NULL;

	if (!file_read(tree_path(&w->tree, STATUS_FILE, path), &data, &size)) {
		tap_diag("no %s", STATUS_FILE);
		return false;
	}
	status_parse((const char *)data, size, &status);
	for (unsigned i = 0; i < status.count && !found; i++)
		found = span_contains(status.line[i].text, status.line[i].length, text);
	if (status.failed != failed || !found)
		tap_diag("status.txt: %.*s", (int)size, (const char *)data);
	free(data);
	return status.failed == failed && found;
}

static bool config_turns_menu_off(struct world *w, const char *relative)
{
	char path[PATH_MAX];

	tree_path(&w->tree, relative, path);
	return file_contains(path, "menu = off\r\n") && file_contains(path, "answer_prompt = off");
}

/* ------------------------------------------------------------------ */

static void test_first_run(void)
{
	struct world w;
	struct run run;
	uint8_t *before = NULL;
	size_t before_size = 0;
	char path[PATH_MAX];
	bool ok;

	ok = world_new(&w, wrong_system_hive()) && file_read(w.hive, &before, &before_size);
	tap_ok(ok, "setup: a Windows 7 with wrong values in two control sets, an ESP");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded && run.summary.failed == 0 && run.summary.problems == 0,
	       "a first run succeeds: %u changes made and verified", run.summary.done);
	show_report_on_failure(run.succeeded, &run);
	tap_ok(run.summary.changes == run.summary.done && run.summary.changes > 20,
	       "every planned change was made and read back (%u of %u)", run.summary.done,
	       run.summary.changes);

	for (size_t i = 0; i < 2; i++) {
		tap_ok(gen2_values_in(w.hive, control_sets[i]),
		       "%s: vmbus, storvsc, Ntfs boot-start in their groups, CDDB entries, "
		       "boot devices of the disk, a 30 s boot disk wait", control_sets[i]);
		tap_ok(untouched_values_in(w.hive, control_sets[i]),
		       "%s: values win7gen2 does not own are as they were", control_sets[i]);
	}
	tap_ok(is_file(&w, BACKUP_FILE, before, before_size),
	       "SYSTEM.win7gen2-backup holds the hive exactly as it was before");
	tap_ok(is_file(&w, BOOTMGFW, w.payload, w.payload_size) &&
	       is_file(&w, BOOTMGFW_ORIGINAL, w.loader, w.loader_size),
	       "bootmgfw.efi is the payload, the Microsoft file is bootmgfw.original.efi");
	tap_ok(is_file(&w, BOOTX64, w.payload, w.payload_size) &&
	       is_file(&w, BOOTX64_ORIGINAL, w.loader, w.loader_size),
	       "bootx64.efi is the payload, the Microsoft file is bootx64.original.efi");
	tap_ok(is_file(&w, OWN_COPY, w.payload, w.payload_size),
	       "a copy of the payload at \\EFI\\win7gen2\\win7gen2.efi, for its own boot entry");
	tap_ok(config_turns_menu_off(&w, "esp/EFI/Microsoft/Boot/win7gen2.cfg") &&
	       config_turns_menu_off(&w, "esp/EFI/Boot/win7gen2.cfg"),
	       "win7gen2.cfg beside both payloads: no menu, no prompt");
	tap_ok(file_contains(tree_path(&w.tree, LOG_FILE, path), "== result: ok;"),
	       "the run is recorded in \\EFI\\win7gen2\\log.txt");
	tap_ok(next_boot_shows(&w, false, NULL) &&
	       file_contains(tree_path(&w.tree, STATUS_FILE, path), "win7gen2 status: ok\r\n"),
	       "status.txt says ok: the payload shows nothing at the next boot");
	tap_ok(!file_exists(tree_path(&w.tree, "win/Windows/System32/config/SYSTEM.win7gen2-tmp",
				      path)) &&
	       !file_exists(tree_path(&w.tree, BOOTMGFW ".win7gen2-tmp", path)),
	       "no temporary file is left behind");
	free(before);
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_second_run(void)
{
	struct snapshot windows_before, windows_after, esp_before, esp_after;
	char why[PATH_MAX + 64] = "", path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) && run_fix(&w, false, &run) == FIX_OK &&
	     run.succeeded;
	text_free(&run.report);
	ok = ok && snapshot_take(w.tree.windows, &windows_before) &&
	     snapshot_take(tree_path(&w.tree, "esp/EFI/Microsoft", path), &esp_before);
	tap_ok(ok, "setup: a disk fixed once");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded && run.summary.changes == 0 && run.summary.problems == 0,
	       "a second run has nothing to do");
	tap_ok(report_has(&run, "Nothing to do: everything is already right"),
	       "and says so");
	show_report_on_failure(run.summary.changes == 0, &run);
	snapshot_take(w.tree.windows, &windows_after);
	snapshot_take(path, &esp_after);
	tap_ok(snapshot_same(&windows_before, &windows_after, why, sizeof(why)),
	       "the Windows volume is untouched: hive bytes and times as they were %s", why);
	tap_ok(snapshot_same(&esp_before, &esp_after, why, sizeof(why)),
	       "the boot files are untouched %s", why);
	tap_ok(file_contains(tree_path(&w.tree, LOG_FILE, path), "changed \\EFI") &&
	       file_contains(path, "== result: ok; 0 changed"),
	       "the log keeps the first run's record and adds the second");
	snapshot_free(&windows_before);
	snapshot_free(&windows_after);
	snapshot_free(&esp_before);
	snapshot_free(&esp_after);
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_dry_run(void)
{
	struct snapshot before, after;
	char why[PATH_MAX + 64] = "";
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) && snapshot_take(w.tree.root, &before);
	tap_ok(ok, "setup: a disk that needs fixing");
	if (!ok)
		return;
	/* Make the times distinguishable from a rewrite in the same tick. */
	sleep(1);
	ok = run_fix(&w, true, &run) == FIX_OK;
	tap_ok(ok && run.summary.changes > 20 && run.summary.done == 0,
	       "a dry run plans the changes (%u) and makes none", run.summary.changes);
	tap_ok(report_has(&run, "Dry run: nothing was changed.") &&
	       report_has(&run, "was: 3 (demand start)") && report_has(&run, "now: 0 (boot start)"),
	       "it prints the plan with each value before and after");
	tap_ok(report_has(&run, "change   SYSTEM ControlSet002\\Control\\PnP: "
			  "PollBootPartitionTimeout\n           was: missing\n"
			  "           now: 30000 (30.0 s)\n"),
	       "the boot disk wait is in the plan, with its time");
	snapshot_take(w.tree.root, &after);
	tap_ok(snapshot_same(&before, &after, why, sizeof(why)),
	       "no file or directory changed: bytes and modification times %s", why);
	snapshot_free(&before);
	snapshot_free(&after);
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void check_broken_hive(const char *what, const uint8_t *bytes, size_t size,
			      const char *reason)
{
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) && file_write(w.hive, bytes, size);
	tap_ok(ok, "setup: %s", what);
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded && run.summary.problems >= 1,
	       "%s: the run reports a problem (exit status 1)", what);
	tap_ok(report_has(&run, "problem  \\Windows\\System32\\config\\SYSTEM") &&
	       report_has(&run, reason) && report_has(&run, "left untouched"),
	       "%s: the report names the hive and why", what);
	show_report_on_failure(strstr(text_string(&run.report), reason) != NULL, &run);
	tap_ok(file_equals(w.hive, bytes, size) &&
	       !file_exists(tree_path(&w.tree, BACKUP_FILE, path)),
	       "%s: the hive is left byte for byte, no backup made", what);
	tap_ok(is_file(&w, BOOTMGFW, w.payload, w.payload_size),
	       "%s: the ESP is still fixed", what);
	tap_ok(next_boot_shows(&w, true, "problem \\Windows\\System32\\config\\SYSTEM: "),
	       "%s: the next boot shows that the hive was not repaired", what);
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_broken_hives(void)
{
	uint8_t junk[8192], *hive = NULL;
	size_t size = 0;
	struct world w;

	memset(junk, 0x5a, sizeof(junk));
	memcpy(junk, "regf", 4);
	check_broken_hive("a corrupt hive", junk, sizeof(junk), "not a registry hive hivex can read");

	memset(junk, 0, sizeof(junk));
	check_broken_hive("a hive of zeros", junk, sizeof(junk), "not a registry hive");

	/* A real hive whose last write did not finish: sequence numbers differ. */
	if (world_new(&w, wrong_system_hive()) && file_read(w.hive, &hive, &size) && size > 12) {
		hive[4] ^= 1;
		check_broken_hive("a hive not closed cleanly", hive, size, "not closed cleanly");
	} else {
		tap_ok(false, "setup: a hive to damage");
	}
	free(hive);
	tree_remove(&w.tree);
}

static void test_update_rewrap(void)
{
	uint8_t newer[FAKE_EFI_MAX];
	size_t newer_size;
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) && run_fix(&w, false, &run) == FIX_OK &&
	     run.succeeded;
	text_free(&run.report);
	/* Windows Update writes its newer boot manager over bootmgfw.efi. */
	newer_size = fake_loader(newer, "Windows Boot Manager, release B (update)");
	ok = ok && file_write(tree_path(&w.tree, BOOTMGFW, path), newer, newer_size);
	tap_ok(ok, "setup: a fixed disk whose bootmgfw.efi an update replaced");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded, "the re-wrap succeeds");
	tap_ok(is_file(&w, BOOTMGFW, w.payload, w.payload_size),
	       "bootmgfw.efi is the payload again");
	tap_ok(is_file(&w, BOOTMGFW_ORIGINAL, newer, newer_size),
	       "the newer Microsoft file is kept as bootmgfw.original.efi");
	tap_ok(is_file(&w, BOOTMGFW_OLD, w.loader, w.loader_size),
	       "the previous original is kept as bootmgfw.original.old.efi");
	tap_ok(report_has(&run, "win7gen2.efi at bootmgfw.efi was replaced by another loader"),
	       "the report says what happened");
	tap_ok(is_file(&w, BOOTX64, w.payload, w.payload_size) &&
	       is_file(&w, BOOTX64_ORIGINAL, w.loader, w.loader_size),
	       "bootx64.efi, which the update did not touch, stays as it was");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_case_insensitive_esp(void)
{
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive());
	/* A tree as a Linux mount of a Windows-made FAT may show it. */
	ok = ok && rename(tree_path(&w.tree, "esp/EFI", path),
			  tree_path(&w.tree, "esp/efi", (char[PATH_MAX]){ 0 })) == 0;
	ok = ok && rename(tree_path(&w.tree, "esp/efi/Microsoft", path),
			  tree_path(&w.tree, "esp/efi/microsoft", (char[PATH_MAX]){ 0 })) == 0;
	ok = ok && rename(tree_path(&w.tree, "esp/efi/microsoft/Boot/bootmgfw.efi", path),
			  tree_path(&w.tree, "esp/efi/microsoft/Boot/BOOTMGFW.EFI",
				    (char[PATH_MAX]){ 0 })) == 0;
	ok = ok && rename(tree_path(&w.tree, "esp/efi/Boot", path),
			  tree_path(&w.tree, "esp/efi/BOOT", (char[PATH_MAX]){ 0 })) == 0;
	tap_ok(ok, "setup: an ESP with efi/microsoft/Boot/BOOTMGFW.EFI and efi/BOOT/bootx64.efi");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded, "the run succeeds");
	show_report_on_failure(run.succeeded, &run);
	tap_ok(is_file(&w, "esp/efi/microsoft/Boot/BOOTMGFW.EFI", w.payload, w.payload_size) &&
	       is_file(&w, "esp/efi/microsoft/Boot/bootmgfw.original.efi", w.loader,
		       w.loader_size),
	       "the loader is wrapped under the names the ESP has");
	tap_ok(is_file(&w, "esp/efi/BOOT/bootx64.efi", w.payload, w.payload_size),
	       "the fallback loader too");
	tap_ok(!file_exists(tree_path(&w.tree, "esp/EFI", path)),
	       "no second EFI directory appears beside efi");
	tap_ok(file_exists(tree_path(&w.tree, "esp/efi/win7gen2/log.txt", path)),
	       "the log goes into the existing efi directory");
	text_free(&run.report);

	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.summary.changes == 0 && run.summary.problems == 0,
	       "a second run finds it all right");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_foreign_payload_refused(void)
{
	struct snapshot before, after;
	char why[PATH_MAX + 64] = "";
	uint8_t fake[FAKE_EFI_MAX];
	size_t size;
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) && snapshot_take(w.tree.root, &before);
	tap_ok(ok, "setup: a disk that needs fixing");
	if (!ok)
		return;
	size = fake_loader(fake, "some other EFI program");
	tap_ok(run_fix_with(&w, fake, size, false, &esp1_windows3, &run) == FIX_ERROR &&
	       strstr(run.err.message, "is not win7gen2.efi"),
	       "an EFI program without the marker is refused as the payload: %s",
	       run.err.message);
	text_free(&run.report);
	memcpy(fake, "not a PE", 8);
	size = fake_payload(fake, "0.1.0", "text");
	memcpy(fake, "XX", 2);
	tap_ok(run_fix_with(&w, fake, size, false, &esp1_windows3, &run) == FIX_ERROR &&
	       strstr(run.err.message, "not an x64 EFI application"),
	       "a file with the marker but no x64 image is refused: %s", run.err.message);
	text_free(&run.report);
	snapshot_take(w.tree.root, &after);
	tap_ok(snapshot_same(&before, &after, why, sizeof(why)), "nothing was written %s", why);
	snapshot_free(&before);
	snapshot_free(&after);
	tree_remove(&w.tree);
}

static void test_missing_service(void)
{
	hive_h *h = hive_new();
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	if (h) {
		add_wrong_control_set(h, "ControlSet001");
		/* ControlSet002 without storvsc: its driver package never ran. */
		hive_set_dword(h, "ControlSet002\\Services\\vmbus", "Type", 1);
		hive_set_dword(h, "ControlSet002\\Services\\vmbus", "Start", 3);
		hive_set_dword(h, "ControlSet002\\Services\\Ntfs", "Type", 2);
		hive_set_dword(h, "ControlSet002\\Services\\Ntfs", "Start", 3);
	}
	ok = world_new(&w, h);
	tap_ok(ok, "setup: ControlSet002 has no storvsc service");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded && run.summary.failed == 0,
	       "the run reports a problem (exit status 1) but fails no change");
	tap_ok(report_has(&run, "problem  SYSTEM ControlSet002\\Services\\storvsc") &&
	       report_has(&run, "not installed") && report_has(&run, "wstorvsc.inf"),
	       "the report names the missing service and the package it needs");
	tap_ok(!hive_key_present(w.hive, "ControlSet002\\Services\\storvsc") &&
	       !hive_key_present(w.hive, "ControlSet002\\Control\\CriticalDeviceDatabase\\"
				 "vmbus#{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}"),
	       "no storvsc service or CDDB entry is made up for it");
	tap_ok(gen2_values_in(w.hive, "ControlSet001") &&
	       dword_is(w.hive, "ControlSet002", "Services\\vmbus", "Start", 0),
	       "everything else is fixed");
	tap_ok(file_exists(tree_path(&w.tree, BACKUP_FILE, path)), "with the backup made first");
	tap_ok(next_boot_shows(&w, true, "problem SYSTEM ControlSet002\\Services\\storvsc: "
			       "not installed"),
	       "status.txt says failed, and the payload will show the missing service");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_missing_driver_file(void)
{
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) &&
	     unlink(tree_path(&w.tree, "win/Windows/System32/drivers/vmbus.sys", path)) == 0;
	tap_ok(ok, "setup: vmbus is in the registry, vmbus.sys is not on the disk");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded, "the run reports a problem");
	tap_ok(report_has(&run, "its driver \\Windows\\system32\\DRIVERS\\vmbus.sys is missing"),
	       "naming the missing file as ImagePath gives it");
	tap_ok(dword_is(w.hive, "ControlSet001", "Services\\vmbus", "Start", 3) &&
	       dword_is(w.hive, "ControlSet001", "Services\\storvsc", "Start", 0),
	       "vmbus is not made boot-start without its driver; storvsc is");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_image_path_elsewhere(void)
{
	hive_h *h = wrong_system_hive();
	struct world w;
	struct run run;
	bool ok;

	if (h) {
		hive_set_string(h, "ControlSet001\\Services\\vmbus", "ImagePath",
				"C:\\Drivers\\vmbus.sys", hive_t_REG_EXPAND_SZ);
		hive_set_dword(h, "ControlSet002\\Services\\vmbus", "ImagePath", 7);
	}
	ok = world_new(&w, h);
	tap_ok(ok, "setup: vmbus's ImagePath names a drive letter, and in one set is no string");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded &&
	       report_has(&run, "note     SYSTEM ControlSet001\\Services\\vmbus: ImagePath") &&
	       report_has(&run, "is:  \"C:\\Drivers\\vmbus.sys\"") &&
	       report_has(&run, "note     SYSTEM ControlSet002\\Services\\vmbus: ImagePath"),
	       "a driver path that is not on the volume, or no path, is noted as not checked");
	tap_ok(dword_is(w.hive, "ControlSet001", "Services\\vmbus", "Start", 0) &&
	       dword_is(w.hive, "ControlSet002", "Services\\vmbus", "Start", 0),
	       "and the service is still made boot-start");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_failed_write_keeps_loader(void)
{
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	/* A directory where the temporary file must go makes that write fail. */
	ok = world_new(&w, wrong_system_hive()) &&
	     mkdir(tree_path(&w.tree, BOOTMGFW_ORIGINAL ".win7gen2-tmp", path), 0755) == 0 &&
	     file_write(tree_path(&w.tree, BOOTMGFW_ORIGINAL ".win7gen2-tmp/x", path), "x", 1);
	tap_ok(ok, "setup: writing bootmgfw.original.efi will fail");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded && run.summary.failed == 1 && run.summary.skipped >= 1,
	       "the run fails that step and skips the steps that depend on it");
	tap_ok(report_has(&run, "FAILED   \\EFI\\Microsoft\\Boot\\bootmgfw.original.efi") &&
	       report_has(&run, "skipped  \\EFI\\Microsoft\\Boot\\bootmgfw.efi"),
	       "the report says which failed and which were not tried");
	tap_ok(is_file(&w, BOOTMGFW, w.loader, w.loader_size),
	       "bootmgfw.efi is still the Microsoft loader: the disk boots as before");
	tap_ok(is_file(&w, BOOTX64, w.payload, w.payload_size),
	       "bootx64.efi, independent of it, is wrapped");
	tap_ok(next_boot_shows(&w, true, "FAILED \\EFI\\Microsoft\\Boot\\bootmgfw.original.efi"),
	       "the next boot shows the failed step");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_failed_commit_keeps_hive(void)
{
	uint8_t *before = NULL;
	size_t before_size = 0;
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) && file_read(w.hive, &before, &before_size) &&
	     mkdir(tree_path(&w.tree, HIVE_FILE ".win7gen2-tmp", path), 0755) == 0 &&
	     file_write(tree_path(&w.tree, HIVE_FILE ".win7gen2-tmp/x", path), "x", 1);
	tap_ok(ok, "setup: writing the new hive will fail");
	if (!ok) {
		free(before);
		return;
	}
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded && run.summary.failed >= 20,
	       "every registry change is reported failed (%u)", run.summary.failed);
	tap_ok(file_equals(w.hive, before, before_size),
	       "the hive is the old one, byte for byte: never half-written");
	tap_ok(is_file(&w, BACKUP_FILE, before, before_size), "the backup was made before");
	free(before);
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_boot_devices_without_layout(void)
{
	hive_h *h = wrong_system_hive();
	struct fix_disk_layout unknown = { .known = false, .how = "not told" };
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, h);
	tap_ok(ok, "setup: FirmwareBootDevice names the Windows partition (a BIOS install)");
	if (!ok)
		return;
	ok = run_fix_with(&w, w.payload, w.payload_size, false, &unknown, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded &&
	       report_has(&run, "problem  SYSTEM ControlSet001\\Control: FirmwareBootDevice") &&
	       report_has(&run, "give --esp-partition and --windows-partition"),
	       "without the disk layout it is reported, with what to do");
	tap_ok(string_is(w.hive, "ControlSet001", "Control", "FirmwareBootDevice",
			 "multi(0)disk(0)rdisk(0)partition(2)"),
	       "and not guessed at");
	tap_ok(dword_is(w.hive, "ControlSet001", "Services\\vmbus", "Start", 0),
	       "the rest is fixed");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_payload_versions(void)
{
	uint8_t older[FAKE_EFI_MAX], newer[FAKE_EFI_MAX];
	size_t older_size = fake_payload(older, "0.0.9", "old build");
	size_t newer_size = fake_payload(newer, "0.10.0", "new build");
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) &&
	     file_write(tree_path(&w.tree, BOOTMGFW, path), older, older_size) &&
	     file_write(tree_path(&w.tree, BOOTMGFW_ORIGINAL, path), w.loader, w.loader_size) &&
	     file_write(tree_path(&w.tree, BOOTX64, path), newer, newer_size) &&
	     file_write(tree_path(&w.tree, BOOTX64_ORIGINAL, path), w.loader, w.loader_size);
	tap_ok(ok, "setup: payload 0.0.9 at bootmgfw.efi, 0.10.0 at bootx64.efi");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded, "the run succeeds");
	tap_ok(is_file(&w, BOOTMGFW, w.payload, w.payload_size) &&
	       report_has(&run, "was: win7gen2 payload 0.0.9"),
	       "an older payload is updated to 0.1.0");
	tap_ok(is_file(&w, BOOTX64, newer, newer_size) &&
	       report_has(&run, "newer than the payload given (0.1.0); kept"),
	       "a newer payload is kept");
	tap_ok(is_file(&w, BOOTMGFW_ORIGINAL, w.loader, w.loader_size),
	       "the original is never touched by an update of the payload");
	text_free(&run.report);
	tree_remove(&w.tree);
}

/* \EFI\win7gen2\win7gen2.efi: the decision the payload makes at boot too. */
static void test_own_copy_versions(void)
{
	uint8_t older[FAKE_EFI_MAX], newer[FAKE_EFI_MAX];
	size_t older_size = fake_payload(older, "0.0.9", "old build");
	size_t newer_size = fake_payload(newer, "0.10.0", "new build");
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) &&
	     file_write(tree_path(&w.tree, OWN_COPY, path), older, older_size);
	tap_ok(ok, "setup: payload 0.0.9 at \\EFI\\win7gen2\\win7gen2.efi");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded && is_file(&w, OWN_COPY, w.payload, w.payload_size) &&
	       report_has(&run, "for win7gen2's own boot entry"),
	       "an older own copy is updated");
	text_free(&run.report);
	ok = file_write(tree_path(&w.tree, OWN_COPY, path), newer, newer_size) &&
	     run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded && is_file(&w, OWN_COPY, newer, newer_size) &&
	       report_has(&run, "newer than the payload given (0.1.0); kept"),
	       "a newer own copy is kept");
	text_free(&run.report);
	ok = file_write(tree_path(&w.tree, OWN_COPY, path), w.loader, w.loader_size) &&
	     run_fix(&w, true, &run) == FIX_OK;
	tap_ok(ok && run.summary.changes == 1 && is_file(&w, OWN_COPY, w.loader, w.loader_size),
	       "a loader there: the dry run plans to replace it, and writes nothing");
	text_free(&run.report);
	tree_remove(&w.tree);
}

/* win7gen2's own boot entry, as the agent in the VM's Windows PE sees it. */
static void nvram_option(struct nvram_var *var, const char *name, const char *description,
			 const char *path)
{
	uint8_t hd[BOOTOPT_HD_NODE_SIZE] = { 4, 1, BOOTOPT_HD_NODE_SIZE, 0, 1, [40] = 2, [41] = 2 };

	var->name = name;
	var->size = bootopt_build(var->data, sizeof(var->data), description, hd, path);
}

static void nvram_order(struct nvram_var *var, uint16_t first, uint16_t second)
{
	var->name = "BootOrder";
	var->data[0] = (uint8_t)first;
	var->data[1] = (uint8_t)(first >> 8);
	var->data[2] = (uint8_t)second;
	var->data[3] = (uint8_t)(second >> 8);
	var->size = 4;
}

static void test_boot_entry_report(void)
{
	struct nvram_var vars[3];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive());
	nvram_option(&vars[0], "Boot0001", "Windows Boot Manager",
		     "\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
	nvram_option(&vars[1], "Boot0003", "win7gen2 (Windows Boot Manager)",
		     "\\EFI\\win7gen2\\win7gen2.efi");
	nvram_order(&vars[2], 0x0003, 0x0001);
	tap_ok(ok && vars[0].size && vars[1].size, "setup: a disk, and the VM's boot entries");
	if (!ok)
		return;

	ok = run_fix_nvram(&w, vars, 3, &run) == FIX_OK;
	tap_ok(ok && report_has(&run, "right    firmware boot entry of win7gen2") &&
	       report_has(&run, "Boot0003 \"win7gen2 (Windows Boot Manager)\", first in BootOrder"),
	       "ours first: the report says so");
	text_free(&run.report);

	nvram_order(&vars[2], 0x0001, 0x0003);
	ok = run_fix_nvram(&w, vars, 3, &run) == FIX_OK;
	tap_ok(ok && report_has(&run, "note     firmware boot entry of win7gen2") &&
	       report_has(&run, "number 2 in BootOrder, after Boot0001 \"Windows Boot Manager\"") &&
	       report_has(&run, "puts it first again at its next boot"),
	       "behind another: a note, and what the payload will do");
	tap_ok(ok && run.summary.problems == 0, "which is no problem");
	show_report_on_failure(run.summary.problems == 0, &run);
	text_free(&run.report);

	nvram_order(&vars[2], 0x0001, 0x0001);
	ok = run_fix_nvram(&w, vars, 3, &run) == FIX_OK;
	tap_ok(ok && report_has(&run, "none in BootOrder starts \\EFI\\win7gen2\\win7gen2.efi"),
	       "none: the payload makes it at its next boot");
	text_free(&run.report);

	ok = run_fix(&w, true, &run) == FIX_OK;
	tap_ok(ok && !strstr(text_string(&run.report), "firmware boot entry"),
	       "the Linux backend reads no variables (they would be the host's): nothing said");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_missing_original(void)
{
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) &&
	     file_write(tree_path(&w.tree, BOOTMGFW, path), w.payload, w.payload_size) &&
	     file_write(tree_path(&w.tree, BOOTX64, path), w.payload, w.payload_size);
	tap_ok(ok, "setup: both loaders are the payload and no original is left");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded &&
	       report_has(&run, "problem  \\EFI\\Microsoft\\Boot\\bootmgfw.original.efi") &&
	       report_has(&run, "copy Windows\\Boot\\EFI\\bootmgfw.efi"),
	       "a payload with nothing to start is a problem, with the way out");
	text_free(&run.report);

	ok = file_write(tree_path(&w.tree, BOOTMGFW_ORIGINAL, path), w.loader, w.loader_size) &&
	     run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded && report_has(&run, "falls back to"),
	       "bootx64.efi without its own original falls back to bootmgfw.original.efi: fine");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_user_config_kept(void)
{
	static const char user[] = "# mine\r\nverbose = 2\r\nmenu = on\r\n";
	char path[PATH_MAX];
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive()) &&
	     file_write(tree_path(&w.tree, "esp/EFI/Boot/win7gen2.cfg", path), user,
			sizeof(user) - 1);
	tap_ok(ok, "setup: a win7gen2.cfg with the menu switched on");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.succeeded, "the run succeeds");
	tap_ok(file_contains(path, user) && file_contains(path, "\r\nmenu = off\r\n"),
	       "the user's lines stay, \"menu = off\" is added after them");
	text_free(&run.report);
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && run.summary.changes == 0, "and a second run leaves it alone");
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_no_links_followed(void)
{
	char path[PATH_MAX], outside[PATH_MAX];
	struct snapshot before, after;
	char why[PATH_MAX + 64] = "";
	struct world w;
	struct run run;
	bool ok;

	/* esp/EFI/Boot is a link to a directory outside the ESP. */
	ok = world_new(&w, wrong_system_hive()) &&
	     file_write(tree_path(&w.tree, "outside/bootx64.efi", outside), w.loader,
			w.loader_size) &&
	     unlink(tree_path(&w.tree, BOOTX64, path)) == 0 &&
	     rmdir(tree_path(&w.tree, "esp/EFI/Boot", path)) == 0 &&
	     symlink(tree_path(&w.tree, "outside", outside), path) == 0 &&
	     snapshot_take(tree_path(&w.tree, "outside", outside), &before);
	tap_ok(ok, "setup: \\EFI\\Boot on the ESP is a symbolic link out of it");
	if (!ok)
		return;
	ok = run_fix(&w, false, &run) == FIX_OK;
	tap_ok(ok && !run.succeeded && report_has(&run, "does not follow links"),
	       "the link is reported");
	snapshot_take(outside, &after);
	tap_ok(snapshot_same(&before, &after, why, sizeof(why)),
	       "nothing outside the ESP is written %s", why);
	tap_ok(is_file(&w, BOOTMGFW, w.payload, w.payload_size), "the rest is fixed");
	snapshot_free(&before);
	snapshot_free(&after);
	text_free(&run.report);
	tree_remove(&w.tree);
}

static void test_wrong_directories(void)
{
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, wrong_system_hive());
	tap_ok(ok, "setup: a disk");
	if (!ok)
		return;
	snprintf(w.tree.esp, sizeof(w.tree.esp), "%s", w.tree.windows);
	tap_ok(run_fix(&w, false, &run) == FIX_ERROR &&
	       strstr(run.err.message, "give the root of the EFI system partition"),
	       "the Windows volume given as the ESP is refused: %s", run.err.message);
	snprintf(w.tree.esp, sizeof(w.tree.esp), "%s/esp", w.tree.root);
	snprintf(w.tree.windows, sizeof(w.tree.windows), "%s/win/Windows", w.tree.root);
	tap_ok(run_fix(&w, false, &run) == FIX_ERROR &&
	       strstr(run.err.message, "give the root of the Windows volume"),
	       "the Windows directory given instead of the volume is refused: %s",
	       run.err.message);
	tree_remove(&w.tree);
}

/* Three control sets with the wait missing, set by someone else to
 * another time, and of the wrong type: each becomes the chosen time. */
static hive_h *boot_wait_hive(void)
{
	hive_h *h = wrong_system_hive();

	if (!h)
		return NULL;
	add_wrong_control_set(h, "ControlSet003");
	hive_set_dword(h, "ControlSet002\\Control\\PnP", "PollBootPartitionTimeout", 120000);
	hive_set_string(h, "ControlSet003\\Control\\PnP", "PollBootPartitionTimeout", "30000",
			hive_t_REG_SZ);
	return h;
}

static bool boot_wait_everywhere(const char *hive, uint32_t ms)
{
	static const char *const sets[] = { "ControlSet001", "ControlSet002", "ControlSet003" };
	bool ok = true;

	for (size_t i = 0; i < 3; i++)
		ok &= dword_is(hive, sets[i], "Control\\PnP", "PollBootPartitionTimeout", ms);
	return ok;
}

static void test_boot_wait(void)
{
	struct snapshot before, after;
	char why[PATH_MAX + 64] = "";
	uint8_t *original = NULL;
	size_t original_size = 0;
	struct world w;
	struct run run;
	bool ok;

	ok = world_new(&w, boot_wait_hive()) && file_read(w.hive, &original, &original_size);
	tap_ok(ok, "setup: PollBootPartitionTimeout missing, 120000, and a REG_SZ in three sets");
	if (!ok) {
		free(original);
		return;
	}
	ok = run_fix(&w, false, &run) == FIX_OK && run.succeeded;
	tap_ok(ok && boot_wait_everywhere(w.hive, 30000),
	       "every control set waits 30000 ms for the boot disk by default");
	show_report_on_failure(ok, &run);
	tap_ok(report_has(&run, "ControlSet001\\Control\\PnP: PollBootPartitionTimeout\n"
			  "           was: missing\n") &&
	       report_has(&run, "ControlSet002\\Control\\PnP: PollBootPartitionTimeout\n"
			  "           was: 120000 (120.0 s)\n") &&
	       report_has(&run, "ControlSet003\\Control\\PnP: PollBootPartitionTimeout\n"
			  "           was: \"30000\"\n") &&
	       report_has(&run, "done     SYSTEM ControlSet003\\Control\\PnP: "
			  "PollBootPartitionTimeout"),
	       "the report shows each old value, and each change verified");
	tap_ok(is_file(&w, BACKUP_FILE, original, original_size),
	       "the backup holds the hive from before the wait was set");
	text_free(&run.report);

	snapshot_take(w.tree.windows, &before);
	ok = run_fix(&w, false, &run) == FIX_OK && run.succeeded && run.summary.changes == 0;
	snapshot_take(w.tree.windows, &after);
	tap_ok(ok && report_has(&run, "right    SYSTEM ControlSet003\\Control\\PnP: "
				"PollBootPartitionTimeout\n           is:  30000 (30.0 s)\n") &&
	       snapshot_same(&before, &after, why, sizeof(why)),
	       "a second run finds it right and writes nothing %s", why);
	snapshot_free(&before);
	snapshot_free(&after);
	text_free(&run.report);

	/* The caller's own time: a dry run shows it, a run sets it, a second
	 * run with the same time has nothing to do. */
	w.boot_wait_ms = 60000;
	snapshot_take(w.tree.windows, &before);
	ok = run_fix(&w, true, &run) == FIX_OK && run.summary.changes == 3;
	snapshot_take(w.tree.windows, &after);
	tap_ok(ok && report_has(&run, "was: 30000 (30.0 s)\n           now: 60000 (60.0 s)\n") &&
	       snapshot_same(&before, &after, why, sizeof(why)),
	       "a dry run with 60000 ms plans the three changes and writes nothing %s", why);
	show_report_on_failure(ok, &run);
	snapshot_free(&before);
	snapshot_free(&after);
	text_free(&run.report);
	ok = run_fix(&w, false, &run) == FIX_OK && run.succeeded && run.summary.done == 3;
	tap_ok(ok && boot_wait_everywhere(w.hive, 60000), "a run with 60000 ms sets it everywhere");
	text_free(&run.report);
	ok = run_fix(&w, false, &run) == FIX_OK && run.summary.changes == 0;
	tap_ok(ok, "and a second run with the same time has nothing to do");
	text_free(&run.report);
	tap_ok(is_file(&w, BACKUP_FILE, original, original_size),
	       "the backup is still the hive from before win7gen2's first change");

	/* Out of range: refused before anything is looked at. */
	snapshot_take(w.tree.root, &before);
	w.boot_wait_ms = FIX_BOOT_WAIT_MIN_MS - 1;
	ok = run_fix(&w, false, &run) == FIX_ERROR &&
	     strstr(run.err.message, "199 ms is out of range: give 200 to 180000 ms");
	tap_ok(ok, "a wait under 200 ms is refused: %s", run.err.message);
	text_free(&run.report);
	w.boot_wait_ms = FIX_BOOT_WAIT_MAX_MS + 1;
	ok = run_fix(&w, false, &run) == FIX_ERROR && strstr(run.err.message, "180001 ms");
	tap_ok(ok, "a wait over 180000 ms is refused: %s", run.err.message);
	text_free(&run.report);
	snapshot_take(w.tree.root, &after);
	tap_ok(snapshot_same(&before, &after, why, sizeof(why)),
	       "a refused wait writes nothing %s", why);
	snapshot_free(&before);
	snapshot_free(&after);
	free(original);
	tree_remove(&w.tree);
}

int main(void)
{
	test_first_run();
	test_second_run();
	test_dry_run();
	test_broken_hives();
	test_update_rewrap();
	test_case_insensitive_esp();
	test_foreign_payload_refused();
	test_missing_service();
	test_missing_driver_file();
	test_image_path_elsewhere();
	test_failed_write_keeps_loader();
	test_failed_commit_keeps_hive();
	test_boot_devices_without_layout();
	test_payload_versions();
	test_own_copy_versions();
	test_boot_entry_report();
	test_missing_original();
	test_user_config_kept();
	test_no_links_followed();
	test_wrong_directories();
	test_boot_wait();
	return tap_done();
}
