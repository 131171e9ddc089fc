/*
 * drivers.h - the VMBus and synthetic SCSI drivers Setup needs on Gen2
 *
 * Gen2's disk and DVD hang off VMBus.  When boot.wim's Setup image does
 * not have vmbus.sys and storvsc.sys installed, their driver packages
 * are copied from install.wim's driver store (install.wim is then copied
 * to temporary space: wimlib needs a file) and, with the user's own
 * packages (--drivers DIR), staged for boot.wim's \win7gen2\drivers, the
 * folder the answer file names in DriverPaths.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_DRIVERS_H
#define WIN7GEN2_DRIVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media.h"
#include "text.h"
#include "ui.h"

struct driver_plan {
	bool from_install;          /* packages were copied from install.wim */
	char **packages;            /* their FileRepository folder names */
	size_t package_count;
	bool user_has[MEDIA_DRIVER_COUNT]; /* --drivers DIR holds vmbus.sys / storvsc.sys */
	unsigned user_inf_count;    /* .inf files in --drivers DIR */
	uint64_t user_bytes;        /* their total size, for the space check */
};

/* Looks into --drivers DIR (may be NULL): INF files and the two drivers. */
int drivers_scan_user(const char *dir, struct driver_plan *plan, struct text *err);

/*
 * Copies into stage_dir the install.wim packages of the drivers boot.wim
 * lacks (none when it has both, or when --drivers DIR has them), from
 * install.wim image `edition`.  -1 with err when a driver is nowhere.
 */
int drivers_gather(struct media *media, unsigned edition, const char *stage_dir,
		   struct driver_plan *plan, struct ui *ui, struct text *err);

void drivers_plan_free(struct driver_plan *plan);

#endif
