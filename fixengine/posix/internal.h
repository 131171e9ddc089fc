/*
 * internal.h - shared by the Linux backend's files, not for its callers
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_POSIX_INTERNAL_H
#define WIN7GEN2_FIX_POSIX_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "posix.h"

/*
 * A resolved path: the directory that holds its last component, open,
 * and the component's name in it.  Every use goes through dir_fd
 * (openat, renameat, ...), never through the path text again, so a
 * directory on the way swapped for a link after the walk changes
 * nothing.  full is for messages only.
 */
struct posix_path {
	int dir_fd;              /* -1 when nothing is open */
	char leaf[NAME_MAX + 1]; /* its name on disk if it exists, else as asked */
	char full[PATH_MAX];     /* root/dir/leaf, for messages */
	bool exists;
};

/*
 * Resolve path (relative, '\'-separated) below the volume's root.
 * FIX_NOT_FOUND when a directory on the way is missing (and create_dirs
 * is false); a missing last component is FIX_OK with exists = false.
 * On FIX_OK out->dir_fd is open: posix_path_close() releases it.
 */
enum fix_status posix_resolve(const struct posix_fix *ctx, enum fix_volume volume,
			      const char *path, bool create_dirs, struct posix_path *out,
			      struct fix_error *err);
void posix_path_close(struct posix_path *path);

/*
 * Make a file's new content durable under a temporary name beside it,
 * then rename it into place and sync the directory.  fill writes the
 * content to fd, a new empty file (display names it for messages), and
 * returns 0, or -1 with errno set.
 */
enum fix_status posix_replace_with_temp(const struct posix_path *target,
					int (*fill)(void *ctx, int fd, const char *display),
					void *fill_ctx, struct fix_error *err);

/* A path by which a library that takes file names (hivex) opens the
 * very file fd is open on: "/proc/self/fd/N". */
#define POSIX_FD_PATH_MAX 32
void posix_fd_path(int fd, char buf[POSIX_FD_PATH_MAX]);

/* errno as text, with the path: "PATH: No such file or directory". */
void posix_error(struct fix_error *err, const char *path, int error);
void posix_errorf(struct fix_error *err, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* Hives (hive.c). */
enum fix_status posix_hive_open(void *ctx, enum fix_volume volume, const char *path,
				bool writable, struct fix_hive **out, struct fix_error *err);
enum fix_status posix_hive_subkeys(struct fix_hive *hive, const char *key, fix_name_fn fn,
				   void *fn_ctx, struct fix_error *err);
enum fix_status posix_hive_key_exists(struct fix_hive *hive, const char *key,
				      struct fix_error *err);
enum fix_status posix_hive_get(struct fix_hive *hive, const char *key, const char *name,
			       struct fix_reg_value *out, struct fix_error *err);
enum fix_status posix_hive_set(struct fix_hive *hive, const char *key, const char *name,
			       uint32_t type, const void *data, size_t size,
			       struct fix_error *err);
enum fix_status posix_hive_commit(struct fix_hive *hive, struct fix_error *err);
void posix_hive_close(struct fix_hive *hive);

/* Disk layout (layout.c), from /proc/self/mountinfo and /sys/dev/block. */
void posix_probe_layout(void *ctx, struct fix_disk_layout *out);

#endif
