/*
 * fuzz-agent-mode.c - libFuzzer target: the boot menu's choice, any bytes
 *
 * Windows PE reads Win7Gen2Mode from the firmware and acts on it; one
 * value (convert:SSSSSSSS) names a disk whose partition table is then
 * changed.  Whatever the bytes: a refusal leaves install unconfirmed, a
 * convert decision comes only with a signature, and the signature read is
 * the one the menu's spelling of it gives back.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "win7gen2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum agent_mode mode;
	bool confirmed;
	char why[300], spelled[32];
	uint32_t signature;
	bool has_signature = mode_convert_signature(data, size, &signature);
	enum mode_decision decision = decide_mode(MODE_VARIABLE_FOUND, data, size, &mode,
						  &confirmed, why, sizeof(why));

	if (!memchr(why, '\0', sizeof(why)))
		abort();
	if (decision == MODE_REFUSED && (mode != AGENT_MODE_INSTALL || confirmed))
		abort();
	if ((decision == MODE_DECIDED && mode == AGENT_MODE_CONVERT) != has_signature)
		abort();
	if (has_signature) {
		snprintf(spelled, sizeof(spelled), "%s:%08x", WIN7GEN2_MODE_CONVERT,
			 (unsigned)signature);
		if (memcmp(spelled, data, strlen(spelled)) != 0)
			abort();
	}
	return 0;
}
