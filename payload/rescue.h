/*
 * rescue.h - repair boot files from the ISO, without Windows PE
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_RESCUE_H
#define WIN7GEN2_RESCUE_H

#include <efi.h>

#include "log.h"

/*
 * On every EFI system partition of every disk, wrap a bare Microsoft
 * \EFI\Microsoft\Boot\bootmgfw.efi and \EFI\Boot\bootx64.efi with the
 * payload bytes given.  Reports each disk and file; returns the number
 * of loaders that could not be repaired.
 */
UINTN rescue_boot_files(struct log *log, const void *payload, UINTN payload_size);

#endif
