/*
 * ntfspart.h - an NTFS volume inside a disk image or device, by offset
 *
 * win7gen2 convert looks inside the partitions of a whole disk (a raw
 * image or /dev/sdX) without loop devices, mounts or FUSE: libntfs-3g
 * reads the volume through device operations that add the partition's
 * byte offset and refuse anything outside its range.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_NTFSPART_H
#define WIN7GEN2_NTFSPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

struct ntfspart;

/* Open the NTFS volume at byte offset..offset+size of the open file fd,
 * read-only.  NULL with the reason in err (naming disk_name). */
struct ntfspart *ntfspart_open(int fd, const char *disk_name, uint64_t offset,
			       uint64_t size, struct text *err);

/* 1 and the whole file in *data (malloc()ed) when path ("Windows/System32/...",
 * '/'-separated, case-insensitive as NTFS is) is a file of at most max
 * bytes; 0 when it does not exist; -1 with the reason in err. */
int ntfspart_read_file(struct ntfspart *part, const char *path, size_t max,
		       uint8_t **data, size_t *size, struct text *err);

/* Call fn for each name in the root folder but NTFS's own ($MFT, ...). */
int ntfspart_list_root(struct ntfspart *part, void (*fn)(void *ctx, const char *name),
		       void *ctx, struct text *err);

void ntfspart_close(struct ntfspart *part);

#endif
