/*
 * disk.c - which disk and partition a volume is, and the ESP beside it
 *
 * SPDX-License-Identifier: MIT
 */
#include "disk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <winioctl.h>

/* PARTITION_SYSTEM_GUID (diskguid.h), written out so no GUID library is
 * linked for it. */
static const GUID esp_type = {
	0xc12a7328, 0xf81f, 0x11d2, { 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b }
};
#define MBR_TYPE_ESP 0xef

HANDLE disk_open_for_query(const wchar_t *path)
{
	return CreateFileW(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
			   NULL);
}

bool volume_device_number(const wchar_t *volume, unsigned *disk, unsigned *partition,
			  DWORD *error)
{
	STORAGE_DEVICE_NUMBER number;
	DWORD returned = 0;
	HANDLE handle = disk_open_for_query(volume);
	bool ok;

	if (handle == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	ok = DeviceIoControl(handle, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &number,
			     sizeof(number), &returned, NULL);
	*error = ok ? ERROR_SUCCESS : GetLastError();
	CloseHandle(handle);
	if (!ok)
		return false;
	if (number.DeviceType != FILE_DEVICE_DISK || number.PartitionNumber == 0 ||
	    number.PartitionNumber == (DWORD)-1) {
		/* A CD, a RAM disk, or a disk without partitions. */
		*error = ERROR_NOT_SUPPORTED;
		return false;
	}
	*disk = number.DeviceNumber;
	*partition = number.PartitionNumber;
	return true;
}

bool directory_device_number(const wchar_t *directory, unsigned *disk, unsigned *partition,
			     DWORD *error)
{
	wchar_t mount[MAX_PATH], volume[VOLUME_NAME_MAX];
	size_t n;

	if (!GetVolumePathNameW(directory, mount, MAX_PATH) ||
	    !GetVolumeNameForVolumeMountPointW(mount, volume, VOLUME_NAME_MAX)) {
		*error = GetLastError();
		return false;
	}
	/* "\\?\Volume{...}\" names the root directory; without the '\'
	 * it names the volume device. */
	n = wcslen(volume);
	if (n > 0 && volume[n - 1] == L'\\')
		volume[n - 1] = L'\0';
	return volume_device_number(volume, disk, partition, error);
}

HANDLE disk_open_number(unsigned disk)
{
	wchar_t path[64];

	swprintf(path, sizeof(path) / sizeof(path[0]), L"\\\\.\\PhysicalDrive%u", disk);
	return disk_open_for_query(path);
}

DRIVE_LAYOUT_INFORMATION_EX *disk_read_layout(unsigned disk, DWORD *error)
{
	DWORD size = sizeof(DRIVE_LAYOUT_INFORMATION_EX) + 16 * sizeof(PARTITION_INFORMATION_EX);
	HANDLE handle = disk_open_number(disk);

	if (handle == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return NULL;
	}
	for (;;) {
		DRIVE_LAYOUT_INFORMATION_EX *layout = malloc(size);
		DWORD returned = 0;

		if (!layout) {
			*error = ERROR_NOT_ENOUGH_MEMORY;
			break;
		}
		if (DeviceIoControl(handle, IOCTL_DISK_GET_DRIVE_LAYOUT_EX, NULL, 0, layout, size,
				    &returned, NULL)) {
			CloseHandle(handle);
			return layout;
		}
		*error = GetLastError();
		free(layout);
		if (*error != ERROR_INSUFFICIENT_BUFFER || size > (1u << 20))
			break;
		size *= 2;
	}
	CloseHandle(handle);
	return NULL;
}

bool disk_partitions(unsigned disk, struct partition_fact *out, size_t max, size_t *count,
		     DWORD *error)
{
	DRIVE_LAYOUT_INFORMATION_EX *layout = disk_read_layout(disk, error);

	*count = 0;
	if (!layout)
		return false;
	for (DWORD i = 0; i < layout->PartitionCount && *count < max; i++) {
		const PARTITION_INFORMATION_EX *entry = &layout->PartitionEntry[i];
		bool is_esp = false;

		/* MBR tables list empty slots with number 0. */
		if (entry->PartitionNumber == 0)
			continue;
		if (entry->PartitionStyle == PARTITION_STYLE_GPT)
			is_esp = IsEqualGUID(&entry->Gpt.PartitionType, &esp_type);
		else if (entry->PartitionStyle == PARTITION_STYLE_MBR)
			is_esp = entry->Mbr.PartitionType == MBR_TYPE_ESP;
		out[*count].number = entry->PartitionNumber;
		out[*count].is_esp = is_esp;
		(*count)++;
	}
	free(layout);
	*error = ERROR_SUCCESS;
	return true;
}

bool volume_of_partition(unsigned disk, unsigned partition, wchar_t name[VOLUME_NAME_MAX],
			 DWORD *error)
{
	HANDLE search = FindFirstVolumeW(name, VOLUME_NAME_MAX);
	bool found = false;

	if (search == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	do {
		size_t n = wcslen(name);
		unsigned volume_disk, volume_partition;
		DWORD ignored;

		if (n == 0 || name[n - 1] != L'\\')
			continue;
		name[n - 1] = L'\0';
		found = volume_device_number(name, &volume_disk, &volume_partition, &ignored) &&
			volume_disk == disk && volume_partition == partition;
		name[n - 1] = L'\\';
	} while (!found && FindNextVolumeW(search, name, VOLUME_NAME_MAX));
	FindVolumeClose(search);
	*error = found ? ERROR_SUCCESS : ERROR_FILE_NOT_FOUND;
	return found;
}

char volume_letter(const wchar_t *volume_name)
{
	wchar_t paths[512];
	DWORD length = 0;

	if (!GetVolumePathNamesForVolumeNameW(volume_name, paths, sizeof(paths) / sizeof(paths[0]),
					      &length))
		return 0;
	/* A list of NUL-terminated paths; a drive is "X:\". */
	for (const wchar_t *p = paths; *p; p += wcslen(p) + 1)
		if (p[0] >= L'A' && p[0] <= L'Z' && p[1] == L':' && p[2] == L'\\' && !p[3])
			return (char)p[0];
	return 0;
}

char volume_mount_free_letter(const wchar_t *volume_name, DWORD *error)
{
	char letter = pick_free_letter((uint32_t)GetLogicalDrives());
	wchar_t mount[4] = { (wchar_t)letter, L':', L'\\', L'\0' };

	if (!letter) {
		*error = ERROR_NO_MORE_ITEMS;
		return 0;
	}
	if (!SetVolumeMountPointW(mount, volume_name)) {
		*error = GetLastError();
		return 0;
	}
	*error = ERROR_SUCCESS;
	return letter;
}

void volume_unmount(char letter)
{
	wchar_t mount[4] = { (wchar_t)letter, L':', L'\\', L'\0' };

	if (letter)
		DeleteVolumeMountPointW(mount);
}
