/*
 * fixrun.c - one run of the fix engine through the Win32 backend
 *
 * SPDX-License-Identifier: MIT
 */
#include "fixrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_win32.h"
#include "firmware.h"
#include "report_text.h"
#include "status.h"
#include "win32util.h"

static void show_progress(void *ctx, const char *line)
{
	output_line(ctx, "  ... %s", line);
}

static void show_report(const struct fix_plan *plan, enum fix_verbosity verbosity,
			struct output *out)
{
	struct text report = TEXT_INIT;

	fix_report(plan, verbosity, &report);
	if (report.failed)
		output_line(out, "(out of memory while reporting)");
	output_text(out, text_string(&report));
	text_free(&report);
}

/*
 * Lines of a quiet report, without their indentation, for status.txt:
 * what is wrong.  Before fix_execute the quiet report lists the problems
 * (the plan view); after it, the changes that failed and the result.
 * The plan's own summary line ("Plan: ...") says nothing the payload's
 * reader can act on and is left out.  Appends to lines[*count..max).
 */
static void quiet_lines(struct text *quiet, const char **lines, size_t *count, size_t max)
{
	char *line;

	if (quiet->failed || !quiet->data)
		return;
	for (line = quiet->data; *line && *count < max;) {
		char *end = strchr(line, '\n');

		if (end)
			*end = '\0';
		while (*line == ' ')
			line++;
		if (*line && strncmp(line, "Plan:", 5) != 0)
			lines[(*count)++] = line;
		if (!end)
			break;
		line = end + 1;
	}
}

static bool write_status(const struct fix_backend *backend, void *ctx, bool ok,
			 const char *const *lines, size_t count, struct output *out)
{
	struct text status = TEXT_INIT;
	struct fix_error err;
	char where[RELPATH_MAX];
	bool written = false;

	status_file_text(&status, ok, lines, count);
	backend->display_path(ctx, FIX_VOLUME_ESP, AGENT_STATUS_PATH, where, sizeof(where));
	if (status.failed)
		output_line(out, "Status: not written (out of memory)");
	else if (backend->write_file(ctx, FIX_VOLUME_ESP, AGENT_STATUS_PATH, text_string(&status),
				     status.length, FIX_WRITE_REPLACE, &err) != FIX_OK)
		output_line(out, "Status: not written: %s", err.message);
	else {
		output_line(out, "Status: %s in %s", ok ? "ok" : "failed", where);
		written = true;
	}
	text_free(&status);
	return written;
}

static void status_after_run(const struct fixrun_request *request,
			     const struct fix_backend *backend, void *ctx,
			     const struct fix_plan *plan, struct text *plan_quiet,
			     struct output *out, struct fixrun_outcome *outcome)
{
	struct fix_summary summary;
	struct text outcome_quiet = TEXT_INIT;
	char head[200], counts[200];
	const char *lines[STATUS_MAX_LINES];
	size_t count = 0;

	fix_summarize(plan, &summary);
	snprintf(head, sizeof(head), "win7gen2pe %s: Windows on %s %s", WIN7GEN2_VERSION,
		 request->windows_root, outcome->succeeded ? "is ready to boot on Hyper-V Gen2" :
		 "may not boot on Hyper-V Gen2");
	snprintf(counts, sizeof(counts), "%u changed and verified, %u already right, %u "
		 "failed, %u problems", summary.done, summary.right,
		 summary.failed + summary.skipped, summary.problems);
	lines[count++] = head;
	lines[count++] = counts;
	/* What happened to the updates matters whether or not the fix did. */
	if (request->packages_line)
		lines[count++] = request->packages_line;
	if (!outcome->succeeded) {
		fix_report(plan, FIX_QUIET, &outcome_quiet);
		quiet_lines(plan_quiet, lines, &count, STATUS_MAX_LINES - 1);
		quiet_lines(&outcome_quiet, lines, &count, STATUS_MAX_LINES - 1);
	}
	lines[count++] = "the full log: " WIN7GEN2_LOG_PATH " on this partition";
	outcome->status_written = write_status(backend, ctx, outcome->succeeded, lines, count, out);
	text_free(&outcome_quiet);
}

void fixrun(const struct fixrun_request *request, struct output *out,
	    struct fixrun_outcome *outcome)
{
	struct fix_options options = { 0 };
	struct fix_backend engine_backend;
	struct win32_fix backend;
	struct fix_plan *plan = NULL;
	struct fix_error err;
	struct text plan_quiet = TEXT_INIT;
	char when[64];

	memset(outcome, 0, sizeof(*outcome));
	if (win32_fix_init(&backend, request->windows_root, request->esp_root,
			   request->copies_in_temp, &err) != FIX_OK) {
		output_line(out, "win7gen2pe: %s", err.message);
		return;
	}
	win32_timestamp(when, sizeof(when));
	options.payload = request->payload;
	options.payload_size = request->payload_size;
	options.payload_name = request->payload_name;
	options.dry_run = request->dry_run;
	options.layout = request->layout;
	options.tool_version = WIN7GEN2_VERSION;
	options.timestamp = when;
	options.where = request->where;
	options.progress = request->verbosity == FIX_VERBOSE ? show_progress : NULL;
	options.progress_ctx = out;

	engine_backend = win32_fix_backend;
	if (request->firmware_is_the_vms)
		engine_backend.read_boot_variable = firmware_read_boot_variable;
	if (fix_make_plan(&engine_backend, &backend, &options, &plan, &err) != FIX_OK) {
		const char *line = err.message;

		output_line(out, "win7gen2pe: %s", err.message);
		/* Only on a partition known to be an ESP: a directory the user
		 * named, wrongly as the message may say, gets no files. */
		if (request->write_status && request->esp_by_type && !request->dry_run)
			outcome->status_written = write_status(&win32_fix_backend, &backend, false,
							       &line, 1, out);
		return;
	}
	outcome->planned = true;
	show_report(plan, request->verbosity, out);
	fix_report(plan, FIX_QUIET, &plan_quiet);
	if (!request->dry_run) {
		struct fix_summary summary;

		fix_summarize(plan, &summary);
		if (summary.changes && request->verbosity > FIX_QUIET)
			output_line(out, "\nMaking the changes:");
		fix_execute(plan);
		show_report(plan, request->verbosity, out);
	}
	outcome->succeeded = fix_succeeded(plan);
	if (request->write_status && !request->dry_run)
		status_after_run(request, &win32_fix_backend, &backend, plan, &plan_quiet, out,
				 outcome);
	text_free(&plan_quiet);
	fix_plan_free(plan);
}

bool fixrun_read_payload(const char *path, uint8_t **data, size_t *size, char *why,
			 size_t why_size)
{
	wchar_t *wide = wide_from_utf8(path);
	DWORD error;
	char reason[256];
	bool read;

	*data = NULL;
	*size = 0;
	if (!wide) {
		snprintf(why, why_size, "%s: not a valid name", path);
		return false;
	}
	read = win32_read_whole(wide, PAYLOAD_MAX_SIZE, data, size, &error);
	free(wide);
	if (read)
		return true;
	if (error == ERROR_FILE_TOO_LARGE) {
		snprintf(why, why_size, "%s: larger than any win7gen2.efi (%u MiB): not the payload",
			 path, (unsigned)(PAYLOAD_MAX_SIZE >> 20));
		return false;
	}
	win32_error_text(error, reason, sizeof(reason));
	snprintf(why, why_size, "%s: %s", path, reason);
	return false;
}

/* Append record to log.txt on the ESP ctx has open. */
static bool append_log(struct win32_fix *ctx, const char *record, struct output *out)
{
	const struct fix_backend *backend = &win32_fix_backend;
	struct fix_error err;
	struct fix_bytes old = { NULL, 0 };
	struct text file = TEXT_INIT;
	enum fix_status status;
	bool written = false;

	status = backend->read_file(ctx, FIX_VOLUME_ESP, AGENT_LOG_PATH, 4 * WIN7GEN2_LOG_MAX_SIZE,
				    &old, &err);
	if (status == FIX_ERROR) {
		/* Never replace a log that could not be read. */
		output_line(out, "Log: not written: %s", err.message);
		return false;
	}
	log_file_append(&file, old.data, old.size, record, WIN7GEN2_LOG_MAX_SIZE);
	free(old.data);
	if (file.failed)
		output_line(out, "Log: not written (out of memory)");
	else if (backend->write_file(ctx, FIX_VOLUME_ESP, AGENT_LOG_PATH, text_string(&file),
				     file.length, FIX_WRITE_REPLACE, &err) != FIX_OK)
		output_line(out, "Log: not written: %s", err.message);
	else {
		output_line(out, "Log: a record added to %s\\%s", ctx->root[FIX_VOLUME_ESP],
			    AGENT_LOG_PATH);
		written = true;
	}
	text_free(&file);
	return written;
}

bool fixrun_write_esp_report(const char *esp_root, bool ok, const char *const *lines,
			     size_t count, const char *record, struct output *out)
{
	struct win32_fix ctx;
	struct fix_error err;
	bool written;

	/* Only the ESP is used; it stands in for the Windows volume too. */
	if (win32_fix_init(&ctx, esp_root, esp_root, false, &err) != FIX_OK) {
		output_line(out, "win7gen2pe: %s", err.message);
		return false;
	}
	written = write_status(&win32_fix_backend, &ctx, ok, lines, count, out);
	if (record)
		append_log(&ctx, record, out);
	return written;
}

bool fixrun_append_esp_log(const char *esp_root, const char *record, struct output *out)
{
	struct win32_fix ctx;
	struct fix_error err;

	if (win32_fix_init(&ctx, esp_root, esp_root, false, &err) != FIX_OK) {
		output_line(out, "win7gen2pe: %s", err.message);
		return false;
	}
	return append_log(&ctx, record, out);
}
