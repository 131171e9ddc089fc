/*
 * textfmt.h - text escaped for the formats the builder writes
 *
 * The answer file is XML and `inspect --json` is JSON; values in them
 * come from the user and from the ISO, so each is escaped on its way in.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TEXTFMT_H
#define WIN7GEN2_TEXTFMT_H

#include <stdbool.h>

#include "text.h"

/* Appends string escaped for an XML element or attribute value.
 * Control characters other than tab/CR/LF are refused (false): XML 1.0
 * cannot carry them at all. */
bool textfmt_xml(struct text *out, const char *string);

/* Appends string as a JSON string literal, quotes included. */
void textfmt_json(struct text *out, const char *string);

#endif
