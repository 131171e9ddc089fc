/*
 * size_text.c - a byte count as a person reads a disk size
 *
 * SPDX-License-Identifier: MIT
 */
#include "size_text.h"

static size_t put_number(char *text, size_t at, size_t size, uint64_t value)
{
	char digits[20];
	unsigned count = 0;

	do {
		digits[count++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (count && at + 1 < size)
		text[at++] = digits[--count];
	return at;
}

static size_t put_text(char *text, size_t at, size_t size, const char *word)
{
	while (*word && at + 1 < size)
		text[at++] = *word++;
	return at;
}

void size_text(uint64_t bytes, char *text, size_t size)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned unit = 0;
	uint64_t whole = bytes, tenths = 0;
	size_t at = 0;

	if (!size)
		return;
	/* Tenths from the remainder below the unit, rounded down: a disk is
	 * never shown larger than it is. */
	while (whole >= 1024 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		tenths = (whole % 1024) * 10 / 1024;
		whole /= 1024;
		unit++;
	}
	at = put_number(text, at, size, whole);
	if (unit && whole < 100 && tenths) {
		at = put_text(text, at, size, ".");
		at = put_number(text, at, size, tenths);
	}
	at = put_text(text, at, size, " ");
	at = put_text(text, at, size, units[unit]);
	text[at] = 0;
}
