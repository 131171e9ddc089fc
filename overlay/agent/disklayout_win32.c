/*
 * disklayout_win32.c - what each disk holds, from Windows
 *
 * IOCTL_DISK_GET_DRIVE_LAYOUT_EX (disk.h) lists the partition table;
 * IOCTL_DISK_GET_DRIVE_GEOMETRY_EX gives the disk's size.  Both need no
 * read access, so nothing here can change a disk.
 *
 * SPDX-License-Identifier: MIT
 */
#include "disklayout.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "win32util.h"

static const GUID unused_type; /* all zero: a GPT entry not in use */

static bool disk_size(unsigned number, uint64_t *size)
{
	/* DISK_GEOMETRY_EX is followed by partition and detection data the
	 * driver may fill in too. */
	union {
		DISK_GEOMETRY_EX geometry;
		unsigned char room[512];
	} reply;
	DWORD returned = 0;
	HANDLE handle = disk_open_number(number);
	bool ok;

	if (handle == INVALID_HANDLE_VALUE)
		return false;
	ok = DeviceIoControl(handle, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, NULL, 0, &reply,
			     sizeof(reply), &returned, NULL) &&
	     returned >= offsetof(DISK_GEOMETRY_EX, Data) && reply.geometry.DiskSize.QuadPart >= 0;
	CloseHandle(handle);
	if (ok)
		*size = (uint64_t)reply.geometry.DiskSize.QuadPart;
	return ok;
}

static bool entry_in_use(const PARTITION_INFORMATION_EX *entry)
{
	if (entry->PartitionStyle == PARTITION_STYLE_GPT)
		return !IsEqualGUID(&entry->Gpt.PartitionType, &unused_type);
	if (entry->PartitionStyle == PARTITION_STYLE_MBR)
		return entry->Mbr.PartitionType != PARTITION_ENTRY_UNUSED;
	return false;
}

void disk_facts_read(unsigned number, struct disk_facts *facts)
{
	DRIVE_LAYOUT_INFORMATION_EX *layout;
	DWORD error = ERROR_SUCCESS;

	memset(facts, 0, sizeof(*facts));
	facts->number = number;
	layout = disk_read_layout(number, &error);
	if (!layout) {
		if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) {
			facts->state = DISK_ABSENT;
		} else {
			facts->state = DISK_UNREADABLE;
			win32_error_text(error, facts->error, sizeof(facts->error));
		}
		return;
	}
	facts->state = DISK_READ;
	switch (layout->PartitionStyle) {
	case PARTITION_STYLE_GPT:
		facts->style = DISK_STYLE_GPT;
		break;
	case PARTITION_STYLE_MBR:
		facts->style = DISK_STYLE_MBR;
		break;
	default:
		facts->style = DISK_STYLE_RAW;
		break;
	}
	for (DWORD i = 0; i < layout->PartitionCount; i++) {
		const PARTITION_INFORMATION_EX *entry = &layout->PartitionEntry[i];

		if (!entry_in_use(entry))
			continue;
		if (facts->partitions < DISK_FACTS_SIZES)
			facts->partition_size[facts->partitions] =
				(uint64_t)entry->PartitionLength.QuadPart;
		facts->partitions++;
	}
	free(layout);
	facts->size_known = disk_size(number, &facts->size);
}
