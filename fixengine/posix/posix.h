/*
 * posix.h - the fix engine's backend for Linux: POSIX files and hivex
 *
 * Used by `win7gen2 fix` on a Linux host with a VM's disk mounted, and by
 * the tests.  The two volumes are directories (mount points); every path
 * the engine names is resolved below them one component at a time,
 * case-insensitively, refusing symbolic links, and used through the
 * directory the walk opened, so nothing outside the two directories is
 * ever read or written, even when the tree changes meanwhile.  Hives are
 * read and written with hivex (man 3 hivex).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_POSIX_H
#define WIN7GEN2_FIX_POSIX_H

#include <limits.h>
#include <stdbool.h>

#include "backend.h"

struct posix_fix {
	char root[2][PATH_MAX]; /* by enum fix_volume; no trailing '/' */
	/*
	 * For tests only, NULL otherwise: called when a path has been
	 * resolved and before it is used, so that a test can change the tree
	 * in between as another process could (tests/fixengine/
	 * test-fix-races.c).  path is the engine's, volume-relative.
	 */
	void (*after_resolve)(void *hook_ctx, enum fix_volume volume, const char *path);
	void *hook_ctx;
};

/* Both roots must be existing directories.  FIX_ERROR with the reason. */
enum fix_status posix_fix_init(struct posix_fix *ctx, const char *windows_root,
			       const char *esp_root, struct fix_error *err);

extern const struct fix_backend posix_fix_backend;

/* A file's path for messages as the disk spells it where it exists
 * (found case-insensitively, as every operation finds it), else as
 * display_path shows it.  Always NUL-terminates buf. */
void posix_fix_disk_path(const struct posix_fix *fix, enum fix_volume volume, const char *path,
			 char *buf, size_t size);

/* The disk layout from stand-ins for /proc/self/mountinfo and
 * /sys/dev/block (tests); the backend's probe_layout reads the real ones. */
void posix_probe_layout_at(const struct posix_fix *fix, const char *mountinfo,
			   const char *sys_dev_block, struct fix_disk_layout *out);

#endif
