/*
 * power.c - restart or stop the VM at the end of a Windows PE run
 *
 * `wpeutil reboot` / `wpeutil shutdown` is how Microsoft documents it
 * for Windows PE; ExitWindowsEx (with SeShutdownPrivilege) is the
 * fallback when wpeutil is missing or fails.
 *
 * SPDX-License-Identifier: MIT
 */
#include "power.h"

#include <stdio.h>

#include "cmdline.h"
#include "privilege.h"
#include "process.h"
#include "win32util.h"
#include "win7gen2.h"

#define WPEUTIL_TIMEOUT_MS (2u * 60 * 1000)
#define SETTLE_MS (60u * 1000) /* time for a started shutdown to end us */

static bool run_wpeutil(const char *verb, struct output *out)
{
	char program[MAX_PATH * 3], shown[400];
	struct text line = TEXT_INIT;
	struct process_result result;

	if (!process_system_program(L"wpeutil.exe", program, sizeof(program)))
		return false;
	cmdline_append(&line, program);
	cmdline_append(&line, verb);
	if (line.failed) {
		text_free(&line);
		return false;
	}
	process_run(program, text_string(&line), WPEUTIL_TIMEOUT_MS, &result);
	text_free(&line);
	process_describe(&result, shown, sizeof(shown));
	output_line(out, "wpeutil %s: %s", verb, shown);
	return result.started && !result.timed_out && result.exit_code == 0;
}

static bool exit_windows(UINT how, struct output *out)
{
	char reason[256];
	DWORD error;

	if (!privilege_enable(L"SeShutdownPrivilege", &error) ||
	    !ExitWindowsEx(how | EWX_FORCE, SHTDN_REASON_MAJOR_OTHER | SHTDN_REASON_FLAG_PLANNED)) {
		if (error == ERROR_SUCCESS)
			error = GetLastError();
		win32_error_text(error, reason, sizeof(reason));
		output_line(out, "ExitWindowsEx: %s", reason);
		return false;
	}
	return true;
}

void power_finish(enum power_action action, struct output *out)
{
	bool reboot = action == POWER_REBOOT;

	if (action == POWER_NONE)
		return;
	output_line(out, "win7gen2pe: %s", reboot ? "restarting the VM" :
		    "shutting the VM down: look at the report above (or in "
		    WIN7GEN2_LOG_PATH " on the ESP) before starting it again");
	if (run_wpeutil(reboot ? "reboot" : "shutdown", out) ||
	    exit_windows(reboot ? EWX_REBOOT : EWX_POWEROFF, out))
		Sleep(SETTLE_MS);
	if (reboot)
		return;
	output_line(out, "win7gen2pe: the VM could not be shut down; stopping here (turn it "
		    "off from the host)");
	for (;;)
		Sleep(INFINITE);
}
