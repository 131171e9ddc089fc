/*
 * execute.c - carry out the plan, then read every change back
 *
 * Files first, in plan order: per loader the original is written before
 * the payload replaces the loader (esp.c), and the hive's backup before
 * the hive.  Then the registry in one session: every value is set in
 * memory and the hive is committed once, atomically (backend.h); if any
 * value cannot be set, nothing is committed.  A failed step skips the
 * rest of its group, so a half-done wrap never goes on.
 *
 * Verification re-reads each changed file and value through the backend
 * and compares it byte for byte with what was meant; a change that does
 * not read back right counts as failed.  Finally a run record is
 * appended to the log on the ESP and the outcome left in status.txt
 * for the payload (report.c writes both).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "report.h"

static void progress(struct fix_plan *plan, const char *format, const char *subject)
{
	char line[FIX_ERROR_MAX];

	if (!plan->options.progress)
		return;
	snprintf(line, sizeof(line), "%s %s", format, subject);
	plan->options.progress(plan->options.progress_ctx, line);
}

static void fail(struct fix_plan *plan, struct fix_item *item, const char *what,
		 const char *why)
{
	item->result = FIX_RESULT_FAILED;
	free(item->failure);
	item->failure = text_format("%s: %s", what, why);
	if (!item->failure)
		plan->out_of_memory = true;
}

static bool group_failed(const struct fix_plan *plan, unsigned group)
{
	if (group == 0)
		return false;
	for (size_t i = 0; i < plan->count; i++)
		if (plan->items[i].group == group &&
		    (plan->items[i].result == FIX_RESULT_FAILED ||
		     plan->items[i].result == FIX_RESULT_SKIPPED))
			return true;
	return false;
}

static bool is_pending(const struct fix_item *item, enum fix_action_kind kind)
{
	return item->state == FIX_ITEM_CHANGE && item->result == FIX_RESULT_PENDING &&
	       item->action.kind == kind;
}

static void execute_file(struct fix_plan *plan, struct fix_item *item)
{
	const struct fix_backend *backend = plan->backend;
	struct fix_action *action = &item->action;
	struct fix_bytes source = { NULL, 0 };
	struct fix_error err;
	enum fix_status status = FIX_ERROR;

	switch (action->kind) {
	case FIX_ACTION_WRITE_FILE:
		progress(plan, "writing", item->subject);
		status = backend->write_file(plan->backend_ctx, action->volume, action->path,
					     action->content, action->size, FIX_WRITE_REPLACE,
					     &err);
		break;
	case FIX_ACTION_RENAME_FILE:
		progress(plan, "renaming to", item->subject);
		status = backend->rename_file(plan->backend_ctx, action->volume, action->source,
					      action->path, &err);
		break;
	case FIX_ACTION_BACKUP_FILE:
		/* Copied now, not at planning time: the backup is the file as
		 * it is just before the change. */
		progress(plan, "backing up to", item->subject);
		status = backend->read_file(plan->backend_ctx, action->volume, action->source,
					    FIX_MAX_HIVE_SIZE, &source, &err);
		if (status == FIX_NOT_FOUND)
			snprintf(err.message, sizeof(err.message), "%s is gone", action->source);
		if (status != FIX_OK) {
			status = FIX_ERROR;
			break;
		}
		status = backend->write_file(plan->backend_ctx, action->volume, action->path,
					     source.data, source.size, FIX_WRITE_NEW, &err);
		free(action->owned);
		action->owned = source.data;
		action->content = source.data;
		action->size = source.size;
		break;
	case FIX_ACTION_NONE:
	case FIX_ACTION_SET_VALUE:
		return;
	}
	if (status == FIX_OK)
		item->result = FIX_RESULT_DONE; /* until verified */
	else
		fail(plan, item, "not changed", err.message);
}

static void execute_registry(struct fix_plan *plan)
{
	const struct fix_backend *backend = plan->backend;
	struct fix_hive *hive = NULL;
	struct fix_error err;
	const char *why = NULL;
	char because[2 * FIX_ERROR_MAX];
	bool any = false;

	for (size_t i = 0; i < plan->count; i++) {
		struct fix_item *item = &plan->items[i];

		if (!is_pending(item, FIX_ACTION_SET_VALUE))
			continue;
		if (group_failed(plan, item->group))
			item->result = FIX_RESULT_SKIPPED;
		else
			any = true;
	}
	if (!any)
		return;

	progress(plan, "writing", "the SYSTEM hive");
	if (backend->hive_open(plan->backend_ctx, FIX_VOLUME_WINDOWS, FIX_HIVE_PATH, true, &hive,
			       &err) != FIX_OK) {
		why = err.message;
	} else {
		for (size_t i = 0; i < plan->count && !why; i++) {
			struct fix_item *item = &plan->items[i];
			struct fix_action *action = &item->action;

			if (!is_pending(item, FIX_ACTION_SET_VALUE))
				continue;
			if (backend->hive_set(hive, action->path, action->name, action->type,
					      action->content, action->size, &err) != FIX_OK) {
				snprintf(because, sizeof(because), "setting %s failed: %s",
					 item->subject, err.message);
				why = because;
			}
		}
		if (!why && backend->hive_commit(hive, &err) != FIX_OK)
			why = err.message;
		backend->hive_close(hive);
	}

	for (size_t i = 0; i < plan->count; i++) {
		struct fix_item *item = &plan->items[i];

		if (!is_pending(item, FIX_ACTION_SET_VALUE))
			continue;
		if (why)
			fail(plan, item, "the hive was not changed", why);
		else
			item->result = FIX_RESULT_DONE; /* until verified */
	}
}

static void verify_file(struct fix_plan *plan, struct fix_item *item)
{
	struct fix_action *action = &item->action;
	struct fix_bytes found = { NULL, 0 };
	struct fix_error err;
	enum fix_status status;
	size_t max = action->size < FIX_MAX_HIVE_SIZE ? FIX_MAX_HIVE_SIZE : action->size;

	status = plan->backend->read_file(plan->backend_ctx, action->volume, action->path, max,
					  &found, &err);
	if (status == FIX_NOT_FOUND)
		fail(plan, item, "read back", "the file is not there");
	else if (status != FIX_OK)
		fail(plan, item, "read back", err.message);
	else if (found.size != action->size ||
		 (action->size && memcmp(found.data, action->content, action->size) != 0))
		fail(plan, item, "read back", "the file differs from what was written");
	free(found.data);
}

static void verify_registry(struct fix_plan *plan)
{
	const struct fix_backend *backend = plan->backend;
	struct fix_hive *hive = NULL;
	struct fix_error err;
	bool any = false, opened;

	for (size_t i = 0; i < plan->count; i++)
		any = any || (plan->items[i].action.kind == FIX_ACTION_SET_VALUE &&
			      plan->items[i].result == FIX_RESULT_DONE);
	if (!any)
		return;
	opened = backend->hive_open(plan->backend_ctx, FIX_VOLUME_WINDOWS, FIX_HIVE_PATH, false,
				    &hive, &err) == FIX_OK;
	for (size_t i = 0; i < plan->count; i++) {
		struct fix_item *item = &plan->items[i];
		struct fix_action *action = &item->action;
		struct fix_reg_value value = { 0, NULL, 0 };
		struct fix_error get_err;
		enum fix_status status;

		if (action->kind != FIX_ACTION_SET_VALUE || item->result != FIX_RESULT_DONE)
			continue;
		if (!opened) {
			fail(plan, item, "read back", err.message);
			continue;
		}
		status = backend->hive_get(hive, action->path, action->name, &value, &get_err);
		if (status == FIX_NOT_FOUND)
			fail(plan, item, "read back", "the value is not there");
		else if (status != FIX_OK)
			fail(plan, item, "read back", get_err.message);
		else if (value.type != action->type || value.size != action->size ||
			 memcmp(value.data, action->content, action->size) != 0)
			fail(plan, item, "read back", "the value differs from what was written");
		free(value.data);
	}
	if (opened)
		backend->hive_close(hive);
}

void fix_execute(struct fix_plan *plan)
{
	if (plan->options.dry_run || plan->executed)
		return;
	plan->executed = true;

	for (size_t i = 0; i < plan->count; i++) {
		struct fix_item *item = &plan->items[i];

		if (item->state != FIX_ITEM_CHANGE || item->action.kind == FIX_ACTION_SET_VALUE)
			continue;
		if (group_failed(plan, item->group))
			item->result = FIX_RESULT_SKIPPED;
		else
			execute_file(plan, item);
	}
	execute_registry(plan);

	progress(plan, "checking", "every change");
	for (size_t i = 0; i < plan->count; i++) {
		struct fix_item *item = &plan->items[i];

		if (item->result == FIX_RESULT_DONE && item->action.kind != FIX_ACTION_SET_VALUE)
			verify_file(plan, item);
	}
	verify_registry(plan);

	report_append_log(plan);
	report_write_status(plan);
}
