/*
 * packages.c - update packages (packages.txt), installed by DISM, one call each
 *
 * SPDX-License-Identifier: MIT
 */
#include "packages.h"

#include <stdio.h>
#include <string.h>

#include "icpackage.h"
#include "win7gen2.h"

enum package_result package_result_of_exit(uint32_t exit_code)
{
	if (exit_code == 0)
		return PACKAGE_INSTALLED;
	if (exit_code == IC_DISM_EXIT_RESTART)
		return PACKAGE_INSTALLED_RESTART;
	if (exit_code == PACKAGE_DISM_NOT_APPLICABLE)
		return PACKAGE_NOT_APPLICABLE;
	return PACKAGE_FAILED;
}

bool package_result_is_failure(enum package_result result)
{
	return result == PACKAGE_FAILED || result == PACKAGE_MISSING;
}

void package_log_file_name(unsigned place, const char *cab, char *buf, size_t size)
{
	const char *prefix = WIN7GEN2_PACKAGE_LOG_PREFIX + (sizeof(WIN7GEN2_OWN_DIR) - 1);
	size_t length = strlen(cab);

	/* package_list names end in ".cab" (any case); the log is named
	 * without it, so a person sees which package it is about. */
	if (length >= 4)
		length -= 4;
	snprintf(buf, size, "%s%02u-%.*s.log", prefix, place, (int)length, cab);
}

void package_progress_line(unsigned place, unsigned count, const char *cab, char *buf,
			   size_t size)
{
	snprintf(buf, size, "package %u/%u %s: running DISM (can take minutes)", place, count,
		 cab);
}

void package_result_line(const struct package_report *report, char *buf, size_t size)
{
	const char *kind = report->kind == PACKAGE_SERVICING_STACK ? " (servicing stack)" : "";
	/* A servicing stack is what the packages after it are installed
	 * with: without it, those may be refused too. */
	const char *after = report->kind == PACKAGE_SERVICING_STACK &&
			    report->place < report->count ?
			    "; the packages after it may fail too without it" : "";
	char head[300], how[400];

	/* The exit code, explained only where the words before it do not. */
	if (!report->exited)
		snprintf(how, sizeof(how), "%s", report->why ? report->why : "DISM did not run");
	else if (report->result == PACKAGE_FAILED)
		ic_dism_exit_text(report->exit_code, how, sizeof(how));
	else if (report->exit_code > 0xffff)
		snprintf(how, sizeof(how), "exit 0x%08lx", (unsigned long)report->exit_code);
	else
		snprintf(how, sizeof(how), "exit %lu", (unsigned long)report->exit_code);
	snprintf(head, sizeof(head), "package %u/%u %s%s", report->place, report->count,
		 report->cab, kind);
	switch (report->result) {
	case PACKAGE_INSTALLED:
		snprintf(buf, size, "%s: installed (%s), log %s", head, how, report->log);
		return;
	case PACKAGE_INSTALLED_RESTART:
		snprintf(buf, size, "%s: installed, finished when Windows starts (%s), log %s",
			 head, how, report->log);
		return;
	case PACKAGE_NOT_APPLICABLE:
		snprintf(buf, size, "%s: not applicable to this Windows, nothing installed (%s), "
			 "log %s", head, how, report->log);
		return;
	case PACKAGE_FAILED:
		if (report->log)
			snprintf(buf, size, "%s: FAILED (%s), see %s%s", head, how,
				 report->log, after);
		else
			snprintf(buf, size, "%s: FAILED (%s)%s", head, how, after);
		return;
	case PACKAGE_MISSING:
		snprintf(buf, size, "%s: not run, the file is not in %s%s", head, report->folder,
			 after);
		return;
	}
	snprintf(buf, size, "%s: ?", head);
}

void package_tally_add(struct package_tally *tally, enum package_result result)
{
	switch (result) {
	case PACKAGE_INSTALLED_RESTART:
		tally->restart++;
		/* fall through */
	case PACKAGE_INSTALLED:
		tally->installed++;
		return;
	case PACKAGE_NOT_APPLICABLE:
		tally->not_applicable++;
		return;
	case PACKAGE_FAILED:
	case PACKAGE_MISSING:
		tally->failed++;
		return;
	}
}

void package_tally_line(const struct package_tally *tally, char *buf, size_t size)
{
	unsigned total = tally->installed + tally->not_applicable + tally->failed;
	char restart[80] = "", not_applicable[80] = "", failed[80] = "";

	if (tally->restart)
		snprintf(restart, sizeof(restart), " (%u finish%s when Windows starts)",
			 tally->restart, tally->restart == 1 ? "es" : "");
	if (tally->not_applicable)
		snprintf(not_applicable, sizeof(not_applicable), ", %u not applicable",
			 tally->not_applicable);
	if (tally->failed)
		snprintf(failed, sizeof(failed), ", %u FAILED (see " WIN7GEN2_LOG_PATH ")",
			 tally->failed);
	snprintf(buf, size, "update packages: %u of %u installed%s%s%s", tally->installed, total,
		 restart, not_applicable, failed);
}

const char *packages_run_end_text(bool fix_right, bool ic_failed, bool update_failed)
{
	if (!update_failed)
		return ic_run_end_text(fix_right, ic_failed);
	if (ic_failed)
		return fix_right ? "done, but the Integration Services package and an update "
				   "package were not installed (see above); Windows is ready "
				   "for Gen2" :
				   "FAILED (see above), and the Integration Services package and "
				   "an update package were not installed either";
	return fix_right ? "done, but an update package was not installed (see above); Windows "
			   "is ready for Gen2" :
			   "FAILED (see above), and an update package was not installed either";
}
