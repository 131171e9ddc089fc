/*
 * convert_bcd.h - the UEFI boot store of a converted disk, through a fix
 * backend
 *
 * One writer for every place that converts without Microsoft's bcdboot:
 * win7gen2 convert on Linux (the posix backend, on the staged ESP) and
 * win7gen2pe --convert on a Hyper-V host (the Win32 backend, on the new
 * ESP's letter), where bcdboot could add a firmware boot entry to the
 * host's own UEFI boot list.  The objects, elements and their formats
 * are in convert.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_CONVERT_BCD_H
#define WIN7GEN2_CONVERT_BCD_H

#include <stdint.h>

#include "backend.h"
#include "convert.h"

/* Where the store goes on the ESP, as the firmware's boot manager looks
 * for it beside itself. */
#define CONVERT_BCD_PATH "EFI\\Microsoft\\Boot\\BCD"

/*
 * The hive at path on volume - a copy of the Windows volume's
 * \Windows\System32\config\BCD-Template, which keeps its settings
 * objects - is filled as bcdboot fills it: {bootmgr} on the ESP, a
 * Windows loader and its resume object on the Windows partition, named
 * by the layout's GPT GUIDs; the two new objects' GUIDs are made from
 * new_guids (32 random bytes).  Committed whole or not at all: FIX_OK,
 * or FIX_ERROR with the hive's name and the value that failed in err.
 */
enum fix_status convert_bcd_fill(const struct fix_backend *backend, void *ctx,
				 enum fix_volume volume, const char *path,
				 const struct convert_layout *layout, const uint8_t new_guids[32],
				 struct fix_error *err);

#endif
