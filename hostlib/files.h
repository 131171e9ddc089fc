/*
 * files.h - the builder's private temporary folder and small file chores
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FILES_H
#define WIN7GEN2_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "text.h"

/*
 * Makes a private folder (mode 0700): in parent when given (the build
 * puts it beside OUT, so the final rename stays on one file system),
 * else in $TMPDIR or /tmp.  *path is malloc'd.
 */
int tempdir_create(const char *parent, char **path, struct text *err);
/* Removes the folder and everything in it; never follows symlinks. */
void tempdir_remove(const char *path);

/* Free bytes for an unprivileged writer, and the file system's id. */
int free_space(const char *dir, uint64_t *bytes, dev_t *device, struct text *err);

/* The folder a file is in ("." for a bare name); malloc'd. */
char *parent_dir(const char *path);

/* dir + "/" + name, malloc'd (NULL on out of memory). */
char *path_join(const char *dir, const char *name);

/* fsync() path's data to the disk; -1 with the reason in err. */
int sync_file(const char *path, struct text *err);

/* Reads a whole file of at most max bytes. */
int read_file(const char *path, size_t max, unsigned char **data, size_t *size, struct text *err);
int write_file(const char *path, const void *data, size_t size, struct text *err);
int copy_file(const char *from, const char *to, struct text *err);

/* Copies a file of any size to a new file, in the kernel where it can
 * (copy_file_range), reporting progress as it goes (may be NULL). */
int copy_big_file(const char *from, const char *to,
		  void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		  struct text *err);



/* pread() that reads all count bytes: -1 on an error or an early end
 * (errno 0 then). */
int pread_full(int fd, void *data, size_t count, uint64_t offset);

/*
 * Copies count bytes from offset from of in to offset to of out, in the
 * kernel where it can (copy_file_range), else through a buffer.  *done
 * grows as bytes arrive and progress (may be NULL) hears of it against
 * total.  -1 with errno set on failure.
 */
int copy_fd_range(int in, uint64_t from, int out, uint64_t to, uint64_t count,
		  void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		  uint64_t *done, uint64_t total);

/* Calls visit for every regular file under dir (not following symlinks,
 * at most 32 levels deep) with its path and size; visit returns nonzero
 * to stop.  -1 when dir cannot be read. */
int dir_walk(const char *dir, int (*visit)(void *ctx, const char *path, uint64_t size),
	     void *ctx, struct text *err);
#endif
