/*
 * fuzz-marker.c - libFuzzer target: payload marker search on any bytes
 *
 * Rescue and the fix engine run marker_find() on whatever file sits at a
 * boot loader's path.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "marker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char version[MARKER_VERSION_MAX];

	memset(version, 'x', sizeof(version));
	if (marker_find(data, size, version)) {
		size_t length = strnlen(version, sizeof(version));

		/* The version is a non-empty NUL-terminated string in bounds. */
		if (length == 0 || length >= sizeof(version))
			abort();
	}
	return 0;
}
