/*
 * drivers.c - the VMBus and synthetic SCSI drivers in Windows PE
 *
 * Whether a driver runs: the service control manager knows its kernel
 * driver services (OpenServiceW + QueryServiceStatus; a loaded driver is
 * SERVICE_RUNNING).  drvload (in every Windows PE) installs an INF's
 * driver and starts it for the devices present.  After the VMBus loads,
 * its child devices (the SCSI controller) appear on their own; the wait
 * for storvsc gives that time.
 *
 * SPDX-License-Identifier: MIT
 */
#include "drivers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmdline.h"
#include "decide.h"
#include "process.h"
#include "win32util.h"

#define MAX_INFS 64
#define MAX_DEPTH 8
#define DRVLOAD_TIMEOUT_MS (5u * 60 * 1000)
#define SETTLE_SECONDS 30

struct driver_state {
	bool installed;
	bool running;
	char text[200];
};

static void driver_query(const wchar_t *name, struct driver_state *state)
{
	SC_HANDLE manager, service;
	SERVICE_STATUS status;
	char reason[160];

	memset(state, 0, sizeof(*state));
	manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	if (!manager) {
		win32_error_text(GetLastError(), reason, sizeof(reason));
		snprintf(state->text, sizeof(state->text), "unknown (%s)", reason);
		return;
	}
	service = OpenServiceW(manager, name, SERVICE_QUERY_STATUS);
	if (!service) {
		DWORD error = GetLastError();

		if (error == ERROR_SERVICE_DOES_NOT_EXIST) {
			snprintf(state->text, sizeof(state->text), "not installed");
		} else {
			win32_error_text(error, reason, sizeof(reason));
			snprintf(state->text, sizeof(state->text), "unknown (%s)", reason);
		}
		CloseServiceHandle(manager);
		return;
	}
	state->installed = true;
	if (QueryServiceStatus(service, &status)) {
		state->running = status.dwCurrentState == SERVICE_RUNNING;
		snprintf(state->text, sizeof(state->text), "%s", state->running ? "running" :
			 "installed, not running");
	} else {
		win32_error_text(GetLastError(), reason, sizeof(reason));
		snprintf(state->text, sizeof(state->text), "installed, state unknown (%s)", reason);
	}
	CloseServiceHandle(service);
	CloseServiceHandle(manager);
}

static bool ends_with_inf(const wchar_t *name)
{
	size_t n = wcslen(name);

	return n > 4 && _wcsicmp(name + n - 4, L".inf") == 0;
}

struct inf_list {
	char *path[MAX_INFS];
	size_t count;
	bool too_many;
};

/* Every *.inf below dir, not through links. */
static void find_infs(const wchar_t *dir, unsigned depth, struct inf_list *list)
{
	WIN32_FIND_DATAW entry;
	wchar_t *pattern;
	HANDLE search;
	size_t n = wcslen(dir);

	if (depth > MAX_DEPTH)
		return;
	pattern = malloc((n + 3) * sizeof(wchar_t));
	if (!pattern)
		return;
	wcscpy(pattern, dir);
	wcscat(pattern, L"\\*");
	search = FindFirstFileW(pattern, &entry);
	free(pattern);
	if (search == INVALID_HANDLE_VALUE)
		return;
	do {
		size_t length = n + 1 + wcslen(entry.cFileName) + 1;
		wchar_t *full;

		if (wcscmp(entry.cFileName, L".") == 0 || wcscmp(entry.cFileName, L"..") == 0 ||
		    (entry.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
			continue;
		full = malloc(length * sizeof(wchar_t));
		if (!full)
			break;
		swprintf(full, length, L"%ls\\%ls", dir, entry.cFileName);
		if (entry.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
			find_infs(full, depth + 1, list);
		} else if (ends_with_inf(entry.cFileName)) {
			if (list->count == MAX_INFS) {
				list->too_many = true;
			} else {
				list->path[list->count] = utf8_from_wide(full);
				if (list->path[list->count])
					list->count++;
			}
		}
		free(full);
	} while (FindNextFileW(search, &entry));
	FindClose(search);
}

static void run_drvload(const char *drvload, const char *inf, struct output *out)
{
	struct text line = TEXT_INIT;
	struct process_result result;
	char shown[400];

	cmdline_append(&line, drvload);
	cmdline_append(&line, inf);
	if (line.failed) {
		output_line(out, "  drvload %s: out of memory", inf);
		text_free(&line);
		return;
	}
	process_run(drvload, text_string(&line), DRVLOAD_TIMEOUT_MS, &result);
	text_free(&line);
	process_describe(&result, shown, sizeof(shown));
	output_line(out, "  drvload %s: %s", inf, shown);
}

static bool both_running(struct driver_state *vmbus, struct driver_state *storvsc)
{
	driver_query(L"vmbus", vmbus);
	driver_query(L"storvsc", storvsc);
	return vmbus->running && storvsc->running;
}

bool drivers_ensure(const wchar_t *staged_dir, struct output *out)
{
	struct driver_state vmbus, storvsc;
	struct inf_list infs = { .count = 0 };
	char drvload[MAX_PATH * 3], shown_dir[MAX_PATH * 3];
	bool running;

	running = both_running(&vmbus, &storvsc);
	output_line(out, "Drivers: vmbus %s; storvsc %s", vmbus.text, storvsc.text);
	if (!drivers_needed(vmbus.running, storvsc.running))
		return true;

	utf8_from_wide_buf(staged_dir, shown_dir, sizeof(shown_dir));
	find_infs(staged_dir, 0, &infs);
	if (infs.count == 0) {
		output_line(out, "  no driver packages staged in %s: disks on the VMBus may stay "
			    "invisible", shown_dir);
		return false;
	}
	if (infs.too_many)
		output_line(out, "  more than %d INF files in %s: only the first %d are loaded",
			    MAX_INFS, shown_dir, MAX_INFS);
	if (!process_system_program(L"drvload.exe", drvload, sizeof(drvload))) {
		output_line(out, "  drvload.exe is not in this Windows PE: cannot load the "
			    "staged drivers");
		for (size_t i = 0; i < infs.count; i++)
			free(infs.path[i]);
		return false;
	}
	order_inf_paths(infs.path, infs.count);
	for (size_t i = 0; i < infs.count; i++) {
		run_drvload(drvload, infs.path[i], out);
		free(infs.path[i]);
	}
	for (unsigned second = 0; second < SETTLE_SECONDS; second++) {
		running = both_running(&vmbus, &storvsc);
		if (running)
			break;
		Sleep(1000);
	}
	output_line(out, "Drivers now: vmbus %s; storvsc %s", vmbus.text, storvsc.text);
	return running;
}
