/*
 * iso.h - what the builder reads from and writes to ISO images (xorriso)
 *
 * Only the primary volume descriptor is read directly (to tell an ISO
 * from anything else before a tool is started); everything else goes
 * through xorriso: the file list with sizes, the El Torito catalog,
 * extracting single files or byte ranges, and writing the new ISO from
 * the old one with replaced files mapped in.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ISO_H
#define WIN7GEN2_ISO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct iso_file {
	char *path;     /* as xorriso shows it: "/sources/boot.wim" */
	uint64_t size;  /* all extents together */
};

enum eltorito_platform { ELTORITO_BIOS, ELTORITO_UEFI, ELTORITO_OTHER };

struct eltorito_entry {
	unsigned number;            /* 1-based, catalog order */
	enum eltorito_platform platform;
	char platform_name[8];      /* "BIOS", "UEFI", "PPC", "Mac" */
	bool bootable;
	char emulation[16];         /* "none", "fd1.44", "hd", ... */
	unsigned load_sectors;      /* 512-byte sectors the firmware loads */
	char *path;                 /* NULL when the image is no file in the tree */
};

#define ISO_MAX_ELTORITO 32

/* One command line of xorriso's "-report_el_torito cmd", as arguments. */
struct iso_boot_cmd {
	char **args;
	size_t count;
};

struct iso_listing {
	char volume_id[33];         /* from the primary volume descriptor */
	struct iso_file *files;
	size_t file_count;
	struct eltorito_entry entries[ISO_MAX_ELTORITO];
	size_t entry_count;
	struct iso_boot_cmd *boot_cmds; /* how to recreate the boot setup */
	size_t boot_cmd_count;
};

/* Reads the primary volume descriptor at sector 16.  1: an ISO 9660
 * image (volume_id filled); 0: not one; -1: cannot read (err says). */
int iso_is_iso9660(const char *path, char volume_id[33], struct buf *err);

/* File list and El Torito catalog of an ISO 9660 image. */
int iso_list(const char *iso, struct iso_listing *listing, struct buf *err);
void iso_listing_free(struct iso_listing *listing);

/* The file at path, compared without regard to case (Windows media mix
 * cases freely), or NULL. */
const struct iso_file *iso_find(const struct iso_listing *listing, const char *path);
const struct eltorito_entry *iso_find_entry(const struct iso_listing *listing,
					    enum eltorito_platform platform);

/* Copies count files out of the ISO in one xorriso run.  on_progress
 * (may be NULL) gets xorriso's progress lines. */
int iso_extract(const char *iso, const char *const *iso_paths,
		const char *const *disk_paths, size_t count,
		void (*on_progress)(void *ctx, const char *line), void *ctx, struct buf *err);

/* Copies count bytes from offset in an ISO file to a new disk file. */
int iso_extract_range(const char *iso, const char *iso_path, uint64_t offset,
		      uint64_t count, const char *disk_path, struct buf *err);

struct iso_replacement {
	const char *disk_path;      /* the new content */
	const char *iso_path;       /* the file it replaces or adds */
};

struct iso_write_job {
	const char *in;
	const char *out;            /* must not exist; xorriso writes it */
	const struct iso_listing *listing;
	const struct iso_replacement *replacements;
	size_t replacement_count;
	/* The El Torito entry whose image is replaced: its load size is
	 * set to the new image's size. */
	const char *boot_image_path;
	uint64_t boot_image_size;
	/*
	 * false: xorriso writes out from in, every file copied through
	 * (a clean image).  true: out is first a copy of in (in the kernel,
	 * copy_file_range), then xorriso appends the changed files and a new
	 * directory tree and boot catalog and points the volume descriptors
	 * at them (its "growing" of overwritable media): about twice as fast,
	 * and out is larger by the replaced files' old copies.
	 */
	bool append;
	void (*on_progress)(void *ctx, const char *line);
	void (*on_copy_progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

/* Writes job->out from job->in, files streamed through unchanged but
 * for the replacements, with the El Torito entries, volume label and
 * Joliet kept, ISO level 3 (files over 4 GiB, full names). */
int iso_write(const struct iso_write_job *job, struct buf *err);

#endif
