/*
 * buf.h - a growable byte buffer, always NUL-terminated
 *
 * Used for captured tool output, generated text (answer file, JSON,
 * messages) and paths.  On allocation failure a buffer becomes "failed":
 * later appends do nothing and buf_failed() says so, so callers check
 * once at the end instead of after every append.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_BUF_H
#define WIN7GEN2_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
	bool failed;
};

#define BUF_INIT { NULL, 0, 0, false }

void buf_free(struct buf *buf);
void buf_reset(struct buf *buf);
void buf_append(struct buf *buf, const void *data, size_t len);
void buf_puts(struct buf *buf, const char *text);
void __attribute__((format(printf, 2, 3))) buf_printf(struct buf *buf, const char *format, ...);
/* The text, or "" for an empty buffer: never NULL. */
const char *buf_str(const struct buf *buf);
bool buf_failed(const struct buf *buf);
/* Takes the text out of the buffer (caller frees); NULL on failure. */
char *buf_take(struct buf *buf);

/* Text escaped for an XML element or attribute value.  Control
 * characters other than tab/CR/LF are refused (false): XML 1.0 cannot
 * carry them at all. */
bool buf_put_xml_escaped(struct buf *buf, const char *text);
/* A JSON string literal, quotes included. */
void buf_put_json_string(struct buf *buf, const char *text);

/* Keep only the last max bytes (for stderr tails in messages). */
void buf_keep_tail(struct buf *buf, size_t max);

#endif
