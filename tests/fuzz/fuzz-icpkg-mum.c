/*
 * fuzz-icpkg-mum.c - libFuzzer target for update.mum, a package's manifest
 *
 * The bytes come out of the user's Integration Services package (the
 * update.mum of the CAB in an .msu, a .cab or vmguest.iso).  Whatever
 * they hold, the parser must stay inside them and hand back only what
 * icpkg may print and compare: NUL-terminated strings of the allowed
 * characters, and a version that is the package's own when it lists no
 * component.  The input is also read as a version string.
 * tests/fuzz/replay.c runs it over the seeds in `make check`.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "icmum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const char *text, size_t size, bool may_be_empty)
{
	size_t n = strnlen(text, size);

	if (n == size || (!may_be_empty && n == 0))
		abort();
	for (size_t i = 0; i < n; i++)
		if (text[i] <= 0x20 || text[i] > 0x7e || text[i] == '"' || text[i] == '<' ||
		    text[i] == '>' || text[i] == '&' || text[i] == '\'' || text[i] == '\\')
			abort(); /* nothing that could break a message, XML or a command line */
}

static void check_version(const struct icver *version)
{
	char text[ICVER_TEXT_MAX];
	struct icver back;

	icver_format(version, text);
	if (!icver_parse(text, &back) || icver_compare(&back, version) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icmum mum, zero;
	const char *why = NULL;
	char text[64];
	struct icver version;

	memset(&zero, 0, sizeof(zero));
	if (icmum_parse(data, size, &mum, &why) == 0) {
		check_string(mum.name, sizeof(mum.name), false);
		check_string(mum.arch, sizeof(mum.arch), false);
		check_string(mum.language, sizeof(mum.language), true);
		check_string(mum.public_key_token, sizeof(mum.public_key_token), true);
		if (mum.public_key_token[0] && strlen(mum.public_key_token) != ICMUM_TOKEN_LENGTH)
			abort();
		check_version(&mum.package_version);
		check_version(&mum.version);
		if (mum.components == 0 &&
		    icver_compare(&mum.version, &mum.package_version) != 0)
			abort();
	} else if (!why || !why[0] || memcmp(&mum, &zero, sizeof(mum)) != 0) {
		abort(); /* a refusal always says why and hands back nothing */
	}

	/* The same bytes as a version string. */
	if (size < sizeof(text)) {
		memcpy(text, data, size);
		text[size] = '\0';
		if (icver_parse(text, &version))
			check_version(&version);
	}
	return 0;
}
