/*
 * report.h - the run record on the ESP
 *
 * \EFI\win7gen2\log.txt gets one record per run (not for a dry run),
 * CRLF-terminated so Windows 7's Notepad shows it, newest last, older
 * records dropped beyond WIN7GEN2_LOG_MAX_SIZE.  A record is:
 *
 *   == <timestamp> win7gen2 fix <version> (<where>)
 *   <label> <subject>: <text>          one line per item
 *   == result: ok | problems | failed; N changed, N already right, N problems, N failed
 *
 * <label> is one of "changed", "FAILED", "skipped", "right", "problem",
 * "note".
 *
 * \EFI\win7gen2\status.txt is replaced on every run (not for a dry run)
 * in the format common/win7gen2.h gives: "win7gen2 status: ok" or
 * "win7gen2 status: failed", then a summary the payload shows at the
 * next boot when it failed: one line per problem or failed change, cut
 * to what the payload shows (common/status.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_REPORT_H
#define WIN7GEN2_FIX_REPORT_H

#include "plan.h"

/* Append this run's record (fix_log_status() tells how it went). */
void report_append_log(struct fix_plan *plan);

/* Replace status.txt with this run's outcome. */
void report_write_status(struct fix_plan *plan);

#endif
