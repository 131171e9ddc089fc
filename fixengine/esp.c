/*
 * esp.c - plan the EFI system partition: win7gen2.efi in front of Windows
 *
 * The layout (BRIEF.md section 3, and the convention of the proven shim
 * and UefiSeven): on an installed disk the firmware starts
 * \EFI\Microsoft\Boot\bootmgfw.efi (its boot entry) or \EFI\Boot\bootx64.efi
 * (the fallback path).  Each becomes win7gen2.efi, and the Microsoft file
 * is kept beside it as <name>.original.efi, which the payload starts.
 * The boot manager finds its BCD in its own folder, so the rename is
 * transparent to it.
 *
 * What is at a loader's path decides what to do, by the rule the
 * payload's own rescue follows too (common/wrap_rule.h, where the table
 * is); this file turns each decision into the steps and report items of
 * the plan.  Reports say what a loader looks like (efi_image_name).
 *
 * Order of the writes, so that a crash at any point leaves a bootable
 * ESP: the original is written (by copy, never by moving the loader away)
 * before the payload replaces the loader, and every write is atomic
 * (backend.h).  Beside every loader that is (or becomes) the payload,
 * win7gen2.cfg for an installed disk (diskcfg.h).
 *
 * And the payload's own copy at WIN7GEN2_OWN_PATH, which its firmware
 * boot entry starts (payload/bootentry.c): a Windows update writes over
 * bootmgfw.efi, never there, so from there the payload can put the wrap
 * back at the next boot.  The payload keeps it too, at every boot; the
 * engine puts it there so a disk it wrapped has it before that boot.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskcfg.h"
#include "efi_image.h"
#include "plan.h"
#include "win7gen2.h"
#include "wrap_rule.h"

#define ESP_PATH_MAX 160
#define CONFIG_READ_MAX (1024u * 1024)

/* One file as found at planning time. */
struct found_file {
	char path[ESP_PATH_MAX];
	enum fix_status status; /* FIX_OK, FIX_NOT_FOUND or FIX_ERROR */
	struct fix_bytes bytes;
	struct efi_image_id id;
	struct fix_error error;
};

struct loader_state {
	unsigned group;              /* the steps for this loader */
	struct found_file file;      /* <name>.efi */
	struct found_file original;  /* <name>.original.efi */
	struct found_file old_original; /* <name>.original.old.efi, read if needed */
	char config[ESP_PATH_MAX];
	struct wrap_decision decision; /* wrap_rule.h */
};

static void read_found(struct fix_plan *plan, struct found_file *file)
{
	file->status = plan->backend->read_file(plan->backend_ctx, FIX_VOLUME_ESP, file->path,
						WIN7GEN2_LOADER_MAX_SIZE, &file->bytes,
						&file->error);
	if (file->status == FIX_OK)
		efi_image_identify(file->bytes.data, file->bytes.size, &file->id);
}

static struct wrap_file as_wrap_file(const struct found_file *file)
{
	struct wrap_file found = {
		.present = file->status != FIX_NOT_FOUND,
		.read = file->status == FIX_OK,
		.data = file->bytes.data,
		.size = file->bytes.size,
	};

	return found;
}

/* "Microsoft loader, 1312 bytes", "win7gen2 payload 0.1.0". */
static void describe(const struct found_file *file, char *buf, size_t size)
{
	if (file->status == FIX_NOT_FOUND)
		snprintf(buf, size, "missing");
	else if (file->id.kind == EFI_IMAGE_PAYLOAD)
		snprintf(buf, size, "win7gen2 payload %s", file->id.version);
	else
		snprintf(buf, size, "%s, %lu bytes", efi_image_name(&file->id),
			 (unsigned long)file->bytes.size);
}

static const char *leaf(const char *path)
{
	const char *slash = strrchr(path, '\\');

	return slash ? slash + 1 : path;
}

/* The payload bytes are the caller's, and outlive the plan (fix.h). */
static void add_payload_write(struct fix_plan *plan, struct fix_item *item,
			      const struct loader_state *state)
{
	if (item)
		item->group = state->group;
	item_action(plan, item, FIX_ACTION_WRITE_FILE, FIX_VOLUME_ESP, state->file.path, NULL,
		    plan->options.payload, plan->options.payload_size, NULL);
}

/* A plan-owned copy: found files are released when planning ends. */
static uint8_t *copy_bytes(struct fix_plan *plan, const struct fix_bytes *bytes)
{
	uint8_t *copy = malloc(bytes->size ? bytes->size : 1);

	if (!copy) {
		plan->out_of_memory = true;
		return NULL;
	}
	if (bytes->size)
		memcpy(copy, bytes->data, bytes->size);
	return copy;
}

/* The loader's own bytes, kept as the original. */
static void add_original_write(struct fix_plan *plan, struct fix_item *item,
			       struct loader_state *state)
{
	uint8_t *copy = copy_bytes(plan, &state->file.bytes);

	if (item)
		item->group = state->group;
	if (copy)
		item_action(plan, item, FIX_ACTION_WRITE_FILE, FIX_VOLUME_ESP,
			    state->original.path, NULL, copy, state->file.bytes.size, copy);
}

/* WRAP_REWRAP: an update wrote a newer boot manager over win7gen2.efi.
 * The previous original is kept once, as <name>.original.old.efi. */
static void plan_old_original(struct fix_plan *plan, struct loader_state *state)
{
	const struct found_file *file = &state->file, *original = &state->original;
	struct found_file *old = &state->old_original;
	struct fix_item *item;
	char old_found[96], was[96];
	uint8_t *copy;

	read_found(plan, old);
	describe(old, old_found, sizeof(old_found));
	describe(original, was, sizeof(was));
	item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", old->path);
	item_before(plan, item, "%s", old->status == FIX_ERROR ? "unreadable" : old_found);
	item_after(plan, item, "the previous original (%s)", was);
	item_detail(plan, item,
		    "win7gen2.efi at %s was replaced by another loader, as a Windows "
		    "update does: that newer loader becomes the original, and the "
		    "previous original is kept here (one generation)", leaf(file->path));
	if (item)
		item->group = state->group;
	copy = copy_bytes(plan, &original->bytes);
	if (copy)
		item_action(plan, item, FIX_ACTION_RENAME_FILE, FIX_VOLUME_ESP, old->path,
			    original->path, copy, original->bytes.size, copy);
}

/* WRAP_WRAP, WRAP_REWRAP, WRAP_REPLACE_ORIGINAL: the loader found becomes
 * the original, the payload takes its place. */
static void plan_wrap(struct fix_plan *plan, struct loader_state *state)
{
	const struct found_file *file = &state->file, *original = &state->original;
	char found[96], was[96];
	struct fix_item *item;

	describe(file, found, sizeof(found));
	describe(original, was, sizeof(was));
	switch (state->decision.action) {
	case WRAP_WRAP:
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", original->path);
		item_before(plan, item, "missing");
		item_after(plan, item, "a copy of %s (%s)", leaf(file->path), found);
		break;
	case WRAP_REWRAP:
		plan_old_original(plan, state);
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", original->path);
		item_before(plan, item, "%s", was);
		item_after(plan, item, "the newer loader from %s (%s)", leaf(file->path), found);
		break;
	default: /* WRAP_REPLACE_ORIGINAL: our payload or junk there */
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", original->path);
		item_before(plan, item, "%s, not a loader to start", was);
		item_after(plan, item, "a copy of %s (%s)", leaf(file->path), found);
		break;
	}
	add_original_write(plan, item, state);

	item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", file->path);
	item_before(plan, item, "%s", found);
	item_after(plan, item, "win7gen2 payload %s", plan->payload_version);
	add_payload_write(plan, item, state);
}

/* WRAP_RESTORE: the original is there; the payload goes (back) in front. */
static void plan_restore(struct fix_plan *plan, struct loader_state *state)
{
	const struct found_file *file = &state->file, *original = &state->original;
	char found[96], was[96];
	struct fix_item *item;

	describe(original, was, sizeof(was));
	if (file->status == FIX_NOT_FOUND) {
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", file->path);
		item_before(plan, item, "missing (its original is there: %s, %s)",
			    leaf(original->path), was);
	} else {
		/* The original is already a copy of this loader: only the
		 * payload is missing (put back by hand, or an interrupted run). */
		describe(file, found, sizeof(found));
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_RIGHT, "\\%s", original->path);
		item_before(plan, item, "the same loader as %s (%s)", leaf(file->path), found);
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", file->path);
		item_before(plan, item, "%s", found);
	}
	item_after(plan, item, "win7gen2 payload %s", plan->payload_version);
	add_payload_write(plan, item, state);
}

/* WRAP_RIGHT, WRAP_KEEP_NEWER, WRAP_UPGRADE: our payload is in front. */
static void plan_payload_in_place(struct fix_plan *plan, struct loader_state *state)
{
	const struct found_file *file = &state->file, *original = &state->original;
	struct fix_item *item;
	char was[96];

	switch (state->decision.action) {
	case WRAP_RIGHT:
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_RIGHT, "\\%s", file->path);
		item_before(plan, item, "win7gen2 payload %s", file->id.version);
		break;
	case WRAP_KEEP_NEWER:
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, "\\%s", file->path);
		item_before(plan, item, "win7gen2 payload %s", file->id.version);
		item_detail(plan, item, "newer than the payload given (%s); kept",
			    plan->payload_version);
		break;
	default: /* WRAP_UPGRADE */
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", file->path);
		item_before(plan, item, "win7gen2 payload %s%s", file->id.version,
			    efi_image_version_compare(file->id.version,
						      plan->payload_version) == 0 ?
				    " (a different build)" : "");
		item_after(plan, item, "win7gen2 payload %s", plan->payload_version);
		add_payload_write(plan, item, state);
		break;
	}

	describe(original, was, sizeof(was));
	if (state->decision.original == WRAP_ORIGINAL_LOADER) {
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_RIGHT, "\\%s", original->path);
		item_before(plan, item, "%s", was);
	} else if (state->decision.original == WRAP_ORIGINAL_NOT_LOADER) {
		/* Starting this would start the payload again, or junk. */
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM, "\\%s", original->path);
		item_before(plan, item, "%s, not a loader to start", was);
		item_detail(plan, item,
			    "put the Microsoft boot manager here (a copy of "
			    "Windows\\Boot\\EFI\\bootmgfw.efi from the Windows volume)");
	}
	/* A missing original is reported once both loaders are planned. */
}

static void plan_loader(struct fix_plan *plan, struct loader_state *state)
{
	const struct found_file *file = &state->file, *original = &state->original;
	struct fix_item *item;
	char was[96];

	state->group = plan_new_group(plan);
	switch (state->decision.action) {
	case WRAP_REFUSE_UNREADABLE: {
		const struct found_file *bad = file->status == FIX_ERROR ? file : original;

		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM, "\\%s", bad->path);
		item_before(plan, item, "cannot be read: %s", bad->error.message);
		item_detail(plan, item, "%s and its original are left as they are",
			    leaf(file->path));
		return;
	}
	case WRAP_NONE:
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, "\\%s", file->path);
		item_before(plan, item, "missing");
		item_detail(plan, item, "nothing to wrap here");
		return;
	case WRAP_REFUSE_NO_LOADER:
		describe(original, was, sizeof(was));
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM, "\\%s", file->path);
		item_before(plan, item, "missing, and %s is %s", leaf(original->path), was);
		item_detail(plan, item,
			    "no Microsoft loader to wrap: put the Windows Boot Manager back "
			    "(bcdboot, or a copy of Windows\\Boot\\EFI\\bootmgfw.efi)");
		return;
	case WRAP_REFUSE_NOT_X64:
		describe(file, was, sizeof(was));
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM, "\\%s", file->path);
		item_before(plan, item, "%s", was);
		item_detail(plan, item, "not a boot loader win7gen2 can wrap; left alone");
		return;
	case WRAP_WRAP:
	case WRAP_REWRAP:
	case WRAP_REPLACE_ORIGINAL:
		plan_wrap(plan, state);
		return;
	case WRAP_RESTORE:
		plan_restore(plan, state);
		return;
	case WRAP_RIGHT:
	case WRAP_KEEP_NEWER:
	case WRAP_UPGRADE:
		plan_payload_in_place(plan, state);
		return;
	}
}

/* A payload without its own original starts the other loader's. */
static void plan_missing_originals(struct fix_plan *plan, const struct loader_state *states)
{
	for (size_t i = 0; i < WRAP_LOADER_COUNT; i++) {
		const struct loader_state *state = &states[i];
		const struct loader_state *other = &states[(i + 1) % WRAP_LOADER_COUNT];
		struct fix_item *item;

		if (state->decision.original == WRAP_ORIGINAL_FALLBACK) {
			item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, "\\%s",
					state->original.path);
			item_before(plan, item, "missing");
			item_detail(plan, item,
				    "win7gen2.efi at %s falls back to \\%s, which is there",
				    leaf(state->file.path), other->original.path);
		} else if (state->decision.original == WRAP_ORIGINAL_MISSING) {
			item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM, "\\%s",
					state->original.path);
			item_before(plan, item, "missing");
			item_detail(plan, item,
				    "win7gen2.efi at %s has no Windows Boot Manager to start: "
				    "copy Windows\\Boot\\EFI\\bootmgfw.efi from the Windows volume "
				    "here, then run win7gen2 fix again", leaf(state->file.path));
		}
	}
}

static void plan_config(struct fix_plan *plan, const struct loader_state *state)
{
	struct fix_bytes bytes = { NULL, 0 };
	struct text content = TEXT_INIT;
	struct fix_error error;
	struct fix_item *item;
	enum fix_status status;
	unsigned warnings = 0;
	size_t size;
	uint8_t *data;

	if (!wrap_payload_after(state->decision.action))
		return;
	status = plan->backend->read_file(plan->backend_ctx, FIX_VOLUME_ESP, state->config,
					  CONFIG_READ_MAX, &bytes, &error);
	if (status == FIX_ERROR) {
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM, "\\%s", state->config);
		item_before(plan, item, "cannot be read: %s", error.message);
		return;
	}
	if (status == FIX_NOT_FOUND) {
		diskcfg_new(&content, plan->options.tool_version);
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", state->config);
		item_before(plan, item, "missing");
		item_after(plan, item, "settings for an installed disk: menu = off, "
			   "answer_prompt = off");
	} else {
		switch (diskcfg_check(bytes.data, bytes.size, &content, &warnings)) {
		case DISKCFG_RIGHT:
			item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_RIGHT, "\\%s",
					state->config);
			item_before(plan, item, "menu and answer_prompt off (%lu bytes, kept)",
				    (unsigned long)bytes.size);
			if (warnings)
				item_detail(plan, item,
					    "%u line(s) the payload will skip with a warning",
					    warnings);
			free(bytes.data);
			text_free(&content);
			return;
		case DISKCFG_TOO_BIG:
			item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM, "\\%s",
					state->config);
			item_before(plan, item, "turns the menu or the CD prompt on");
			item_detail(plan, item,
				    "too large to add \"menu = off\" where the payload reads "
				    "it; set menu = off and answer_prompt = off in it by hand");
			free(bytes.data);
			text_free(&content);
			return;
		case DISKCFG_APPEND:
			break;
		}
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", state->config);
		item_before(plan, item, "turns the menu or the CD prompt on");
		item_after(plan, item, "the same, with lines added that turn them off");
	}

	/* The whole new file: the old bytes (if any) then the new text. */
	if (content.failed || bytes.size > SIZE_MAX - content.length - 1) {
		plan->out_of_memory = true;
		free(bytes.data);
		text_free(&content);
		return;
	}
	size = bytes.size + content.length;
	data = malloc(size ? size : 1);
	if (!data) {
		plan->out_of_memory = true;
	} else {
		if (bytes.size)
			memcpy(data, bytes.data, bytes.size);
		memcpy(data + bytes.size, text_string(&content), content.length);
		if (item)
			item->group = state->group;
		item_action(plan, item, FIX_ACTION_WRITE_FILE, FIX_VOLUME_ESP, state->config,
			    NULL, data, size, data);
	}
	free(bytes.data);
	text_free(&content);
}

/* WIN7GEN2_OWN_PATH: the same decision the payload makes at boot
 * (wrap_decide_copy), shown the way the loaders are. */
static void plan_own_copy(struct fix_plan *plan)
{
	struct found_file own;
	struct wrap_file file;
	struct fix_item *item;
	char found[96];

	memset(&own, 0, sizeof(own));
	snprintf(own.path, sizeof(own.path), "%s", &WIN7GEN2_OWN_PATH[1]);
	read_found(plan, &own);
	file = as_wrap_file(&own);
	describe(&own, found, sizeof(found));
	switch (wrap_decide_copy(&file, plan->options.payload, plan->options.payload_size,
				 plan->payload_version)) {
	case WRAP_COPY_RIGHT:
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_RIGHT, "\\%s", own.path);
		item_before(plan, item, "%s", found);
		break;
	case WRAP_COPY_KEEP_NEWER:
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, "\\%s", own.path);
		item_before(plan, item, "%s", found);
		item_detail(plan, item, "newer than the payload given (%s); kept",
			    plan->payload_version);
		break;
	case WRAP_COPY_REFUSE_UNREADABLE:
		/* Windows still boots through its own entry: said, not fatal. */
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, "\\%s", own.path);
		item_before(plan, item, "cannot be read: %s", own.error.message);
		item_detail(plan, item, "left as it is; win7gen2's own boot entry starts this "
			    "file: remove it and run win7gen2 fix again");
		break;
	case WRAP_COPY_WRITE:
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_CHANGE, "\\%s", own.path);
		item_before(plan, item, "%s", found);
		item_after(plan, item, "win7gen2 payload %s, for win7gen2's own boot entry",
			   plan->payload_version);
		item_detail(plan, item, "a Windows update writes over bootmgfw.efi, never here: "
			    "started from here, win7gen2.efi puts itself back in front");
		item_action(plan, item, FIX_ACTION_WRITE_FILE, FIX_VOLUME_ESP, own.path, NULL,
			    plan->options.payload, plan->options.payload_size, NULL);
		break;
	}
	free(own.bytes.data);
}

/* dir is win7gen2.h's, with the leading '\' a backend path has not. */
static bool join(char *buf, const char *dir, const char *name, const char *suffix)
{
	int n = snprintf(buf, ESP_PATH_MAX, "%s%s%s", dir[0] == '\\' ? dir + 1 : dir, name,
			 suffix);

	return n > 0 && n < ESP_PATH_MAX;
}

bool plan_esp(struct fix_plan *plan)
{
	struct loader_state states[WRAP_LOADER_COUNT];
	struct wrap_input inputs[WRAP_LOADER_COUNT];
	struct wrap_decision decisions[WRAP_LOADER_COUNT];
	bool found = false;

	memset(states, 0, sizeof(states));
	for (size_t i = 0; i < WRAP_LOADER_COUNT; i++) {
		struct loader_state *state = &states[i];
		const struct wrap_loader *loader = &wrap_loaders[i];

		/* The names are constants that fit; a failure is a bug here. */
		if (!join(state->file.path, loader->dir, loader->stem, WIN7GEN2_LOADER_SUFFIX) ||
		    !join(state->original.path, loader->dir, loader->stem,
			  WIN7GEN2_ORIGINAL_SUFFIX) ||
		    !join(state->old_original.path, loader->dir, loader->stem,
			  WIN7GEN2_OLD_ORIGINAL_SUFFIX) ||
		    !join(state->config, loader->dir, WIN7GEN2_CONFIG_NAME, "")) {
			/* Not memory: saying "out of memory" would send the
			 * user after the wrong cause. */
			struct fix_item *item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_PROBLEM,
							 "%s%s" WIN7GEN2_LOADER_SUFFIX,
							 loader->dir, loader->stem);

			item_detail(plan, item, "its paths do not fit in the %d bytes "
				    "fixengine/esp.c has for them (ESP_PATH_MAX): a bug in "
				    "win7gen2; please report it", ESP_PATH_MAX);
			return true;
		}
	}
	for (size_t i = 0; i < WRAP_LOADER_COUNT; i++) {
		struct wrap_file file, original;

		read_found(plan, &states[i].file);
		read_found(plan, &states[i].original);
		found = found || states[i].file.status != FIX_NOT_FOUND ||
			states[i].original.status != FIX_NOT_FOUND;
		file = as_wrap_file(&states[i].file);
		original = as_wrap_file(&states[i].original);
		wrap_input_from_files(&file, &original, plan->options.payload,
				      plan->options.payload_size, plan->payload_version,
				      &inputs[i]);
	}
	wrap_decide_esp(inputs, decisions);
	for (size_t i = 0; i < WRAP_LOADER_COUNT; i++)
		states[i].decision = decisions[i];
	if (found) {
		for (size_t i = 0; i < WRAP_LOADER_COUNT; i++) {
			plan_loader(plan, &states[i]);
			plan_config(plan, &states[i]);
		}
		plan_missing_originals(plan, states);
		plan_own_copy(plan);
	}
	for (size_t i = 0; i < WRAP_LOADER_COUNT; i++) {
		free(states[i].file.bytes.data);
		free(states[i].original.bytes.data);
		free(states[i].old_original.bytes.data);
	}
	return found;
}
