/*
 * icpackage.c - the user's Integration Services package, installed by DISM
 *
 * SPDX-License-Identifier: MIT
 */
#include "icpackage.h"

#include <stdio.h>

#include "cmdline.h"

/* HRESULT CBS_E_NOT_APPLICABLE: the package is not for this Windows
 * (another architecture or version, or an older one than installed). */
#define CBS_E_NOT_APPLICABLE 0x800f081eu
#define WIN32_INVALID_PARAMETER 87u /* ERROR_INVALID_PARAMETER: an option DISM refused */

/* "/Option:value" as one argument: quoted whole when value needs it,
 * which the C runtime's splitting reads back as the same string. */
static void append_option(struct text *line, const char *option, const char *value)
{
	struct text argument = TEXT_INIT;

	text_appendf(&argument, "%s:%s", option, value);
	if (argument.failed)
		line->failed = true;
	else
		cmdline_append(line, text_string(&argument));
	text_free(&argument);
}

void ic_dism_command(struct text *line, const struct ic_dism_paths *paths)
{
	cmdline_append(line, paths->dism);
	append_option(line, "/Image", paths->image);
	cmdline_append(line, "/Add-Package");
	append_option(line, "/PackagePath", paths->package);
	append_option(line, "/ScratchDir", paths->scratch);
	append_option(line, "/LogPath", paths->log);
	/* Offline there is nothing to restart, but DISM is never to ask. */
	cmdline_append(line, "/NoRestart");
	/* Windows PE in another language still writes a report we can read. */
	cmdline_append(line, "/English");
}

bool ic_dism_succeeded(uint32_t exit_code)
{
	return exit_code == 0 || exit_code == IC_DISM_EXIT_RESTART;
}

void ic_dism_exit_text(uint32_t exit_code, char *buf, size_t size)
{
	switch (exit_code) {
	case IC_DISM_EXIT_RESTART:
		snprintf(buf, size, "exit 3010, finished when Windows starts");
		return;
	case CBS_E_NOT_APPLICABLE:
		snprintf(buf, size, "exit 0x%08lx, the package does not apply to this Windows",
			 (unsigned long)exit_code);
		return;
	case WIN32_INVALID_PARAMETER:
		snprintf(buf, size, "exit 87, DISM did not accept its options");
		return;
	}
	/* HRESULTs read best in hex, Win32 error codes in decimal. */
	if (exit_code > 0xffff)
		snprintf(buf, size, "exit 0x%08lx", (unsigned long)exit_code);
	else
		snprintf(buf, size, "exit %lu", (unsigned long)exit_code);
}

void ic_outcome_line(enum ic_outcome outcome, const struct ic_context *context,
		     const char *package, const char *how, const char *log, char *buf,
		     size_t size)
{
	/* Only what is true: the fix is promised only when it is to run. */
	const char *without = context->install ?
		(context->fix_follows ?
		 "the system still gets the Gen2 fix but has the in-box 6.1 Integration "
		 "Services (no keyboard on Gen2)" :
		 "the system has the in-box 6.1 Integration Services (no keyboard on Gen2)") :
		(context->fix_follows ?
		 "the Gen2 fix is still made, and the installation keeps the Integration "
		 "Services it has" :
		 "the installation keeps the Integration Services it has");

	switch (outcome) {
	case IC_NONE_INSTALL:
		snprintf(buf, size, "Integration Services: in-box 6.1.7601 (no Gen2 keyboard or "
			 "video; Remote Desktop works)");
		return;
	case IC_NONE_RESCUE:
		snprintf(buf, size, "Integration Services: no package given; the installation "
			 "keeps the ones it has");
		return;
	case IC_INSTALLED:
		snprintf(buf, size, "Integration Services: %s installed by DISM (%s), log %s",
			 package, how, log);
		return;
	case IC_FAILED:
		/* No log to point at when DISM never ran. */
		if (log)
			snprintf(buf, size, "Integration Services: %s: DISM failed (%s), see %s; %s",
				 package, how, log, without);
		else
			snprintf(buf, size, "Integration Services: %s: DISM failed (%s); %s",
				 package, how, without);
		return;
	}
	snprintf(buf, size, "Integration Services: ?");
}

const char *ic_run_end_text(bool fix_right, bool package_failed)
{
	if (!package_failed)
		return fix_right ? "done: everything is right" : "FAILED (see above)";
	return fix_right ? "done, but the Integration Services package was not installed (see "
			   "above); Windows is ready for Gen2" :
			   "FAILED (see above), and the Integration Services package was not "
			   "installed either";
}
