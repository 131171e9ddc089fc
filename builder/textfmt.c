/*
 * textfmt.c - text escaped for the formats the builder writes
 *
 * SPDX-License-Identifier: MIT
 */
#include "textfmt.h"

bool textfmt_xml(struct text *out, const char *string)
{
	for (const unsigned char *p = (const unsigned char *)string; *p; p++) {
		switch (*p) {
		case '&': text_append(out, "&amp;"); break;
		case '<': text_append(out, "&lt;"); break;
		case '>': text_append(out, "&gt;"); break;
		case '"': text_append(out, "&quot;"); break;
		case '\'': text_append(out, "&apos;"); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				return false;
			text_append_bytes(out, p, 1);
		}
	}
	return true;
}

void textfmt_json(struct text *out, const char *string)
{
	text_append(out, "\"");
	for (const unsigned char *p = (const unsigned char *)string; *p; p++) {
		switch (*p) {
		case '"': text_append(out, "\\\""); break;
		case '\\': text_append(out, "\\\\"); break;
		case '\n': text_append(out, "\\n"); break;
		case '\r': text_append(out, "\\r"); break;
		case '\t': text_append(out, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				text_appendf(out, "\\u%04x", *p);
			else
				text_append_bytes(out, p, 1);
		}
	}
	text_append(out, "\"");
}
