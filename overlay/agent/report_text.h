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
#include "win7gen2.h"

/* common/win7gen2.h names them with a leading '\\'; relative to the
 * ESP's root, as the fix engine's backend names files, they have none. */
#define AGENT_STATUS_PATH (&WIN7GEN2_STATUS_PATH[1])
#define AGENT_LOG_PATH (&WIN7GEN2_LOG_PATH[1])
#define AGENT_SETUP_LOGS_DIR (&WIN7GEN2_SETUP_LOGS_DIR[1])

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
