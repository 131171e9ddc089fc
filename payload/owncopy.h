/*
 * owncopy.h - the payload's own copy at \EFI\win7gen2\win7gen2.efi
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_OWNCOPY_H
#define WIN7GEN2_OWNCOPY_H

#include <efi.h>

#include "disklog.h"
#include "log.h"

/* path is WIN7GEN2_OWN_PATH: the payload was started as its own copy,
 * by its own boot entry. */
BOOLEAN own_copy_is(const CHAR16 *path);

/*
 * Make WIN7GEN2_OWN_PATH on device hold the payload bytes given (or a
 * newer payload), as common/wrap_rule.h's wrap_decide_copy says; a write
 * is shown and added to record.  EFI_SUCCESS when a payload is there
 * afterwards, for the boot entry to start.
 */
EFI_STATUS own_copy_ensure(struct log *log, struct disklog *record, EFI_HANDLE device,
			   const void *payload, UINTN payload_size, const char *version);

/*
 * Started as the own copy, the loader to start first: Windows' boot
 * manager at WIN7GEN2_BOOTMGFW_PATH when that file is a loader and not
 * our payload (an update wrote it, and it could not be wrapped again),
 * else nothing (FALSE): the payload's usual targets follow, beginning
 * with bootmgfw.original.efi.
 */
BOOLEAN own_copy_first_target(EFI_HANDLE device, CHAR16 *path, UINTN count);

#endif
