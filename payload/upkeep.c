/*
 * upkeep.c - what the payload keeps right on an installed disk at boot
 *
 * The order: the wrap first (selfrepair.c), so the boot manager started
 * afterwards is the one kept as the original; then the own copy
 * (owncopy.c), then the boot entry that starts it (bootentry.c), which
 * must never point at a file that is not there.  The payload's bytes
 * are read once, from the file it was started from: what it puts in
 * front of a loader is what booted this time.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "bootentry.h"
#include "disklog.h"
#include "efi_image.h"
#include "esp.h"
#include "file.h"
#include "owncopy.h"
#include "selfrepair.h"
#include "upkeep.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)

/* Where the payload runs on a disk it keeps: a wrapped loader, or the
 * copy its boot entry starts.  Anywhere else it was put by hand. */
static const CHAR16 *const disk_paths[] = {
	WIDE(WIN7GEN2_BOOTMGFW_PATH),
	WIDE(WIN7GEN2_FALLBACK_PATH),
	WIDE(WIN7GEN2_OWN_PATH),
};

static BOOLEAN runs_from_disk_path(const CHAR16 *own_path)
{
	for (UINTN i = 0; i < sizeof(disk_paths) / sizeof(disk_paths[0]); i++)
		if (file_path_equal(own_path, disk_paths[i]))
			return TRUE;
	return FALSE;
}

void upkeep_disk(struct log *log, const struct config *config, EFI_HANDLE device,
		 const CHAR16 *own_path)
{
	UINT8 hd[BOOTOPT_HD_NODE_SIZE];
	struct efi_image_id id;
	struct disklog *record;
	void *self;
	UINTN size;
	EFI_STATUS status;

	if (!config->self_repair && !config->boot_entry)
		return;
	if (!own_path[0] || !runs_from_disk_path(own_path) ||
	    esp_partition_node(device, hd) != EFI_SUCCESS)
		return;
	status = file_read(device, own_path, WIN7GEN2_LOADER_MAX_SIZE, &self, &size);
	if (EFI_ERROR(status)) {
		log_print(log, LOG_ERROR, L"win7gen2: cannot read %s: %r; no self-repair\n",
			  own_path, status);
		return;
	}
	/* What goes in front of Windows must be win7gen2.efi (as rescue.c
	 * insists): this file, unless something replaced it meanwhile. */
	efi_image_identify(self, size, &id);
	if (id.kind != EFI_IMAGE_PAYLOAD) {
		log_print(log, LOG_ERROR, L"win7gen2: %s is no longer win7gen2.efi (%a); "
			  L"no self-repair\n", own_path, efi_image_name(&id));
		FreePool(self);
		return;
	}
	record = AllocatePool(sizeof(*record));
	if (!record) {
		FreePool(self);
		return;
	}
	disklog_start(record, own_path);
	if (config->self_repair)
		self_repair(log, record, device, self, size, id.version);
	if (config->boot_entry &&
	    own_copy_ensure(log, record, device, self, size, id.version) == EFI_SUCCESS)
		boot_entry_ensure(log, record, hd);
	status = disklog_write(record, device);
	if (EFI_ERROR(status))
		log_print(log, LOG_ERROR, L"win7gen2: cannot record this in %a: %r\n",
			  WIN7GEN2_LOG_PATH, status);
	FreePool(record);
	FreePool(self);
}
