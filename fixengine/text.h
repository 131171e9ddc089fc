/*
 * text.h - a growable, NUL-terminated text buffer
 *
 * Reports, generated files, captured tool output, messages and paths
 * are built up piece by piece; this keeps the length bookkeeping in one
 * place.  The engine, the WinPE agent and the host command all use it
 * (plain C and malloc, so it builds with mingw-w64 too).  An allocation
 * failure is sticky: later appends do nothing and text_failed() says so,
 * so callers check once at the end instead of after every line.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_TEXT_H
#define WIN7GEN2_FIX_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct text {
	char *data;    /* NUL-terminated when non-NULL */
	size_t length; /* bytes before the NUL */
	size_t capacity;
	bool failed;   /* an allocation failed; the content is incomplete */
};

#define TEXT_INIT { NULL, 0, 0, false }

void text_append(struct text *text, const char *string);
void text_append_bytes(struct text *text, const void *bytes, size_t length);
void text_appendf(struct text *text, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
void text_vappendf(struct text *text, const char *format, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The content, "" when nothing was appended; after a failure, what was
 * appended before it (text->length bytes, so the pair stays valid). */
const char *text_string(const struct text *text);

bool text_failed(const struct text *text);

/* Empties the text and keeps its memory; a failure stays recorded. */
void text_reset(struct text *text);

/* Keeps only the last max bytes (a tool's stderr tail for a message). */
void text_keep_tail(struct text *text, size_t max);

/*
 * Hands the content over (malloc()ed, "" when empty, never NULL on
 * success) and resets.  NULL when an allocation failed: the incomplete
 * content is freed, not handed over.
 */
char *text_take(struct text *text, size_t *length);

void text_free(struct text *text);

/* A new malloc()ed string, or NULL when out of memory. */
char *text_format(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
