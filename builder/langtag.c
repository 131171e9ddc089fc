/*
 * langtag.c - Windows language tags: "de-DE", "zh-CN", "sr-Latn-CS"
 *
 * A small subset of BCP 47 on purpose: Windows 7's languages and
 * locales are all language[-Script]-REGION, and anything else in an
 * answer file is a value Setup stops to ask about.
 *
 * SPDX-License-Identifier: MIT
 */
#include "langtag.h"

#include <string.h>
#include <strings.h>

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* The length of the run of letters (or digits) at text[0..len). */
static size_t run(const char *text, size_t len, bool (*is)(char))
{
	size_t n = 0;

	while (n < len && is(text[n]))
		n++;
	return n;
}

const char *langtag_normalize(const char *tag, size_t len, char out[LANGTAG_SIZE])
{
	static const char shape[] = "it must be a language tag such as en-US, de-DE, zh-CN "
				    "or sr-Latn-CS";
	size_t lang, script = 0, region, pos, o = 0;

	out[0] = '\0';
	if (len >= LANGTAG_SIZE)
		return shape;
	lang = run(tag, len, is_alpha);
	if (lang < 2 || lang > 3 || lang == len || tag[lang] != '-')
		return shape;
	pos = lang + 1;
	if (run(tag + pos, len - pos, is_alpha) == 4) {
		script = 4;
		if (pos + 4 == len || tag[pos + 4] != '-')
			return shape;
	}
	pos += script ? script + 1 : 0;
	region = run(tag + pos, len - pos, is_alpha);
	if (region != 2) {
		region = run(tag + pos, len - pos, is_digit);
		if (region != 3)
			return shape;
	}
	if (pos + region != len)
		return shape;

	for (size_t i = 0; i < lang; i++)
		out[o++] = lower(tag[i]);
	if (script) {
		out[o++] = '-';
		out[o++] = upper(tag[lang + 1]);
		for (size_t i = 1; i < 4; i++)
			out[o++] = lower(tag[lang + 1 + i]);
	}
	out[o++] = '-';
	for (size_t i = 0; i < region; i++)
		out[o++] = upper(tag[pos + i]);
	out[o] = '\0';
	return NULL;
}

bool langtag_equal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}
