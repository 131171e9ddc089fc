/*
 * writeback.h - OUT's long copies handed to the disk piece by piece
 *
 * A build copies IN's gigabytes into OUT.  Left to the kernel, every
 * byte stays in the page cache until the dirty limit throttles the copy
 * or the fsync at the end writes it all at once, and the copy keeps
 * taking fresh memory (on a virtual machine, memory the host has to hand
 * over page by page: the copy then ran at a third of cp's speed).  So
 * each piece copied is given to the disk at once, and once the disk has
 * the piece WRITEBACK_IN_FLIGHT behind, its pages are let go: the copy
 * reuses the same memory, the disk writes while the copy goes on, and a
 * 4 GiB ISO does not push the user's files out of the page cache.  Only
 * for bytes nobody reads again soon: the read-back hashes the appended
 * files, so those stay cached.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_WRITEBACK_H
#define WIN7GEN2_WRITEBACK_H

#include <stdint.h>

/* How many pieces may be on their way to the disk at once. */
#define WRITEBACK_IN_FLIGHT 2u

struct writeback {
	int fd;
	unsigned count;                       /* pieces in flight */
	uint64_t offset[WRITEBACK_IN_FLIGHT];  /* oldest first */
	uint64_t size[WRITEBACK_IN_FLIGHT];
};

void writeback_init(struct writeback *wb, int fd);

/* [offset, offset + size) of the file was just written: starts writing
 * it to the disk, and waits for the oldest piece in flight when there are
 * WRITEBACK_IN_FLIGHT already, then lets its pages go.  0, or -1 with
 * errno when the disk reported an error writing that piece (the error is
 * reported here: a later fsync on another descriptor may not see it). */
int writeback_piece(struct writeback *wb, uint64_t offset, uint64_t size);

#endif
