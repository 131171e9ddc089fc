/*
 * wrap.c - put the payload in front of the Windows boot loaders on an ESP
 *
 * wrap_rule.h decides; this carries the decision out.  Order matters
 * more than speed here.  Every new file is written under a temporary
 * name first, the files kept (the original, the previous original) are
 * complete on the disk before anything is given up, and the loader's own
 * name changes hands last, so an interruption leaves a loader that boots
 * Windows (with or without us).
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "file.h"
#include "win7gen2.h"
#include "wrap.h"

struct loader_paths {
	CHAR16 loader[FILE_PATH_MAX];        /* \EFI\Microsoft\Boot\bootmgfw.efi */
	CHAR16 original[FILE_PATH_MAX];      /* ...\bootmgfw.original.efi */
	CHAR16 old_original[FILE_PATH_MAX];  /* ...\bootmgfw.original.old.efi */
	CHAR16 loader_temp[FILE_PATH_MAX];   /* the payload until its turn */
};

/* One file as read before deciding. */
struct found {
	EFI_STATUS status; /* of file_read: EFI_NOT_FOUND, another error, or success */
	void *data;
	UINTN size;
};

struct loader_files {
	BOOLEAN paths_ok;
	struct loader_paths paths;
	struct found loader, original;
};

/* Append ASCII text to a CHAR16 path; FALSE if it does not fit. */
static BOOLEAN append(CHAR16 *path, UINTN count, const char *text)
{
	UINTN at = StrLen(path);

	for (; *text; text++, at++) {
		if (at + 1 >= count)
			return FALSE;
		path[at] = (CHAR16)(UINT8)*text;
	}
	path[at] = 0;
	return TRUE;
}

BOOLEAN wrap_loader_path(const struct wrap_loader *loader, const char *suffix,
			 CHAR16 *path, UINTN count)
{
	if (count == 0)
		return FALSE;
	path[0] = 0;
	return append(path, count, loader->dir) && append(path, count, loader->stem) &&
	       append(path, count, suffix);
}

static BOOLEAN temp_of(const CHAR16 *path, CHAR16 *temp)
{
	if (StrLen(path) >= FILE_PATH_MAX)
		return FALSE;
	StrCpy(temp, path);
	return append(temp, FILE_PATH_MAX, FILE_TEMP_SUFFIX);
}

static BOOLEAN make_paths(const struct wrap_loader *loader, struct loader_paths *paths)
{
	return wrap_loader_path(loader, WIN7GEN2_LOADER_SUFFIX, paths->loader, FILE_PATH_MAX) &&
	       wrap_loader_path(loader, WIN7GEN2_ORIGINAL_SUFFIX, paths->original,
				FILE_PATH_MAX) &&
	       wrap_loader_path(loader, WIN7GEN2_OLD_ORIGINAL_SUFFIX, paths->old_original,
				FILE_PATH_MAX) &&
	       temp_of(paths->loader, paths->loader_temp);
}

static void read_found(EFI_HANDLE device, const CHAR16 *path, struct found *found)
{
	found->status = file_read(device, path, WIN7GEN2_LOADER_MAX_SIZE, &found->data,
				  &found->size);
}

static struct wrap_file as_wrap_file(const struct found *found)
{
	struct wrap_file file = {
		.present = found->status != EFI_NOT_FOUND,
		.read = !EFI_ERROR(found->status),
		.data = found->data,
		.size = found->size,
	};

	return file;
}

static void free_found(struct found *found)
{
	if (found->data)
		FreePool(found->data);
	found->data = NULL;
}

static EFI_STATUS carry_out(EFI_HANDLE device, enum wrap_action action,
			    const struct loader_files *files, const void *payload,
			    UINTN payload_size)
{
	const struct loader_paths *paths = &files->paths;
	const struct found *loader = &files->loader, *original = &files->original;
	BOOLEAN had_loader = !EFI_ERROR(loader->status);
	EFI_STATUS status;

	/* 1. the payload, complete, under a temporary name */
	status = file_write(device, paths->loader_temp, payload, payload_size);
	if (EFI_ERROR(status))
		goto fail;
	/* 2. the previous original, kept once (an older one goes) */
	if (wrap_keeps_old_original(action)) {
		status = file_replace(device, paths->old_original, original->data,
				      original->size);
		if (EFI_ERROR(status))
			goto fail;
	}
	/* 3. the loader found becomes the original */
	if (wrap_writes_original(action)) {
		status = file_replace(device, paths->original, loader->data, loader->size);
		if (EFI_ERROR(status))
			goto fail;
	}
	/* 4. only now the loader's name changes hands */
	status = file_delete(device, paths->loader);
	if (EFI_ERROR(status) && status != EFI_NOT_FOUND)
		goto fail;
	status = file_rename(device, paths->loader_temp, file_base_name(paths->loader));
	if (EFI_ERROR(status)) {
		/* Put the loader back rather than leave none. */
		if (had_loader)
			file_write(device, paths->loader, loader->data, loader->size);
		goto fail;
	}
	return EFI_SUCCESS;
fail:
	file_delete(device, paths->loader_temp);
	return status;
}

static EFI_STATUS same_as(EFI_HANDLE device, const CHAR16 *path, const void *want,
			  UINTN want_size)
{
	void *data;
	UINTN size;
	EFI_STATUS status;
	BOOLEAN same;

	status = file_read(device, path, WIN7GEN2_LOADER_MAX_SIZE, &data, &size);
	if (EFI_ERROR(status))
		return status;
	same = size == want_size && CompareMem(data, want, size) == 0;
	FreePool(data);
	return same ? EFI_SUCCESS : EFI_CRC_ERROR;
}

/* Read back what was written. */
static EFI_STATUS verify(EFI_HANDLE device, enum wrap_action action,
			 const struct loader_files *files, const void *payload,
			 UINTN payload_size)
{
	const struct loader_paths *paths = &files->paths;
	EFI_STATUS status;

	status = same_as(device, paths->loader, payload, payload_size);
	if (!EFI_ERROR(status) && wrap_writes_original(action))
		status = same_as(device, paths->original, files->loader.data,
				 files->loader.size);
	if (!EFI_ERROR(status) && wrap_keeps_old_original(action))
		status = same_as(device, paths->old_original, files->original.data,
				 files->original.size);
	return status;
}

static EFI_STATUS unreadable_status(const struct loader_files *files)
{
	if (files->loader.status != EFI_NOT_FOUND && EFI_ERROR(files->loader.status))
		return files->loader.status;
	return files->original.status;
}

static BOOLEAN in_scope(enum wrap_scope scope, enum wrap_action action)
{
	return scope == WRAP_SCOPE_ALL || wrap_restores_wrap(action);
}

void wrap_esp(EFI_HANDLE device, const void *payload, UINTN payload_size,
	      const char *version, enum wrap_scope scope,
	      struct wrap_report reports[WRAP_LOADER_COUNT])
{
	struct loader_files files[WRAP_LOADER_COUNT];
	struct wrap_input inputs[WRAP_LOADER_COUNT];
	struct wrap_decision decisions[WRAP_LOADER_COUNT];

	for (UINTN i = 0; i < WRAP_LOADER_COUNT; i++) {
		struct wrap_file loader, original;

		files[i].paths_ok = make_paths(&wrap_loaders[i], &files[i].paths);
		files[i].loader = (struct found){ EFI_INVALID_PARAMETER, NULL, 0 };
		files[i].original = (struct found){ EFI_INVALID_PARAMETER, NULL, 0 };
		if (files[i].paths_ok) {
			read_found(device, files[i].paths.loader, &files[i].loader);
			read_found(device, files[i].paths.original, &files[i].original);
		}
		loader = as_wrap_file(&files[i].loader);
		original = as_wrap_file(&files[i].original);
		wrap_input_from_files(&loader, &original, payload, payload_size, version,
				      &inputs[i]);
	}
	wrap_decide_esp(inputs, decisions);

	for (UINTN i = 0; i < WRAP_LOADER_COUNT; i++) {
		struct wrap_report *report = &reports[i];
		enum wrap_action action = decisions[i].action;

		report->decision = decisions[i];
		report->out_of_scope = wrap_writes_payload(action) && !in_scope(scope, action);
		report->failed = FALSE;
		report->status = EFI_SUCCESS;
		if (action == WRAP_REFUSE_UNREADABLE)
			report->status = unreadable_status(&files[i]);
		if (wrap_writes_payload(action) && !report->out_of_scope) {
			report->status = carry_out(device, action, &files[i], payload,
						   payload_size);
			if (!EFI_ERROR(report->status))
				report->status = verify(device, action, &files[i], payload,
							payload_size);
			report->failed = EFI_ERROR(report->status);
		}
		free_found(&files[i].loader);
		free_found(&files[i].original);
	}
}
