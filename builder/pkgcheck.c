/*
 * pkgcheck.c - update packages' members checked beside the long steps
 *
 * SPDX-License-Identifier: MIT
 */
#include "pkgcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xxh64.h"

#define HASH_CHUNK (1u << 20)

/* XXH64 of the file's bytes to its end.  0; -1 with the reason;
 * PACKAGE_CHECK_STOPPED when stop was set meanwhile. */
static int hash_file(const char *path, const atomic_bool *stop, uint64_t *digest,
		     struct text *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char *buffer = fd < 0 ? NULL : malloc(HASH_CHUNK);
	struct xxh64 hash;
	ssize_t n;
	int rc = 0;

	if (fd < 0 || !buffer) {
		text_appendf(err, "cannot read %s: %s", path, fd < 0 ? strerror(errno) :
			     "out of memory");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	xxh64_init(&hash, 0);
	for (;;) {
		if (atomic_load(stop)) {
			rc = PACKAGE_CHECK_STOPPED;
			break;
		}
		n = read(fd, buffer, HASH_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			text_appendf(err, "cannot read %s: %s", path, strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		xxh64_update(&hash, buffer, (size_t)n);
	}
	*digest = xxh64_digest(&hash);
	free(buffer);
	close(fd);
	return rc;
}

/* The thread: each package in turn until one fails or stop is set. */
static void *check_all(void *arg)
{
	struct package_check *check = arg;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < check->count; i++) {
		const struct package *pkg = &check->packages[i];

		rc = hash_file(pkg->cab, &check->stop, &check->hashes[i], &check->reason);
		if (rc == 0)
			rc = package_check_members(pkg, &check->stop, &check->reason);
	}
	if (rc < 0)
		atomic_store(&check->failed, true);
	check->result = rc;
	return NULL;
}

int package_check_start(struct package_check *check, const struct package *packages,
			size_t count, uint64_t *hashes, struct text *err)
{
	memset(check, 0, sizeof(*check));
	check->packages = packages;
	check->count = count;
	check->hashes = hashes;
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
