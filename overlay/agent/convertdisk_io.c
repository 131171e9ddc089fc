/*
 * convertdisk_io.c - reading the disk win7gen2pe --convert opened
 *
 * The same on a disk and on the image file the wine tests open in its
 * place (tests/agent/fake-convertdisk.c replaces only the opening and
 * the volume lookups): offsets through OVERLAPPED, as a raw disk needs.
 * Writes are flushed before they count: the next step (the undo data
 * read back, the new table) relies on them being on the disk.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>
#include <windows.h>

#include "convertdisk.h"

/* Where a synchronous ReadFile or WriteFile on the disk starts. */
static OVERLAPPED at_offset(uint64_t offset)
{
	OVERLAPPED at;

	memset(&at, 0, sizeof(at));
	at.Offset = (DWORD)offset;
	at.OffsetHigh = (DWORD)(offset >> 32);
	return at;
}

bool convert_disk_read(const struct convert_disk *disk, uint64_t offset, void *buffer,
		       DWORD size, DWORD *error)
{
	OVERLAPPED at = at_offset(offset);
	DWORD got = 0;

	if (!ReadFile(disk->handle, buffer, size, &got, &at)) {
		*error = GetLastError();
		return false;
	}
	if (got != size) {
		*error = ERROR_HANDLE_EOF;
		return false;
	}
	return true;
}

bool convert_disk_write(const struct convert_disk *disk, uint64_t offset, const void *buffer,
			DWORD size, DWORD *error)
{
	OVERLAPPED at = at_offset(offset);
	DWORD put = 0;

	if (!WriteFile(disk->handle, buffer, size, &put, &at) || !FlushFileBuffers(disk->handle)) {
		*error = GetLastError();
		return false;
	}
	if (put != size) {
		*error = ERROR_WRITE_FAULT;
		return false;
	}
	return true;
}

void convert_disk_close(struct convert_disk *disk)
{
	if (disk->handle != INVALID_HANDLE_VALUE && disk->handle)
		CloseHandle(disk->handle);
	disk->handle = INVALID_HANDLE_VALUE;
}
