/*
 * hive.c - registry hives through hivex
 *
 * hivex reads a hive file into memory and writes a whole new hive file
 * on commit; it does not replay transaction logs (SYSTEM.LOG, .LOG1,
 * .LOG2).  A hive whose header says it was not written out completely
 * (its two sequence numbers differ) still has changes in those logs that
 * Windows would replay over ours, or that we would lose: such a hive is
 * refused, untouched, and the user is told to let Windows close it.
 *
 * Commit goes through posix_replace_with_temp: hivex writes the complete
 * new hive to a temporary file beside the old one, which is flushed and
 * renamed over it, so the hive file is always the old or the new one.
 *
 * hivex takes file names, not descriptors.  It is given
 * "/proc/self/fd/N" for a file this backend opened below the directory
 * its walk holds (files.c): the very file that was checked, whatever
 * the path text would name by now.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "regf.h"

/* Less is no hive at all (its base block alone is 4 KiB): such a file
 * gets the plain "not a registry hive" refusal, not hivex's. */
#define REGF_MIN_SIZE 512

struct fix_hive {
	hive_h *h;
	struct posix_path path;
	bool writable;
};

/* The base block ("regf") fields hivex does not check for us. */
static enum fix_status check_base_block(int fd, const char *path, struct fix_error *err)
{
	uint8_t header[REGF_BASE_BLOCK_SIZE];
	size_t done = 0;
	uint32_t sequence1, sequence2;
	enum regf_state state;

	while (done < sizeof(header)) {
		ssize_t n = pread(fd, header + done, sizeof(header) - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			posix_error(err, path, errno);
			return FIX_ERROR;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	state = regf_check(header, done, &sequence1, &sequence2);
	if (done < REGF_MIN_SIZE || state == REGF_NOT_REGF) {
		posix_errorf(err, "%s: not a registry hive (no \"regf\" header)", path);
		return FIX_ERROR;
	}
	if (state == REGF_DIRTY) {
		posix_errorf(err, "%s: the hive was not closed cleanly (sequence numbers %lu and %lu); "
			 "changes are still in its .LOG files, which only Windows replays: "
			 "boot this Windows once, or shut it down properly, then run win7gen2 "
			 "fix again", path, (unsigned long)sequence1, (unsigned long)sequence2);
		return FIX_ERROR;
	}
	return FIX_OK;
}

enum fix_status posix_hive_open(void *ctx, enum fix_volume volume, const char *path,
				bool writable, struct fix_hive **out, struct fix_error *err)
{
	struct fix_hive *hive;
	enum fix_status status;
	char by_fd[POSIX_FD_PATH_MAX];
	int fd = -1;

	*out = NULL;
	hive = calloc(1, sizeof(*hive));
	if (!hive) {
		posix_errorf(err, "%s: out of memory opening the hive", path);
		return FIX_ERROR;
	}
	status = posix_resolve(ctx, volume, path, false, &hive->path, err);
	if (status == FIX_OK && !hive->path.exists)
		status = FIX_NOT_FOUND;
	if (status == FIX_OK) {
		fd = openat(hive->path.dir_fd, hive->path.leaf,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			posix_error(err, hive->path.full, errno);
			status = FIX_ERROR;
		}
	}
	if (status == FIX_OK)
		status = check_base_block(fd, hive->path.full, err);
	if (status == FIX_OK) {
		posix_fd_path(fd, by_fd);
		errno = 0;
		hive->h = hivex_open(by_fd, writable ? HIVEX_OPEN_WRITE : 0);
		if (!hive->h && errno == ENOENT) {
			posix_errorf(err, "%s: cannot open it again through %s: is /proc "
				 "mounted? win7gen2 fix needs it", hive->path.full, by_fd);
			status = FIX_ERROR;
		} else if (!hive->h) {
			posix_errorf(err,
				 "%s: not a registry hive hivex can read (%s)", hive->path.full,
				 strerror(errno ? errno : EINVAL));
			status = FIX_ERROR;
		}
	}
	if (fd >= 0)
		close(fd);
	if (status != FIX_OK) {
		posix_path_close(&hive->path);
		free(hive);
		return status;
	}
	hive->writable = writable;
	*out = hive;
	return FIX_OK;
}

/*
 * The node at key ('\'-separated, "" = root).  0 with *status FIX_NOT_FOUND
 * if a component is missing; with create, missing keys are added.
 */
static hive_node_h find_node(struct fix_hive *hive, const char *key, bool create,
			     enum fix_status *status, struct fix_error *err)
{
	hive_node_h node = hivex_root(hive->h);
	const char *rest = key;

	*status = FIX_OK;
	if (!node) {
		posix_errorf(err, "%s: the hive has no root key",
			 hive->path.full);
		*status = FIX_ERROR;
		return 0;
	}
	while (*rest) {
		const char *end = strchr(rest, '\\');
		size_t length = end ? (size_t)(end - rest) : strlen(rest);
		char name[256];
		hive_node_h child;

		if (length == 0 || length >= sizeof(name)) {
			posix_errorf(err, "%s: bad key \"%s\"",
				 hive->path.full, key);
			*status = FIX_ERROR;
			return 0;
		}
		memcpy(name, rest, length);
		name[length] = '\0';
		errno = 0;
		child = hivex_node_get_child(hive->h, node, name);
		if (!child && errno) {
			posix_errorf(err, "%s: key %s: %s",
				 hive->path.full, key, strerror(errno));
			*status = FIX_ERROR;
			return 0;
		}
		if (!child && !create) {
			*status = FIX_NOT_FOUND;
			return 0;
		}
		if (!child) {
			child = hivex_node_add_child(hive->h, node, name);
			if (!child) {
				posix_errorf(err, "%s: cannot add key %s: %s", hive->path.full, key,
					 strerror(errno ? errno : EINVAL));
				*status = FIX_ERROR;
				return 0;
			}
		}
		node = child;
		rest += length + (end ? 1 : 0);
	}
	return node;
}

enum fix_status posix_hive_subkeys(struct fix_hive *hive, const char *key, fix_name_fn fn,
				   void *fn_ctx, struct fix_error *err)
{
	enum fix_status status;
	hive_node_h node = find_node(hive, key, false, &status, err);
	hive_node_h *children;

	if (status != FIX_OK)
		return status;
	errno = 0;
	children = hivex_node_children(hive->h, node);
	if (!children) {
		posix_errorf(err, "%s: subkeys of \"%s\": %s",
			 hive->path.full, key, strerror(errno ? errno : EINVAL));
		return FIX_ERROR;
	}
	for (size_t i = 0; children[i]; i++) {
		char *name = hivex_node_name(hive->h, children[i]);
		bool more;

		if (!name) {
			posix_errorf(err, "%s: a subkey of \"%s\" has "
				 "an unreadable name", hive->path.full, key);
			free(children);
			return FIX_ERROR;
		}
		more = fn(fn_ctx, name);
		free(name);
		if (!more)
			break;
	}
	free(children);
	return FIX_OK;
}

enum fix_status posix_hive_key_exists(struct fix_hive *hive, const char *key,
				      struct fix_error *err)
{
	enum fix_status status;

	find_node(hive, key, false, &status, err);
	return status;
}

enum fix_status posix_hive_get(struct fix_hive *hive, const char *key, const char *name,
			       struct fix_reg_value *out, struct fix_error *err)
{
	enum fix_status status;
	hive_node_h node = find_node(hive, key, false, &status, err);
	hive_value_h value;
	hive_type type;
	size_t length = 0;
	char *data;

	out->type = 0;
	out->data = NULL;
	out->size = 0;
	if (status != FIX_OK)
		return status;
	errno = 0;
	value = hivex_node_get_value(hive->h, node, name);
	if (!value) {
		if (!errno)
			return FIX_NOT_FOUND;
		posix_errorf(err, "%s: %s\\%s: %s", hive->path.full,
			 key, name, strerror(errno));
		return FIX_ERROR;
	}
	errno = 0;
	data = hivex_value_value(hive->h, value, &type, &length);
	if (!data && (errno || length)) {
		posix_errorf(err, "%s: %s\\%s: %s", hive->path.full,
			 key, name, strerror(errno ? errno : EINVAL));
		return FIX_ERROR;
	}
	out->type = (uint32_t)type;
	out->data = (uint8_t *)data;
	out->size = data ? length : 0;
	return FIX_OK;
}

enum fix_status posix_hive_set(struct fix_hive *hive, const char *key, const char *name,
			       uint32_t type, const void *data, size_t size,
			       struct fix_error *err)
{
	enum fix_status status;
	hive_node_h node;
	hive_set_value value;
	char *copy;

	if (!hive->writable) {
		posix_errorf(err, "%s: opened read-only",
			 hive->path.full);
		return FIX_ERROR;
	}
	node = find_node(hive, key, true, &status, err);
	if (status != FIX_OK)
		return FIX_ERROR;
	copy = malloc(strlen(name) + 1 + size + 1);
	if (!copy) {
		posix_errorf(err, "%s: out of memory setting %s\\%s", hive->path.full, key, name);
		return FIX_ERROR;
	}
	/* hivex takes non-const pointers but does not write through them. */
	strcpy(copy, name);
	if (size)
		memcpy(copy + strlen(name) + 1, data, size);
	value.key = copy;
	value.t = (hive_type)type;
	value.len = size;
	value.value = copy + strlen(name) + 1;
	if (hivex_node_set_value(hive->h, node, &value, 0) != 0) {
		posix_errorf(err, "%s: cannot set %s\\%s: %s",
			 hive->path.full, key, name, strerror(errno ? errno : EINVAL));
		free(copy);
		return FIX_ERROR;
	}
	free(copy);
	return FIX_OK;
}

/* hivex writes the whole hive to the temporary file (fd, which
 * posix_replace_with_temp then flushes). */
static int fill_with_hive(void *ctx, int fd, const char *display)
{
	struct fix_hive *hive = ctx;
	char by_fd[POSIX_FD_PATH_MAX];

	(void)display;
	posix_fd_path(fd, by_fd);
	return hivex_commit(hive->h, by_fd, 0) == 0 ? 0 : -1;
}

enum fix_status posix_hive_commit(struct fix_hive *hive, struct fix_error *err)
{
	if (!hive->writable) {
		posix_errorf(err, "%s: opened read-only",
			 hive->path.full);
		return FIX_ERROR;
	}
	return posix_replace_with_temp(&hive->path, fill_with_hive, hive, err);
}

void posix_hive_close(struct fix_hive *hive)
{
	if (!hive)
		return;
	if (hive->h)
		hivex_close(hive->h);
	posix_path_close(&hive->path);
	free(hive);
}
