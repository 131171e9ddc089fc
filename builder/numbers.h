/*
 * numbers.h - numbers given on the command line
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_NUMBERS_H
#define WIN7GEN2_NUMBERS_H

/*
 * A decimal number from 0 to max, digits only: no sign, no spaces, no
 * "0x", nothing after it.  0 with *value set, or -1 (the caller says
 * which option wanted what).
 */
int parse_unsigned(const char *text, unsigned max, unsigned *value);

#endif
