/*
 * disklayout.h - what each disk holds, before Setup may wipe one
 *
 * The one question the install guard (decide_wipe) asks Windows.  The
 * agent answers it with disklayout_win32.c; the wine tests link a
 * stand-in (tests/agent/fake-disklayout.c) into a test build of the
 * agent instead, because wine has no \\.\PhysicalDriveN to ask.  The
 * shipped program has no way to be told a layout.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_DISKLAYOUT_H
#define WIN7GEN2_AGENT_DISKLAYOUT_H

#include "decide.h"

/* What disk number holds; facts->state says whether it could be read. */
void disk_facts_read(unsigned number, struct disk_facts *facts);

#endif
