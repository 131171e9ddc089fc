/*
 * text.c - a growable, NUL-terminated text buffer
 *
 * SPDX-License-Identifier: MIT
 */
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for `more` bytes plus the NUL. */
static bool reserve(struct text *text, size_t more)
{
	size_t need, capacity;
	char *data;

	if (text->failed)
		return false;
	if (more > SIZE_MAX - text->length - 1) {
		text->failed = true;
		return false;
	}
	need = text->length + more + 1;
	if (need <= text->capacity)
		return true;
	capacity = text->capacity ? text->capacity : 256;
	while (capacity < need)
		capacity = capacity > SIZE_MAX / 2 ? need : capacity * 2;
	data = realloc(text->data, capacity);
	if (!data) {
		text->failed = true;
		return false;
	}
	text->data = data;
	text->capacity = capacity;
	return true;
}

void text_append_bytes(struct text *text, const void *bytes, size_t length)
{
	if (!reserve(text, length))
		return;
	if (length)
		memcpy(text->data + text->length, bytes, length);
	text->length += length;
	text->data[text->length] = '\0';
}

void text_append(struct text *text, const char *string)
{
	text_append_bytes(text, string, strlen(string));
}

void text_vappendf(struct text *text, const char *format, va_list ap)
{
	va_list copy;
	int length;

	va_copy(copy, ap);
	length = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (length < 0) {
		text->failed = true;
		return;
	}
	if (!reserve(text, (size_t)length))
		return;
	vsnprintf(text->data + text->length, (size_t)length + 1, format, ap);
	text->length += (size_t)length;
}

void text_appendf(struct text *text, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	text_vappendf(text, format, ap);
	va_end(ap);
}

const char *text_string(const struct text *text)
{
	return text->data ? text->data : "";
}

bool text_failed(const struct text *text)
{
	return text->failed;
}

void text_reset(struct text *text)
{
	text->length = 0;
	if (text->data)
		text->data[0] = '\0';
}

void text_keep_tail(struct text *text, size_t max)
{
	if (text->failed || text->length <= max)
		return;
	memmove(text->data, text->data + text->length - max, max);
	text->length = max;
	text->data[max] = '\0';
}

char *text_take(struct text *text, size_t *length)
{
	char *data;

	if (length)
		*length = 0;
	/* reserve(0) gives a text nothing was appended to room for its "". */
	if (!reserve(text, 0)) {
		text_free(text);
		return NULL;
	}
	text->data[text->length] = '\0';
	if (length)
		*length = text->length;
	data = text->data;
	text->data = NULL;
	text->length = text->capacity = 0;
	return data;
}

void text_free(struct text *text)
{
	free(text->data);
	text->data = NULL;
	text->length = text->capacity = 0;
	text->failed = false;
}

char *text_format(const char *format, ...)
{
	struct text text = TEXT_INIT;
	va_list ap;

	va_start(ap, format);
	text_vappendf(&text, format, ap);
	va_end(ap);
	return text_take(&text, NULL);
}
