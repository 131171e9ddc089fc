/*
 * wrap.c - put the payload in front of a Windows boot loader on an ESP
 *
 * Order matters more than speed here.  Every new file is written under a
 * temporary name first, and the loader's own name is only given up once
 * both the payload and the kept original are complete on the disk, so an
 * interruption leaves a loader that boots Windows (with or without us).
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "file.h"
#include "marker.h"
#include "win7gen2.h"
#include "wrap.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define TEMP_SUFFIX L".w7g2new"
#define LOADER_MAX_SIZE (32u * 1024 * 1024)

struct loader_paths {
	CHAR16 loader[FILE_PATH_MAX];        /* \EFI\Microsoft\Boot\bootmgfw.efi */
	CHAR16 original[FILE_PATH_MAX];      /* ...\bootmgfw.original.efi */
	CHAR16 original_name[FILE_PATH_MAX]; /* bootmgfw.original.efi */
	CHAR16 loader_temp[FILE_PATH_MAX];
	CHAR16 original_temp[FILE_PATH_MAX];
};

static BOOLEAN join(CHAR16 *out, const CHAR16 *a, const CHAR16 *b, const CHAR16 *c)
{
	if (StrLen(a) + StrLen(b) + StrLen(c) >= FILE_PATH_MAX)
		return FALSE;
	StrCpy(out, a);
	StrCat(out, b);
	StrCat(out, c);
	return TRUE;
}

static BOOLEAN make_paths(const CHAR16 *folder, const CHAR16 *name, struct loader_paths *paths)
{
	CHAR16 stem[FILE_PATH_MAX];
	UINTN length = StrLen(name);

	if (length < 4 || length >= FILE_PATH_MAX)
		return FALSE;
	StrCpy(stem, name);
	stem[length - 4] = 0; /* drop ".efi" */
	return join(paths->loader, folder, name, L"") &&
	       join(paths->original_name, stem, WIDE(WIN7GEN2_ORIGINAL_SUFFIX), L"") &&
	       join(paths->original, folder, paths->original_name, L"") &&
	       join(paths->loader_temp, paths->loader, TEMP_SUFFIX, L"") &&
	       join(paths->original_temp, paths->original, TEMP_SUFFIX, L"");
}

static const CHAR16 *base_name(const CHAR16 *path)
{
	const CHAR16 *name = path;

	for (; *path; path++)
		if (*path == L'\\')
			name = path + 1;
	return name;
}

/* Write a file under its temporary name and move it into place. */
static EFI_STATUS write_then_rename(EFI_HANDLE device, const CHAR16 *temp,
				    const CHAR16 *final, const void *data, UINTN size)
{
	EFI_STATUS status;

	status = file_write(device, temp, data, size);
	if (EFI_ERROR(status))
		goto fail;
	status = file_delete(device, final);
	if (EFI_ERROR(status) && status != EFI_NOT_FOUND)
		goto fail;
	status = file_rename(device, temp, base_name(final));
	if (EFI_ERROR(status))
		goto fail;
	return EFI_SUCCESS;
fail:
	file_delete(device, temp);
	return status;
}

static EFI_STATUS replace_loader(EFI_HANDLE device, const struct loader_paths *paths,
				 const void *loader, UINTN loader_size,
				 const void *payload, UINTN payload_size)
{
	EFI_STATUS status;

	/* 1. the payload, complete, under a temporary name */
	status = file_write(device, paths->loader_temp, payload, payload_size);
	if (EFI_ERROR(status))
		goto fail;
	/* 2. the Microsoft loader as the original (an older one goes) */
	status = write_then_rename(device, paths->original_temp, paths->original,
				   loader, loader_size);
	if (EFI_ERROR(status))
		goto fail;
	/* 3. only now the loader's name changes hands */
	status = file_delete(device, paths->loader);
	if (EFI_ERROR(status))
		goto fail;
	status = file_rename(device, paths->loader_temp, base_name(paths->loader));
	if (EFI_ERROR(status)) {
		/* Put the Microsoft loader back rather than leave no loader. */
		file_write(device, paths->loader, loader, loader_size);
		goto fail;
	}
	return EFI_SUCCESS;
fail:
	file_delete(device, paths->loader_temp);
	return status;
}

/* Read back what was written: the payload in front, the original kept. */
static EFI_STATUS verify(EFI_HANDLE device, const struct loader_paths *paths,
			 const void *loader, UINTN loader_size,
			 const void *payload, UINTN payload_size)
{
	void *data;
	UINTN size;
	EFI_STATUS status;
	BOOLEAN same;

	status = file_read(device, paths->loader, LOADER_MAX_SIZE, &data, &size);
	if (EFI_ERROR(status))
		return status;
	same = size == payload_size && CompareMem(data, payload, size) == 0;
	FreePool(data);
	if (!same)
		return EFI_CRC_ERROR;
	status = file_read(device, paths->original, LOADER_MAX_SIZE, &data, &size);
	if (EFI_ERROR(status))
		return status;
	same = size == loader_size && CompareMem(data, loader, size) == 0;
	FreePool(data);
	return same ? EFI_SUCCESS : EFI_CRC_ERROR;
}

void wrap_loader(EFI_HANDLE device, const CHAR16 *folder, const CHAR16 *name,
		 const void *payload, UINTN payload_size, struct wrap_report *report)
{
	struct loader_paths paths;
	BOOLEAN has_original;
	void *loader;
	UINTN loader_size;
	EFI_STATUS status;

	report->status = EFI_SUCCESS;
	if (!make_paths(folder, name, &paths)) {
		report->result = WRAP_FAILED;
		report->status = EFI_INVALID_PARAMETER;
		return;
	}
	status = file_read(device, paths.loader, LOADER_MAX_SIZE, &loader, &loader_size);
	if (status == EFI_NOT_FOUND) {
		report->result = WRAP_ABSENT;
		return;
	}
	if (EFI_ERROR(status)) {
		report->result = WRAP_FAILED;
		report->status = status;
		return;
	}
	has_original = file_probe(device, paths.original) == EFI_SUCCESS;

	if (marker_find(loader, loader_size, NULL)) {
		report->result = has_original ? WRAP_ALREADY : WRAP_ORPHAN;
		goto out;
	}
	status = replace_loader(device, &paths, loader, loader_size, payload, payload_size);
	if (!EFI_ERROR(status))
		status = verify(device, &paths, loader, loader_size, payload, payload_size);
	if (EFI_ERROR(status)) {
		report->result = WRAP_FAILED;
		report->status = status;
		goto out;
	}
	report->result = has_original ? WRAP_REWRAPPED : WRAP_WRAPPED;
out:
	FreePool(loader);
}

const CHAR16 *wrap_result_text(enum wrap_result result)
{
	switch (result) {
	case WRAP_ABSENT:
		return L"not present";
	case WRAP_ALREADY:
		return L"already wrapped";
	case WRAP_WRAPPED:
		return L"wrapped";
	case WRAP_REWRAPPED:
		return L"re-wrapped (an update had replaced the payload; the newer loader is kept as the original)";
	case WRAP_ORPHAN:
		return L"payload without its original loader: cannot repair here";
	case WRAP_FAILED:
		return L"FAILED";
	}
	return L"?";
}
