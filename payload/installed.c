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

#include "esp.h"
#include "file.h"
#include "installed.h"
#include "marker.h"

#define INSTALLED_ORIGINAL L"\\EFI\\Microsoft\\Boot\\bootmgfw.original.efi"
#define LOADER_MAX_SIZE (32u * 1024 * 1024)

static BOOLEAN is_wrapped(EFI_HANDLE device)
{
	void *loader;
	UINTN size;
	BOOLEAN ours;

	if (file_probe(device, INSTALLED_ORIGINAL) != EFI_SUCCESS)
		return FALSE;
	if (file_read(device, INSTALLED_LOADER, LOADER_MAX_SIZE, &loader, &size) != EFI_SUCCESS)
		return FALSE;
	ours = marker_find(loader, size, NULL);
	FreePool(loader);
	return ours;
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
