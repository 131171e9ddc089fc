/*
 * convertdisk_win32.c - the disk win7gen2pe --convert reads, from Windows
 *
 * Everything used is in Windows 7: IOCTL_DISK_GET_LENGTH_INFO and
 * IOCTL_DISK_GET_DRIVE_GEOMETRY_EX on the disk, IOCTL_STORAGE_GET_DEVICE_NUMBER
 * for its number, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS on each volume to
 * find the one on a partition, FSCTL_LOCK_VOLUME and FSCTL_DISMOUNT_VOLUME
 * before a volume's sectors are written, IOCTL_DISK_UPDATE_PROPERTIES
 * after the table is.
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

bool convert_disk_open(const wchar_t *path, bool writable, struct convert_disk *disk,
		       DWORD *error)
{
	GET_LENGTH_INFORMATION length;
	DISK_GEOMETRY_EX geometry;
	STORAGE_DEVICE_NUMBER number;
	DWORD got;

	memset(disk, 0, sizeof(*disk));
	/* Others may keep the disk open (Windows PE's own volume manager
	 * does); what they have mounted is locked before it is written. */
	disk->handle = CreateFileW(path, GENERIC_READ | (writable ? GENERIC_WRITE : 0),
				   FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
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


/* The volume ("\\?\Volume{...}\") whose one extent starts at offset
 * on this disk, lettered or not. */
static bool volume_at(const struct convert_disk *disk, uint64_t offset,
		      wchar_t name[VOLUME_NAME_MAX], DWORD *error)
{
	HANDLE search;
	bool found = false;

	if (!disk->number_known) {
		*error = ERROR_NOT_SUPPORTED;
		return false;
	}
	search = FindFirstVolumeW(name, VOLUME_NAME_MAX);
	if (search == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	do {
		size_t n = wcslen(name);
		VOLUME_DISK_EXTENTS extents;
		HANDLE volume;
		DWORD got;

		if (n == 0 || name[n - 1] != L'\\')
			continue;
		/* CreateFileW opens the volume itself without the '\\'. */
		name[n - 1] = L'\0';
		volume = CreateFileW(name, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				     OPEN_EXISTING, 0, NULL);
		name[n - 1] = L'\\';
		if (volume == INVALID_HANDLE_VALUE)
			continue;
		found = DeviceIoControl(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0,
					&extents, sizeof(extents), &got, NULL) &&
			extents.NumberOfDiskExtents == 1 &&
			extents.Extents[0].DiskNumber == disk->number &&
			(uint64_t)extents.Extents[0].StartingOffset.QuadPart == offset;
		CloseHandle(volume);
	} while (!found && FindNextVolumeW(search, name, VOLUME_NAME_MAX));
	FindVolumeClose(search);
	*error = found ? ERROR_SUCCESS : ERROR_NOT_FOUND;
	return found;
}

/* A volume on one extent is a basic partition (a spanned or striped volume
 * has several, and is on a dynamic disk, which convert refuses). */
char convert_disk_partition_letter(const struct convert_disk *disk, uint64_t offset,
				   DWORD *error)
{
	wchar_t name[VOLUME_NAME_MAX];
	char letter;

	if (!volume_at(disk, offset, name, error))
		return 0;
	letter = volume_letter(name);
	if (!letter)
		*error = ERROR_NOT_FOUND;
	return letter;
}

bool convert_disk_refresh(const struct convert_disk *disk, DWORD *error)
{
	DWORD got;

	if (!DeviceIoControl(disk->handle, IOCTL_DISK_UPDATE_PROPERTIES, NULL, 0, NULL, 0, &got,
			     NULL)) {
		*error = GetLastError();
		return false;
	}
	return true;
}

bool convert_disk_lock_partition(const struct convert_disk *disk, uint64_t offset,
				 struct convert_volume *volume, DWORD *error)
{
	wchar_t name[VOLUME_NAME_MAX];
	DWORD got;
	size_t n;

	volume->handle = INVALID_HANDLE_VALUE;
	if (!volume_at(disk, offset, name, error))
		return *error == ERROR_NOT_FOUND;
	n = wcslen(name);
	name[n - 1] = L'\0';
	volume->handle = CreateFileW(name, GENERIC_READ | GENERIC_WRITE,
				     FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
				     NULL);
	if (volume->handle == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	/* The lock fails while files on the volume are open (ERROR_ACCESS_DENIED):
	 * nothing is forced, the caller says which volume is busy. */
	if (!DeviceIoControl(volume->handle, FSCTL_LOCK_VOLUME, NULL, 0, NULL, 0, &got, NULL) ||
	    !DeviceIoControl(volume->handle, FSCTL_DISMOUNT_VOLUME, NULL, 0, NULL, 0, &got,
			     NULL)) {
		*error = GetLastError();
		convert_volume_release(volume);
		return false;
	}
	return true;
}

void convert_volume_release(struct convert_volume *volume)
{
	if (volume->handle != INVALID_HANDLE_VALUE && volume->handle)
		CloseHandle(volume->handle);
	volume->handle = INVALID_HANDLE_VALUE;
}

char convert_disk_mount_partition(const struct convert_disk *disk, uint64_t offset,
				  bool *mounted, DWORD *error)
{
	wchar_t name[VOLUME_NAME_MAX];
	char letter;

	*mounted = false;
	if (!volume_at(disk, offset, name, error))
		return 0;
	letter = volume_letter(name);
	if (letter)
		return letter;
	letter = volume_mount_free_letter(name, error);
	*mounted = letter != 0;
	return letter;
}

void convert_disk_unmount(char letter)
{
	volume_unmount(letter);
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
