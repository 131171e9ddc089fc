/*
 * ascii.h - locale-free character helpers
 *
 * Windows compares registry and FAT names case-insensitively; for the
 * ASCII names win7gen2 deals in, that is plain ASCII folding.  <ctype.h>
 * depends on the locale, so these do not use it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_ASCII_H
#define WIN7GEN2_FIX_ASCII_H

#include <stdbool.h>
#include <stddef.h>

static inline bool ascii_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool ascii_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline int ascii_casecmp(const char *a, const char *b)
{
	while (*a && ascii_lower(*a) == ascii_lower(*b)) {
		a++;
		b++;
	}
	return (unsigned char)ascii_lower(*a) - (unsigned char)ascii_lower(*b);
}

#endif
