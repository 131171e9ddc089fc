/*
 * interrupt.h - Ctrl-C and SIGTERM during a build
 *
 * A build must never leave a half-written file at OUT and should not
 * leave its temporary folder behind.  The signal only sets a flag; the
 * running tool (which gets Ctrl-C itself from the terminal) fails or
 * wimlib's progress callback sees the flag, and the normal error path
 * removes the temporary folder.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_INTERRUPT_H
#define WIN7GEN2_INTERRUPT_H

#include <stdbool.h>

void interrupt_catch(void);
bool interrupt_requested(void);

#endif
