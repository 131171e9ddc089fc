/*
 * selfrepair.h - put the wrap back when an update has replaced the payload
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_SELFREPAIR_H
#define WIN7GEN2_SELFREPAIR_H

#include <efi.h>

#include "disklog.h"
#include "log.h"

/*
 * On the ESP device the payload runs from, put the payload bytes given
 * (version: their marker's) back in front of each loader where an
 * update has replaced it, by common/wrap_rule.h's decision and within
 * wrap_restores_wrap.  Each change or failure is shown and added to
 * record; a failed write leaves the loader bootable and the boot goes
 * on.  Returns the number of loaders put back.
 */
UINTN self_repair(struct log *log, struct disklog *record, EFI_HANDLE device,
		  const void *payload, UINTN payload_size, const char *version);

#endif
