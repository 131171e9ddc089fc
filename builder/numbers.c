/*
 * numbers.c - numbers given on the command line
 *
 * SPDX-License-Identifier: MIT
 */
#include "numbers.h"

#include <errno.h>
#include <stdlib.h>

int parse_unsigned(const char *text, unsigned max, unsigned *value)
{
	char *end;
	unsigned long parsed;

	/* strtoul alone would take " 7", "+7" and "-1" (as ULONG_MAX). */
	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	parsed = strtoul(text, &end, 10);
	if (errno || *end || parsed > max)
		return -1;
	*value = (unsigned)parsed;
	return 0;
}
