/*
 * memory_map.c - the firmware's memory map, read once
 *
 * The payload reads it to decide where ACPI tables may be (memmap.h).
 * Only the types matter for that, and allocating memory only turns free
 * memory into boot-time memory, never into ACPI memory or back, so the
 * map read before the tables are fixed stays good for them; the map key
 * (which ExitBootServices wants) is of no use here.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "memory_map.h"

/* Allocating the buffer can split a free range into two descriptors or
 * three; room for a few more keeps the second call from falling short. */
#define SLACK_DESCRIPTORS 8
/* The map only grows while we allocate; a firmware that keeps growing
 * it is not worth waiting for. */
#define MAX_ATTEMPTS 4

static void clear(struct memmap_view *view)
{
	view->descriptors = NULL;
	view->size = 0;
	view->descriptor_size = 0;
}

EFI_STATUS memory_map_read(struct memmap_view *view)
{
	EFI_MEMORY_DESCRIPTOR *buffer = NULL;
	UINTN size = 0, key = 0, descriptor_size = 0;
	UINT32 version = 0;
	EFI_STATUS status;

	clear(view);
	status = BS->GetMemoryMap(&size, NULL, &key, &descriptor_size, &version);
	for (int attempt = 0; status == EFI_BUFFER_TOO_SMALL && attempt < MAX_ATTEMPTS;
	     attempt++) {
		size += SLACK_DESCRIPTORS * descriptor_size;
		buffer = AllocatePool(size);
		if (!buffer)
			return EFI_OUT_OF_RESOURCES;
		status = BS->GetMemoryMap(&size, buffer, &key, &descriptor_size, &version);
		if (EFI_ERROR(status)) {
			FreePool(buffer);
			buffer = NULL;
		}
	}
	if (EFI_ERROR(status))
		return status;
	if (!buffer)
		return EFI_NOT_FOUND;  /* "success" with no buffer: no map */
	if (descriptor_size < MEMMAP_DESCRIPTOR_MIN_SIZE) {
		FreePool(buffer);
		return EFI_INCOMPATIBLE_VERSION;
	}
	view->descriptors = (const uint8_t *)buffer;
	view->size = size;
	view->descriptor_size = descriptor_size;
	return EFI_SUCCESS;
}

void memory_map_free(struct memmap_view *view)
{
	if (view->descriptors)
		FreePool((void *)view->descriptors);
	clear(view);
}
