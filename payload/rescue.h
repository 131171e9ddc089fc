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
 * On every EFI system partition of every disk, put the payload bytes
 * given in front of \EFI\Microsoft\Boot\bootmgfw.efi and
 * \EFI\Boot\bootx64.efi as common/wrap_rule.h decides.  Reports each
 * disk and file; returns the number of loaders that could not be
 * repaired or are left with a problem (1 when the bytes given are not
 * win7gen2.efi, and nothing is touched).
 */
UINTN rescue_boot_files(struct log *log, const void *payload, UINTN payload_size);

#endif
