/*
 * diskcfg.h - win7gen2.cfg for a wrapped disk
 *
 * On an installed system the payload must start Windows at once: no
 * Install/Rescue menu (menu = off) and no "press any key" answer for a
 * CD loader (answer_prompt = off).  Those are also the payload's defaults
 * (common/config.c), so the file mostly says so explicitly and gives the
 * user a documented place for settings.  A file the user has edited is
 * kept; only a menu or prompt switched on is switched off again, by
 * appending lines (the last line for a key wins), never by rewriting.
 * Lines end in CRLF: the file is edited from Windows too, and Windows 7's
 * Notepad shows LF-only text as one line.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_DISKCFG_H
#define WIN7GEN2_FIX_DISKCFG_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

enum diskcfg_verdict {
	DISKCFG_RIGHT,  /* exists and leaves menu and prompt off */
	DISKCFG_APPEND, /* exists but turns one on: append the lines in *out */
	DISKCFG_TOO_BIG, /* turns one on, and appended lines would lie beyond
			  * the part the payload reads (CONFIG_MAX_FILE_SIZE) */
};

/* The whole file for a disk that has none. */
void diskcfg_new(struct text *out, const char *tool_version);

/*
 * Judge an existing file.  For DISKCFG_APPEND, *out receives the text to
 * append.  *warnings is the number of lines the payload would warn about
 * and skip (they are the user's business; reported, not changed).
 */
enum diskcfg_verdict diskcfg_check(const uint8_t *data, size_t size, struct text *out,
				   unsigned *warnings);

#endif
