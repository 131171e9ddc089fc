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

/* Open the NTFS volume at byte offset..offset+size of the open file fd
 * (opened read-write when writable).  Nothing outside that range is
 * read or written.  A volume Windows left hibernated or dirty opens
 * read-only only.  NULL with the reason in err (naming disk_name). */
struct ntfspart *ntfspart_open(int fd, const char *disk_name, uint64_t offset,
			       uint64_t size, bool writable, struct text *err);

/* 1 and the whole file in *data (malloc()ed) when path ("Windows/System32/...",
 * '/'-separated, case-insensitive as NTFS is) is a file of at most max
 * bytes; 0 when it does not exist; -1 with the reason in err. */
int ntfspart_read_file(struct ntfspart *part, const char *path, size_t max,
		       uint8_t **data, size_t *size, struct text *err);

/* 1 and the first size bytes of path in buf (fewer, *got says, when the
 * file is shorter); 0 when it does not exist; -1 with the reason. */
int ntfspart_read_head(struct ntfspart *part, const char *path, uint8_t *buf, size_t size,
		       size_t *got, struct text *err);

/* Call fn for each name in the root folder but NTFS's own ($MFT, ...). */
int ntfspart_list_root(struct ntfspart *part, void (*fn)(void *ctx, const char *name),
		       void *ctx, struct text *err);

/* path ("win7gen2/gen1/first-mib.bin") gets data: missing folders are
 * made, a file there is replaced.  0, or -1 with the reason in err. */
int ntfspart_write_file(struct ntfspart *part, const char *path, const uint8_t *data,
			size_t size, struct text *err);

/* fn for everything below the folder path, parents before their
 * contents, with "path/name..." paths; fn's non-zero return stops it. */
int ntfspart_walk(struct ntfspart *part, const char *path,
		  int (*fn)(void *ctx, const char *path, bool is_dir), void *ctx,
		  struct text *err);

/* Unmounts; for a writable volume everything reaches the disk (fsync).
 * 0, or -1 when that failed. */
int ntfspart_close(struct ntfspart *part);

#endif
