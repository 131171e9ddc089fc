/*
 * fuzz-config.c - libFuzzer target for the win7gen2.cfg parser
 *
 * The file is read from a volume anyone can write to, before Windows
 * starts, so whatever bytes it holds the parser must neither read out of
 * bounds nor hand the payload a setting it would act on wrongly.  The
 * invariants below are what the payload relies on without re-checking.
 * tests/fuzz/replay.c runs the same function over the seeds in `make
 * check`.
 *
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count_warning(void *ctx, unsigned line, const char *message)
{
	unsigned *warned = ctx;

	/* Lines are 1-based and messages are always there to show. */
	if (!line || !message || !message[0])
		abort();
	(*warned)++;
}

static void check(const struct config *config)
{
	size_t n;

	for (n = 0; n < CONFIG_MAX_PATH && config->target[n]; n++) {
		unsigned char c = (unsigned char)config->target[n];

		if (c < 0x20 || c > 0x7e || c == '/')
			abort();
	}
	if (n == CONFIG_MAX_PATH)
		abort(); /* not NUL-terminated within the buffer */
	if (n && config->target[0] != '\\')
		abort();
	if (config->gen2 != CONFIG_GEN2_AUTO &&
	    config->gen2 != CONFIG_GEN2_FORCE && config->gen2 != CONFIG_GEN2_OFF)
		abort();
	if (config->verbose > 2 || config->error_timeout > CONFIG_MAX_TIMEOUT)
		abort();
	if (config->srat_limit == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct config config;
	uint64_t bytes = 0;
	unsigned warned = 0, returned;

	config_defaults(&config);
	returned = config_parse(&config, text, size, count_warning, &warned);
	if (returned != warned)
		abort();
	check(&config);

	/* Parsing again on top must be as safe as parsing from defaults. */
	if (config_parse(&config, text, size, NULL, NULL) != returned)
		abort();
	check(&config);

	if (config_parse_size(text, size, &bytes) && size == 0)
		abort();
	return 0;
}
