/*
 * pkgcheck.h - update packages' members checked beside the long steps
 *
 * Proving that every member of every --package CAB decompresses reads
 * and decompresses each CAB whole: for a gigabyte of packages, most of a
 * second of one core.  build does it on a second thread while it reads
 * boot.wim and copies IN, which wait for the disk, and asks
 * package_check_failed between pieces of the copy so that a damaged
 * package stops the build early.  package_check_finish is the join: OUT
 * gets its name only after it said 0, so the guarantee is package_open's
 * (package.h), only sooner.  The same thread first hashes each CAB's
 * bytes (XXH64) as it reads them, so that the kernel can copy the CABs
 * into OUT unread by this program and OUT's read-back still has their
 * bytes to compare with (rewrite_add.source_hash).
 *
 * The thread reads the packages array and the CAB files only; the
 * caller must not change or free them before finish or abandon returns.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PKGCHECK_H
#define WIN7GEN2_PKGCHECK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include "package.h"
#include "text.h"

struct package_check {
	const struct package *packages;
	size_t count;
	uint64_t *hashes;     /* the caller's; written by the thread */
	atomic_bool failed;   /* set by the thread: a package will not do */
	atomic_bool stop;     /* set by the caller: no need to go on */
	struct text reason;   /* the thread's; read only after the join */
	int result;           /* the thread's; read only after the join */
	pthread_t thread;
	bool running;         /* started and not yet joined */
};

/* Starts checking packages[0..count) in order; hashes[i] gets the XXH64
 * of packages[i].cab's bytes, to be read only after package_check_finish
 * said 0.  0, or -1 with the reason in err (nothing started). */
int package_check_start(struct package_check *check, const struct package *packages,
			size_t count, uint64_t *hashes, struct text *err);

/* True as soon as the thread found a package that will not do (before
 * the join): the caller may stop its own work then. */
bool package_check_failed(struct package_check *check);

/* Waits for the thread.  0 when every member of every package
 * decompresses; -1 with the first failure, naming the file and the
 * member, appended to err.  0 when nothing was started. */
int package_check_finish(struct package_check *check, struct text *err);

/* On the caller's error path: stops the thread at its next member and
 * waits for it, dropping its result.  Harmless when nothing runs. */
void package_check_abandon(struct package_check *check);

#endif
