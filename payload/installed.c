/*
 * installed.c - is there already a Windows 7 this ISO installed?
 *
 * After Setup's first phase the agent restarts the VM.  If the DVD still
 * comes first in the boot order, the ISO starts again, and its menu
 * must then boot the new system rather than install over it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "efi_image.h"
#include "esp.h"
#include "file.h"
#include "installed.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)

/* Our payload in front, by the same test the wrap rule uses (an x64
 * image with the marker), and something kept behind it. */
static BOOLEAN is_wrapped(EFI_HANDLE device)
{
	struct efi_image_id id;
	void *loader;
	UINTN size;

	if (file_probe(device, WIDE(WIN7GEN2_BOOTMGFW_ORIGINAL_PATH)) != EFI_SUCCESS)
		return FALSE;
	if (file_read(device, WIDE(WIN7GEN2_BOOTMGFW_PATH), WIN7GEN2_LOADER_MAX_SIZE, &loader,
		      &size) != EFI_SUCCESS)
		return FALSE;
	efi_image_identify(loader, size, &id);
	FreePool(loader);
	return id.kind == EFI_IMAGE_PAYLOAD;
}

EFI_STATUS installed_find(EFI_HANDLE *device)
{
	EFI_HANDLE devices[ESP_MAX];
	EFI_STATUS status;
	UINTN count;

	count = esp_find_all(devices, ESP_MAX, &status);
	for (UINTN i = 0; i < count; i++)
		if (is_wrapped(devices[i])) {
			*device = devices[i];
			return EFI_SUCCESS;
		}
	return EFI_NOT_FOUND;
}
