/*
 * fuzz-langini.c - libFuzzer target for the sources\lang.ini reader
 *
 * The bytes come out of the user's ISO.  Whatever they hold, the reader
 * must stay inside them and hand back only well-formed language tags,
 * each once, at most LANG_INI_MAX_LANGUAGES of them; a refusal says why
 * and hands back none.  tests/fuzz/replay.c runs it over the seeds in
 * `make check`.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "langini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lang_ini ini;
	const char *why = NULL;
	unsigned line = 0;

	if (lang_ini_parse(data, size, &ini, &why, &line) < 0) {
		if (!why || !why[0] || ini.count)
			abort();
		return 0;
	}
	if (ini.count > LANG_INI_MAX_LANGUAGES)
		abort();
	for (unsigned i = 0; i < ini.count; i++) {
		char again[LANGTAG_SIZE];
		size_t len = strnlen(ini.languages[i], LANGTAG_SIZE);

		/* NUL-terminated, already in Windows' case, and unique. */
		if (len == LANGTAG_SIZE || langtag_normalize(ini.languages[i], len, again) ||
		    strcmp(again, ini.languages[i]) != 0)
			abort();
		for (unsigned j = 0; j < i; j++)
			if (langtag_equal(ini.languages[i], ini.languages[j]))
				abort();
	}
	return 0;
}
