/*
 * langini.h - sources\lang.ini: the UI languages a Windows DVD holds
 *
 * A Windows INI file, UTF-16LE with a byte order mark or 8-bit text,
 * CRLF or LF:
 *     [Available UI Languages]
 *     de-DE = 3
 *     [Fallback Languages]
 *     de-DE = en-us
 * Only the keys of [Available UI Languages] are taken; the rest must
 * still be well-formed.  The bytes come from the user's ISO: every
 * length is checked.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_LANGINI_H
#define WIN7GEN2_LANGINI_H

#include <stddef.h>
#include <stdint.h>

#include "langtag.h"

/* A real lang.ini is a few hundred bytes; anything near this is not one. */
#define LANG_INI_MAX_SIZE (64u * 1024)
#define LANG_INI_MAX_LINE 512
/* Windows 7 had about 35 languages; room for all on one DVD and more. */
#define LANG_INI_MAX_LANGUAGES 64

struct lang_ini {
	unsigned count;
	/* [Available UI Languages], in file order, each once, in Windows'
	 * case (langtag_normalize) */
	char languages[LANG_INI_MAX_LANGUAGES][LANGTAG_SIZE];
};

/*
 * Parses lang.ini's bytes.  0 on success (count may be 0: no
 * [Available UI Languages] or an empty one); -1 with *why set to a
 * static explanation and ini->count 0.  line (may be NULL) gets the
 * 1-based line of the problem, 0 when it is not about one line.
 */
int lang_ini_parse(const uint8_t *data, size_t size, struct lang_ini *ini, const char **why,
		   unsigned *line);

#endif
