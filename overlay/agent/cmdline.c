/*
 * cmdline.c - build a Windows command line that reads back as meant
 *
 * The rules (Microsoft, "Parsing C command-line arguments"): arguments
 * are separated by spaces or tabs; a double quote starts or ends a
 * quoted part; 2n backslashes before a quote become n and the quote
 * delimits; 2n+1 backslashes before a quote become n and a literal
 * quote; backslashes anywhere else are literal.
 *
 * SPDX-License-Identifier: MIT
 */
#include "cmdline.h"

#include <string.h>

static void append_backslashes(struct text *line, size_t count)
{
	while (count--)
		text_append(line, "\\");
}

void cmdline_append(struct text *line, const char *arg)
{
	if (line->length)
		text_append(line, " ");
	if (*arg && !strpbrk(arg, " \t\n\v\"")) {
		text_append(line, arg);
		return;
	}
	text_append(line, "\"");
	for (const char *c = arg;; c++) {
		size_t backslashes = 0;

		while (*c == '\\') {
			backslashes++;
			c++;
		}
		if (*c == '\0') {
			/* Before the closing quote: each must stay literal. */
			append_backslashes(line, 2 * backslashes);
			break;
		}
		if (*c == '"') {
			append_backslashes(line, 2 * backslashes + 1);
			text_append(line, "\"");
		} else {
			append_backslashes(line, backslashes);
			text_append_bytes(line, c, 1);
		}
	}
	text_append(line, "\"");
}
