/*
 * langini.c - sources\lang.ini: the UI languages a Windows DVD holds
 *
 * No INI library is among the builder's dependencies, and this file
 * needs very little of one: sections, "key = value" lines and ";"
 * comments, in one of two encodings.  The text is first brought to
 * 8-bit form (UTF-16 code units above 0x7f become one byte 0x80: such
 * text may only appear in comments), then read line by line.
 *
 * SPDX-License-Identifier: MIT
 */
#include "langini.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SECTION_LANGUAGES "Available UI Languages"
#define NON_ASCII 0x80

/* lang.ini's bytes as 8-bit text, without a byte order mark.  NULL
 * with *why set when they cannot be text. */
static char *decode(const uint8_t *data, size_t size, size_t *length, const char **why)
{
	bool utf16 = size >= 2 && data[0] == 0xff && data[1] == 0xfe;
	size_t n = 0;
	char *text;

	if (utf16) {
		data += 2;
		size -= 2;
		if (size % 2) {
			*why = "it starts as UTF-16 text but has an odd number of bytes";
			return NULL;
		}
	} else if (size >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf) {
		data += 3;
		size -= 3;
	}
	text = malloc(size + 1);
	if (!text) {
		*why = "out of memory";
		return NULL;
	}
	for (size_t i = 0; i < size; i += utf16 ? 2 : 1) {
		unsigned unit = utf16 ? (unsigned)data[i] | (unsigned)data[i + 1] << 8 : data[i];

		if (unit == 0) {
			*why = "it holds a NUL character, which no INI text has";
			free(text);
			return NULL;
		}
		text[n++] = unit > 0x7f ? (char)NON_ASCII : (char)unit;
	}
	text[n] = '\0';
	*length = n;
	return text;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Printable ASCII and blanks only: what INI names and values hold. */
static bool plain(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return false;
	}
	return true;
}

static void trim(const char **text, size_t *len)
{
	while (*len && is_blank(**text))
		(*text)++, (*len)--;
	while (*len && is_blank((*text)[*len - 1]))
		(*len)--;
}

static const char *add_language(struct lang_ini *ini, const char *key, size_t len)
{
	char tag[LANGTAG_SIZE];

	if (langtag_normalize(key, len, tag))
		return "a key of [" SECTION_LANGUAGES "] is not a language tag such as de-DE";
	for (unsigned i = 0; i < ini->count; i++)
		if (langtag_equal(ini->languages[i], tag))
			return NULL;
	if (ini->count == LANG_INI_MAX_LANGUAGES)
		return "[" SECTION_LANGUAGES "] lists more languages than any DVD holds";
	memcpy(ini->languages[ini->count++], tag, LANGTAG_SIZE);
	return NULL;
}

/* One line, without its end.  NULL, or what is wrong with it. */
static const char *parse_line(const char *line, size_t len, bool *in_languages,
			      struct lang_ini *ini)
{
	const char *equals, *key, *value;
	size_t key_len, value_len;

	trim(&line, &len);
	if (len == 0 || line[0] == ';')
		return NULL;
	if (line[0] == '[') {
		if (line[len - 1] != ']' || len < 3)
			return "a section name that does not end with ]";
		if (!plain(line + 1, len - 2) || memchr(line + 1, '[', len - 2) ||
		    memchr(line + 1, ']', len - 2))
			return "a section name with characters no section name has";
		*in_languages = len - 2 == sizeof(SECTION_LANGUAGES) - 1 &&
				strncasecmp(line + 1, SECTION_LANGUAGES, len - 2) == 0;
		return NULL;
	}
	equals = memchr(line, '=', len);
	if (!equals)
		return "a line that is neither a section, a comment nor \"key = value\"";
	key = line;
	key_len = (size_t)(equals - line);
	value = equals + 1;
	value_len = len - key_len - 1;
	trim(&key, &key_len);
	trim(&value, &value_len);
	if (key_len == 0)
		return "a \"= value\" line without a key";
	if (!plain(key, key_len) || !plain(value, value_len))
		return "a key or value with characters other than plain ASCII";
	return *in_languages ? add_language(ini, key, key_len) : NULL;
}

int lang_ini_parse(const uint8_t *data, size_t size, struct lang_ini *ini, const char **why,
		   unsigned *line)
{
	bool in_languages = false;
	unsigned number = 0;
	size_t length = 0;
	char *text;
	const char *p, *end;

	memset(ini, 0, sizeof(*ini));
	if (line)
		*line = 0;
	if (size > LANG_INI_MAX_SIZE) {
		*why = "it is far bigger than any lang.ini";
		return -1;
	}
	text = decode(data, size, &length, why);
	if (!text)
		return -1;
	for (p = text, end = text + length; p < end;) {
		const char *newline = memchr(p, '\n', (size_t)(end - p));
		size_t len = newline ? (size_t)(newline - p) : (size_t)(end - p);
		const char *next = newline ? newline + 1 : end, *problem;

		number++;
		if (len && p[len - 1] == '\r')
			len--;
		if (len > LANG_INI_MAX_LINE)
			problem = "a line longer than any lang.ini has";
		else
			problem = parse_line(p, len, &in_languages, ini);
		if (problem) {
			*why = problem;
			if (line)
				*line = number;
			memset(ini, 0, sizeof(*ini));
			free(text);
			return -1;
		}
		p = next;
	}
	free(text);
	return 0;
}
