/*
 * listing.h - what an ISO image holds, read by any of its file systems
 *
 * One model for every reader: the files (each with its extents, the
 * sectors where its bytes lie, which is all that reading a file and
 * writing a new image need), the folders, and the El Torito boot images
 * matched to the file whose data start at their sector.  iso.h fills it
 * from ISO 9660 and Joliet (through xorriso), udflist.h from UDF
 * (through libudfread).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_LISTING_H
#define WIN7GEN2_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eltorito.h"
#include "isotree.h"
#include "text.h"

#define ISO_SECTOR 2048

/*
 * An image being read: its name, for messages, and the descriptor every
 * read goes through.  Opened once, so that a file replaced under its
 * name meanwhile is never read half from each.
 */
struct iso_source {
	const char *name;
	int fd;                     /* read-only; -1 when closed */
};

int iso_source_open(struct iso_source *src, const char *path, struct text *err);
void iso_source_close(struct iso_source *src);

struct iso_file {
	char *path;                 /* "/sources/boot.wim", as the file system spells it */
	uint64_t size;              /* all extents together */
	struct iso_extent *extents;
	size_t extent_count;
	/* UDF may keep a small file's bytes inside its File Entry instead
	 * of an extent: then they are here, and nothing in the image
	 * holds them on their own. */
	unsigned char *inline_data;
};

enum iso_tree_source { ISO_FROM_ISO9660, ISO_FROM_UDF };

struct iso_boot_image {
	struct eltorito_entry entry;
	const struct iso_file *file; /* the file whose data start at entry.lba, or NULL */
};

struct iso_listing {
	char volume_id[33];         /* from the primary volume descriptor */
	uint64_t image_size;        /* bytes */
	enum iso_tree_source source;
	bool has_udf;
	bool has_joliet;            /* a Joliet supplementary volume descriptor */
	uint8_t created[17];        /* the primary descriptor's creation date */
	struct iso_file *files;
	size_t file_count;
	char **dirs;                /* every folder but the root: "/efi/microsoft" */
	size_t dir_count;
	uint32_t catalog_lba;       /* 0: no El Torito boot record */
	struct iso_boot_image boot[ELTORITO_MAX_ENTRIES];
	size_t boot_count;
};

/* Frees what a reader put into a listing, and zeroes it. */
void iso_listing_free(struct iso_listing *listing);

/* The file at path, compared without regard to case (Windows media mix
 * cases freely), or NULL. */
const struct iso_file *iso_find(const struct iso_listing *listing, const char *path);
const struct iso_boot_image *iso_find_boot(const struct iso_listing *listing,
					   enum eltorito_platform platform);

/* "UDF" or "ISO 9660", and "UDF + ISO 9660 (README only)" style words
 * for inspect. */
const char *iso_source_name(const struct iso_listing *listing);

/* Adds a file or folder to a listing (each reader does). */
struct iso_file *iso_listing_add_file(struct iso_listing *listing, const char *path,
				      uint64_t size);
int iso_file_add_extent(struct iso_file *file, uint64_t lba, uint64_t length);
int iso_listing_add_dir(struct iso_listing *listing, const char *path);

#endif
