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

/* Opens path for reading, and for writing too when writable (the run
 * that changes the disk; the checks and --dry-run only read).  false
 * with *error (a Win32 code). */
bool convert_disk_open(const wchar_t *path, bool writable, struct convert_disk *disk,
		       DWORD *error);

/* size bytes at offset; false with *error unless all of them came. */
bool convert_disk_read(const struct convert_disk *disk, uint64_t offset, void *buffer,
		       DWORD size, DWORD *error);

/* size bytes at offset, both whole sectors, then flushed to the disk;
 * false with *error unless all of them were written. */
bool convert_disk_write(const struct convert_disk *disk, uint64_t offset, const void *buffer,
			DWORD size, DWORD *error);

void convert_disk_close(struct convert_disk *disk);

/* After the table changed: Windows reads it again
 * (IOCTL_DISK_UPDATE_PROPERTIES), so the volumes of the new GPT appear. */
bool convert_disk_refresh(const struct convert_disk *disk, DWORD *error);

/*
 * The volume on the partition at byte offset, locked and dismounted
 * (FSCTL_LOCK_VOLUME, FSCTL_DISMOUNT_VOLUME) so that its sectors may be
 * written through the disk: System Reserved before it becomes the ESP,
 * or when --undo puts it back.  Windows refuses writes to a mounted
 * volume's sectors.  The lock holds until convert_volume_release.  A
 * partition Windows has no volume for needs no lock: true, and
 * volume->handle is INVALID_HANDLE_VALUE.
 */
struct convert_volume {
	HANDLE handle;
};
bool convert_disk_lock_partition(const struct convert_disk *disk, uint64_t offset,
				 struct convert_volume *volume, DWORD *error);
void convert_volume_release(struct convert_volume *volume);

/* The drive letter of the volume at offset, given a free one when it has
 * none (the new ESP, which Windows leaves unlettered); 0 with *error.
 * *mounted says a letter was given, for convert_disk_unmount. */
char convert_disk_mount_partition(const struct convert_disk *disk, uint64_t offset,
				  bool *mounted, DWORD *error);
void convert_disk_unmount(char letter);

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
