/*
 * input.h - waiting for a key without hanging a headless machine
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_INPUT_H
#define WIN7GEN2_INPUT_H

#include <efi.h>

/*
 * Wait up to seconds for a key.  EFI_SUCCESS with *key filled in, or
 * EFI_TIMEOUT.  Zero seconds only drains a key already typed.
 */
EFI_STATUS input_wait_key(EFI_SYSTEM_TABLE *system_table, unsigned seconds,
			  EFI_INPUT_KEY *key);

#endif
