/*
 * drivers.h - the VMBus and synthetic SCSI drivers in Windows PE
 *
 * On Gen2 the disk and the DVD hang off the VMBus.  When Windows 7's PE
 * has no vmbus/storvsc driver running, the builder's staged packages
 * (X:\win7gen2\drivers\...\*.inf) are loaded with drvload, VMBus first,
 * so that every mode - rescue too - sees the disks.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_DRIVERS_H
#define WIN7GEN2_AGENT_DRIVERS_H

#include <stdbool.h>
#include <windows.h>

#include "output.h"

/* Check, load what is missing, check again.  True when both drivers run
 * at the end (false is reported, and the run goes on: a disk may still
 * be visible another way, e.g. on Gen1). */
bool drivers_ensure(const wchar_t *staged_dir, struct output *out);

#endif
