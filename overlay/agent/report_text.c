/*
 * report_text.c - the text the agent leaves on the ESP
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_text.h"

#include <string.h>

#include "status.h"
#include "win7gen2.h"

/* One summary line as the payload can show it. */
static void append_status_line(struct text *out, const char *line)
{
	size_t length = 0;

	for (const char *c = line; *c && *c != '\r' && *c != '\n' && length < STATUS_MAX_LINE;
	     c++, length++) {
		char shown = *c >= 0x20 && *c < 0x7f ? *c : '?';

		text_append_bytes(out, &shown, 1);
	}
	text_append(out, "\r\n");
}

void status_file_text(struct text *out, bool ok, const char *const *lines, size_t count)
{
	size_t shown = 0;

	text_append(out, ok ? WIN7GEN2_STATUS_OK : WIN7GEN2_STATUS_FAILED);
	text_append(out, "\r\n");
	for (size_t i = 0; i < count && shown < STATUS_MAX_LINES; i++) {
		if (!lines[i] || !lines[i][0])
			continue; /* the parser skips empty lines; so do we */
		append_status_line(out, lines[i]);
		shown++;
	}
}

/* text with every line end (LF or CRLF) written as CRLF. */
static void append_crlf(struct text *out, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\r\n");

		text_append_bytes(out, text, n);
		text_append(out, "\r\n");
		text += n;
		if (*text == '\r')
			text++;
		if (*text == '\n')
			text++;
	}
}

void log_record_text(struct text *out, const char *timestamp, const char *version,
		     const char *where, const char *body, const char *result)
{
	text_appendf(out, "== %s win7gen2pe %s (%s)\r\n", timestamp, version, where);
	append_crlf(out, body);
	text_appendf(out, "== result: %s\r\n", result);
}

void log_file_append(struct text *out, const uint8_t *old, size_t old_size, const char *record,
		     size_t max)
{
	size_t keep = 0;

	if (old_size > max) {
		/* Keep the newest half, from a line start on. */
		keep = old_size - max / 2;
		while (keep < old_size && old[keep - 1] != '\n')
			keep++;
	}
	if (old_size > keep)
		text_append_bytes(out, old + keep, old_size - keep);
	if (old_size > keep && old[old_size - 1] != '\n')
		text_append(out, "\r\n");
	text_append(out, record);
}

size_t text_tail_start(const char *text, size_t length, unsigned lines)
{
	size_t at = length;

	if (lines == 0)
		return length;
	/* A final line end does not start another line. */
	if (at > 0 && text[at - 1] == '\n')
		at--;
	while (at > 0) {
		if (text[at - 1] == '\n') {
			if (lines <= 1)
				return at;
			lines--;
		}
		at--;
	}
	return 0;
}
