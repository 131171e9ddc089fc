/*
 * fuzz-convert-undo.c - libFuzzer target: convert's undo manifest, any bytes
 *
 * --undo reads \win7gen2\gen1\convert.txt from a volume Windows has used
 * since, then writes where it says: what it accepts must name ranges on
 * the disk it names, and read back the same when written again.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct convert_undo undo, again;
	struct fix_error err;
	struct text text = TEXT_INIT;

	if (!convert_undo_parse(data, size, &undo, &err))
		return 0;
	if (undo.esp_first_lba + undo.esp_blocks > undo.disk_blocks || undo.esp_blocks == 0)
		abort();
	convert_undo_format(&undo, &text);
	if (text.failed || !convert_undo_parse((const uint8_t *)text.data, text.length, &again,
					       &err) || memcmp(&undo, &again, sizeof(undo)) != 0)
		abort();
	text_free(&text);
	return 0;
}
