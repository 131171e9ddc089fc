/*
 * diskpolicy.h - what an installer ISO's Install does to the disks
 *
 * An ISO made by build starts Install by itself when its menu times out.
 * By default that Install goes ahead only onto blank disks; an ISO built
 * with --wipe-unattended (wipe_unattended = on in the win7gen2.cfg of
 * its EFI boot image) wipes disk 0 whatever it holds.  build's report
 * and inspect say which, in the same words.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_DISKPOLICY_H
#define WIN7GEN2_DISKPOLICY_H

#include <stdbool.h>

#include "config.h"
#include "text.h"

/* The cfg line build writes for --wipe-unattended (CRLF: a FAT file
 * for UEFI, like the rest of win7gen2.cfg). */
#define DISKPOLICY_CFG_WIPE "wipe_unattended = on\r\n"

/* One sentence, no line end: "Install starts by itself ...". */
void diskpolicy_describe(bool wipe_unattended, unsigned menu_timeout, struct text *out);

/*
 * Reads an ISO's win7gen2.cfg (a copy on the disk, at most
 * CONFIG_MAX_FILE_SIZE bytes) the way the payload does: defaults, then
 * the file's lines.  0, or -1 with the reason in err.
 */
int diskpolicy_read_config(const char *path, struct config *config, struct text *err);

#endif
