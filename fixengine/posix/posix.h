/*
 * posix.h - the fix engine's backend for Linux: POSIX files and hivex
 *
 * Used by `win7gen2 fix` on a Linux host with a VM's disk mounted, and by
 * the tests.  The two volumes are directories (mount points); every path
 * the engine names is resolved below them one component at a time,
 * case-insensitively, refusing symbolic links, so nothing outside the two
 * directories is ever read or written.  Hives are read and written with
 * hivex (man 3 hivex).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_POSIX_H
#define WIN7GEN2_FIX_POSIX_H

#include <limits.h>
#include <stdbool.h>

#include "../backend.h"

struct posix_fix {
	char root[2][PATH_MAX]; /* by enum fix_volume; no trailing '/' */
};

/* Both roots must be existing directories.  FIX_ERROR with the reason. */
enum fix_status posix_fix_init(struct posix_fix *ctx, const char *windows_root,
			       const char *esp_root, struct fix_error *err);

extern const struct fix_backend posix_fix_backend;

/* ---- shared by the backend's files (not for callers) ---- */

struct posix_path {
	char dir[PATH_MAX];  /* the directory that holds the last component */
	char leaf[NAME_MAX + 1]; /* its name on disk if it exists, else as asked */
	char full[PATH_MAX]; /* dir/leaf */
	bool exists;
};

/*
 * Resolve path (relative, '\'-separated) below the volume's root.
 * FIX_NOT_FOUND when a directory on the way is missing (and create_dirs
 * is false); a missing last component is FIX_OK with exists = false.
 */
enum fix_status posix_resolve(const struct posix_fix *ctx, enum fix_volume volume,
			      const char *path, bool create_dirs, struct posix_path *out,
			      struct fix_error *err);

/* Make a file's new content durable under a temporary name beside it,
 * then rename it into place (the directory is synced too). */
enum fix_status posix_replace_with_temp(const struct posix_path *target,
					int (*fill)(void *ctx, const char *temp_path),
					void *fill_ctx, struct fix_error *err);

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

/* Disk layout (layout.c): from /proc/self/mountinfo and /sys/dev/block,
 * or from the given stand-ins (tests). */
void posix_probe_layout(void *ctx, struct fix_disk_layout *out);
void posix_probe_layout_at(const struct posix_fix *fix, const char *mountinfo,
			   const char *sys_dev_block, struct fix_disk_layout *out);

#endif
