/*
 * convertdisk.h - the disk win7gen2pe --convert reads, and its volumes
 *
 * The conversion engine (fixengine/convert.h) works on bytes; this is
 * where they come from on Windows: \\.\PhysicalDriveN (a disk Windows PE
 * sees, or a VHDX after Mount-VHD on the Hyper-V host), and the drive
 * letter of the volume on each partition, through which the files on
 * System Reserved and Windows are read.  convertdisk_win32.c asks
 * Windows; the wine tests link tests/agent/fake-convertdisk.c instead
 * (wine has no \\.\PhysicalDriveN and no volume extents), and the
 * shipped program has no way to be given a stand-in.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_CONVERTDISK_H
#define WIN7GEN2_AGENT_CONVERTDISK_H

#include <stdbool.h>
#include <stdint.h>
#include <windows.h>

struct convert_disk {
	HANDLE handle;
	uint64_t size;         /* bytes */
	uint32_t block_size;   /* bytes per sector */
	bool number_known;
	unsigned number;       /* \\.\PhysicalDriveN's N */
};

/* Opens path for reading only; false with *error (a Win32 code). */
bool convert_disk_open(const wchar_t *path, struct convert_disk *disk, DWORD *error);

/* size bytes at offset; false with *error unless all of them came. */
bool convert_disk_read(const struct convert_disk *disk, uint64_t offset, void *buffer,
		       DWORD size, DWORD *error);

void convert_disk_close(struct convert_disk *disk);

/* The drive letter of the volume that starts at byte offset on this
 * disk; 0 with *error (ERROR_NOT_FOUND: no volume there has a letter). */
char convert_disk_partition_letter(const struct convert_disk *disk, uint64_t offset,
				   DWORD *error);

/*
 * The disk whose MBR disk signature is signature (the mode value
 * convert:SSSSSSSS names it so): its path for convert_disk_open in path.
 * false with *error: ERROR_NOT_FOUND when no MBR disk has it,
 * ERROR_DUP_NAME when two have (cloned disks), as neither may be guessed.
 */
#define CONVERT_DISK_PATH_MAX 32
bool convert_disk_find_signature(uint32_t signature, wchar_t path[CONVERT_DISK_PATH_MAX],
				 DWORD *error);

#endif
