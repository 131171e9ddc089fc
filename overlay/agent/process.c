/*
 * process.c - run a program and wait for it, and for what it started
 *
 * The program is created suspended, put in a job, then resumed: nothing
 * it starts can escape the job before it is in it.  When the job cannot
 * be had (Windows 7 has no nested jobs, so it fails if the agent itself
 * runs in one) the wait is for the program alone.
 *
 * SPDX-License-Identifier: MIT
 */
#include "process.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win32util.h"

/* After the program ended, how long its children may take to finish. */
#define CHILDREN_WAIT_MS (5u * 60 * 1000)
#define POLL_MS 500

static void fail(struct process_result *result, const char *what, DWORD error)
{
	char reason[256];

	win32_error_text(error, reason, sizeof(reason));
	snprintf(result->why, sizeof(result->why), "%s: %s", what, reason);
}

static DWORD active_processes(HANDLE job)
{
	JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info;

	if (!QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &info,
				       sizeof(info), NULL))
		return 0;
	return info.ActiveProcesses;
}

static void wait_for_children(HANDLE job)
{
	for (DWORD waited = 0; waited < CHILDREN_WAIT_MS && active_processes(job) > 0;
	     waited += POLL_MS)
		Sleep(POLL_MS);
}

void process_run(const char *application, const char *command_line, DWORD timeout_ms,
		 struct process_result *result)
{
	STARTUPINFOW startup = { .cb = sizeof(startup) };
	PROCESS_INFORMATION process;
	wchar_t *wide_application = wide_from_utf8(application);
	wchar_t *wide_line = wide_from_utf8(command_line);
	HANDLE job = NULL;
	DWORD wait;

	memset(result, 0, sizeof(*result));
	if (!wide_application || !wide_line) {
		fail(result, application, GetLastError());
		goto out;
	}
	/* CreateProcessW may write to the command line: wide_line is ours. */
	if (!CreateProcessW(wide_application, wide_line, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL,
			    NULL, &startup, &process)) {
		fail(result, application, GetLastError());
		goto out;
	}
	result->started = true;
	job = CreateJobObjectW(NULL, NULL);
	if (job && !AssignProcessToJobObject(job, process.hProcess)) {
		CloseHandle(job);
		job = NULL;
	}
	ResumeThread(process.hThread);
	CloseHandle(process.hThread);

	wait = WaitForSingleObject(process.hProcess, timeout_ms);
	if (wait == WAIT_TIMEOUT) {
		result->timed_out = true;
		if (job)
			TerminateJobObject(job, ERROR_TIMEOUT);
		else
			TerminateProcess(process.hProcess, ERROR_TIMEOUT);
		WaitForSingleObject(process.hProcess, 10000);
	} else if (wait != WAIT_OBJECT_0) {
		fail(result, "waiting for it", GetLastError());
	}
	if (!result->timed_out && !GetExitCodeProcess(process.hProcess, &result->exit_code)) {
		fail(result, "its exit code", GetLastError());
		result->exit_code = (DWORD)-1; /* never read as success */
	}
	if (job && !result->timed_out)
		wait_for_children(job);
	CloseHandle(process.hProcess);
out:
	if (job)
		CloseHandle(job);
	free(wide_application);
	free(wide_line);
}

bool process_system_program(const wchar_t *name, char *path, size_t size)
{
	wchar_t full[MAX_PATH];
	UINT n = GetSystemDirectoryW(full, MAX_PATH);
	DWORD attributes;

	if (n == 0 || n + 1 + wcslen(name) >= MAX_PATH)
		return false;
	wcscat(full, L"\\");
	wcscat(full, name);
	attributes = GetFileAttributesW(full);
	if (attributes == INVALID_FILE_ATTRIBUTES || (attributes & FILE_ATTRIBUTE_DIRECTORY))
		return false;
	utf8_from_wide_buf(full, path, size);
	return true;
}

void process_describe(const struct process_result *result, char *buf, size_t size)
{
	if (!result->started)
		snprintf(buf, size, "not started: %s", result->why);
	else if (result->timed_out)
		snprintf(buf, size, "stopped after it ran too long");
	else if (result->exit_code > 0xffff)
		snprintf(buf, size, "exit code 0x%08lx (%lu)", (unsigned long)result->exit_code,
			 (unsigned long)result->exit_code);
	else
		snprintf(buf, size, "exit code %lu", (unsigned long)result->exit_code);
}
