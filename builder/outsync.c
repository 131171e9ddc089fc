/*
 * outsync.c - OUT written to the disk while it is read back
 *
 * SPDX-License-Identifier: MIT
 */
#include "outsync.h"

#include <string.h>

#include "files.h"

static void *sync_thread(void *arg)
{
	struct outsync *sync = arg;

	sync->result = sync_file(sync->path, &sync->reason);
	return NULL;
}

int outsync_start(struct outsync *sync, const char *path, struct text *err)
{
	memset(sync, 0, sizeof(*sync));
	sync->path = path;
	sync->reason = (struct text)TEXT_INIT;
	if (pthread_create(&sync->thread, NULL, sync_thread, sync) != 0) {
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
	pthread_join(sync->thread, NULL);
	sync->running = false;
	rc = sync->result;
	if (rc < 0 && err)
		text_append(err, text_failed(&sync->reason) ? "out of memory"
			    : text_string(&sync->reason));
	text_free(&sync->reason);
	return rc;
}
