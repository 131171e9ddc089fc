/*
 * insource.h - IN held open from the first read to the publish
 *
 * `build` reads IN for minutes: its listing, boot.wim, install.wim's
 * header, the boot images, then the copy.  A file that changed in the
 * meantime (written to, or replaced under its name) would give an OUT
 * made of two different ISOs.  IN is opened once at the start and what
 * it was then (device, inode, size, modification time) is
 * compared, through that descriptor and through its name, before OUT
 * gets its name.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_INSOURCE_H
#define WIN7GEN2_INSOURCE_H

#include <sys/stat.h>

#include "iso.h"
#include "text.h"

struct in_source {
	struct iso_source iso;      /* every read of IN goes through it */
	struct stat seen;           /* at the open */
};

/* Opens path read-only and notes what it is. */
int in_source_open(struct in_source *in, const char *path, struct text *err);

/* 0 when the file is as it was at the open, by its descriptor and by its
 * name; -1 with "IN changed while it was being read: PATH ..." in err. */
int in_source_unchanged(const struct in_source *in, struct text *err);

void in_source_close(struct in_source *in);
#endif
