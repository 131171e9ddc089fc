/*
 * host.c - win7gen2pe.exe --windows DIR --esp DIR, on any Windows
 *
 * For a VM's disk mounted on a Windows machine (Mount-VHD on the Hyper-V
 * host): the same engine and backend as in Windows PE, with the user's
 * directories, the payload beside the program unless --payload names
 * one, and for a dry run hive copies in %TEMP%, so that it writes
 * nothing on the VM's disk.
 *
 * SPDX-License-Identifier: MIT
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fixrun.h"
#include "win32util.h"

/* win7gen2.efi beside this program. */
static bool default_payload(char *path, size_t size)
{
	wchar_t self[MAX_PATH];
	DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
	wchar_t *slash;
	char dir[MAX_PATH * 3];

	if (n == 0 || n >= MAX_PATH)
		return false;
	slash = wcsrchr(self, L'\\');
	if (!slash)
		return false;
	*slash = L'\0';
	utf8_from_wide_buf(self, dir, sizeof(dir));
	return snprintf(path, size, "%s\\win7gen2.efi", dir) < (int)size;
}

int host_fix(const struct agent_args *args, struct output *out)
{
	struct fixrun_request request = { 0 };
	struct fixrun_outcome outcome;
	char payload_path[MAX_PATH * 3 + 32], why[600];
	uint8_t *payload;
	size_t payload_size;

	if (args->payload)
		snprintf(payload_path, sizeof(payload_path), "%s", args->payload);
	else if (!default_payload(payload_path, sizeof(payload_path))) {
		output_error(out, "win7gen2pe: cannot tell where this program is; give "
			     "--payload FILE");
		return AGENT_EXIT_FAILED;
	}
	if (!fixrun_read_payload(payload_path, &payload, &payload_size, why, sizeof(why))) {
		output_error(out, "win7gen2pe: %s", why);
		if (!args->payload)
			output_error(out, "win7gen2pe: give the payload with --payload FILE");
		return AGENT_EXIT_FAILED;
	}
	request.windows_root = args->windows;
	request.esp_root = args->esp;
	request.payload = payload;
	request.payload_size = payload_size;
	request.payload_name = payload_path;
	request.dry_run = args->dry_run;
	request.verbosity = args->verbosity;
	if (args->esp_partition) {
		request.layout.known = true;
		request.layout.esp_partition = args->esp_partition;
		request.layout.windows_partition = args->windows_partition;
		snprintf(request.layout.how, sizeof(request.layout.how),
			 "given by --esp-partition and --windows-partition");
	}
	request.where = "Windows host";
	/* A dry run writes nothing on the VM's disk, not even a hive copy;
	 * a real run keeps its copy beside the hive, as in Windows PE. */
	request.copies_in_temp = args->dry_run;
	request.write_status = true;
	fixrun(&request, out, &outcome);
	free(payload);
	return outcome.planned && outcome.succeeded ? AGENT_EXIT_OK : AGENT_EXIT_FAILED;
}
