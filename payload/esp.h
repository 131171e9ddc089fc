/*
 * esp.h - find the EFI system partitions on every disk
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ESP_H
#define WIN7GEN2_ESP_H

#include <efi.h>

#define ESP_MAX 16

/*
 * Fill devices[] with the file-system handles whose partition is a GPT
 * partition of type EFI System (C12A7328-F81F-11D2-BA4B-00A0C93EC93B),
 * as the firmware's Partition Information protocol says.  Returns how
 * many; EFI_UNSUPPORTED in *status when the firmware lacks that protocol
 * (UEFI 2.7), so nothing is guessed from a partition's contents.
 */
UINTN esp_find_all(EFI_HANDLE *devices, UINTN max, EFI_STATUS *status);

#endif
