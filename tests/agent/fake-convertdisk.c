/*
 * fake-convertdisk.c - a stand-in for the disk win7gen2pe --convert
 * reads, for the agent under wine
 *
 * Linked into tests/agent/win7gen2pe-test.exe in place of
 * overlay/agent/convertdisk_win32.c: wine opens no \\.\PhysicalDriveN
 * and answers no volume extents.  The "disk" is an image file (its path
 * through a wine drive), and the test writes letters.txt beside the
 * agent, one partition a line:
 *
 *   FIRST-SECTOR LETTER     the volume starting there is that drive
 *
 * (wine drives the test links to folders holding the partitions' files).
 * A partition on no line has no letter.  '#' starts a comment.
 *
 * What would change Windows' view of the disk is appended to
 * convertdisk.log beside the agent, a line each, for the test to check
 * the order: "open write", "lock FIRST-SECTOR" (or "lock FIRST-SECTOR
 * refused" when lock-refused.txt is there), "release", "refresh",
 * "mount FIRST-SECTOR LETTER", "unmount LETTER".
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convertdisk.h"
#include "stand-in.h"

static void __attribute__((format(printf, 1, 2))) log_event(const char *format, ...)
{
	FILE *file = stand_in_open(L"convertdisk.log", L"a");
	va_list ap;

	if (!file)
		return;
	va_start(ap, format);
	vfprintf(file, format, ap);
	va_end(ap);
	fputc('\n', file);
	fclose(file);
}

bool convert_disk_open(const wchar_t *path, bool writable, struct convert_disk *disk,
		       DWORD *error)
{
	LARGE_INTEGER size;

	memset(disk, 0, sizeof(*disk));
	disk->handle = CreateFileW(path, GENERIC_READ | (writable ? GENERIC_WRITE : 0),
				   FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	if (disk->handle == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	if (!GetFileSizeEx(disk->handle, &size)) {
		*error = GetLastError();
		convert_disk_close(disk);
		return false;
	}
	disk->size = (uint64_t)size.QuadPart;
	disk->block_size = 512;
	disk->number_known = true;
	if (writable)
		log_event("open write");
	return true;
}

bool convert_disk_refresh(const struct convert_disk *disk, DWORD *error)
{
	(void)disk;
	(void)error;
	log_event("refresh");
	return true;
}

/* An image file has no volumes to lock: the log shows the lock was asked
 * for before the partition's sectors were written.  lock-refused.txt
 * beside the agent makes it fail, as a volume someone has a file open on
 * does (ERROR_ACCESS_DENIED). */
bool convert_disk_lock_partition(const struct convert_disk *disk, uint64_t offset,
				 struct convert_volume *volume, DWORD *error)
{
	FILE *refused = stand_in_open(L"lock-refused.txt", L"r");

	(void)disk;
	volume->handle = INVALID_HANDLE_VALUE;
	if (refused) {
		fclose(refused);
		log_event("lock %llu refused", (unsigned long long)(offset / 512));
		*error = ERROR_ACCESS_DENIED;
		return false;
	}
	log_event("lock %llu", (unsigned long long)(offset / 512));
	return true;
}

void convert_volume_release(struct convert_volume *volume)
{
	(void)volume;
	log_event("release");
}


char convert_disk_partition_letter(const struct convert_disk *disk, uint64_t offset,
				   DWORD *error)
{
	FILE *file = stand_in_open(L"letters.txt", L"r");
	char line[128], letter = 0;

	(void)disk;
	while (file && !letter && fgets(line, sizeof(line), file)) {
		char *word = strtok(line, " \t\r\n"), *drive;

		if (!word || word[0] == '#' || !(drive = strtok(NULL, " \t\r\n")))
			continue;
		if (strtoull(word, NULL, 10) * 512 == offset)
			letter = drive[0];
	}
	if (file)
		fclose(file);
	if (!letter)
		*error = ERROR_NOT_FOUND;
	return letter;
}

char convert_disk_mount_partition(const struct convert_disk *disk, uint64_t offset,
				  bool *mounted, DWORD *error)
{
	char letter = convert_disk_partition_letter(disk, offset, error);

	*mounted = letter != 0;
	if (letter)
		log_event("mount %llu %c", (unsigned long long)(offset / 512), letter);
	return letter;
}

void convert_disk_unmount(char letter)
{
	log_event("unmount %c", letter);
}

/* The test names the one disk there is in disk.txt beside the agent (a
 * path wine opens); it matches when its MBR carries the signature. */
bool convert_disk_find_signature(uint32_t signature, wchar_t path[CONVERT_DISK_PATH_MAX],
				 DWORD *error)
{
	FILE *file = stand_in_open(L"disk.txt", L"r");
	char line[CONVERT_DISK_PATH_MAX * 3];
	struct convert_disk disk;
	uint8_t mbr[512];
	bool found = false;

	*error = ERROR_NOT_FOUND;
	if (!file)
		return false;
	if (fgets(line, sizeof(line), file)) {
		line[strcspn(line, "\r\n")] = '\0';
		MultiByteToWideChar(CP_UTF8, 0, line, -1, path, CONVERT_DISK_PATH_MAX);
		if (convert_disk_open(path, false, &disk, error)) {
			found = convert_disk_read(&disk, 0, mbr, sizeof(mbr), error) &&
				mbr[510] == 0x55 && mbr[511] == 0xaa &&
				((uint32_t)mbr[440] | (uint32_t)mbr[441] << 8 |
				 (uint32_t)mbr[442] << 16 | (uint32_t)mbr[443] << 24) == signature;
			convert_disk_close(&disk);
		}
	}
	fclose(file);
	if (!found)
		*error = ERROR_NOT_FOUND;
	return found;
}
