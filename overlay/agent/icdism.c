/*
 * icdism.c - the Integration Services package installed by DISM, in Windows PE
 *
 * DISM unpacks the package in a scratch folder; Windows PE's X: is a RAM
 * disk with little room to write, so the folder is on the Windows volume
 * (Windows\Temp\win7gen2-dism), made before and removed after, whatever
 * DISM left in it.  DISM's log goes where the agent's own log is,
 * \EFI\win7gen2 on the ESP: it outlives Windows PE, and a FAT volume is
 * read anywhere.  Without an ESP, to the Windows volume.
 *
 * SPDX-License-Identifier: MIT
 */
#include "icdism.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fixrun.h"
#include "process.h"
#include "report_text.h"
#include "win32util.h"

/* An offline package install takes minutes; an hour means DISM hangs.
 * Then it is ended (process.h), and the step has failed. */
#define DISM_TIMEOUT_MS (60u * 60 * 1000)
#define REMOVE_MAX_DEPTH 16 /* DISM's scratch holds a folder or two */

void dism_say(struct dism_step *run, const char *format, ...)
{
	char line[1600];
	va_list ap;

	va_start(ap, format);
	vsnprintf(line, sizeof(line), format, ap);
	va_end(ap);
	output_line(run->out, "  %s", line);
	text_appendf(&run->story, "%s\n", line);
}

static DWORD attributes_of(const char *path)
{
	wchar_t *wide = wide_from_utf8(path);
	DWORD attributes = wide ? GetFileAttributesW(wide) : INVALID_FILE_ATTRIBUTES;

	free(wide);
	return attributes;
}

bool dism_file_exists(const char *path)
{
	DWORD attributes = attributes_of(path);

	return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

/*
 * dir ("D:\Windows\Temp\win7gen2-dism") and every folder above it, as
 * far as they are missing.  A link or mount point on the way is refused,
 * as the fix engine's backend refuses it: DISM must write where it seems
 * to write.
 */
static bool make_folders(const char *dir, char *why, size_t why_size)
{
	char prefix[PATH_BYTES];
	size_t length = strlen(dir);

	if (length < 3 || length >= sizeof(prefix)) {
		snprintf(why, why_size, "%s: not a folder name the agent can use", dir);
		return false;
	}
	for (size_t end = 3; end <= length; end++) {
		wchar_t *wide;
		DWORD attributes, error = ERROR_SUCCESS;

		if (end < length && dir[end] != '\\')
			continue;
		memcpy(prefix, dir, end);
		prefix[end] = '\0';
		wide = wide_from_utf8(prefix);
		if (!wide) {
			snprintf(why, why_size, "%s: not a folder name the agent can use", prefix);
			return false;
		}
		if (!CreateDirectoryW(wide, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
			error = GetLastError();
		attributes = GetFileAttributesW(wide);
		free(wide);
		if (error == ERROR_SUCCESS && attributes == INVALID_FILE_ATTRIBUTES)
			error = GetLastError();
		if (error != ERROR_SUCCESS) {
			char reason[200];

			win32_error_text(error, reason, sizeof(reason));
			snprintf(why, why_size, "%s cannot be made: %s", prefix, reason);
			return false;
		}
		if (!(attributes & FILE_ATTRIBUTE_DIRECTORY) ||
		    (attributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
			snprintf(why, why_size, "%s is a file or a link, not a folder", prefix);
			return false;
		}
	}
	return true;
}

/*
 * path and everything in it.  A link inside is removed, never followed.
 * False (with the first error) when anything is left.
 */
static bool remove_tree(const wchar_t *path, unsigned depth, DWORD *error)
{
	DWORD attributes = GetFileAttributesW(path);
	WIN32_FIND_DATAW found;
	wchar_t pattern[MAX_PATH + 2], child[MAX_PATH];
	HANDLE find;
	bool ok = true;

	if (attributes == INVALID_FILE_ATTRIBUTES) {
		*error = GetLastError();
		return *error == ERROR_FILE_NOT_FOUND || *error == ERROR_PATH_NOT_FOUND;
	}
	if (attributes & FILE_ATTRIBUTE_READONLY)
		SetFileAttributesW(path, attributes & ~(DWORD)FILE_ATTRIBUTE_READONLY);
	if (!(attributes & FILE_ATTRIBUTE_DIRECTORY)) {
		if (DeleteFileW(path))
			return true;
		*error = GetLastError();
		return false;
	}
	if (!(attributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
		if (depth >= REMOVE_MAX_DEPTH || wcslen(path) + 2 >= MAX_PATH) {
			*error = ERROR_FILENAME_EXCED_RANGE;
			return false;
		}
		swprintf(pattern, MAX_PATH + 2, L"%ls\\*", path);
		find = FindFirstFileW(pattern, &found);
		if (find != INVALID_HANDLE_VALUE) {
			do {
				if (wcscmp(found.cFileName, L".") == 0 ||
				    wcscmp(found.cFileName, L"..") == 0)
					continue;
				if (wcslen(path) + 1 + wcslen(found.cFileName) >= MAX_PATH) {
					*error = ERROR_FILENAME_EXCED_RANGE;
					ok = false;
					continue;
				}
				swprintf(child, MAX_PATH, L"%ls\\%ls", path, found.cFileName);
				if (!remove_tree(child, depth + 1, error))
					ok = false;
			} while (FindNextFileW(find, &found));
			FindClose(find);
		}
	}
	if (!RemoveDirectoryW(path)) {
		if (ok)
			*error = GetLastError();
		return false;
	}
	return ok;
}

static void remove_scratch(struct dism_step *run, const char *scratch)
{
	wchar_t *wide = wide_from_utf8(scratch);
	DWORD error = ERROR_SUCCESS;
	char reason[200];

	if (wide && remove_tree(wide, 0, &error)) {
		free(wide);
		return;
	}
	free(wide);
	win32_error_text(error, reason, sizeof(reason));
	dism_say(run, "DISM's scratch folder %s is left behind: %s", scratch, reason);
}

/*
 * The installation's own copy, once installed: the next rescue must not
 * install it again.  Its folder goes too when nothing else is in it.
 */
static void remove_staged_copy(struct dism_step *run, const char *package, char letter)
{
	wchar_t *wide = wide_from_utf8(package);
	char folder[16], reason[200];

	if (!wide || !DeleteFileW(wide)) {
		win32_error_text(wide ? GetLastError() : ERROR_INVALID_NAME, reason, sizeof(reason));
		free(wide);
		dism_say(run, "the staged copy %s could not be removed (%s): the next rescue "
			 "gives it to DISM again", package, reason);
		return;
	}
	free(wide);
	snprintf(folder, sizeof(folder), "%c:\\%s", letter, WIN7GEN2_STAGE_DIR);
	wide = wide_from_utf8(folder);
	if (wide)
		RemoveDirectoryW(wide); /* fails, as meant, when anything else is in it */
	free(wide);
	dism_say(run, "the staged copy %s is removed: it is installed", package);
}

void dism_log_record(struct dism_step *run, const char *esp_root, const char *result)
{
	struct text record = TEXT_INIT;
	char timestamp[64];

	win32_timestamp(timestamp, sizeof(timestamp));
	log_record_text(&record, timestamp, WIN7GEN2_VERSION, "Windows PE",
			text_string(&run->story), result);
	if (record.failed || run->story.failed)
		output_line(run->out, "  Log: not written (out of memory)");
	else
		fixrun_append_esp_log(esp_root, text_string(&record), run->out);
	text_free(&record);
}

/* The record for log.txt on the ESP: what was said, and the verdict. */
static void log_record(struct dism_step *run, const char *esp_root, enum ic_outcome outcome)
{
	const char *result;

	switch (outcome) {
	case IC_INSTALLED:
		result = "ok; the Integration Services package is installed";
		break;
	case IC_FAILED:
		result = "failed; the Integration Services package was not installed";
		break;
	default:
		result = "ok; no Integration Services package given";
		break;
	}
	dism_log_record(run, esp_root, result);
}

/* Which package, if any: true with its path in package. */
static bool find_package(const struct ic_target *target, char *package, size_t size,
			 bool *from_volume)
{
	*from_volume = false;
	if (!target->install) {
		snprintf(package, size, "%c:\\%s\\%s", target->letter, WIN7GEN2_STAGE_DIR,
			 WIN7GEN2_IC_PACKAGE_NAME);
		if (dism_file_exists(package)) {
			*from_volume = true;
			return true;
		}
	}
	snprintf(package, size, "%s\\%s", target->agent_dir, WIN7GEN2_IC_PACKAGE_NAME);
	return dism_file_exists(package);
}

void dism_add_package(struct dism_step *run, char letter, const char *package,
		      const char *log, struct dism_call *call)
{
	char *how = call->why;
	size_t how_size = sizeof(call->why);
	char dism[PATH_BYTES], image[8], scratch[64], log_dir[PATH_BYTES], why[PATH_BYTES + 200];
	struct ic_dism_paths paths;
	struct process_result result;
	struct text line = TEXT_INIT;
	char *slash;

	call->started = false;
	call->exited = false;
	call->exit_code = 0;
	how[0] = '\0';
	if (!process_system_program(L"dism.exe", dism, sizeof(dism))) {
		snprintf(how, how_size, "dism.exe is not in this Windows PE");
		return;
	}
	snprintf(image, sizeof(image), "%c:\\", letter);
	snprintf(scratch, sizeof(scratch), "%c:\\%s", letter, IC_SCRATCH_DIR);
	snprintf(log_dir, sizeof(log_dir), "%s", log);
	slash = strrchr(log_dir, '\\');
	if (slash)
		*slash = '\0';
	if (!make_folders(scratch, why, sizeof(why))) {
		snprintf(how, how_size, "not started: %s", why);
		return;
	}
	if (!make_folders(log_dir, why, sizeof(why))) {
		snprintf(how, how_size, "not started: %s", why);
		remove_scratch(run, scratch);
		return;
	}
	paths.dism = dism;
	paths.image = image;
	paths.package = package;
	paths.scratch = scratch;
	paths.log = log;
	ic_dism_command(&line, &paths);
	if (line.failed) {
		text_free(&line);
		snprintf(how, how_size, "not started: out of memory");
		remove_scratch(run, scratch);
		return;
	}
	dism_say(run, "DISM: %s", text_string(&line));
	process_run(dism, text_string(&line), DISM_TIMEOUT_MS, &result);
	text_free(&line);
	remove_scratch(run, scratch);
	if (!result.started) {
		snprintf(how, how_size, "not started: %s", result.why);
		return;
	}
	call->started = true;
	if (result.timed_out) {
		snprintf(how, how_size, "stopped after %u minutes", DISM_TIMEOUT_MS / 60000);
		return;
	}
	call->exited = true;
	call->exit_code = result.exit_code;
}

/* DISM run; the outcome, with how (exit code, or why it did not run)
 * and whether its log can be pointed at. */
static enum ic_outcome run_dism(struct dism_step *run, const struct ic_target *target,
				const char *package, const char *log, char *how,
				size_t how_size, bool *log_written)
{
	struct dism_call call;

	dism_add_package(run, target->letter, package, log, &call);
	*log_written = call.started;
	if (!call.exited) {
		snprintf(how, how_size, "%s", call.why);
		return IC_FAILED;
	}
	ic_dism_exit_text(call.exit_code, how, how_size);
	return ic_dism_succeeded(call.exit_code) ? IC_INSTALLED : IC_FAILED;
}

enum ic_outcome ic_install(const struct ic_target *target, struct output *out)
{
	struct dism_step run = { .out = out, .story = TEXT_INIT };
	char package[PATH_BYTES], log[PATH_BYTES], log_shown[PATH_BYTES], how[PATH_BYTES + 300];
	char line[2 * PATH_BYTES + 600];
	struct ic_context context = { target->install, target->esp_root != NULL };
	enum ic_outcome outcome;
	bool from_volume, log_written;

	if (!find_package(target, package, sizeof(package), &from_volume)) {
		outcome = target->install ? IC_NONE_INSTALL : IC_NONE_RESCUE;
		ic_outcome_line(outcome, &context, NULL, NULL, NULL, line, sizeof(line));
		dism_say(&run, "%s", line);
		goto out;
	}
	/* The log beside the agent's own on the ESP, shown as the person
	 * finds it there; else on the Windows volume, by its full name. */
	if (target->esp_root) {
		snprintf(log, sizeof(log), "%s%s", target->esp_root, IC_DISM_LOG_ON_ESP);
		snprintf(log_shown, sizeof(log_shown), "%s", WIN7GEN2_DISM_LOG_PATH);
	} else {
		snprintf(log, sizeof(log), "%c:\\%s", target->letter, IC_DISM_LOG_ON_WINDOWS);
		snprintf(log_shown, sizeof(log_shown), "%s", log);
	}
	dism_say(&run, "Integration Services: installing %s into %c: with DISM", package,
		 target->letter);
	outcome = run_dism(&run, target, package, log, how, sizeof(how), &log_written);
	ic_outcome_line(outcome, &context, package, how, log_written ? log_shown : NULL, line,
			sizeof(line));
	dism_say(&run, "%s", line);
	/* A failed package stays where it was staged, for another try. */
	if (outcome == IC_INSTALLED && from_volume)
		remove_staged_copy(&run, package, target->letter);
out:
	if (target->esp_root)
		log_record(&run, target->esp_root, outcome);
	text_free(&run.story);
	return outcome;
}
