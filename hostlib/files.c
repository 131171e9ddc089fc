/*
 * files.c - the builder's private temporary folder and small file chores
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "files.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

char *path_join(const char *dir, const char *name)
{
	struct text path = TEXT_INIT;

	text_appendf(&path, "%s/%s", dir, name);
	return text_take(&path, NULL);
}

char *parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int tempdir_create(const char *parent, char **path, struct text *err)
{
	const char *base = parent;
	struct text template = TEXT_INIT;

	if (!base) {
		base = getenv("TMPDIR");
		if (!base || !*base)
			base = "/tmp";
	}
	text_appendf(&template, "%s/.win7gen2-tmp-XXXXXX", base);
	*path = text_take(&template, NULL);
	if (!*path) {
		text_append(err, "out of memory");
		return -1;
	}
	if (!mkdtemp(*path)) {
		text_appendf(err, "cannot make a temporary folder in %s: %s", base,
			     strerror(errno));
		free(*path);
		*path = NULL;
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void tempdir_remove(const char *path)
{
	if (path)
		nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int free_space(const char *dir, uint64_t *bytes, dev_t *device, struct text *err)
{
	struct statvfs vfs;
	struct stat st;

	if (statvfs(dir, &vfs) < 0 || stat(dir, &st) < 0) {
		text_appendf(err, "cannot tell the free space in %s: %s", dir, strerror(errno));
		return -1;
	}
	*bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	*device = st.st_dev;
	return 0;
}

int read_file(const char *path, size_t max, unsigned char **data, size_t *size, struct text *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *bytes;
	size_t done = 0;

	*data = NULL;
	*size = 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		text_appendf(err, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		text_appendf(err, "%s is not a file of at most %zu bytes", path, max);
		close(fd);
		return -1;
	}
	bytes = malloc((size_t)st.st_size + 1);
	if (!bytes) {
		text_append(err, "out of memory");
		close(fd);
		return -1;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, bytes + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			text_appendf(err, "cannot read %s: %s", path,
				     n ? strerror(errno) : "file shrank");
			free(bytes);
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	close(fd);
	bytes[done] = '\0';
	*data = bytes;
	*size = done;
	return 0;
}

int write_file(const char *path, const void *data, size_t size, struct text *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	const unsigned char *p = data;

	if (fd < 0) {
		text_appendf(err, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			text_appendf(err, "cannot write %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		p += n;
		size -= (size_t)n;
	}
	if (close(fd) < 0) {
		text_appendf(err, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int copy_file(const char *from, const char *to, struct text *err)
{
	unsigned char *data;
	size_t size;
	int rc;

	/* Only small files (loaders, configs) are copied this way. */
	if (read_file(from, 256u << 20, &data, &size, err) < 0)
		return -1;
	rc = write_file(to, data, size, err);
	free(data);
	return rc;
}

static int walk(const char *dir, unsigned depth,
		int (*visit)(void *ctx, const char *path, uint64_t size), void *ctx,
		struct text *err)
{
	DIR *handle;
	struct dirent *entry;
	int rc = 0;

	if (depth > 32) {
		text_appendf(err, "%s: folders nested too deep", dir);
		return -1;
	}
	handle = opendir(dir);
	if (!handle) {
		text_appendf(err, "cannot read the folder %s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (entry = readdir(handle))) {
		struct stat st;
		char *path;

		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		path = path_join(dir, entry->d_name);
		if (!path) {
			text_append(err, "out of memory");
			rc = -1;
			break;
		}
		if (lstat(path, &st) < 0) {
			text_appendf(err, "cannot read %s: %s", path, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(path, depth + 1, visit, ctx, err);
		} else if (S_ISREG(st.st_mode)) {
			rc = visit(ctx, path, (uint64_t)st.st_size);
		}
		free(path);
	}
	closedir(handle);
	return rc;
}

int dir_walk(const char *dir, int (*visit)(void *ctx, const char *path, uint64_t size),
	     void *ctx, struct text *err)
{
	return walk(dir, 0, visit, ctx, err) < 0 ? -1 : 0;
}

int copy_big_file(const char *from, const char *to,
		  void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		  struct text *err)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	uint64_t done = 0, total;
	struct stat st, now;
	int rc = -1;

	if (in < 0 || out < 0 || fstat(in, &st) < 0) {
		text_appendf(err, "cannot copy %s to %s: %s", from, to, strerror(errno));
		goto out;
	}
	total = (uint64_t)st.st_size;
	if (copy_fd_range(in, 0, out, 0, total, progress, ctx, &done, total) < 0) {
		/* copy_fd_range says EIO when its source ended early. */
		if (errno == EIO && fstat(in, &now) == 0 && now.st_size < st.st_size)
			text_appendf(err, "cannot copy %s: it shrank while being copied", from);
		else
			text_appendf(err, "cannot copy %s to %s: %s", from, to, strerror(errno));
		goto out;
	}
	rc = close(out);
	out = -1;
	if (rc < 0)
		text_appendf(err, "cannot copy %s to %s: %s", from, to, strerror(errno));
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

int sync_file(const char *path, struct text *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;

	if (rc < 0)
		text_appendf(err, "cannot write %s to the disk: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

int pread_full(int fd, void *data, size_t count, uint64_t offset)
{
	unsigned char *p = data;

	while (count) {
		ssize_t n = pread(fd, p, count, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		p += n;
		count -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

int copy_fd_range(int in, uint64_t from, int out, uint64_t to, uint64_t count,
		  void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		  uint64_t *done, uint64_t total)
{
	loff_t in_offset = (loff_t)from, out_offset = (loff_t)to;
	bool in_kernel = true;
	unsigned char *block = NULL;

	while (count) {
		size_t chunk = count > (64u << 20) ? (64u << 20) : (size_t)count;
		ssize_t n;

		if (in_kernel) {
			n = copy_file_range(in, &in_offset, out, &out_offset, chunk, 0);
			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP ||
				      errno == EINVAL)) {
				in_kernel = false; /* across file systems, old kernels */
				continue;
			}
		} else {
			if (!block && !(block = malloc(1u << 20)))
				return -1;
			if (chunk > (1u << 20))
				chunk = 1u << 20;
			if (pread_full(in, block, chunk, (uint64_t)in_offset) < 0) {
				free(block);
				if (errno == 0)
					errno = EIO;
				return -1;
			}
			n = pwrite(out, block, chunk, out_offset);
			if (n > 0) {
				in_offset += n;
				out_offset += n;
			}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* the source ended early */
			free(block);
			return -1;
		}
		count -= (uint64_t)n;
		*done += (uint64_t)n;
		if (progress)
			progress(ctx, *done, total);
	}
	free(block);
	return 0;
}
