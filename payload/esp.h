/*
 * esp.h - find the EFI system partitions on every disk
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ESP_H
#define WIN7GEN2_ESP_H

#include <efi.h>

#include "bootopt.h"

#define ESP_MAX 16

/*
 * Fill devices[] with the file-system handles whose partition is a GPT
 * partition of type EFI System (C12A7328-F81F-11D2-BA4B-00A0C93EC93B),
 * as the firmware's Partition Information protocol says.  Returns how
 * many; EFI_UNSUPPORTED in *status when the firmware lacks that protocol
 * (UEFI 2.7), so nothing is guessed from a partition's contents.
 */
UINTN esp_find_all(EFI_HANDLE *devices, UINTN max, EFI_STATUS *status);

/*
 * Copy the hard-drive node of the volume device into node when it is a
 * GPT partition and, where the firmware can say (Partition Information,
 * as above), an EFI system partition: the disk an installed system
 * boots from.  EFI_NOT_FOUND for anything else (the ISO's boot image, a
 * FAT image without a partition table, an MBR disk), EFI_UNSUPPORTED
 * for a partition that is no EFI system partition.
 */
EFI_STATUS esp_partition_node(EFI_HANDLE device, UINT8 node[BOOTOPT_HD_NODE_SIZE]);

#endif
