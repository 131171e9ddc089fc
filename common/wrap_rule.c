/*
 * wrap_rule.c - what to do with what is found at a loader path: one rule
 *
 * SPDX-License-Identifier: MIT
 */
#include "wrap_rule.h"

#include "efi_image.h"
#include "win7gen2.h"

const struct wrap_loader wrap_loaders[WRAP_LOADER_COUNT] = {
	{ WIN7GEN2_BOOTMGFW_DIR, WIN7GEN2_BOOTMGFW_STEM },
	{ WIN7GEN2_FALLBACK_DIR, WIN7GEN2_FALLBACK_STEM },
};

static bool same_bytes(const uint8_t *a, size_t a_size, const uint8_t *b, size_t b_size)
{
	if (a_size != b_size)
		return false;
	for (size_t i = 0; i < a_size; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static enum wrap_found identify(const struct wrap_file *file, struct efi_image_id *id)
{
	if (!file->present)
		return WRAP_FOUND_MISSING;
	if (!file->read)
		return WRAP_FOUND_UNREADABLE;
	efi_image_identify(file->data, file->size, id);
	switch (id->kind) {
	case EFI_IMAGE_FOREIGN:
		return WRAP_FOUND_LOADER;
	case EFI_IMAGE_PAYLOAD:
		return WRAP_FOUND_PAYLOAD;
	case EFI_IMAGE_NOT_X64:
		break;
	}
	return WRAP_FOUND_NOT_X64;
}

void wrap_input_from_files(const struct wrap_file *loader, const struct wrap_file *original,
			   const uint8_t *payload, size_t payload_size,
			   const char *given_version, struct wrap_input *in)
{
	struct efi_image_id id;

	in->loader = identify(loader, &id);
	in->loader_version[0] = '\0';
	if (in->loader == WRAP_FOUND_PAYLOAD)
		for (size_t i = 0; i < MARKER_VERSION_MAX; i++)
			in->loader_version[i] = id.version[i];
	in->loader_is_given = in->loader == WRAP_FOUND_PAYLOAD &&
			      same_bytes(loader->data, loader->size, payload, payload_size);
	in->given_version = given_version;
	in->original = identify(original, &id);
	in->original_is_loader = in->loader == WRAP_FOUND_LOADER &&
				 in->original == WRAP_FOUND_LOADER &&
				 same_bytes(original->data, original->size, loader->data,
					    loader->size);
}

static enum wrap_original original_of(enum wrap_found original)
{
	switch (original) {
	case WRAP_FOUND_LOADER:
		return WRAP_ORIGINAL_LOADER;
	case WRAP_FOUND_MISSING:
		return WRAP_ORIGINAL_MISSING;
	case WRAP_FOUND_UNREADABLE: /* refused before this is asked */
	case WRAP_FOUND_NOT_X64:
	case WRAP_FOUND_PAYLOAD:
		break;
	}
	return WRAP_ORIGINAL_NOT_LOADER;
}

/* A Microsoft loader (or any x64 loader but ours) at <stem>.efi. */
static enum wrap_action decide_loader(const struct wrap_input *in)
{
	switch (in->original) {
	case WRAP_FOUND_MISSING:
		return WRAP_WRAP;
	case WRAP_FOUND_LOADER:
		/* The same file twice: only the payload is missing (put back
		 * by hand, or an interrupted run).  Another: an update wrote
		 * a newer boot manager over the payload. */
		return in->original_is_loader ? WRAP_RESTORE : WRAP_REWRAP;
	case WRAP_FOUND_UNREADABLE:
	case WRAP_FOUND_NOT_X64:
	case WRAP_FOUND_PAYLOAD:
		break;
	}
	/* Our payload or junk where the original belongs: nothing anyone
	 * should start.  The loader replaces it. */
	return WRAP_REPLACE_ORIGINAL;
}

/* Our payload at <stem>.efi: which one stays. */
static enum wrap_action decide_payload(const struct wrap_input *in)
{
	const char *given = in->given_version ? in->given_version : "";

	if (in->loader_is_given)
		return WRAP_RIGHT;
	/* A rescue from an older ISO must not downgrade what a newer one
	 * installed; the same version built differently is replaced, so
	 * the disk ends up with the bytes the caller vouches for. */
	if (efi_image_version_compare(in->loader_version, given) > 0)
		return WRAP_KEEP_NEWER;
	return WRAP_UPGRADE;
}

void wrap_decide(const struct wrap_input *in, struct wrap_decision *out)
{
	out->original = WRAP_ORIGINAL_UNUSED;
	if (in->loader == WRAP_FOUND_UNREADABLE || in->original == WRAP_FOUND_UNREADABLE) {
		out->action = WRAP_REFUSE_UNREADABLE;
		return;
	}
	switch (in->loader) {
	case WRAP_FOUND_MISSING:
		if (in->original == WRAP_FOUND_MISSING)
			out->action = WRAP_NONE;
		else if (in->original == WRAP_FOUND_LOADER)
			out->action = WRAP_RESTORE;
		else
			out->action = WRAP_REFUSE_NO_LOADER;
		break;
	case WRAP_FOUND_LOADER:
		out->action = decide_loader(in);
		break;
	case WRAP_FOUND_PAYLOAD:
		out->action = decide_payload(in);
		break;
	case WRAP_FOUND_UNREADABLE: /* above */
	case WRAP_FOUND_NOT_X64:
		out->action = WRAP_REFUSE_NOT_X64;
		break;
	}
	if (!wrap_payload_after(out->action))
		return;
	out->original = wrap_writes_original(out->action) ? WRAP_ORIGINAL_LOADER :
							    original_of(in->original);
}

/* A loader is at <stem>.original.efi afterwards: what the payload in
 * front of the other loader falls back to (payload/main.c).  No action
 * takes a loader away from there without putting one back. */
static bool original_is_loader_after(const struct wrap_input *in,
				     const struct wrap_decision *decision)
{
	return decision->original == WRAP_ORIGINAL_LOADER || in->original == WRAP_FOUND_LOADER;
}

void wrap_decide_esp(const struct wrap_input in[WRAP_LOADER_COUNT],
		     struct wrap_decision out[WRAP_LOADER_COUNT])
{
	for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
		wrap_decide(&in[i], &out[i]);
	for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++) {
		unsigned other = (i + 1) % WRAP_LOADER_COUNT;

		if (out[i].original == WRAP_ORIGINAL_MISSING &&
		    original_is_loader_after(&in[other], &out[other]))
			out[i].original = WRAP_ORIGINAL_FALLBACK;
	}
}

bool wrap_writes_payload(enum wrap_action action)
{
	switch (action) {
	case WRAP_WRAP:
	case WRAP_REWRAP:
	case WRAP_REPLACE_ORIGINAL:
	case WRAP_RESTORE:
	case WRAP_UPGRADE:
		return true;
	case WRAP_NONE:
	case WRAP_RIGHT:
	case WRAP_KEEP_NEWER:
	case WRAP_REFUSE_UNREADABLE:
	case WRAP_REFUSE_NOT_X64:
	case WRAP_REFUSE_NO_LOADER:
		break;
	}
	return false;
}

bool wrap_writes_original(enum wrap_action action)
{
	return action == WRAP_WRAP || action == WRAP_REWRAP || action == WRAP_REPLACE_ORIGINAL;
}

bool wrap_keeps_old_original(enum wrap_action action)
{
	return action == WRAP_REWRAP;
}

bool wrap_payload_after(enum wrap_action action)
{
	return action == WRAP_RIGHT || action == WRAP_KEEP_NEWER || wrap_writes_payload(action);
}

bool wrap_is_problem(const struct wrap_decision *decision)
{
	if (decision->action == WRAP_REFUSE_UNREADABLE ||
	    decision->action == WRAP_REFUSE_NOT_X64 ||
	    decision->action == WRAP_REFUSE_NO_LOADER)
		return true;
	return decision->original == WRAP_ORIGINAL_MISSING ||
	       decision->original == WRAP_ORIGINAL_NOT_LOADER;
}

bool wrap_restores_wrap(enum wrap_action action)
{
	return action == WRAP_REWRAP || action == WRAP_RESTORE;
}

enum wrap_copy wrap_decide_copy(const struct wrap_file *file, const uint8_t *payload,
				size_t payload_size, const char *given_version)
{
	struct efi_image_id id;

	if (!file->present)
		return WRAP_COPY_WRITE;
	if (!file->read)
		return WRAP_COPY_REFUSE_UNREADABLE;
	if (same_bytes(file->data, file->size, payload, payload_size))
		return WRAP_COPY_RIGHT;
	efi_image_identify(file->data, file->size, &id);
	/* As decide_payload: never downgrade what a newer one installed. */
	if (id.kind == EFI_IMAGE_PAYLOAD &&
	    efi_image_version_compare(id.version, given_version ? given_version : "") > 0)
		return WRAP_COPY_KEEP_NEWER;
	return WRAP_COPY_WRITE;
}

const char *wrap_action_text(enum wrap_action action)
{
	switch (action) {
	case WRAP_NONE:
		return "not present";
	case WRAP_RIGHT:
		return "already wrapped";
	case WRAP_KEEP_NEWER:
		return "a newer win7gen2 payload: kept";
	case WRAP_REFUSE_UNREADABLE:
		return "cannot be read (or its original cannot): left as it is";
	case WRAP_REFUSE_NOT_X64:
		return "not an x64 EFI image: left alone";
	case WRAP_REFUSE_NO_LOADER:
		return "missing, and its original is not a boot loader: nothing to wrap";
	case WRAP_WRAP:
		return "wrapped";
	case WRAP_REWRAP:
		return "re-wrapped (an update had replaced the payload: the newer loader is "
		       "the original now, the previous one is kept as *.original.old.efi)";
	case WRAP_REPLACE_ORIGINAL:
		return "wrapped (the loader replaces what was no loader as the original)";
	case WRAP_RESTORE:
		return "payload put back in front of its original";
	case WRAP_UPGRADE:
		return "payload updated";
	}
	return "?";
}

const char *wrap_original_text(enum wrap_original original)
{
	switch (original) {
	case WRAP_ORIGINAL_UNUSED:
		return "not used";
	case WRAP_ORIGINAL_LOADER:
		return "the loader the payload starts";
	case WRAP_ORIGINAL_FALLBACK:
		return "missing; the payload starts the other loader's original";
	case WRAP_ORIGINAL_MISSING:
		return "missing, and no other: the payload has no boot manager to start";
	case WRAP_ORIGINAL_NOT_LOADER:
		return "not a loader to start (our payload or junk): put the Windows boot "
		       "manager there";
	}
	return "?";
}
