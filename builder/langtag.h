/*
 * langtag.h - Windows language tags: "de-DE", "zh-CN", "sr-Latn-CS"
 *
 * The names Windows 7 gives its UI languages and locales, as the WIM
 * XML, sources\lang.ini and the answer file write them.  Every tag that
 * reaches the answer file passes langtag_normalize first: whatever the
 * media or the command line say, only this shape goes into the XML.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_LANGTAG_H
#define WIN7GEN2_LANGTAG_H

#include <stdbool.h>
#include <stddef.h>

/* "lll-Scrp-CCC" and its NUL, with room to spare. */
#define LANGTAG_SIZE 16

/*
 * Checks a tag of len bytes (not NUL-terminated): a language of 2 or 3
 * letters, an optional script of 4 letters, a region of 2 letters or 3
 * digits, joined by hyphens.  On success writes it in Windows' case
 * ("de-DE", "sr-Latn-CS") to out[LANGTAG_SIZE] and returns NULL; else
 * returns what is wrong with it.
 */
const char *langtag_normalize(const char *tag, size_t len, char out[LANGTAG_SIZE]);

/* Windows compares language tags without regard to case. */
bool langtag_equal(const char *a, const char *b);

#endif
