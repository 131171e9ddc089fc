/*
 * report_text.h - the text the agent leaves on the ESP
 *
 *   \EFI\win7gen2\status.txt   the outcome, for the payload to show at
 *                              the next boot (format: common/win7gen2.h,
 *                              read by common/status.c)
 *   \EFI\win7gen2\log.txt      run records; the fix engine appends its
 *                              own (fixengine/report.h), the agent adds
 *                              one in the same shape when Setup failed
 *                              and the engine never ran
 *
 * Portable C: the host tests read back what is composed here with the
 * payload's own parser.  CRLF line ends, for Windows 7's Notepad.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_REPORT_TEXT_H
#define WIN7GEN2_AGENT_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

/* The same paths as WIN7GEN2_STATUS_PATH and WIN7GEN2_LOG_PATH, relative
 * to the ESP's root as the fix engine's backend names files. */
#define AGENT_STATUS_PATH "EFI\\win7gen2\\status.txt"
#define AGENT_LOG_PATH "EFI\\win7gen2\\log.txt"
#define AGENT_SETUP_LOGS_DIR "EFI\\win7gen2\\setup"
#define AGENT_MAX_LOG_SIZE (1024u * 1024) /* as the engine's FIX_MAX_LOG_SIZE */

/*
 * status.txt: WIN7GEN2_STATUS_OK or WIN7GEN2_STATUS_FAILED, then the
 * summary lines, each cut to what the payload shows (STATUS_MAX_LINE),
 * at most STATUS_MAX_LINES of them, bytes outside printable ASCII as '?'.
 */
void status_file_text(struct text *out, bool ok, const char *const *lines, size_t count);

/*
 * One run record for log.txt:
 *   == <timestamp> win7gen2pe <version> (<where>)
 *   <each line of body>
 *   == result: <result>
 */
void log_record_text(struct text *out, const char *timestamp, const char *version,
		     const char *where, const char *body, const char *result);

/*
 * The new log.txt: the old content (newest part only when it is over max
 * bytes, cut at a line start) and the record after it.
 */
void log_file_append(struct text *out, const uint8_t *old, size_t old_size, const char *record,
		     size_t max);

/* Where the last `lines` lines of text[0..length) start. */
size_t text_tail_start(const char *text, size_t length, unsigned lines);

#endif
