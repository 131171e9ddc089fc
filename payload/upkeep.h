/*
 * upkeep.h - what the payload keeps right on an installed disk at boot
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_UPKEEP_H
#define WIN7GEN2_UPKEEP_H

#include <efi.h>

#include "config.h"
#include "log.h"

/*
 * When the payload runs from a disk's EFI system partition as
 * \EFI\Microsoft\Boot\bootmgfw.efi, \EFI\Boot\bootx64.efi or
 * WIN7GEN2_OWN_PATH (own_path, on the volume device): put the wrap back
 * where an update replaced the payload (config->self_repair), keep the
 * own copy and its boot entry first (config->boot_entry), and record
 * what changed in WIN7GEN2_LOG_PATH.  Anywhere else (the ISO, a FAT
 * image without partitions) nothing is done.  Nothing here can stop the
 * boot: every failure is said and the boot goes on.
 */
void upkeep_disk(struct log *log, const struct config *config, EFI_HANDLE device,
		 const CHAR16 *own_path);

#endif
