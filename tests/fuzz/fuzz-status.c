/*
 * fuzz-status.c - libFuzzer target: the ESP status file, any bytes
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>

#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct status status;

	status_parse(text, size, &status);
	if (status.count > STATUS_MAX_LINES || (!status.failed && status.count))
		abort();
	for (unsigned i = 0; i < status.count; i++) {
		const struct status_line *line = &status.line[i];

		/* Every line lies inside the input and is not empty. */
		if (line->length == 0 || line->length > STATUS_MAX_LINE ||
		    line->text < text || line->text + line->length > text + size)
			abort();
	}
	return 0;
}
