/*
 * bootentry.h - the payload's own firmware boot entry, first in BootOrder
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_BOOTENTRY_H
#define WIN7GEN2_BOOTENTRY_H

#include <efi.h>

#include "bootopt.h"
#include "disklog.h"
#include "log.h"

/*
 * Make sure a Boot#### option starts WIN7GEN2_OWN_PATH on the partition
 * whose hard-drive node is hd, is active, and comes first in BootOrder.
 * Variables are written only where that is not so already; no option
 * is removed, and every other entry of BootOrder keeps its place
 * behind ours.  Each write is shown and added to record.
 */
EFI_STATUS boot_entry_ensure(struct log *log, struct disklog *record,
			     const UINT8 hd[BOOTOPT_HD_NODE_SIZE]);

#endif
