/*
 * isotree.h - ISO 9660 and Joliet directory trees for data already in place
 *
 * `build` copies the source ISO whole (in the kernel, or as a reflink)
 * and appends only the changed files.  The new primary (ISO 9660 level 3,
 * full names) and Joliet trees then describe every file at the extents
 * where its bytes already lie: no tool that writes ISO 9660 can name
 * data it did not write itself, so the directory records and path
 * tables are built here.  The trees are laid out as whole sectors, to be
 * written at start_lba; the volume descriptors are then pointed at them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ISOTREE_H
#define WIN7GEN2_ISOTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest primary identifier, ";1" included: a record's length byte
 * leaves 222 for it; 200 is far past any name on Windows media. */
#define ISOTREE_MAX_ID 200
/* The longest Joliet name in UCS-2 characters (xorriso -joliet-long). */
#define ISOTREE_JOLIET_MAX 103
/* The largest piece one directory record gives: the whole sectors below
 * 4 GiB (what libisofs writes, too). */
#define ISOTREE_MAX_PIECE 0xFFFFF800u

/* Where one piece of a file lies in the image. */
struct iso_extent {
	uint64_t lba;               /* 2048-byte sector */
	uint64_t length;            /* bytes; every extent but the last is whole sectors */
};

struct isotree_file {
	const char *path;           /* "/sources/boot.wim", '/'-separated, any case */
	uint64_t size;              /* the sum of the extents' lengths */
	const struct iso_extent *extents;
	size_t extent_count;        /* 0 for an empty file */
};

struct isotree_input {
	const struct isotree_file *files;
	size_t file_count;
	const char *const *dirs;    /* folders, also empty ones ("/efi/microsoft"); parents of */
	size_t dir_count;           /* files are added when missing */
	bool joliet;                /* also a Joliet tree */
	uint8_t recorded[7];        /* ISO 9660 directory record date for every record */
};

/* A tree as a volume descriptor names it. */
struct isotree_tree {
	uint8_t root_record[34];    /* the root's directory record, for descriptor offset 156 */
	uint32_t path_table_size;   /* bytes */
	uint32_t l_path_table_lba;  /* little-endian path table */
	uint32_t m_path_table_lba;  /* big-endian path table */
};

struct isotree_output {
	uint8_t *data;              /* malloc'd, size bytes, a whole number of sectors */
	size_t size;
	struct isotree_tree primary;
	struct isotree_tree joliet; /* when input->joliet */
	const char *why_path;       /* on failure: the input path refused, or NULL */
};

/*
 * Lays out both trees for writing at start_lba.  Primary names: upper
 * case d-characters, others mapped to '_', ";1" after file names, the
 * full name kept (no 8.3 cut); a file over 4 GiB gets one record per
 * extent piece with the multi-extent flag.  Joliet: UCS-2 big-endian, up
 * to 103 characters.  Names that collide after mapping get a distinct
 * suffix.  0, or -1 with *why (a name or path too long, too deep, out of
 * memory) and output->why_path set to the input path refused, if any.
 */
int isotree_build(const struct isotree_input *input, uint32_t start_lba,
		  struct isotree_output *output, const char **why);
void isotree_output_free(struct isotree_output *output);

/*
 * Points a primary or Joliet supplementary volume descriptor (2048
 * bytes) at tree and sets its volume space size.
 */
void isotree_patch_descriptor(uint8_t *descriptor, const struct isotree_tree *tree,
			      uint32_t volume_sectors);

/* The 7-byte directory record date from a 17-byte volume descriptor
 * date ("YYYYMMDDHHMMSScc" + offset); all zero when it is unset. */
void isotree_record_date(const uint8_t *descriptor_date, uint8_t recorded[7]);
#endif
