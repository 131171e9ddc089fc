/*
 * outsync.c - OUT written to the disk while it is read back
 *
 * SPDX-License-Identifier: MIT
 */
#include "outsync.h"

#include <string.h>

#include "files.h"

static int sync_thread(void *arg)
{
	struct outsync *sync = arg;

	sync->result = sync_file(sync->path, &sync->reason);
	return 0;
}

int outsync_start(struct outsync *sync, const char *path, struct text *err)
{
	memset(sync, 0, sizeof(*sync));
	sync->path = path;
	sync->reason = (struct text)TEXT_INIT;
	if (thrd_create(&sync->thread, sync_thread, sync) != thrd_success) {
		text_appendf(err, "cannot start a thread to write %s to the disk: out of memory "
			     "or threads", path);
		return -1;
	}
	sync->running = true;
	return 0;
}

int outsync_finish(struct outsync *sync, struct text *err)
{
	int rc;

	if (!sync->running)
		return 0;
	thrd_join(sync->thread, NULL);
	sync->running = false;
	rc = sync->result;
	if (rc < 0 && err)
		text_append(err, text_failed(&sync->reason) ? "out of memory"
			    : text_string(&sync->reason));
	text_free(&sync->reason);
	return rc;
}
