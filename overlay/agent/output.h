/*
 * output.h - where the agent's report goes: console, COM1, and a copy
 *
 * Every line goes to the console (the VM's screen, if it has one, and
 * the person at a Windows host) and to COM1 when the agent runs in
 * Windows PE; a copy is kept so that a failure's story can be written
 * to the ESP.  Text is UTF-8 inside the agent; a console gets UTF-16
 * (WriteConsoleW), a pipe or file gets the UTF-8 bytes, COM1 gets CRLF.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_OUTPUT_H
#define WIN7GEN2_AGENT_OUTPUT_H

#include <stdbool.h>
#include <windows.h>

#include "text.h"

struct output {
	HANDLE console;        /* standard output */
	bool console_is_screen;
	HANDLE serial;         /* COM1, or INVALID_HANDLE_VALUE */
	HANDLE errors;         /* standard error, for usage errors */
	bool errors_is_screen;
	struct text copy;      /* everything said since output_init */
};

/* with_serial: also COM1 (Windows PE only; on a host COM1 is the host's). */
void output_init(struct output *out, bool with_serial);

/* One line (no line end in format). */
void output_line(struct output *out, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* An empty line, between parts of a report. */
void output_blank(struct output *out);

/* Text of one or more lines, LF or CRLF, as it is. */
void output_text(struct output *out, const char *text);

/* To standard error only (usage errors on a host). */
void output_error(struct output *out, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

void output_close(struct output *out);

#endif
