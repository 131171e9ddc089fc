/*
 * status.h - read the outcome the last repair left on the ESP
 *
 * The file is written by our own tools, but it sits on a FAT partition
 * anyone can write, so it is read like any outside bytes.  Plain C
 * without a C library, shared by the payload and the host tests.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_STATUS_H
#define WIN7GEN2_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#define STATUS_MAX_LINES 12    /* summary lines shown */
#define STATUS_MAX_LINE 160    /* bytes shown of each */
#define STATUS_MAX_SIZE 65536  /* bytes read of the file */

struct status_line {
	const char *text;   /* points into the file's text, not terminated */
	size_t length;      /* at most STATUS_MAX_LINE */
};

struct status {
	bool failed;        /* line 1 is WIN7GEN2_STATUS_FAILED */
	unsigned count;     /* summary lines in line[] */
	struct status_line line[STATUS_MAX_LINES];
};

/*
 * Parse text[0..length).  Anything but a well-formed "failed" first line
 * reads as not failed (an unreadable status must not stop a boot).
 * Summary lines are the following non-empty lines, cut to
 * STATUS_MAX_LINE; a line with bytes outside printable ASCII is still
 * listed, and the caller shows those bytes as '?'.
 */
void status_parse(const char *text, size_t length, struct status *status);

#endif
