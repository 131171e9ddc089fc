/*
 * pkgcheck.c - update packages' members checked beside the long steps
 *
 * SPDX-License-Identifier: MIT
 */
#include "pkgcheck.h"

#include <string.h>

/* The thread: each package in turn until one fails or stop is set. */
static void *check_all(void *arg)
{
	struct package_check *check = arg;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < check->count; i++)
		rc = package_check_members(&check->packages[i], &check->stop, &check->reason);
	if (rc < 0)
		atomic_store(&check->failed, true);
	check->result = rc;
	return NULL;
}

int package_check_start(struct package_check *check, const struct package *packages,
			size_t count, struct text *err)
{
	memset(check, 0, sizeof(*check));
	check->packages = packages;
	check->count = count;
	atomic_init(&check->failed, false);
	atomic_init(&check->stop, false);
	check->reason = (struct text)TEXT_INIT;
	if (pthread_create(&check->thread, NULL, check_all, check) != 0) {
		text_append(err, "cannot start a thread to check the update packages: out of "
			    "memory or threads");
		return -1;
	}
	check->running = true;
	return 0;
}

bool package_check_failed(struct package_check *check)
{
	return atomic_load(&check->failed);
}

static void join(struct package_check *check)
{
	if (check->running)
		pthread_join(check->thread, NULL);
	check->running = false;
}

int package_check_finish(struct package_check *check, struct text *err)
{
	int rc;

	if (!check->running)
		return 0;
	join(check);
	rc = check->result;
	if (rc < 0)
		text_append(err, text_failed(&check->reason) ? "out of memory"
			    : text_string(&check->reason));
	text_free(&check->reason);
	/* Nothing set stop before the join: the thread checked everything. */
	return rc == 0 ? 0 : -1;
}

void package_check_abandon(struct package_check *check)
{
	if (!check->running)
		return;
	atomic_store(&check->stop, true);
	join(check);
	text_free(&check->reason);
}
