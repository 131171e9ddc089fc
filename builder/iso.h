/*
 * iso.h - what the builder reads from a Windows ISO, and how
 *
 * Windows media come in three layouts (BRIEF section 4): Microsoft's own
 * (every file in UDF only, an ISO 9660 tree holding README.TXT, boot
 * images with no name), bridge images with both trees full, and plain
 * ISO 9660 + Joliet.  The listing takes its files from UDF when the
 * image has it (Windows itself prefers UDF; a remastered image's ISO
 * 9660 record of a file over 4 GiB may even be wrong), else from ISO
 * 9660, and keeps each file's extents: the LBAs where its bytes lie,
 * which is all that reading a file and writing the new image need.  The
 * El Torito catalog is read from the boot record, and each boot image is
 * matched to the file whose data start at its LBA, if any.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ISO_H
#define WIN7GEN2_ISO_H

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

/* Reads the primary volume descriptor at sector 16.  1: an ISO 9660
 * image (volume_id filled); 0: not one; -1: cannot read (err says). */
int iso_is_iso9660(const struct iso_source *src, char volume_id[33], struct text *err);

/*
 * Files, folders and boot catalog of an ISO.  Refuses, saying so in
 * err, an image whose catalog or file extents lie beyond its end
 * (truncated or damaged).
 */
int iso_list(const struct iso_source *src, struct iso_listing *listing, struct text *err);
void iso_listing_free(struct iso_listing *listing);

/* The files and folders of one ISO 9660 tree alone, as xorriso reads
 * it: the primary tree (names as recorded, without ";1"), or Joliet
 * (ISO_TREE_JOLIET, when the image has it).  No catalog, no checks. */
enum iso_tree { ISO_TREE_PRIMARY, ISO_TREE_JOLIET };
int iso_list_tree(const struct iso_source *src, enum iso_tree tree,
		  struct iso_listing *listing, struct text *err);

/* The file at path, compared without regard to case (Windows media mix
 * cases freely), or NULL. */
const struct iso_file *iso_find(const struct iso_listing *listing, const char *path);
const struct iso_boot_image *iso_find_boot(const struct iso_listing *listing,
					   enum eltorito_platform platform);

/* "UDF" or "ISO 9660", and "UDF + ISO 9660 (README only)" style words
 * for inspect. */
const char *iso_source_name(const struct iso_listing *listing);

/* Copies a file out of the ISO to a new file on disk (in the kernel,
 * extent by extent).  on_progress may be NULL. */
int iso_copy_out(const struct iso_source *src, const struct iso_file *file,
		 const char *disk_path,
		 void (*on_progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		 struct text *err);

/* Reads count bytes at offset of a file in the ISO into memory. */
int iso_pread(const struct iso_source *src, const struct iso_file *file, uint64_t offset,
	      void *data, size_t count, struct text *err);

/* Copies a boot image out: its file when it has one, else the bytes at
 * its LBA (the catalog's load size, or a FAT image's own size). */
int iso_copy_boot_image(const struct iso_source *src, const struct iso_boot_image *image,
			const char *disk_path, uint64_t *size, struct text *err);

/* Internal, for iso.c: the UDF half of iso_list (udflist.c), and the one
 * place that decides whether an image has UDF (listing->has_udf): the
 * UDF patch must then find it, or build stops. */
enum udf_list_result {
	UDF_LIST_NO_UDF,            /* no UDF: the ISO 9660 tree is the listing */
	UDF_LIST_LISTED,            /* UDF read, its files listed */
	UDF_LIST_FAILED,            /* err says why */
};
enum udf_list_result udf_list(const struct iso_source *src, struct iso_listing *listing,
			      struct text *err);
/* Adds a file or folder to a listing (both parts use it). */
struct iso_file *iso_listing_add_file(struct iso_listing *listing, const char *path,
				      uint64_t size);
int iso_file_add_extent(struct iso_file *file, uint64_t lba, uint64_t length);
int iso_listing_add_dir(struct iso_listing *listing, const char *path);
#endif
