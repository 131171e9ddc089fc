/*
 * outsync.h - OUT written to the disk while it is read back
 *
 * Before OUT gets its name it must be whole on the disk (fsync) and read
 * back by code that did not write it (outcheck.h).  The fsync waits for
 * the disk, the read-back for the processor, and both see the same
 * bytes, so the fsync runs on a second thread meanwhile; the caller gives
 * OUT its name only once outsync_finish said 0.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_OUTSYNC_H
#define WIN7GEN2_OUTSYNC_H

#include <stdbool.h>
#include <pthread.h>

#include "text.h"

struct outsync {
	const char *path;
	struct text reason;   /* the thread's; read only after the join */
	int result;           /* the thread's; read only after the join */
	pthread_t thread;
	bool running;
};

/* Starts writing path's data to the disk.  0, or -1 with the reason in
 * err (nothing started).  path must stay valid until outsync_finish. */
int outsync_start(struct outsync *sync, const char *path, struct text *err);

/* Waits for it: 0 when path is on the disk; -1 with the reason, naming
 * path, appended to err (when err is not NULL). */
int outsync_finish(struct outsync *sync, struct text *err);

#endif
