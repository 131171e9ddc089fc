/*
 * rewrite.h - the new ISO, written as a copy of the old one plus changes
 *
 * OUT starts as a copy of IN made by the kernel (copy_file_range, which
 * is a reflink on file systems that share blocks), so the bytes of every
 * unchanged file go from IN to OUT without passing through this program.
 * The new boot.wim and EFI boot image, and any files added (update
 * packages), are appended after IN's end; then
 *   - the UDF file system, when IN has one, is pointed at them (udfpatch),
 *   - new ISO 9660 (level 3, full names) and Joliet trees name every file
 *     where its bytes lie (isotree), and the volume descriptors point at
 *     them,
 *   - the boot catalog's UEFI entry points at the new EFI image.
 * Everything IN had stays where it was: the BIOS boot image, the volume
 * label, UDF's other files.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_REWRITE_H
#define WIN7GEN2_REWRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "iso.h"
#include "text.h"

/* A file appended to OUT: where its bytes lie, and their XXH64 hash
 * taken as they were written (0 for an add with a source_hash). */
struct rewrite_placed {
	const struct iso_file *old;        /* the file of IN it replaces, or NULL */
	const struct rewrite_add *add;     /* the file added, or NULL */
	struct iso_extent extent;
	uint64_t hash;
};

/* A file OUT has and IN did not: its bytes are appended like boot.wim's,
 * and the UDF (when IN has one), ISO 9660 and Joliet (when IN has one)
 * trees name it; folders on its path that IN lacks are made in each. */
struct rewrite_add {
	const char *path;                  /* "/win7gen2/packages/x.cab" */
	const char *disk;                  /* where its bytes are now */
	/* NULL: its bytes are hashed as they are written.  Else the kernel
	 * copies them (copy_file_range: no pass through this program, for
	 * large files) and *source_hash is their XXH64 as the caller read
	 * them from disk, set before outcheck_run compares OUT's with it. */
	const uint64_t *source_hash;
};

struct rewrite_job {
	const struct iso_source *in;       /* read through its descriptor */
	const char *out;                   /* must not exist; created here */
	const struct iso_listing *listing; /* of in */
	const struct iso_file *boot_wim;   /* replaced by boot_wim_disk */
	const char *boot_wim_disk;
	const struct iso_boot_image *uefi; /* its image replaced by efi_image_disk */
	const char *efi_image_disk;
	/* In this order.  A name IN has (but for case, in any tree the
	 * listing read), one given twice, or a folder on the path that is a
	 * file of IN is refused before OUT is created. */
	const struct rewrite_add *adds;
	size_t add_count;
	void (*on_progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
	/* Asked between pieces of the long copies (NULL: never): true stops
	 * the job, which returns -1 with stopped set and err untouched (the
	 * caller knows why), OUT half written for the caller to remove. */
	bool (*stop)(void *stop_ctx);
	void *stop_ctx;
	bool stopped;                      /* out: stop ended the job */
	uint64_t out_size;                 /* out: bytes */
	/* out: every appended file (boot.wim, the EFI image, bytes UDF kept
	 * in a File Entry, the adds in their order), malloc'd, and which one
	 * is the EFI image. */
	struct rewrite_placed *placed;
	size_t placed_count;
	size_t efi_index;
};

int rewrite_iso(struct rewrite_job *job, struct text *err);
#endif
