/*
 * convertdisk_win32.c - the disk win7gen2pe --convert reads, from Windows
 *
 * Everything used is in Windows 7: IOCTL_DISK_GET_LENGTH_INFO and
 * IOCTL_DISK_GET_DRIVE_GEOMETRY_EX on the disk, IOCTL_STORAGE_GET_DEVICE_NUMBER
 * for its number, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS on each lettered
 * volume to find the one on a partition.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winioctl.h>

#include "convertdisk.h"
#include "disk.h"

bool convert_disk_open(const wchar_t *path, struct convert_disk *disk, DWORD *error)
{
	GET_LENGTH_INFORMATION length;
	DISK_GEOMETRY_EX geometry;
	STORAGE_DEVICE_NUMBER number;
	DWORD got;

	memset(disk, 0, sizeof(*disk));
	/* Others may keep the disk open (Windows PE's own volume manager
	 * does); the checks only read. */
	disk->handle = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				   OPEN_EXISTING, 0, NULL);
	if (disk->handle == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	if (!DeviceIoControl(disk->handle, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length,
			     sizeof(length), &got, NULL) ||
	    !DeviceIoControl(disk->handle, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, NULL, 0, &geometry,
			     sizeof(geometry), &got, NULL)) {
		*error = GetLastError();
		convert_disk_close(disk);
		return false;
	}
	disk->size = (uint64_t)length.Length.QuadPart;
	disk->block_size = geometry.Geometry.BytesPerSector;
	if (DeviceIoControl(disk->handle, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &number,
			    sizeof(number), &got, NULL)) {
		disk->number_known = true;
		disk->number = number.DeviceNumber;
	}
	return true;
}


/* A volume on one extent: a basic partition (a spanned or striped volume
 * has several, and is on a dynamic disk, which convert refuses). */
static bool volume_starts_at(wchar_t letter, unsigned disk_number, uint64_t offset)
{
	wchar_t path[8] = { L'\\', L'\\', L'.', L'\\', letter, L':', L'\0' };
	VOLUME_DISK_EXTENTS extents;
	HANDLE volume;
	DWORD got;
	bool match;

	volume = CreateFileW(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
			     NULL);
	if (volume == INVALID_HANDLE_VALUE)
		return false;
	match = DeviceIoControl(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &extents,
				sizeof(extents), &got, NULL) &&
		extents.NumberOfDiskExtents == 1 &&
		extents.Extents[0].DiskNumber == disk_number &&
		(uint64_t)extents.Extents[0].StartingOffset.QuadPart == offset;
	CloseHandle(volume);
	return match;
}

char convert_disk_partition_letter(const struct convert_disk *disk, uint64_t offset,
				   DWORD *error)
{
	DWORD drives = GetLogicalDrives();

	if (!disk->number_known) {
		*error = ERROR_NOT_SUPPORTED;
		return 0;
	}
	for (wchar_t letter = L'C'; letter <= L'Z'; letter++)
		if ((drives & (1u << (letter - L'A'))) &&
		    volume_starts_at(letter, disk->number, offset))
			return (char)letter;
	*error = ERROR_NOT_FOUND;
	return 0;
}

/* Disk numbers need not be contiguous (a removed disk leaves a gap), so
 * every number Windows PE could give a Gen2 VM's SCSI disks is tried. */
#define DISK_NUMBERS_TRIED 64

bool convert_disk_find_signature(uint32_t signature, wchar_t path[CONVERT_DISK_PATH_MAX],
				 DWORD *error)
{
	unsigned matches = 0;

	for (unsigned number = 0; number < DISK_NUMBERS_TRIED; number++) {
		DWORD query_error;
		DRIVE_LAYOUT_INFORMATION_EX *layout = disk_read_layout(number, &query_error);

		if (!layout)
			continue;
		if (layout->PartitionStyle == PARTITION_STYLE_MBR &&
		    layout->Mbr.Signature == signature) {
			if (matches++ == 0)
				swprintf(path, CONVERT_DISK_PATH_MAX, L"\\\\.\\PhysicalDrive%u",
					 number);
		}
		free(layout);
	}
	if (matches == 1)
		return true;
	*error = matches ? ERROR_DUP_NAME : ERROR_NOT_FOUND;
	return false;
}
