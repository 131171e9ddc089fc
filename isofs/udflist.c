/*
 * udflist.c - the UDF half of iso_list(), through libudfread
 *
 * Files, sizes and each file's extents come from libudfread: it walks
 * the directories and maps every file block to its sector in the image
 * (udfread_file_lba), whatever allocation descriptors, partition maps or
 * UDF revision the image uses.  Runs of consecutive sectors become one
 * extent.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <udfread/blockinput.h>
#include <udfread/udfread.h>

#include "files.h"
#include "udflist.h"

/* Deeper than any Windows medium; a loop in a damaged image ends here. */
#define MAX_DEPTH 32
/* Small files may live inside their File Entry (no extent of their own). */
#define MAX_INLINE 4096

struct walk {
	udfread *udf;
	struct iso_listing *listing;
	struct text *err;
	const char *iso;
};

static int add_extents(struct walk *walk, UDFFILE *handle, struct iso_file *file)
{
	uint64_t blocks = (file->size + UDF_BLOCK_SIZE - 1) / UDF_BLOCK_SIZE;

	for (uint64_t block = 0; block < blocks; block++) {
		uint32_t lba = udfread_file_lba(handle, (uint32_t)block);
		uint64_t length = block + 1 < blocks ? UDF_BLOCK_SIZE
						     : file->size - block * UDF_BLOCK_SIZE;

		if (lba == 0) {
			if (block == 0 && file->size <= MAX_INLINE)
				break;
			text_appendf(walk->err, "%s is damaged: block %" PRIu64 " of %s in its UDF "
				     "file system has no place in the image", walk->iso, block,
				     file->path);
			return -1;
		}
		if (iso_file_add_extent(file, lba, length) < 0) {
			text_append(walk->err, "out of memory");
			return -1;
		}
	}
	if (blocks && file->extent_count == 0) {
		/* Bytes kept in the File Entry itself. */
		file->inline_data = malloc((size_t)file->size);
		if (!file->inline_data) {
			text_append(walk->err, "out of memory");
			return -1;
		}
		if (udfread_file_read(handle, file->inline_data, (size_t)file->size) !=
		    (ssize_t)file->size) {
			text_appendf(walk->err, "cannot read %s from the UDF file system of %s",
				     file->path, walk->iso);
			return -1;
		}
	}
	return 0;
}

static int add_file(struct walk *walk, UDFDIR *dir, const char *name, const char *path)
{
	UDFFILE *handle = udfread_file_openat(dir, name);
	struct iso_file *file;
	int64_t size;
	int rc;

	if (!handle) {
		text_appendf(walk->err, "cannot open %s in the UDF file system of %s", path,
			     walk->iso);
		return -1;
	}
	size = udfread_file_size(handle);
	if (size < 0) {
		text_appendf(walk->err, "cannot tell the size of %s in the UDF file system of %s",
			     path, walk->iso);
		udfread_file_close(handle);
		return -1;
	}
	file = iso_listing_add_file(walk->listing, path, (uint64_t)size);
	if (!file) {
		text_append(walk->err, "out of memory");
		udfread_file_close(handle);
		return -1;
	}
	rc = add_extents(walk, handle, file);
	udfread_file_close(handle);
	return rc;
}

static int walk_dir(struct walk *walk, UDFDIR *dir, const char *path, unsigned depth)
{
	struct udfread_dirent entry;
	struct text child = TEXT_INIT;
	int rc = 0;

	if (depth > MAX_DEPTH) {
		text_appendf(walk->err, "%s is damaged: its UDF folders nest deeper than %u levels",
			     walk->iso, MAX_DEPTH);
		return -1;
	}
	while (rc == 0 && udfread_readdir(dir, &entry)) {
		if (strcmp(entry.d_name, ".") == 0 || strcmp(entry.d_name, "..") == 0)
			continue;
		text_reset(&child);
		text_appendf(&child, "%s/%s", strcmp(path, "/") == 0 ? "" : path, entry.d_name);
		if (text_failed(&child)) {
			text_append(walk->err, "out of memory");
			rc = -1;
		} else if (entry.d_type == UDF_DT_DIR) {
			UDFDIR *sub = udfread_opendir_at(dir, entry.d_name);

			if (!sub) {
				text_appendf(walk->err, "cannot open the folder %s in the UDF file "
					     "system of %s", text_string(&child), walk->iso);
				rc = -1;
			} else {
				rc = iso_listing_add_dir(walk->listing, text_string(&child));
				if (rc < 0)
					text_append(walk->err, "out of memory");
				else
					rc = walk_dir(walk, sub, text_string(&child), depth + 1);
				udfread_closedir(sub);
			}
		} else if (entry.d_type == UDF_DT_REG) {
			rc = add_file(walk, dir, entry.d_name, text_string(&child));
		}
	}
	text_free(&child);
	return rc;
}

/*
 * True when the volume recognition sequence after the ISO 9660
 * descriptors names an NSR (UDF) descriptor.  Checked first because
 * libudfread prints an error of its own on images without UDF, which
 * are ordinary here.
 */
static bool has_udf_recognition(int fd)
{
	unsigned char sector[ISO_SECTOR];
	bool found = false;

	for (uint64_t lba = 16; lba < 64 && !found; lba++) {
		if (pread_full(fd, sector, 8, lba * ISO_SECTOR) < 0)
			break;
		if (memcmp(sector + 1, "NSR02", 5) == 0 || memcmp(sector + 1, "NSR03", 5) == 0)
			found = true;
		else if (memcmp(sector + 1, "CD001", 5) != 0 && memcmp(sector + 1, "BEA01", 5) != 0 &&
			 memcmp(sector + 1, "BOOT2", 5) != 0 && memcmp(sector + 1, "CDW02", 5) != 0)
			break;
	}
	return found;
}

/* libudfread reads through the descriptor held open, never by name. */
struct held_input {
	struct udfread_block_input input;
	int fd;
	uint32_t blocks;
};

static int held_read(struct udfread_block_input *input, uint32_t lba, void *buf,
		     uint32_t nblocks, int flags)
{
	struct held_input *held = (struct held_input *)input;
	uint8_t *out = buf;
	uint32_t done = 0;

	(void)flags;
	while (done < nblocks) {
		ssize_t n = pread(held->fd, out + (size_t)done * UDF_BLOCK_SIZE,
				  (size_t)(nblocks - done) * UDF_BLOCK_SIZE,
				  (off_t)(lba + done) * UDF_BLOCK_SIZE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < UDF_BLOCK_SIZE)
			break;
		done += (uint32_t)(n / UDF_BLOCK_SIZE);
	}
	return done ? (int)done : -1;
}

static uint32_t held_size(struct udfread_block_input *input)
{
	return ((struct held_input *)input)->blocks;
}

enum udf_list_result udf_list(const struct iso_source *src, struct iso_listing *listing,
			      struct text *err)
{
	const char *iso = src->name;
	struct walk walk = { .listing = listing, .err = err, .iso = iso };
	struct held_input held = { .input = { .read = held_read, .size = held_size },
				   .fd = src->fd };
	off_t end = lseek(src->fd, 0, SEEK_END);
	UDFDIR *root;
	int rc;

	if (end < 0) {
		text_appendf(err, "cannot read %s: %s", iso, strerror(errno));
		return UDF_LIST_FAILED;
	}
	held.blocks = (uint64_t)end / UDF_BLOCK_SIZE > UINT32_MAX ?
		      UINT32_MAX : (uint32_t)(end / UDF_BLOCK_SIZE);
	if (!has_udf_recognition(src->fd))
		return UDF_LIST_NO_UDF;
	walk.udf = udfread_init();
	if (!walk.udf) {
		text_append(err, "out of memory");
		return UDF_LIST_FAILED;
	}
	/* No anchor, no UDF: the image is ISO 9660 only. */
	if (udfread_open_input(walk.udf, &held.input) < 0) {
		udfread_close(walk.udf);
		return UDF_LIST_NO_UDF;
	}
	root = udfread_opendir(walk.udf, "/");
	if (!root) {
		text_appendf(err, "%s is damaged: its UDF file system has no readable root folder",
			     iso);
		udfread_close(walk.udf);
		return UDF_LIST_FAILED;
	}
	rc = walk_dir(&walk, root, "/", 0);
	udfread_closedir(root);
	udfread_close(walk.udf);
	return rc < 0 ? UDF_LIST_FAILED : UDF_LIST_LISTED;
}
