/*
 * prompt.h - answer the CD boot manager's "Press any key to boot from CD"
 *
 * Windows' CD loader falls through to the next boot device when nobody
 * presses a key within a few seconds; on an unattended Gen2 install
 * nobody does.  While the loader runs we stand in front of the console
 * input and hand it one key press, then get out of the way.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PROMPT_H
#define WIN7GEN2_PROMPT_H

#include <efi.h>

struct prompt_answer {
	SIMPLE_INPUT_INTERFACE proxy;     /* what ST->ConIn points at */
	SIMPLE_INPUT_INTERFACE *original;
	EFI_SYSTEM_TABLE *system_table;
	BOOLEAN pending;                  /* the key not yet read */
};

/* Put the proxy in front of ST->ConIn with one key pending. */
EFI_STATUS prompt_answer_install(struct prompt_answer *answer,
				 EFI_SYSTEM_TABLE *system_table);

/* Put the original console input back (if the loader ever returns). */
void prompt_answer_remove(struct prompt_answer *answer);

#endif
