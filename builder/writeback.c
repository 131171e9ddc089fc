/*
 * writeback.c - OUT's long copies handed to the disk piece by piece
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "writeback.h"

#include <errno.h>
#include <fcntl.h>

void writeback_init(struct writeback *wb, int fd)
{
	wb->fd = fd;
	wb->count = 0;
}

/* Waits until the disk has the oldest piece in flight, then drops its
 * pages (they are clean now; dropping them is only a hint). */
static int retire_oldest(struct writeback *wb)
{
	uint64_t offset = wb->offset[0], size = wb->size[0];

	for (unsigned i = 1; i < wb->count; i++) {
		wb->offset[i - 1] = wb->offset[i];
		wb->size[i - 1] = wb->size[i];
	}
	wb->count--;
	/* A file system without sync_file_range leaves it all to the fsync;
	 * a write the disk refused is OUT's error now. */
	if (sync_file_range(wb->fd, (off64_t)offset, (off64_t)size,
			    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
			    SYNC_FILE_RANGE_WAIT_AFTER) < 0 &&
	    (errno == EIO || errno == ENOSPC || errno == EDQUOT))
		return -1;
	(void)posix_fadvise(wb->fd, (off_t)offset, (off_t)size, POSIX_FADV_DONTNEED);
	return 0;
}

int writeback_piece(struct writeback *wb, uint64_t offset, uint64_t size)
{
	if (wb->count == WRITEBACK_IN_FLIGHT && retire_oldest(wb) < 0)
		return -1;
	/* Starting the write is a hint: the wait above or the fsync reports
	 * what goes wrong. */
	(void)sync_file_range(wb->fd, (off64_t)offset, (off64_t)size, SYNC_FILE_RANGE_WRITE);
	wb->offset[wb->count] = offset;
	wb->size[wb->count] = size;
	wb->count++;
	return 0;
}
