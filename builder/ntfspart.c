/*
 * ntfspart.c - an NTFS volume inside a disk image or device, by offset
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libntfs-3g's headers expect its own config.h to have included these. */
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/device.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/layout.h>
#include <ntfs-3g/logging.h>
#include <ntfs-3g/unistr.h>
#include <ntfs-3g/volume.h>

#include "ntfspart.h"

struct range {
	int fd;
	bool writable;
	uint64_t offset, size;
	s64 position;
};

struct ntfspart {
	struct range range;
	ntfs_volume *vol;
};

static int range_open(struct ntfs_device *dev, int flags)
{
	struct range *range = dev->d_private;

	if ((flags & O_ACCMODE) != O_RDONLY && !range->writable) {
		errno = EROFS;
		return -1;
	}
	NDevSetOpen(dev);
	if ((flags & O_ACCMODE) == O_RDONLY)
		NDevSetReadOnly(dev);
	return 0;
}

static int range_close(struct ntfs_device *dev)
{
	NDevClearOpen(dev);
	return 0;
}

static s64 range_seek(struct ntfs_device *dev, s64 offset, int whence)
{
	struct range *range = dev->d_private;
	s64 base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? range->position :
		   (s64)range->size;

	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) ||
	    base + offset < 0) {
		errno = EINVAL;
		return -1;
	}
	range->position = base + offset;
	return range->position;
}

static s64 range_pread(struct ntfs_device *dev, void *buf, s64 count, s64 offset)
{
	struct range *range = dev->d_private;
	s64 done = 0;

	if (offset < 0 || count < 0) {
		errno = EINVAL;
		return -1;
	}
	/* Never past the partition: the next one's bytes are not this volume's. */
	if ((uint64_t)offset >= range->size)
		return 0;
	if ((uint64_t)count > range->size - (uint64_t)offset)
		count = (s64)(range->size - (uint64_t)offset);
	while (done < count) {
		ssize_t got = pread(range->fd, (char *)buf + done, (size_t)(count - done),
				    (off_t)(range->offset + (uint64_t)offset + (uint64_t)done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return done ? done : -1;
		if (got == 0)
			break;
		done += got;
	}
	return done;
}

static s64 range_read(struct ntfs_device *dev, void *buf, s64 count)
{
	struct range *range = dev->d_private;
	s64 got = range_pread(dev, buf, count, range->position);

	if (got > 0)
		range->position += got;
	return got;
}

static s64 range_pwrite(struct ntfs_device *dev, const void *buf, s64 count, s64 offset)
{
	struct range *range = dev->d_private;
	s64 done = 0;

	if (!range->writable) {
		errno = EROFS;
		return -1;
	}
	/* Never past the partition: a write there would hit the next one. */
	if (offset < 0 || count < 0 || (uint64_t)offset > range->size ||
	    (uint64_t)count > range->size - (uint64_t)offset) {
		errno = ENOSPC;
		return -1;
	}
	while (done < count) {
		ssize_t put = pwrite(range->fd, (const char *)buf + done, (size_t)(count - done),
				     (off_t)(range->offset + (uint64_t)offset + (uint64_t)done));

		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return done ? done : -1;
		done += put;
	}
	return done;
}

static s64 range_write(struct ntfs_device *dev, const void *buf, s64 count)
{
	struct range *range = dev->d_private;
	s64 put = range_pwrite(dev, buf, count, range->position);

	if (put > 0)
		range->position += put;
	return put;
}

static int range_sync(struct ntfs_device *dev)
{
	struct range *range = dev->d_private;

	return range->writable ? fsync(range->fd) : 0;
}

static int range_stat(struct ntfs_device *dev, struct stat *buf)
{
	struct range *range = dev->d_private;

	memset(buf, 0, sizeof(*buf));
	buf->st_mode = S_IFREG | 0400;
	buf->st_size = (off_t)range->size;
	return 0;
}

static int range_ioctl(struct ntfs_device *dev, unsigned long request, void *argp)
{
	struct range *range = dev->d_private;

	if (request == BLKGETSIZE64) {
		*(uint64_t *)argp = range->size;
		return 0;
	}
	errno = EOPNOTSUPP;
	return -1;
}

static struct ntfs_device_operations range_operations = {
	.open = range_open,
	.close = range_close,
	.seek = range_seek,
	.read = range_read,
	.write = range_write,
	.pread = range_pread,
	.pwrite = range_pwrite,
	.sync = range_sync,
	.stat = range_stat,
	.ioctl = range_ioctl,
};

struct ntfspart *ntfspart_open(int fd, const char *disk_name, uint64_t offset,
			       uint64_t size, bool writable, struct text *err)
{
	struct ntfspart *part = calloc(1, sizeof(*part));
	struct ntfs_device *dev;

	if (!part) {
		text_append(err, "out of memory");
		return NULL;
	}
	/* Its messages would interleave with ours; errno says enough. */
	ntfs_log_set_handler(ntfs_log_handler_null);
	part->range.fd = fd;
	part->range.offset = offset;
	part->range.size = size;
	part->range.writable = writable;
	dev = ntfs_device_alloc(disk_name, 0, &range_operations, &part->range);
	if (!dev) {
		text_appendf(err, "%s: out of memory", disk_name);
		free(part);
		return NULL;
	}
	part->vol = ntfs_device_mount(dev, writable ? NTFS_MNT_NONE : NTFS_MNT_RDONLY);
	if (!part->vol) {
		text_appendf(err, "%s: the NTFS volume at byte %llu does not open%s (%s)%s",
			     disk_name, (unsigned long long)offset, writable ? " for writing" : "",
			     strerror(errno), writable && errno == EPERM ?
			     ": Windows was hibernated or not shut down cleanly; start it "
			     "in the Gen1 VM and shut it down (not hibernate), then try again" : "");
		ntfs_device_free(dev);
		free(part);
		return NULL;
	}
	return part;
}

int ntfspart_read_file(struct ntfspart *part, const char *path, size_t max,
		       uint8_t **data, size_t *size, struct text *err)
{
	ntfs_inode *ni = ntfs_pathname_to_inode(part->vol, NULL, path);
	ntfs_attr *na;
	s64 done = 0;
	int rc = -1;

	*data = NULL;
	*size = 0;
	if (!ni) {
		if (errno == ENOENT)
			return 0;
		text_appendf(err, "\\%s: %s", path, strerror(errno));
		return -1;
	}
	if (ni->mrec->flags & MFT_RECORD_IS_DIRECTORY) {
		text_appendf(err, "\\%s is a folder, not a file", path);
		goto out;
	}
	na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
	if (!na) {
		text_appendf(err, "\\%s: its data does not open (%s)", path, strerror(errno));
		goto out;
	}
	if (na->data_size < 0 || (uint64_t)na->data_size > max) {
		text_appendf(err, "\\%s has %lld bytes, more than the %zu expected", path,
			     (long long)na->data_size, max);
		goto out_attr;
	}
	*data = malloc(na->data_size ? (size_t)na->data_size : 1);
	if (!*data) {
		text_appendf(err, "\\%s: out of memory", path);
		goto out_attr;
	}
	while (done < na->data_size) {
		s64 got = ntfs_attr_pread(na, done, na->data_size - done, *data + done);

		if (got <= 0) {
			text_appendf(err, "\\%s: reading at byte %lld failed (%s)", path,
				     (long long)done, got < 0 ? strerror(errno) : "short file");
			free(*data);
			*data = NULL;
			goto out_attr;
		}
		done += got;
	}
	*size = (size_t)done;
	rc = 1;
out_attr:
	ntfs_attr_close(na);
out:
	ntfs_inode_close(ni);
	return rc;
}

int ntfspart_read_head(struct ntfspart *part, const char *path, uint8_t *buf, size_t size,
		       size_t *got, struct text *err)
{
	ntfs_inode *ni = ntfs_pathname_to_inode(part->vol, NULL, path);
	ntfs_attr *na;
	s64 read;

	*got = 0;
	if (!ni) {
		if (errno == ENOENT)
			return 0;
		text_appendf(err, "\\%s: %s", path, strerror(errno));
		return -1;
	}
	na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
	if (!na) {
		text_appendf(err, "\\%s: its data does not open (%s)", path, strerror(errno));
		ntfs_inode_close(ni);
		return -1;
	}
	read = ntfs_attr_pread(na, 0, (s64)size, buf);
	ntfs_attr_close(na);
	ntfs_inode_close(ni);
	if (read < 0) {
		text_appendf(err, "\\%s: reading failed (%s)", path, strerror(errno));
		return -1;
	}
	*got = (size_t)read;
	return 1;
}

struct list_job {
	void (*fn)(void *ctx, const char *name);
	void *ctx;
};

static int list_one(void *dirent, const ntfschar *name, const int name_len,
		    const int name_type, const s64 pos, const MFT_REF mref,
		    const unsigned dt_type)
{
	struct list_job *job = dirent;
	char *utf8 = NULL;

	(void)pos; (void)dt_type;
	/* The 8.3 alias repeats a name already listed; below 16 are NTFS's own. */
	if (name_type == FILE_NAME_DOS || MREF(mref) < FILE_first_user)
		return 0;
	if (ntfs_ucstombs(name, name_len, &utf8, 0) < 0)
		return 0;
	if (strcmp(utf8, ".") != 0 && strcmp(utf8, "..") != 0)
		job->fn(job->ctx, utf8);
	free(utf8);
	return 0;
}

int ntfspart_list_root(struct ntfspart *part, void (*fn)(void *ctx, const char *name),
		       void *ctx, struct text *err)
{
	ntfs_inode *root = ntfs_inode_open(part->vol, FILE_root);
	struct list_job job = { fn, ctx };
	s64 pos = 0;
	int rc = 0;

	if (!root) {
		text_appendf(err, "the root folder does not open (%s)", strerror(errno));
		return -1;
	}
	if (ntfs_readdir(root, &pos, &job, list_one) < 0) {
		text_appendf(err, "the root folder does not list (%s)", strerror(errno));
		rc = -1;
	}
	ntfs_inode_close(root);
	return rc;
}

int ntfspart_close(struct ntfspart *part)
{
	int rc;

	if (!part)
		return 0;
	rc = ntfs_umount(part->vol, FALSE);
	free(part);
	return rc;
}

/* The child of dir named name (UTF-8), made as a folder or a file when
 * it is not there and create is set; *made says which.  NULL with errno. */
static ntfs_inode *child(ntfs_volume *vol, ntfs_inode *dir, const char *name, bool create,
			 mode_t type, bool *made)
{
	ntfschar *uname = NULL;
	ntfs_inode *ni;
	int len;

	*made = false;
	ni = ntfs_pathname_to_inode(vol, dir, name);
	if (ni || errno != ENOENT || !create)
		return ni;
	len = ntfs_mbstoucs(name, &uname);
	if (len < 0 || len > 255) {
		free(uname);
		errno = EINVAL;
		return NULL;
	}
	ni = ntfs_create(dir, 0, uname, (u8)len, type);
	free(uname);
	*made = ni != NULL;
	return ni;
}

#define MAX_DEPTH 16

int ntfspart_write_file(struct ntfspart *part, const char *path, const uint8_t *data,
			size_t size, struct text *err)
{
	ntfs_inode *chain[MAX_DEPTH + 1];
	bool made[MAX_DEPTH + 1];
	char *copy = strdup(path), *component, *save = NULL, *next;
	unsigned depth = 0;
	ntfs_attr *na = NULL;
	int rc = -1;
	s64 done = 0;

	if (!copy) {
		text_append(err, "out of memory");
		return -1;
	}
	chain[0] = ntfs_inode_open(part->vol, FILE_root);
	made[0] = false;
	if (!chain[0]) {
		text_appendf(err, "the root folder does not open (%s)", strerror(errno));
		free(copy);
		return -1;
	}
	for (component = strtok_r(copy, "/", &save); component; component = next) {
		next = strtok_r(NULL, "/", &save);
		if (depth == MAX_DEPTH) {
			text_appendf(err, "\\%s: too deep", path);
			goto out;
		}
		chain[depth + 1] = child(part->vol, chain[depth], component, true,
					 next ? S_IFDIR : S_IFREG, &made[depth + 1]);
		if (!chain[depth + 1]) {
			text_appendf(err, "\\%s: making %s failed (%s)", path, component,
				     strerror(errno));
			goto out;
		}
		depth++;
	}
	na = ntfs_attr_open(chain[depth], AT_DATA, AT_UNNAMED, 0);
	if (!na || ntfs_attr_truncate(na, 0) < 0) {
		text_appendf(err, "\\%s: its data does not open (%s)", path, strerror(errno));
		goto out;
	}
	while ((size_t)done < size) {
		s64 put = ntfs_attr_pwrite(na, done, (s64)(size - (size_t)done), data + done);

		if (put <= 0) {
			text_appendf(err, "\\%s: writing at byte %lld failed (%s)", path,
				     (long long)done, put < 0 ? strerror(errno) : "no space");
			goto out;
		}
		done += put;
	}
	rc = 0;
out:
	if (na)
		ntfs_attr_close(na);
	for (unsigned i = depth; i > 0; i--)
		if ((made[i] ? ntfs_inode_close_in_dir(chain[i], chain[i - 1]) :
			       ntfs_inode_close(chain[i])) < 0 && rc == 0) {
			text_appendf(err, "\\%s: finishing it failed (%s)", path, strerror(errno));
			rc = -1;
		}
	ntfs_inode_close(chain[0]);
	free(copy);
	return rc;
}

struct walk_job {
	ntfs_volume *vol;
	const char *path;
	int (*fn)(void *ctx, const char *path, bool is_dir);
	void *ctx;
	int depth;
	int rc;
	struct text *err;
};

static int walk_dir(struct walk_job *job, const char *path);

static int walk_one(void *dirent, const ntfschar *name, const int name_len,
		    const int name_type, const s64 pos, const MFT_REF mref,
		    const unsigned dt_type)
{
	struct walk_job *job = dirent;
	char *utf8 = NULL, *full;
	size_t length;

	(void)pos;
	if (job->rc || name_type == FILE_NAME_DOS || MREF(mref) < FILE_first_user)
		return 0;
	if (ntfs_ucstombs(name, name_len, &utf8, 0) < 0)
		return 0;
	if (strcmp(utf8, ".") == 0 || strcmp(utf8, "..") == 0) {
		free(utf8);
		return 0;
	}
	length = strlen(job->path) + strlen(utf8) + 2;
	full = malloc(length);
	if (!full) {
		free(utf8);
		job->rc = -1;
		return -1;
	}
	snprintf(full, length, "%s/%s", job->path, utf8);
	free(utf8);
	/* The folder's listing stays open in the caller: recurse only
	 * after it, so collect by calling fn now and walking below. */
	job->rc = job->fn(job->ctx, full, dt_type == NTFS_DT_DIR);
	if (job->rc == 0 && dt_type == NTFS_DT_DIR) {
		if (job->depth >= MAX_DEPTH) {
			text_appendf(job->err, "\\%s: folders nested too deep", full);
			job->rc = -1;
		} else {
			struct walk_job inner = *job;

			inner.depth++;
			job->rc = walk_dir(&inner, full);
		}
	}
	free(full);
	return job->rc ? -1 : 0;
}

static int walk_dir(struct walk_job *job, const char *path)
{
	ntfs_inode *dir = ntfs_pathname_to_inode(job->vol, NULL, path);
	struct walk_job here = *job;
	s64 pos = 0;

	if (!dir) {
		text_appendf(job->err, "\\%s: %s", path, strerror(errno));
		return -1;
	}
	here.path = path;
	here.rc = 0;
	if (ntfs_readdir(dir, &pos, &here, walk_one) < 0 && here.rc == 0) {
		text_appendf(job->err, "\\%s: listing failed (%s)", path, strerror(errno));
		here.rc = -1;
	}
	ntfs_inode_close(dir);
	return here.rc;
}

int ntfspart_walk(struct ntfspart *part, const char *path,
		  int (*fn)(void *ctx, const char *path, bool is_dir), void *ctx,
		  struct text *err)
{
	struct walk_job job = { part->vol, path, fn, ctx, 0, 0, err };

	return walk_dir(&job, path);
}
