/*
 * fake-disk.c - a stand-in for the volume and partition queries, for
 * the agent under wine
 *
 * Linked into tests/agent/win7gen2pe-test.exe in place of
 * overlay/agent/disk.c: wine's storage IOCTLs do not describe a GPT
 * disk, so the shipped program never finds an ESP under wine.  The test
 * writes volumes.txt beside the agent, one volume a line:
 *
 *   LETTER DISK PARTITION esp|basic     e.g. "S 0 1 esp", "D 0 3 basic"
 *
 * and gives wine those drive letters.  Without the file every query
 * fails as wine's would, so the test build behaves as the shipped one.
 * Mounting is never needed: every volume has its letter.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "disk.h"
#include "stand-in.h"

struct fake_volume {
	char letter;
	unsigned disk, partition;
	bool is_esp;
};

/* The line of volumes.txt that matches, by letter (letter != 0) or by
 * disk and partition. */
static bool find_volume(char letter, unsigned disk, unsigned partition,
			struct fake_volume *found)
{
	FILE *file = stand_in_open(L"volumes.txt", L"rb");
	char line[256], kind[16];
	bool matched = false;

	if (!file)
		return false;
	while (!matched && fgets(line, sizeof(line), file)) {
		struct fake_volume volume;

		if (sscanf(line, " %c %u %u %15s", &volume.letter, &volume.disk,
			   &volume.partition, kind) != 4)
			continue;
		volume.letter &= ~0x20;
		volume.is_esp = strcmp(kind, "esp") == 0;
		matched = letter ? volume.letter == (letter & ~0x20) :
			  volume.disk == disk && volume.partition == partition;
		if (matched)
			*found = volume;
	}
	fclose(file);
	return matched;
}

HANDLE disk_open_for_query(const wchar_t *path)
{
	(void)path;
	SetLastError(ERROR_NOT_SUPPORTED);
	return INVALID_HANDLE_VALUE;
}

HANDLE disk_open_number(unsigned disk)
{
	(void)disk;
	SetLastError(ERROR_NOT_SUPPORTED);
	return INVALID_HANDLE_VALUE;
}

DRIVE_LAYOUT_INFORMATION_EX *disk_read_layout(unsigned disk, DWORD *error)
{
	(void)disk;
	*error = ERROR_NOT_SUPPORTED;
	return NULL;
}

/* "\\.\D:" or "D:\...": the letter. */
static char letter_of(const wchar_t *path)
{
	if (wcsncmp(path, L"\\\\.\\", 4) == 0)
		path += 4;
	return path[0] && path[1] == L':' ? (char)path[0] : 0;
}

static bool device_number(const wchar_t *path, unsigned *disk, unsigned *partition,
			  DWORD *error)
{
	struct fake_volume volume;
	char letter = letter_of(path);

	if (!letter || !find_volume(letter, 0, 0, &volume)) {
		*error = ERROR_NOT_SUPPORTED;
		return false;
	}
	*disk = volume.disk;
	*partition = volume.partition;
	return true;
}

bool volume_device_number(const wchar_t *volume, unsigned *disk, unsigned *partition,
			  DWORD *error)
{
	return device_number(volume, disk, partition, error);
}

bool directory_device_number(const wchar_t *directory, unsigned *disk, unsigned *partition,
			     DWORD *error)
{
	return device_number(directory, disk, partition, error);
}

bool disk_partitions(unsigned disk, struct partition_fact *out, size_t max, size_t *count,
		     DWORD *error)
{
	*count = 0;
	for (unsigned number = 1; number <= 16 && *count < max; number++) {
		struct fake_volume volume;

		if (!find_volume(0, disk, number, &volume))
			continue;
		out[*count].number = number;
		out[*count].is_esp = volume.is_esp;
		(*count)++;
	}
	if (*count == 0) {
		*error = ERROR_FILE_NOT_FOUND;
		return false;
	}
	return true;
}

/* The volume's name carries its letter: "\\?\Volume{fake-S}\". */
bool volume_of_partition(unsigned disk, unsigned partition, wchar_t name[VOLUME_NAME_MAX],
			 DWORD *error)
{
	struct fake_volume volume;

	if (!find_volume(0, disk, partition, &volume)) {
		*error = ERROR_FILE_NOT_FOUND;
		return false;
	}
	swprintf(name, VOLUME_NAME_MAX, L"\\\\?\\Volume{fake-%c}\\", volume.letter);
	return true;
}

char volume_letter(const wchar_t *volume_name)
{
	const wchar_t *at = wcsstr(volume_name, L"{fake-");

	return at ? (char)at[6] : 0;
}

char volume_mount_free_letter(const wchar_t *volume_name, DWORD *error)
{
	(void)volume_name;
	*error = ERROR_NOT_SUPPORTED;
	return 0;
}

void volume_unmount(char letter)
{
	(void)letter;
}
