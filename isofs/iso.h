/*
 * iso.h - reading an ISO image: its listing, its files, its boot images
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

#include "listing.h"
#include "text.h"

/* Whether the image has a primary volume descriptor at sector 16. */
enum iso9660_probe {
	ISO9660_FOUND,              /* volume_id filled */
	ISO9660_NOT_FOUND,          /* no "CD001" primary descriptor there; err untouched */
	ISO9660_UNREADABLE,         /* err says why */
};
enum iso9660_probe iso_is_iso9660(const struct iso_source *src, char volume_id[33],
				  struct text *err);

/*
 * Files, folders and boot catalog of an ISO.  Refuses, saying so in
 * err, an image whose catalog or file extents lie beyond its end
 * (truncated or damaged).
 */
int iso_list(const struct iso_source *src, struct iso_listing *listing, struct text *err);

/* The files and folders of one ISO 9660 tree alone, as xorriso reads
 * it: the primary tree (names as recorded, without ";1"), or Joliet
 * (ISO_TREE_JOLIET, when the image has it).  No catalog, no checks. */
enum iso_tree { ISO_TREE_PRIMARY, ISO_TREE_JOLIET };
int iso_list_tree(const struct iso_source *src, enum iso_tree tree,
		  struct iso_listing *listing, struct text *err);

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

#endif
