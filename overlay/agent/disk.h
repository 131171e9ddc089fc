/*
 * disk.h - which disk and partition a volume is, and the ESP beside it
 *
 * Windows numbers disks (\\.\PhysicalDriveN) and the partitions on each
 * (the N of \Device\HarddiskX\PartitionN, which is also the N of the ARC
 * name partition(N) in FirmwareBootDevice).  IOCTL_STORAGE_GET_DEVICE_NUMBER
 * on a volume gives both; IOCTL_DISK_GET_DRIVE_LAYOUT_EX on the disk lists
 * its partitions with their GPT types.  Everything here is in Windows 7's
 * kernel32 and its storage drivers.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_DISK_H
#define WIN7GEN2_AGENT_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <windows.h>
#include <winioctl.h>

#include "decide.h"

#define DISK_MAX_PARTITIONS 128
#define VOLUME_NAME_MAX 64 /* "\\?\Volume{GUID}\" with room to spare */

/* A device handle for queries only: no read or write access is needed,
 * so this works on volumes that are in use (the volume of Windows PE). */
HANDLE disk_open_for_query(const wchar_t *path);

/* \\.\PhysicalDriveN, opened as disk_open_for_query does. */
HANDLE disk_open_number(unsigned disk);

/* Disk N's layout (IOCTL_DISK_GET_DRIVE_LAYOUT_EX), in a buffer grown
 * until it fits; free() it.  NULL with *error when it cannot be read
 * (ERROR_FILE_NOT_FOUND: there is no such disk). */
DRIVE_LAYOUT_INFORMATION_EX *disk_read_layout(unsigned disk, DWORD *error);

/*
 * The disk and partition of a volume, given as a path CreateFileW opens
 * as the volume: "\\.\C:" or "\\?\Volume{...}" (no trailing '\').
 */
bool volume_device_number(const wchar_t *volume, unsigned *disk, unsigned *partition,
			  DWORD *error);

/* The same for a directory anywhere on a volume ("C:\", "Z:\tmp\esp"):
 * the volume that holds it is asked. */
bool directory_device_number(const wchar_t *directory, unsigned *disk, unsigned *partition,
			     DWORD *error);

/* The partitions of disk N with their numbers and whether each is an
 * EFI system partition (GPT type, or MBR type 0xEF). */
bool disk_partitions(unsigned disk, struct partition_fact *out, size_t max, size_t *count,
		     DWORD *error);

/* The volume ("\\?\Volume{...}\") on that disk and partition; false with
 * ERROR_FILE_NOT_FOUND when Windows has no volume for it. */
bool volume_of_partition(unsigned disk, unsigned partition, wchar_t name[VOLUME_NAME_MAX],
			 DWORD *error);

/* The volume's drive letter, or 0 when it has none. */
char volume_letter(const wchar_t *volume_name);

/* Mount the volume at a free letter (pick_free_letter); the letter, or
 * 0 with *error. */
char volume_mount_free_letter(const wchar_t *volume_name, DWORD *error);

/* Remove a mount made by volume_mount_free_letter. */
void volume_unmount(char letter);

#endif
