/*
 * buf.c - a growable byte buffer, always NUL-terminated
 *
 * SPDX-License-Identifier: MIT
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_free(struct buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
	buf->failed = false;
}

void buf_reset(struct buf *buf)
{
	buf->len = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

static bool buf_reserve(struct buf *buf, size_t extra)
{
	size_t want, cap;
	char *data;

	if (buf->failed)
		return false;
	if (extra > SIZE_MAX - buf->len - 1)
		goto fail;
	want = buf->len + extra + 1;
	if (want <= buf->cap)
		return true;
	cap = buf->cap ? buf->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	data = realloc(buf->data, cap);
	if (!data)
		goto fail;
	buf->data = data;
	buf->cap = cap;
	return true;
fail:
	buf->failed = true;
	return false;
}

void buf_append(struct buf *buf, const void *data, size_t len)
{
	if (!buf_reserve(buf, len))
		return;
	if (len)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void buf_puts(struct buf *buf, const char *text)
{
	buf_append(buf, text, strlen(text));
}

void buf_printf(struct buf *buf, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vsnprintf(NULL, 0, format, ap);
	va_end(ap);
	if (n < 0) {
		buf->failed = true;
		return;
	}
	if (!buf_reserve(buf, (size_t)n))
		return;
	va_start(ap, format);
	vsnprintf(buf->data + buf->len, (size_t)n + 1, format, ap);
	va_end(ap);
	buf->len += (size_t)n;
}

const char *buf_str(const struct buf *buf)
{
	return buf->data && !buf->failed ? buf->data : "";
}

bool buf_failed(const struct buf *buf)
{
	return buf->failed;
}

char *buf_take(struct buf *buf)
{
	char *data;

	if (buf->failed || !buf_reserve(buf, 0)) {
		buf_free(buf);
		return NULL;
	}
	data = buf->data;
	buf->data = NULL;
	buf->len = buf->cap = 0;
	return data;
}

bool buf_put_xml_escaped(struct buf *buf, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '&': buf_puts(buf, "&amp;"); break;
		case '<': buf_puts(buf, "&lt;"); break;
		case '>': buf_puts(buf, "&gt;"); break;
		case '"': buf_puts(buf, "&quot;"); break;
		case '\'': buf_puts(buf, "&apos;"); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				return false;
			buf_append(buf, p, 1);
		}
	}
	return true;
}

void buf_put_json_string(struct buf *buf, const char *text)
{
	buf_puts(buf, "\"");
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '"': buf_puts(buf, "\\\""); break;
		case '\\': buf_puts(buf, "\\\\"); break;
		case '\n': buf_puts(buf, "\\n"); break;
		case '\r': buf_puts(buf, "\\r"); break;
		case '\t': buf_puts(buf, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_printf(buf, "\\u%04x", *p);
			else
				buf_append(buf, p, 1);
		}
	}
	buf_puts(buf, "\"");
}

void buf_keep_tail(struct buf *buf, size_t max)
{
	if (buf->failed || buf->len <= max)
		return;
	memmove(buf->data, buf->data + buf->len - max, max);
	buf->len = max;
	buf->data[max] = '\0';
}
