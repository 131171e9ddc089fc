/*
 * updates.c - update packages (packages.txt) installed by DISM, in Windows PE
 *
 * SPDX-License-Identifier: MIT
 */
#include "updates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icdism.h"
#include "package_list.h"
#include "packages.h"
#include "win32util.h"

#define LIST_PATH_SUFFIX WIN7GEN2_PACKAGES_DIR "\\" WIN7GEN2_PACKAGES_LIST_NAME

struct update_run {
	struct dism_step step;
	const struct update_target *target;
	char folder[PATH_BYTES];       /* F:\win7gen2\packages */
	char list_path[PATH_BYTES];    /* ...\packages.txt */
	struct package_list list;
	enum package_result result[PACKAGE_LIST_MAX];
	struct package_tally tally;
};

/*
 * The DVD's list: a CD-ROM drive holding it.  Several can (an ISO of
 * another build in a second drive): the Windows media Setup ran from
 * has \sources\install.wim beside it, so that one wins; else the first.
 */
static bool find_dvd_list(struct update_run *run)
{
	DWORD drives = GetLogicalDrives();
	char chosen = 0, path[64];
	bool chosen_is_media = false;
	unsigned found = 0;

	for (unsigned i = 0; i < 26; i++) {
		char letter = (char)('A' + i);
		wchar_t root[4] = { (wchar_t)letter, L':', L'\\', L'\0' };
		bool is_media;

		if (!(drives & (1u << i)) || letter == run->target->system_letter ||
		    GetDriveTypeW(root) != DRIVE_CDROM)
			continue;
		snprintf(path, sizeof(path), "%c:%s", letter, LIST_PATH_SUFFIX);
		if (!dism_file_exists(path))
			continue;
		found++;
		snprintf(path, sizeof(path), "%c:\\sources\\install.wim", letter);
		is_media = dism_file_exists(path);
		if (!chosen || (is_media && !chosen_is_media)) {
			chosen = letter;
			chosen_is_media = is_media;
		}
	}
	if (!chosen)
		return false;
	if (found > 1)
		dism_say(&run->step, "Update packages: %u CD-ROM drives hold a package list; %c: "
			 "is used (%s)", found, chosen, chosen_is_media ?
			 "it holds the Windows media, \\sources\\install.wim" :
			 "none holds \\sources\\install.wim: the first");
	snprintf(run->folder, sizeof(run->folder), "%c:%s", chosen, WIN7GEN2_PACKAGES_DIR);
	return true;
}

/* The whole list file, at most PACKAGE_LIST_MAX_FILE bytes, parsed. */
static bool read_list(struct update_run *run, char *why, size_t why_size)
{
	wchar_t *wide = wide_from_utf8(run->list_path);
	HANDLE file = wide ? CreateFileW(wide, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
					 FILE_ATTRIBUTE_NORMAL, NULL) :
		      INVALID_HANDLE_VALUE;
	static char data[PACKAGE_LIST_MAX_FILE]; /* off the stack; one run at a time */
	struct package_list_error error;
	LARGE_INTEGER size;
	DWORD got = 0;
	char reason[200];

	free(wide);
	if (file == INVALID_HANDLE_VALUE) {
		win32_error_text(GetLastError(), reason, sizeof(reason));
		snprintf(why, why_size, "it cannot be opened: %s", reason);
		return false;
	}
	if (!GetFileSizeEx(file, &size) || size.QuadPart < 0 ||
	    size.QuadPart > (LONGLONG)PACKAGE_LIST_MAX_FILE) {
		CloseHandle(file);
		snprintf(why, why_size, "it is larger than %u bytes, too large for a list",
			 PACKAGE_LIST_MAX_FILE);
		return false;
	}
	if (!ReadFile(file, data, (DWORD)size.QuadPart, &got, NULL) ||
	    got != (DWORD)size.QuadPart) {
		win32_error_text(GetLastError(), reason, sizeof(reason));
		CloseHandle(file);
		snprintf(why, why_size, "it cannot be read: %s", reason);
		return false;
	}
	CloseHandle(file);
	if (!package_list_parse(data, got, &run->list, &error)) {
		if (error.line)
			snprintf(why, why_size, "line %u: %s", error.line, error.why);
		else
			snprintf(why, why_size, "%s", error.why);
		return false;
	}
	return true;
}

/* DISM's log of the package at index: the full path, and the name a
 * person finds it by (on the ESP, as the payload and log.txt name it). */
static void log_paths(const struct update_run *run, unsigned index, char *log, char *shown,
		      size_t size)
{
	char name[PACKAGE_LIST_NAME_MAX + 32];

	package_log_file_name(index + 1, run->list.entry[index].name, name, sizeof(name));
	if (run->target->esp_root) {
		snprintf(log, size, "%s%s%s", run->target->esp_root, &WIN7GEN2_OWN_DIR[1], name);
		snprintf(shown, size, "%s%s", WIN7GEN2_OWN_DIR, name);
	} else {
		snprintf(log, size, "%c:\\%s\\win7gen2-%s", run->target->letter,
			 PACKAGE_LOG_DIR_ON_WINDOWS, name);
		snprintf(shown, size, "%s", log);
	}
}

static void install_one(struct update_run *run, unsigned index)
{
	const struct package_entry *entry = &run->list.entry[index];
	struct package_report report = { 0 };
	char cab[PATH_BYTES + PACKAGE_LIST_NAME_MAX], log[PATH_BYTES], shown[PATH_BYTES];
	char line[3 * PATH_BYTES];
	struct dism_call call;

	report.place = index + 1;
	report.count = run->list.count;
	report.kind = entry->kind;
	report.cab = entry->name;
	report.folder = run->folder;
	snprintf(cab, sizeof(cab), "%s\\%s", run->folder, entry->name);
	if (!dism_file_exists(cab)) {
		report.result = PACKAGE_MISSING;
	} else {
		log_paths(run, index, log, shown, sizeof(shown));
		package_progress_line(report.place, report.count, entry->name, line, sizeof(line));
		dism_say(&run->step, "%s", line);
		dism_add_package(&run->step, run->target->letter, cab, log, &call);
		report.exited = call.exited;
		report.exit_code = call.exit_code;
		report.why = call.why;
		report.log = call.started ? shown : NULL;
		report.result = call.exited ? package_result_of_exit(call.exit_code) :
			PACKAGE_FAILED;
	}
	run->result[index] = report.result;
	package_tally_add(&run->tally, report.result);
	package_result_line(&report, line, sizeof(line));
	dism_say(&run->step, "%s", line);
}

/* path replaced whole by size bytes of data, or left as it was. */
static bool replace_file(const char *path, const char *data, size_t size, DWORD *error)
{
	char temporary[PATH_BYTES + 16];
	wchar_t *wide = NULL, *wide_temporary = NULL;
	HANDLE file;
	DWORD written = 0;
	bool ok = false;

	snprintf(temporary, sizeof(temporary), "%s.win7gen2-tmp", path);
	wide = wide_from_utf8(path);
	wide_temporary = wide_from_utf8(temporary);
	*error = ERROR_NOT_ENOUGH_MEMORY;
	if (!wide || !wide_temporary)
		goto out;
	file = CreateFileW(wide_temporary, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
			   FILE_ATTRIBUTE_NORMAL, NULL);
	if (file == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		goto out;
	}
	ok = WriteFile(file, data, (DWORD)size, &written, NULL) && written == size &&
	     FlushFileBuffers(file);
	if (!ok)
		*error = GetLastError();
	CloseHandle(file);
	if (ok && !MoveFileExW(wide_temporary, wide,
			       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
		*error = GetLastError();
		ok = false;
	}
	if (!ok)
		DeleteFileW(wide_temporary);
out:
	free(wide);
	free(wide_temporary);
	return ok;
}

static bool remove_file(const char *path, DWORD *error)
{
	wchar_t *wide = wide_from_utf8(path);
	bool ok = wide && DeleteFileW(wide);

	*error = wide ? GetLastError() : ERROR_INVALID_NAME;
	free(wide);
	return ok;
}

static void remove_folder(const char *path)
{
	wchar_t *wide = wide_from_utf8(path);

	if (wide)
		RemoveDirectoryW(wide); /* fails, as meant, when anything else is in it */
	free(wide);
}

/*
 * Rescue: what is done is not staged any more.  The CABs DISM installed
 * or found not applicable go; the list keeps the failed packages only
 * (a missing CAB cannot be retried), or goes with its folders.
 */
static void tidy_staged(struct update_run *run)
{
	static char text[PACKAGE_LIST_MAX_FILE]; /* off the stack; one run at a time */
	struct package_list left = { 0 };
	struct package_list_error error;
	char cab[PATH_BYTES + PACKAGE_LIST_NAME_MAX], reason[200];
	size_t length;
	DWORD code;

	for (unsigned i = 0; i < run->list.count; i++) {
		const struct package_entry *entry = &run->list.entry[i];

		if (run->result[i] == PACKAGE_FAILED) {
			package_list_add(&left, entry->kind, entry->name, &error);
			continue;
		}
		if (run->result[i] == PACKAGE_MISSING)
			continue;
		snprintf(cab, sizeof(cab), "%s\\%s", run->folder, entry->name);
		if (!remove_file(cab, &code)) {
			win32_error_text(code, reason, sizeof(reason));
			dism_say(&run->step, "the staged copy %s could not be removed: %s", cab,
				 reason);
		}
	}
	if (left.count == 0) {
		if (!remove_file(run->list_path, &code)) {
			win32_error_text(code, reason, sizeof(reason));
			dism_say(&run->step, "%s could not be removed (%s): the next rescue reads it "
				 "again", run->list_path, reason);
			return;
		}
		remove_folder(run->folder);
		snprintf(cab, sizeof(cab), "%c:\\%s", run->target->letter, WIN7GEN2_STAGE_DIR);
		remove_folder(cab);
		dism_say(&run->step, "the staged packages are removed from %s: the next rescue "
			 "does not repeat them", run->folder);
		return;
	}
	length = package_list_format(&left, "win7gen2pe (the packages that failed)", text,
				     sizeof(text));
	if (!length || !replace_file(run->list_path, text, length, &code)) {
		win32_error_text(length ? code : ERROR_NOT_ENOUGH_MEMORY, reason, sizeof(reason));
		dism_say(&run->step, "%s could not be rewritten (%s): the next rescue gives every "
			 "package to DISM again", run->list_path, reason);
		return;
	}
	dism_say(&run->step, "%s now lists the %u package%s that failed, for another rescue; "
		 "the others are removed", run->list_path, left.count, left.count == 1 ? "" : "s");
}

void updates_install(const struct update_target *target, struct output *out,
		     struct update_outcome *outcome)
{
	static struct update_run run; /* a list is ~8 KiB: off the stack */
	char why[PATH_BYTES + 200], result[300];

	memset(&run, 0, sizeof(run));
	memset(outcome, 0, sizeof(*outcome));
	run.step.out = out;
	run.step.story = (struct text)TEXT_INIT;
	run.target = target;
	if (target->install) {
		if (!find_dvd_list(&run)) {
			dism_say(&run.step, "Update packages: none (no CD-ROM drive holds %s)",
				 LIST_PATH_SUFFIX);
			goto out;
		}
	} else {
		snprintf(run.folder, sizeof(run.folder), "%c:%s", target->letter,
			 WIN7GEN2_PACKAGES_DIR);
	}
	snprintf(run.list_path, sizeof(run.list_path), "%s\\%s", run.folder,
		 WIN7GEN2_PACKAGES_LIST_NAME);
	if (!target->install && !dism_file_exists(run.list_path)) {
		dism_say(&run.step, "Update packages: none staged on %c: (win7gen2 fix --package "
			 "stages them; a DVD's packages are for install only)", target->letter);
		goto out;
	}
	outcome->listed = true;
	if (!read_list(&run, why, sizeof(why))) {
		outcome->failed = true;
		/* What makes a good list again: the tool that wrote it. */
		dism_say(&run.step, "Update packages: %s is damaged (%s): no package from it is "
			 "installed; %s", run.list_path, why, target->install ?
			 "build the ISO again with win7gen2 build --package" :
			 "stage the packages again with win7gen2 fix --package");
		snprintf(outcome->status_line, sizeof(outcome->status_line),
			 "update packages: none installed, their list %s is damaged",
			 WIN7GEN2_PACKAGES_DIR "\\" WIN7GEN2_PACKAGES_LIST_NAME);
		if (target->esp_root)
			dism_log_record(&run.step, target->esp_root,
					"failed; the update package list is damaged");
		goto out;
	}
	if (run.list.count == 0) {
		outcome->listed = false; /* nothing to say in status.txt */
		dism_say(&run.step, "Update packages: none listed in %s", run.list_path);
		if (!target->install)
			tidy_staged(&run);
		goto out;
	}
	dism_say(&run.step, "Update packages: %u in %s, each in its own DISM call, servicing "
		 "stacks first", run.list.count, run.list_path);
	for (unsigned i = 0; i < run.list.count; i++)
		install_one(&run, i);
	package_tally_line(&run.tally, outcome->status_line, sizeof(outcome->status_line));
	dism_say(&run.step, "%s", outcome->status_line);
	outcome->failed = run.tally.failed > 0;
	if (!target->install)
		tidy_staged(&run);
	if (target->esp_root) {
		snprintf(result, sizeof(result), "%s; %s", outcome->failed ? "failed" : "ok",
			 outcome->status_line);
		dism_log_record(&run.step, target->esp_root, result);
	}
out:
	text_free(&run.step.story);
}
