/*
 * report.c - what was found, what was changed, what is still wrong
 *
 * Two views of the same items: the plan (before fix_execute: every
 * change with its value before and after) and the outcome (after: each
 * change done, failed or skipped).  Problems show in both, since they are
 * what the user has to act on.  The log record on the ESP is the
 * verbose outcome, one line per item.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "status.h"

static const char *state_label(const struct fix_item *item)
{
	switch (item->state) {
	case FIX_ITEM_RIGHT:
		return "right";
	case FIX_ITEM_CHANGE:
		break;
	case FIX_ITEM_PROBLEM:
		return "problem";
	case FIX_ITEM_NOTE:
		return "note";
	}
	switch (item->result) {
	case FIX_RESULT_DONE:
		return "done";
	case FIX_RESULT_FAILED:
		return "FAILED";
	case FIX_RESULT_SKIPPED:
		return "skipped";
	case FIX_RESULT_PENDING:
		break;
	}
	return "change";
}

static bool shown(const struct fix_item *item, enum fix_verbosity verbosity)
{
	switch (item->state) {
	case FIX_ITEM_PROBLEM:
		return true;
	case FIX_ITEM_CHANGE:
		return verbosity > FIX_QUIET || item->result == FIX_RESULT_FAILED ||
		       item->result == FIX_RESULT_SKIPPED;
	case FIX_ITEM_NOTE:
		return verbosity > FIX_QUIET;
	case FIX_ITEM_RIGHT:
		return verbosity == FIX_VERBOSE;
	}
	return false;
}

static void report_item(const struct fix_item *item, bool details, struct text *out)
{
	text_appendf(out, "  %-8s %s\n", state_label(item), item->subject);
	if (item->result == FIX_RESULT_FAILED && item->failure)
		text_appendf(out, "           %s\n", item->failure);
	if (item->result == FIX_RESULT_SKIPPED)
		text_append(out, "           not tried: an earlier step it depends on failed\n");
	if (!details)
		return;
	if (item->before)
		text_appendf(out, "           %s %s\n",
			     item->state == FIX_ITEM_CHANGE ? "was:" : "is: ", item->before);
	if (item->after && item->state == FIX_ITEM_CHANGE)
		text_appendf(out, "           now: %s\n", item->after);
	if (item->after && item->state == FIX_ITEM_PROBLEM)
		text_appendf(out, "           should be: %s\n", item->after);
	if (item->detail)
		text_appendf(out, "           %s\n", item->detail);
}

static void report_header(const struct fix_plan *plan, struct text *out)
{
	const struct fix_backend *backend = plan->backend;
	char path[FIX_ERROR_MAX];

	backend->display_path(plan->backend_ctx, FIX_VOLUME_WINDOWS, "", path, sizeof(path));
	text_appendf(out, "Windows volume: %s\n", path);
	backend->display_path(plan->backend_ctx, FIX_VOLUME_ESP, "", path, sizeof(path));
	text_appendf(out, "ESP:            %s\n", path);
	text_appendf(out, "Payload:        %s (win7gen2 payload %s)\n",
		     plan->options.payload_name ? plan->options.payload_name : "(given)",
		     plan->payload_version);
	if (plan->layout.known)
		text_appendf(out, "Disk layout:    ESP partition %u, Windows partition %u (%s)\n",
			     plan->layout.esp_partition, plan->layout.windows_partition,
			     plan->layout.how);
	else
		text_appendf(out, "Disk layout:    unknown (%s)\n", plan->layout.how);
}

static const char *plural(unsigned n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void report_summary(const struct fix_plan *plan, struct text *out)
{
	struct fix_summary s;

	fix_summarize(plan, &s);
	if (!plan->executed) {
		if (s.changes == 0 && s.problems == 0) {
			text_appendf(out, "Nothing to do: everything is already right "
				     "(%u %s).\n", s.right, plural(s.right, "check", "checks"));
			return;
		}
		text_appendf(out, "Plan: %u %s, %u already right, %u %s.\n", s.changes,
			     plural(s.changes, "change", "changes"), s.right, s.problems,
			     plural(s.problems, "problem", "problems"));
		if (plan->options.dry_run)
			text_append(out, "Dry run: nothing was changed.\n");
		return;
	}
	/* The plan has said it all when there was nothing to change. */
	if (s.changes == 0 && s.problems == 0)
		return;
	if (s.changes == 0) {
		text_appendf(out, "Result: nothing changed; %u %s left (see above).\n",
			     s.problems, plural(s.problems, "problem", "problems"));
		return;
	}
	text_appendf(out, "Result: %u of %u %s made and verified", s.done, s.changes,
		     plural(s.changes, "change", "changes"));
	if (s.failed)
		text_appendf(out, ", %u FAILED", s.failed);
	if (s.skipped)
		text_appendf(out, ", %u skipped", s.skipped);
	text_appendf(out, "; %u already right", s.right);
	if (s.problems)
		text_appendf(out, "; %u %s left (see above)", s.problems,
			     plural(s.problems, "problem", "problems"));
	text_append(out, ".\n");
}

void fix_report(const struct fix_plan *plan, enum fix_verbosity verbosity, struct text *out)
{
	if (!plan->executed) {
		if (verbosity > FIX_QUIET) {
			report_header(plan, out);
			text_append(out, "\n");
		}
		for (size_t i = 0; i < plan->count; i++)
			if (shown(&plan->items[i], verbosity))
				report_item(&plan->items[i], true, out);
	} else {
		/* The plan was shown already: now how each change went. */
		for (size_t i = 0; i < plan->count; i++) {
			const struct fix_item *item = &plan->items[i];

			if (item->state == FIX_ITEM_CHANGE && shown(item, verbosity))
				report_item(item, false, out);
		}
		if (plan->log_status && (verbosity > FIX_QUIET || !plan->log_written))
			text_appendf(out, "Run record: %s\n", plan->log_status);
		if (plan->status_error)
			text_appendf(out, "Status for the next boot: not written: %s\n",
				     plan->status_error);
	}
	report_summary(plan, out);
}

/* ------------------------------------------------------------------ */
/* The run record.                                                     */

static void log_item(const struct fix_item *item, struct text *out)
{
	const char *label = state_label(item);

	if (item->state == FIX_ITEM_CHANGE && item->result == FIX_RESULT_DONE)
		label = "changed";
	text_appendf(out, "%s %s", label, item->subject);
	if (item->state == FIX_ITEM_CHANGE)
		text_appendf(out, ": was %s; now %s", item->before ? item->before : "?",
			     item->after ? item->after : "?");
	else if (item->before)
		text_appendf(out, ": %s", item->before);
	if (item->result == FIX_RESULT_FAILED && item->failure)
		text_appendf(out, "; %s", item->failure);
	else if (item->state == FIX_ITEM_PROBLEM && item->detail)
		text_appendf(out, "; %s", item->detail);
	text_append(out, "\r\n");
}

static void log_record(const struct fix_plan *plan, struct text *out)
{
	const struct fix_options *o = &plan->options;
	struct fix_summary s;

	fix_summarize(plan, &s);
	text_appendf(out, "== %s win7gen2 fix %s (%s)\r\n", o->timestamp ? o->timestamp : "",
		     o->tool_version ? o->tool_version : "", o->where ? o->where : "");
	text_appendf(out, "payload %s: win7gen2 payload %s\r\n",
		     o->payload_name ? o->payload_name : "", plan->payload_version);
	for (size_t i = 0; i < plan->count; i++)
		log_item(&plan->items[i], out);
	text_appendf(out, "== result: %s; %u changed, %u already right, %u problems, "
		     "%u failed\r\n",
		     s.failed || s.skipped ? "failed" : s.problems ? "problems" : "ok",
		     s.done, s.right, s.problems, s.failed + s.skipped);
}

/* Keep the newest records: cut at a line start within the last half. */
static size_t log_keep_from(const struct fix_bytes *old)
{
	size_t from;

	if (old->size <= WIN7GEN2_LOG_MAX_SIZE)
		return 0;
	from = old->size - WIN7GEN2_LOG_MAX_SIZE / 2;
	while (from < old->size && old->data[from - 1] != '\n')
		from++;
	return from;
}

void report_append_log(struct fix_plan *plan)
{
	const struct fix_backend *backend = plan->backend;
	struct fix_bytes old = { NULL, 0 };
	struct text record = TEXT_INIT, file = TEXT_INIT;
	struct fix_error err;
	enum fix_status status;
	char where[FIX_ERROR_MAX];
	size_t keep;

	backend->display_path(plan->backend_ctx, FIX_VOLUME_ESP, FIX_LOG_PATH, where,
			      sizeof(where));
	status = backend->read_file(plan->backend_ctx, FIX_VOLUME_ESP, FIX_LOG_PATH,
				    4 * WIN7GEN2_LOG_MAX_SIZE, &old, &err);
	if (status == FIX_ERROR) {
		/* Never replace a log that could not be read. */
		plan->log_status = text_format("not written: %s", err.message);
		return;
	}
	log_record(plan, &record);
	keep = log_keep_from(&old);
	if (old.size > keep)
		text_append_bytes(&file, old.data + keep, old.size - keep);
	if (old.size && old.data[old.size - 1] != '\n')
		text_append(&file, "\r\n");
	text_append_bytes(&file, text_string(&record), record.length);
	free(old.data);
	if (record.failed || file.failed) {
		plan->log_status = text_format("not written: out of memory");
	} else if (backend->write_file(plan->backend_ctx, FIX_VOLUME_ESP, FIX_LOG_PATH,
				       text_string(&file), file.length, FIX_WRITE_REPLACE,
				       &err) != FIX_OK) {
		plan->log_status = text_format("not written: %s", err.message);
	} else {
		plan->log_status = text_format("%s", where);
		plan->log_written = true;
	}
	text_free(&record);
	text_free(&file);
}

/* One summary line, no longer than the payload shows. */
static void status_line(struct text *out, const char *label, const struct fix_item *item)
{
	const char *what = item->result == FIX_RESULT_FAILED && item->failure ? item->failure :
			   item->result == FIX_RESULT_SKIPPED ? "not tried" :
			   item->before ? item->before : "";
	struct text line = TEXT_INIT;

	text_appendf(&line, "%s %s: %s", label, item->subject, what);
	if (line.length > STATUS_MAX_LINE)
		line.length = STATUS_MAX_LINE;
	text_append_bytes(out, text_string(&line), line.length);
	text_append(out, "\r\n");
	text_free(&line);
}

void report_write_status(struct fix_plan *plan)
{
	const struct fix_options *o = &plan->options;
	/* The first line is the verdict; the last may say how many more. */
	const unsigned room = STATUS_MAX_LINES - 2;
	struct text status = TEXT_INIT;
	struct fix_summary s;
	struct fix_error err;
	unsigned listed = 0, more = 0;

	fix_summarize(plan, &s);
	if (fix_succeeded(plan)) {
		text_appendf(&status, WIN7GEN2_STATUS_OK "\r\n"
			     "win7gen2 fix %s (%s): %u changed, %u already right.\r\n",
			     o->tool_version ? o->tool_version : "", o->timestamp ? o->timestamp : "",
			     s.done, s.right);
	} else {
		text_appendf(&status, WIN7GEN2_STATUS_FAILED "\r\n"
			     "win7gen2 fix %s (%s): %u of %u changes made, %u problems.\r\n",
			     o->tool_version ? o->tool_version : "", o->timestamp ? o->timestamp : "",
			     s.done, s.changes, s.problems);
		for (size_t i = 0; i < plan->count; i++) {
			const struct fix_item *item = &plan->items[i];
			const char *label = item->state == FIX_ITEM_PROBLEM ? "problem" :
					    item->result == FIX_RESULT_FAILED ? "FAILED" :
					    item->result == FIX_RESULT_SKIPPED ? "skipped" : NULL;

			if (!label)
				continue;
			if (listed < room) {
				status_line(&status, label, item);
				listed++;
			} else {
				more++;
			}
		}
		if (more)
			text_appendf(&status, "... and %u more.\r\n", more);
	}
	if (status.failed) {
		plan->status_error = text_format("out of memory");
	} else if (plan->backend->write_file(plan->backend_ctx, FIX_VOLUME_ESP, FIX_STATUS_PATH,
					     text_string(&status), status.length,
					     FIX_WRITE_REPLACE, &err) != FIX_OK) {
		plan->status_error = text_format("%s", err.message);
	}
	text_free(&status);
}
