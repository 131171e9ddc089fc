/*
 * process.h - run a program and wait for it, and for what it started
 *
 * Windows Setup, drvload, wpeinit and wpeutil are started with
 * CreateProcessW: the program's full path (never a search of PATH) and
 * a command line built by cmdline.h.  Setup may hand work to processes
 * of its own and end before them; the program runs in a job object, and
 * the wait lasts until every process in the job has ended (with a
 * bound, see process.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_PROCESS_H
#define WIN7GEN2_AGENT_PROCESS_H

#include <stdbool.h>
#include <windows.h>

#define PROCESS_NO_TIMEOUT INFINITE

struct process_result {
	bool started;
	bool timed_out;          /* it was ended after timeout_ms */
	DWORD exit_code;         /* when started and not timed out */
	char why[300];           /* when not started: the reason */
};

/*
 * Run application (UTF-8 full path) with command_line (UTF-8, starting
 * with the program's own quoted name, as C programs expect).  Waits up
 * to timeout_ms (PROCESS_NO_TIMEOUT: for ever) for the program; a
 * program still running then is ended.
 */
void process_run(const char *application, const char *command_line, DWORD timeout_ms,
		 struct process_result *result);

/*
 * The full path (UTF-8) of a program in Windows' System32 directory
 * ("X:\Windows\System32\drvload.exe"); false if it is not there.
 */
bool process_system_program(const wchar_t *name, char *path, size_t size);

/* "exit code 0", "exit code 0x80070005 (2147942405)", for reports. */
void process_describe(const struct process_result *result, char *buf, size_t size);

#endif
