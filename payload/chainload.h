/*
 * chainload.h - start the original Windows Boot Manager
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_CHAINLOAD_H
#define WIN7GEN2_CHAINLOAD_H

#include <efi.h>

struct chainload {
	EFI_HANDLE parent;           /* our image handle */
	EFI_HANDLE device;           /* the volume to load from */
	EFI_LOADED_IMAGE *parent_image; /* its load options are passed on */
};

/*
 * Load path from the device.  On success *child is a loaded image that
 * chainload_start() runs; on failure nothing is left loaded.
 */
EFI_STATUS chainload_load(const struct chainload *chain, const CHAR16 *path,
			  EFI_HANDLE *child);

/* Start a loaded child with our load options; returns its exit status. */
EFI_STATUS chainload_start(const struct chainload *chain, EFI_HANDLE child);

#endif
