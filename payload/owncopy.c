/*
 * owncopy.c - the payload's own copy at \EFI\win7gen2\win7gen2.efi
 *
 * Windows' boot entry starts \EFI\Microsoft\Boot\bootmgfw.efi, which an
 * update may overwrite; our own boot entry (bootentry.c) starts this
 * copy instead, in a folder no update writes.  Each boot from the disk
 * checks it is there, so a disk wrapped by an older win7gen2 gets it at
 * its next boot.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "efi_image.h"
#include "file.h"
#include "owncopy.h"
#include "win7gen2.h"
#include "wrap_rule.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)

static const CHAR16 own_path[] = WIDE(WIN7GEN2_OWN_PATH);
/* Its folder, without the trailing '\' the firmware would not open. */
static const CHAR16 own_dir[] = L"\\EFI\\win7gen2";

BOOLEAN own_copy_is(const CHAR16 *path)
{
	return file_path_equal(path, own_path);
}

EFI_STATUS own_copy_ensure(struct log *log, struct disklog *record, EFI_HANDLE device,
			   const void *payload, UINTN payload_size, const char *version)
{
	struct wrap_file found = { 0 };
	struct efi_image_id id = { .kind = EFI_IMAGE_NOT_X64 };
	void *data = NULL;
	UINTN size = 0;
	EFI_STATUS status;
	enum wrap_copy decision;

	status = file_read(device, own_path, WIN7GEN2_LOADER_MAX_SIZE, &data, &size);
	found.present = status != EFI_NOT_FOUND;
	found.read = !EFI_ERROR(status);
	found.data = data;
	found.size = size;
	decision = wrap_decide_copy(&found, payload, payload_size, version);
	if (data) {
		efi_image_identify(data, size, &id);
		FreePool(data);
	}

	switch (decision) {
	case WRAP_COPY_RIGHT:
	case WRAP_COPY_KEEP_NEWER:
		return EFI_SUCCESS;
	case WRAP_COPY_REFUSE_UNREADABLE:
		log_print(log, LOG_ERROR, L"win7gen2: cannot read %s: %r; left as it is\n",
			  own_path, status);
		return status;
	case WRAP_COPY_WRITE:
		break;
	}
	status = file_make_dir(device, own_dir);
	if (!EFI_ERROR(status))
		status = file_replace(device, own_path, payload, payload_size);
	if (EFI_ERROR(status)) {
		log_print(log, LOG_ERROR, L"win7gen2: cannot write %s: %r\n", own_path, status);
		disklog_add(record, "failed", L"%s: a copy of win7gen2.efi for its boot entry; %r",
			    own_path, status);
		/* An older payload there still boots Windows through the entry. */
		return id.kind == EFI_IMAGE_PAYLOAD && file_probe(device, own_path) == EFI_SUCCESS ?
			       EFI_SUCCESS : status;
	}
	log_print(log, LOG_INFO, L"win7gen2: %s: %a\n", own_path,
		  found.present ? "updated" : "written, for win7gen2's own boot entry");
	disklog_add(record, "changed", L"%s: %a", own_path,
		    found.present ? "updated to this win7gen2.efi" :
				    "a copy of win7gen2.efi for its boot entry");
	return EFI_SUCCESS;
}

BOOLEAN own_copy_first_target(EFI_HANDLE device, CHAR16 *path, UINTN count)
{
	static const CHAR16 bootmgfw[] = WIDE(WIN7GEN2_BOOTMGFW_PATH);
	struct efi_image_id id;
	void *data;
	UINTN size;

	if (StrLen(bootmgfw) >= count ||
	    file_read(device, bootmgfw, WIN7GEN2_LOADER_MAX_SIZE, &data, &size) != EFI_SUCCESS)
		return FALSE;
	efi_image_identify(data, size, &id);
	FreePool(data);
	if (id.kind != EFI_IMAGE_FOREIGN)
		return FALSE;
	StrCpy(path, bootmgfw);
	return TRUE;
}
