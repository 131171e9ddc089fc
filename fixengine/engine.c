/*
 * engine.c - fix_make_plan and the plan's life cycle
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "efi_image.h"
#include "plan.h"
#include "win7gen2.h"

static void __attribute__((format(printf, 2, 3)))
set_error(struct fix_error *err, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(err->message, sizeof(err->message), format, ap);
	va_end(ap);
}

/* The payload must be ours: installing anything else in front of the
 * Windows Boot Manager would be worse than doing nothing. */
static bool check_payload(const struct fix_options *options, char *version, size_t size,
			  struct fix_error *err)
{
	struct efi_image_id id;
	const char *name = options->payload_name ? options->payload_name : "the payload";

	efi_image_identify(options->payload, options->payload_size, &id);
	if (!id.has_marker) {
		set_error(err, "%s is not win7gen2.efi: it does not carry \"%s\" and a version",
			  name, WIN7GEN2_PAYLOAD_MARKER);
		return false;
	}
	if (id.kind != EFI_IMAGE_PAYLOAD) {
		set_error(err, "%s carries the win7gen2 marker but is not an x64 EFI "
			  "application; rebuild it (make) or take it from a release", name);
		return false;
	}
	snprintf(version, size, "%s", id.version);
	return true;
}

/* An out-of-range wait is the caller's mistake: say so rather than write
 * a value the kernel ignores or clamps. */
static bool check_boot_wait(const struct fix_options *options, struct fix_error *err)
{
	uint32_t ms = options->boot_wait_ms;

	if (ms == 0 || (ms >= FIX_BOOT_WAIT_MIN_MS && ms <= FIX_BOOT_WAIT_MAX_MS))
		return true;
	set_error(err, "a boot disk wait (PollBootPartitionTimeout) of %lu ms is out of range: "
		  "give %u to %u ms", (unsigned long)ms, FIX_BOOT_WAIT_MIN_MS, FIX_BOOT_WAIT_MAX_MS);
	return false;
}

static void root_of(const struct fix_plan *plan, enum fix_volume volume, char *buf, size_t size)
{
	plan->backend->display_path(plan->backend_ctx, volume, "", buf, size);
}

enum fix_status fix_make_plan(const struct fix_backend *backend, void *backend_ctx,
			      const struct fix_options *options,
			      struct fix_plan **out, struct fix_error *err)
{
	struct fix_plan *plan;
	struct fix_error check;
	enum fix_status status;
	char root[FIX_ERROR_MAX / 2];

	*out = NULL;
	err->message[0] = '\0';
	plan = calloc(1, sizeof(*plan));
	if (!plan) {
		snprintf(err->message, sizeof(err->message), "out of memory");
		return FIX_ERROR;
	}
	plan->backend = backend;
	plan->backend_ctx = backend_ctx;
	plan->options = *options;
	if (plan->options.boot_wait_ms == 0)
		plan->options.boot_wait_ms = FIX_BOOT_WAIT_DEFAULT_MS;
	if (!check_boot_wait(options, err) ||
	    !check_payload(options, plan->payload_version, sizeof(plan->payload_version), err)) {
		fix_plan_free(plan);
		return FIX_ERROR;
	}

	if (options->layout.known) {
		plan->layout = options->layout;
	} else if (backend->probe_layout) {
		backend->probe_layout(backend_ctx, &plan->layout);
	} else {
		plan->layout.known = false;
		snprintf(plan->layout.how, sizeof(plan->layout.how),
			 "this backend cannot tell partition numbers");
	}

	/* Wrong directories are the likeliest mistake: say so before
	 * anything else, and plan nothing in them. */
	status = backend->file_exists(backend_ctx, FIX_VOLUME_WINDOWS, FIX_HIVE_PATH, &check);
	if (status != FIX_OK) {
		root_of(plan, FIX_VOLUME_WINDOWS, root, sizeof(root));
		if (status == FIX_NOT_FOUND)
			set_error(err, "%s holds no Windows\\System32\\config\\SYSTEM: give "
				  "the root of the Windows volume (the directory that holds "
				  "Windows)", root);
		else
			set_error(err, "%s", check.message);
		fix_plan_free(plan);
		return FIX_ERROR;
	}
	if (!plan_esp(plan)) {
		root_of(plan, FIX_VOLUME_ESP, root, sizeof(root));
		/* win7gen2.h's paths, without the leading '\' of UEFI paths */
		set_error(err, "%s holds neither %s nor %s: give the root of the EFI "
			  "system partition of this Windows", root, &WIN7GEN2_BOOTMGFW_PATH[1],
			  &WIN7GEN2_FALLBACK_PATH[1]);
		fix_plan_free(plan);
		return FIX_ERROR;
	}
	plan_registry(plan);
	plan_boot_entry(plan);

	if (plan->out_of_memory) {
		snprintf(err->message, sizeof(err->message), "out of memory while planning");
		fix_plan_free(plan);
		return FIX_ERROR;
	}
	*out = plan;
	return FIX_OK;
}

void fix_summarize(const struct fix_plan *plan, struct fix_summary *summary)
{
	memset(summary, 0, sizeof(*summary));
	summary->executed = plan->executed;
	for (size_t i = 0; i < plan->count; i++) {
		const struct fix_item *item = &plan->items[i];

		switch (item->state) {
		case FIX_ITEM_RIGHT:
			summary->right++;
			break;
		case FIX_ITEM_PROBLEM:
			summary->problems++;
			break;
		case FIX_ITEM_NOTE:
			summary->notes++;
			break;
		case FIX_ITEM_CHANGE:
			summary->changes++;
			if (item->result == FIX_RESULT_DONE)
				summary->done++;
			else if (item->result == FIX_RESULT_FAILED)
				summary->failed++;
			else if (item->result == FIX_RESULT_SKIPPED)
				summary->skipped++;
			break;
		}
	}
}

bool fix_succeeded(const struct fix_plan *plan)
{
	struct fix_summary summary;

	fix_summarize(plan, &summary);
	if (summary.problems)
		return false;
	if (!plan->executed)
		return true;
	return summary.done == summary.changes;
}

bool fix_log_written(const struct fix_plan *plan)
{
	return plan->log_written;
}

const char *fix_log_status(const struct fix_plan *plan)
{
	return plan->log_status ? plan->log_status : "";
}

void fix_plan_free(struct fix_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->count; i++) {
		struct fix_item *item = &plan->items[i];

		free(item->subject);
		free(item->before);
		free(item->after);
		free(item->detail);
		free(item->failure);
		free(item->action.path);
		free(item->action.source);
		free(item->action.name);
		free(item->action.owned);
	}
	free(plan->items);
	free(plan->log_status);
	free(plan->status_error);
	free(plan);
}
