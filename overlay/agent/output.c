/*
 * output.c - where the agent's report goes: console, COM1, and a copy
 *
 * SPDX-License-Identifier: MIT
 */
#include "output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serial.h"
#include "win32util.h"

void output_init(struct output *out, bool with_serial)
{
	DWORD mode;

	memset(out, 0, sizeof(*out));
	out->console = GetStdHandle(STD_OUTPUT_HANDLE);
	out->errors = GetStdHandle(STD_ERROR_HANDLE);
	out->console_is_screen = out->console && out->console != INVALID_HANDLE_VALUE &&
				 GetConsoleMode(out->console, &mode);
	out->errors_is_screen = out->errors && out->errors != INVALID_HANDLE_VALUE &&
				GetConsoleMode(out->errors, &mode);
	out->serial = with_serial ? serial_open() : INVALID_HANDLE_VALUE;
}

static void write_handle(HANDLE handle, bool is_screen, const char *text, size_t length)
{
	DWORD wrote;

	if (!handle || handle == INVALID_HANDLE_VALUE || length == 0)
		return;
	if (is_screen) {
		char *copy = malloc(length + 1);
		wchar_t *wide;

		if (!copy)
			return;
		memcpy(copy, text, length);
		copy[length] = '\0';
		wide = wide_from_utf8(copy);
		free(copy);
		if (wide) {
			WriteConsoleW(handle, wide, (DWORD)wcslen(wide), &wrote, NULL);
			free(wide);
			return;
		}
		/* Not UTF-8 after all: the bytes, as they are. */
	}
	WriteFile(handle, text, (DWORD)length, &wrote, NULL);
}

/* text without its line ends, plus CRLF for COM1 (terminals want both). */
static void write_serial(struct output *out, const char *text)
{
	while (*text && out->serial != INVALID_HANDLE_VALUE) {
		size_t n = strcspn(text, "\r\n");

		if (!serial_write(out->serial, text, n) || !serial_write(out->serial, "\r\n", 2)) {
			CloseHandle(out->serial);
			out->serial = INVALID_HANDLE_VALUE;
			break;
		}
		text += n;
		if (*text == '\r')
			text++;
		if (*text == '\n')
			text++;
	}
}

void output_text(struct output *out, const char *text)
{
	size_t length = strlen(text);

	if (length == 0)
		return;
	write_handle(out->console, out->console_is_screen, text, length);
	if (text[length - 1] != '\n')
		write_handle(out->console, out->console_is_screen, "\n", 1);
	write_serial(out, text);
	text_append(&out->copy, text);
	if (text[length - 1] != '\n')
		text_append(&out->copy, "\n");
}

/* format + args as one line with its "\n"; false when out of memory. */
static bool format_line(struct text *line, const char *format, va_list ap)
{
	text_vappendf(line, format, ap);
	text_append(line, "\n");
	return !line->failed;
}

void output_line(struct output *out, const char *format, ...)
{
	struct text line = TEXT_INIT;
	va_list ap;

	va_start(ap, format);
	if (format_line(&line, format, ap))
		output_text(out, text_string(&line));
	va_end(ap);
	text_free(&line);
}

void output_blank(struct output *out)
{
	output_text(out, "\n");
}

void output_error(struct output *out, const char *format, ...)
{
	struct text line = TEXT_INIT;
	va_list ap;

	va_start(ap, format);
	if (format_line(&line, format, ap))
		write_handle(out->errors, out->errors_is_screen, text_string(&line), line.length);
	va_end(ap);
	text_free(&line);
}

void output_close(struct output *out)
{
	if (out->serial != INVALID_HANDLE_VALUE)
		CloseHandle(out->serial);
	out->serial = INVALID_HANDLE_VALUE;
	text_free(&out->copy);
}
