/*
 * chainload.c - start the original Windows Boot Manager
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "chainload.h"

EFI_STATUS chainload_load(const struct chainload *chain, const CHAR16 *path,
			  EFI_HANDLE *child)
{
	EFI_DEVICE_PATH *device_path;
	EFI_STATUS status;

	*child = NULL;
	device_path = FileDevicePath(chain->device, (CHAR16 *)path);
	if (!device_path)
		return EFI_OUT_OF_RESOURCES;
	status = BS->LoadImage(FALSE, chain->parent, device_path, NULL, 0, child);
	FreePool(device_path);
	return status;
}

EFI_STATUS chainload_start(const struct chainload *chain, EFI_HANDLE child)
{
	EFI_LOADED_IMAGE *child_image;
	EFI_STATUS status;

	/*
	 * The boot manager reads its options (e.g. from a firmware boot
	 * entry) from its own LoadedImage; give it the ones we were started
	 * with, as if we were not there.
	 */
	status = BS->HandleProtocol(child, &LoadedImageProtocol, (void **)&child_image);
	if (EFI_ERROR(status)) {
		BS->UnloadImage(child);
		return status;
	}
	child_image->LoadOptions = chain->parent_image->LoadOptions;
	child_image->LoadOptionsSize = chain->parent_image->LoadOptionsSize;
	return BS->StartImage(child, NULL, NULL);
}
