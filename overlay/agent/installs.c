/*
 * installs.c - the Windows installations on this machine's volumes
 *
 * The version comes from ntoskrnl.exe's version resource, the machine
 * type from its PE header, both read from the file (pe_header.h):
 * Windows 7 and Server 2008 R2 are 6.1, and only the x64 kernel is ours
 * to fix.
 *
 * SPDX-License-Identifier: MIT
 */
#include "installs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "pe_header.h"
#include "win32util.h"

#define HIVE_PATH L"Windows\\System32\\config\\SYSTEM"
#define KERNEL_PATH L"Windows\\System32\\ntoskrnl.exe"

#define RESOURCES_MAX (4u * 1024 * 1024) /* ntoskrnl.exe's are a few hundred KiB */

/* n bytes of the file from offset on; false unless all of them came. */
static bool read_at(HANDLE file, uint32_t offset, uint8_t *buffer, DWORD n)
{
	LARGE_INTEGER position;
	DWORD got = 0;

	position.QuadPart = offset;
	return SetFilePointerEx(file, position, NULL, FILE_BEGIN) &&
	       ReadFile(file, buffer, n, &got, NULL) && got == n;
}

/* The kernel's machine type and file version (pe_header.h). */
static void read_kernel(const wchar_t *path, struct install_candidate *facts)
{
	uint8_t header[PE_HEADER_READ], *resources;
	struct pe_info info;
	DWORD got = 0;
	HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
				  NULL);

	if (file == INVALID_HANDLE_VALUE)
		return;
	if (!ReadFile(file, header, sizeof(header), &got, NULL) ||
	    !pe_headers(header, got, &info)) {
		CloseHandle(file);
		return;
	}
	facts->machine = info.machine;
	facts->machine_known = true;
	if (info.has_resources && info.resource_size <= RESOURCES_MAX) {
		resources = malloc(info.resource_size ? info.resource_size : 1);
		if (resources && read_at(file, info.resource_offset, resources, info.resource_size))
			facts->version_known = pe_file_version(resources, info.resource_size, &info,
							       &facts->major, &facts->minor,
							       &facts->build);
		free(resources);
	}
	CloseHandle(file);
}

bool installs_look_at(char letter, struct installation *found)
{
	wchar_t hive[64], kernel[64], device[8];
	WIN32_FILE_ATTRIBUTE_DATA data;
	DWORD error;
	char reason[128];

	swprintf(hive, sizeof(hive) / sizeof(hive[0]), L"%c:\\%ls", letter, HIVE_PATH);
	if (!GetFileAttributesExW(hive, GetFileExInfoStandard, &data) ||
	    (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
		return false;
	memset(found, 0, sizeof(*found));
	found->facts.letter = letter;
	found->facts.hive_time = filetime_value(&data.ftLastWriteTime);
	swprintf(kernel, sizeof(kernel) / sizeof(kernel[0]), L"%c:\\%ls", letter, KERNEL_PATH);
	read_kernel(kernel, &found->facts);

	swprintf(device, sizeof(device) / sizeof(device[0]), L"\\\\.\\%c:", letter);
	found->located = volume_device_number(device, &found->disk, &found->partition, &error);
	if (found->located) {
		snprintf(found->where, sizeof(found->where), "disk %u partition %u", found->disk,
			 found->partition);
	} else {
		win32_error_text(error, reason, sizeof(reason));
		snprintf(found->where, sizeof(found->where), "disk unknown: %s", reason);
	}
	return true;
}

static bool is_disk_drive(char letter)
{
	wchar_t root[4] = { (wchar_t)letter, L':', L'\\', L'\0' };
	UINT type = GetDriveTypeW(root);

	return type == DRIVE_FIXED || type == DRIVE_REMOVABLE;
}

size_t installs_scan(struct installation *out, size_t max, char skip_letter,
		     struct output *report)
{
	DWORD drives = GetLogicalDrives();
	size_t count = 0;

	for (char letter = 'C'; letter <= 'Z' && count < max; letter++) {
		char what[160];

		if (letter == skip_letter || !(drives & (1u << (letter - 'A'))) ||
		    !is_disk_drive(letter) || !installs_look_at(letter, &out[count]))
			continue;
		describe_install(&out[count].facts, what, sizeof(what));
		output_line(report, "  %c: %s; %s", letter, what, out[count].where);
		count++;
	}
	return count;
}
