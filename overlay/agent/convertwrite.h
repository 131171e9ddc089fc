/*
 * convertwrite.h - win7gen2pe --convert: what the run that converts writes
 *
 * After every check passed (convertrun.c), in builder/cmd_convert.c's
 * order: the undo set onto the Windows volume, read back whole before
 * anything else happens; the GPT; the ESP; the registry and the Gen2
 * fix.  Each step says, when it fails, what state the disk is in and
 * what puts it back.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_CONVERTWRITE_H
#define WIN7GEN2_AGENT_CONVERTWRITE_H

#include <wchar.h>

#include "convertstate.h"

/* run has passed every check and has its GUIDs; run->disk is open for
 * reading and is reopened from path for writing.  An AGENT_EXIT_* status. */
int convert_write(struct convert_state *run, const wchar_t *path);

#endif
