/*
 * listing.c - the listing both readers fill, and the image it is of
 *
 * SPDX-License-Identifier: MIT
 */
#include "listing.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int iso_source_open(struct iso_source *src, const char *path, struct text *err)
{
	src->name = path;
	src->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (src->fd < 0) {
		text_appendf(err, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void iso_source_close(struct iso_source *src)
{
	if (src->fd >= 0)
		close(src->fd);
	src->fd = -1;
}

struct iso_file *iso_listing_add_file(struct iso_listing *listing, const char *path,
				      uint64_t size)
{
	struct iso_file *file;

	if (listing->file_count % 256 == 0) {
		struct iso_file *grown = realloc(listing->files,
						 (listing->file_count + 256) * sizeof(*grown));
		if (!grown)
			return NULL;
		listing->files = grown;
	}
	file = &listing->files[listing->file_count];
	memset(file, 0, sizeof(*file));
	file->path = strdup(path);
	if (!file->path)
		return NULL;
	file->size = size;
	listing->file_count++;
	return file;
}

int iso_file_add_extent(struct iso_file *file, uint64_t lba, uint64_t length)
{
	struct iso_extent *grown;

	if (file->extent_count) {
		struct iso_extent *last = &file->extents[file->extent_count - 1];

		/* One run of sectors stays one extent, whatever pieces the
		 * file system cut it into. */
		if (last->length % ISO_SECTOR == 0 &&
		    last->lba + last->length / ISO_SECTOR == lba) {
			last->length += length;
			return 0;
		}
	}
	grown = realloc(file->extents, (file->extent_count + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	file->extents = grown;
	file->extents[file->extent_count].lba = lba;
	file->extents[file->extent_count].length = length;
	file->extent_count++;
	return 0;
}

int iso_listing_add_dir(struct iso_listing *listing, const char *path)
{
	char **grown;

	if (strcmp(path, "/") == 0 || path[0] == '\0')
		return 0;
	grown = realloc(listing->dirs, (listing->dir_count + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	listing->dirs = grown;
	listing->dirs[listing->dir_count] = strdup(path);
	if (!listing->dirs[listing->dir_count])
		return -1;
	listing->dir_count++;
	return 0;
}

void iso_listing_free(struct iso_listing *listing)
{
	for (size_t i = 0; i < listing->file_count; i++) {
		free(listing->files[i].path);
		free(listing->files[i].extents);
		free(listing->files[i].inline_data);
	}
	free(listing->files);
	for (size_t i = 0; i < listing->dir_count; i++)
		free(listing->dirs[i]);
	free(listing->dirs);
	memset(listing, 0, sizeof(*listing));
}

const struct iso_file *iso_find(const struct iso_listing *listing, const char *path)
{
	for (size_t i = 0; i < listing->file_count; i++)
		if (strcasecmp(listing->files[i].path, path) == 0)
			return &listing->files[i];
	return NULL;
}

const struct iso_boot_image *iso_find_boot(const struct iso_listing *listing,
					   enum eltorito_platform platform)
{
	for (size_t i = 0; i < listing->boot_count; i++)
		if (listing->boot[i].entry.platform == platform)
			return &listing->boot[i];
	return NULL;
}

const char *iso_source_name(const struct iso_listing *listing)
{
	return listing->source == ISO_FROM_UDF ? "UDF" : "ISO 9660";
}
