/*
 * convertrun.h - win7gen2pe --convert: a Generation 1 disk made Generation 2
 *
 * The Windows side of win7gen2 convert's engine (fixengine/convert.h),
 * for \\.\PhysicalDriveN on a Hyper-V host after Mount-VHD and for the
 * disk Windows PE was asked to convert (mode convert:SSSSSSSS).  Every
 * check runs before anything is written, with the same refusals by name
 * as the Linux command ("refused (bitlocker): ...", "Nothing was
 * changed."), and the same plan text.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_CONVERTRUN_H
#define WIN7GEN2_AGENT_CONVERTRUN_H

#include <stdbool.h>
#include <wchar.h>

#include "output.h"

/* path as CreateFileW opens it, name as the report shows it; an
 * AGENT_EXIT_* status.  On a host (in_windows_pe false) problems go to
 * stderr and the engine writes the ESP's boot store; in Windows PE they
 * go in the report, which is all anyone sees there, and bcdboot writes
 * the store. */
int convert_run(const wchar_t *path, const char *name, bool dry_run, bool undo,
		bool in_windows_pe, struct output *out);

#endif
