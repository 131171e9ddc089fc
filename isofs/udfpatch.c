/*
 * udfpatch.c - point a UDF file system at files appended to the image
 *
 * What is rewritten, all ECMA-167 3rd edition / OSTA UDF descriptors of
 * 2048-byte sectors (offsets in bytes, integers little-endian):
 *
 *   every descriptor   tag: 0 id, 4 checksum (bytes 0-3 and 5-15), 8 CRC
 *                      (CRC-CCITT, polynomial 0x1021, initial 0) over the
 *                      CRC length at 10 bytes after the tag, 12 location
 *   anchor (2)         at sector 256 and/or near the last sector: 16 main
 *                      and 24 reserve sequence extents (4 length, 4 sector)
 *   partition (5)      22 number, 56 header (free space tables, bitmaps),
 *                      188 start sector, 192 length in blocks
 *   logical volume (6) 212 block size, 264 map table length, 268 map
 *                      count, 432 integrity sequence extent, 440 maps
 *   integrity (9)      72 partitions N, 76 implementation use length,
 *                      80 free space table (N x 4), then size table
 *   file entry (261)   16 ICB tag (20 strategy, 27 file type, 34 flags:
 *                      the low 3 bits say the allocation descriptor kind),
 *                      56 information length, 64 blocks recorded, 168
 *                      L_EA, 172 L_AD, 176 extended attributes then
 *                      allocation descriptors
 *   extended (266)     the same but 64 object size, 72 blocks recorded,
 *                      208 L_EA, 212 L_AD, 216 attributes and descriptors
 *   identifier (257)   16 version, 18 characteristics (2 directory, 8
 *                      parent), 19 L_FI, 20 ICB (long_ad; its last 4
 *                      bytes the low 32 bits of the unique ID), 36 L_IU,
 *                      38 the name, padded to 4 bytes; tagged with the
 *                      block it starts in
 *   integrity (9)      40 contents use: next unique ID (8 bytes); the
 *                      implementation use after the tables: 32 files,
 *                      36 directories
 *
 * Added files: the plan (make_plan) walks each path down the tree, makes
 * a node for every directory of the image that gets a new entry (its
 * File Entry and identifiers read) and for each new folder and file.  In
 * the job's meta sectors, node by node: a new node's File Entry (a copy
 * of the nearest old directory's, for its kind, owner, permissions and
 * times), then a directory's stream (the old identifiers resealed for
 * their new blocks, or a parent identifier, then the new entries).  The
 * old directories' File Entries are pointed at their new streams, their
 * link counts raised by their new sub-folders.
 *
 * The copy keeps every old sector where it was, so the main descriptor
 * sequence is rewritten in place; the new reserve sequence goes after
 * the appended data, where nothing can overlap it, and the anchors name
 * both.  Microsoft's media are UDF 1.02 with one read-only Type 1
 * partition: that is what this handles, and it refuses the rest by name
 * rather than guess.  The File Entries are found by udfwalk.c, and each
 * must say what the listing (libudfread) read for its file.
 *
 * SPDX-License-Identifier: MIT
 */
#include "udfpatch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byteorder.h"
#include "udfwalk.h"

#define ANCHOR_SECTOR 256u

/* The longest extent a 30-bit length can say in whole blocks. */
#define MAX_EXTENT 0x3FFFF800u
/* ECMA-167 3/8.4.2: a reserve sequence is at least 16 sectors long. */
#define MIN_RESERVE 16u
/* No real sequence is longer; a damaged length stops here. */
#define MAX_SEQUENCE 256u
/* Integrity sequences may chain; a loop in a damaged one ends here. */
#define MAX_INTEGRITY_HOPS 16u
/* Anchors are looked for this far before the old end (N - 256 .. N). */
#define ANCHOR_WINDOW 257u

/* A path of more folders than this is refused (Windows media: 10). */
#define MAX_ADD_DEPTH 32u
/* ECMA-167 4/14.6.4: unique IDs 0-15 are kept for the root and others. */
#define FIRST_UNIQUE_ID 16u
#define NO_NODE ((size_t)-1)

struct volume {
	uint8_t anchor[UDF_SECTOR];
	uint64_t anchor_sector;      /* where it was found */
	uint32_t vds_sector;         /* the main sequence */
	uint8_t *vds;                /* its sectors, through the terminator */
	size_t vds_count;
	size_t pd_index;             /* the partition descriptor in vds */
	uint16_t part_number;
	uint32_t part_start;
	uint32_t part_length;
	uint32_t fsd_block;          /* the file set descriptor, in the partition */
	bool has_lvid;
	uint64_t lvid_sector;
	uint8_t lvid[UDF_SECTOR];
};

struct entry_patch {
	uint64_t sector;             /* absolute */
	uint8_t block[UDF_SECTOR];
};

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* 1: read; 0: the image ends before this sector; -1: error (err says). */
static int read_sector(int fd, uint64_t sector, uint8_t *out, const char *what,
		       struct text *err)
{
	size_t done = 0;

	if (sector > (uint64_t)INT64_MAX / UDF_SECTOR - 1) {
		text_appendf(err, "%s: sector %" PRIu64 " is beyond any image", what, sector);
		return -1;
	}
	while (done < UDF_SECTOR) {
		ssize_t n = pread(fd, out + done, UDF_SECTOR - done, (off_t)(sector * UDF_SECTOR + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			text_appendf(err, "cannot read %s (sector %" PRIu64 "): %s", what, sector,
				     strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		done += (size_t)n;
	}
	return 1;
}

/* Like read_sector, but the sector must exist. */
static int read_needed(int fd, uint64_t sector, uint8_t *out, const char *what, struct text *err)
{
	int rc = read_sector(fd, sector, out, what, err);

	if (rc == 0) {
		text_appendf(err, "the UDF file system is damaged: %s (sector %" PRIu64
			     ") lies past the image's end", what, sector);
		return -1;
	}
	return rc;
}

static int write_sectors(int fd, uint64_t sector, const uint8_t *data, size_t count,
			 const char *what, struct text *err)
{
	size_t size = count * UDF_SECTOR, done = 0;

	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)(sector * UDF_SECTOR + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			text_appendf(err, "cannot write %s (sector %" PRIu64 "): %s", what, sector,
				     n < 0 ? strerror(errno) : "short write");
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static int damaged(struct text *err, const char *what, uint64_t sector, const char *why)
{
	text_appendf(err, "the UDF file system is damaged: %s at sector %" PRIu64 ": %s", what,
		     sector, why);
	return -1;
}

/* An identifier (regid) for a message: printable ASCII only. */
static void regid_text(const uint8_t *regid, char *out)
{
	size_t n = 0;

	for (size_t i = 1; i < 24 && regid[i]; i++)
		out[n++] = regid[i] >= 0x20 && regid[i] < 0x7f ? (char)regid[i] : '?';
	out[n] = '\0';
}

/* -------------------------------------------------------------------------
 * The volume: anchor, main sequence, partition, logical volume, integrity
 * ------------------------------------------------------------------------- */

/*
 * The anchor, where readers look for one (ECMA-167 3/8.4.2.1): sector
 * 256, else near the end of an image of old_end sectors: its last
 * sector, 256 before it, or 256 before the end (as some writers count).
 * Writers that leave sector 256 to file data have only the end ones.
 * 1: read (vol->anchor_sector says where); 0: none; -1: damaged or
 * unreadable.
 */
static int read_anchor(int fd, uint64_t old_end, struct volume *vol, struct text *err)
{
	uint64_t places[4] = { ANCHOR_SECTOR, 0, 0, 0 };

	if (old_end > ANCHOR_SECTOR + 1) {
		places[1] = old_end - 1;
		if (old_end > 2 * ANCHOR_SECTOR + 1)
			places[2] = old_end - 1 - ANCHOR_SECTOR;
		if (old_end > 2 * ANCHOR_SECTOR)
			places[3] = old_end - ANCHOR_SECTOR;
	}
	for (size_t i = 0; i < 4; i++) {
		const char *why = NULL;
		int rc;

		if (i > 0 && places[i] <= ANCHOR_SECTOR)
			continue;
		rc = read_sector(fd, places[i], vol->anchor, "the UDF anchor", err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		rc = udf_tag_check(vol->anchor, UDF_SECTOR, TAG_ANCHOR, places[i], &why);
		if (rc < 0)
			return damaged(err, "the anchor", places[i], why);
		if (rc == 1) {
			vol->anchor_sector = places[i];
			return 1;
		}
	}
	return 0;
}

/*
 * The new image has an anchor at sector 256.  An image whose anchor is
 * only near its end gets one there when that sector is blank; file data
 * at 256 are never overwritten: that is refused.
 */
static int check_sector_256(int fd, const struct volume *vol, struct text *err)
{
	uint8_t block[UDF_SECTOR];
	int rc;

	if (vol->anchor_sector == ANCHOR_SECTOR)
		return 0;
	rc = read_sector(fd, ANCHOR_SECTOR, block, "sector 256", err);
	if (rc < 0)
		return -1;
	if (rc == 1 && !all_zero(block, UDF_SECTOR)) {
		text_appendf(err, "the UDF anchor is at sector %" PRIu64 " only, and sector 256 "
			     "holds other data: that layout is not handled (the new image needs "
			     "an anchor at sector 256, where every reader looks)",
			     vol->anchor_sector);
		return -1;
	}
	return 0;
}

static int read_sequence(int fd, struct volume *vol, struct text *err)
{
	uint32_t length = (uint32_t)get_le(vol->anchor + 16, 4);
	size_t count = length / UDF_SECTOR;
	size_t partitions = 0;

	vol->vds_sector = (uint32_t)get_le(vol->anchor + 20, 4);
	if (count == 0)
		return damaged(err, "the anchor", vol->anchor_sector,
			       "its main descriptor sequence is shorter than a sector");
	if (count > MAX_SEQUENCE)
		count = MAX_SEQUENCE;
	vol->vds = calloc(count, UDF_SECTOR);
	if (!vol->vds) {
		text_append(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		uint64_t sector = (uint64_t)vol->vds_sector + i;
		uint8_t *block = vol->vds + i * UDF_SECTOR;
		const char *why = NULL;
		uint16_t id;
		int rc;

		rc = read_sector(fd, sector, block, "the volume descriptors", err);
		if (rc < 0)
			return -1;
		/* An unrecorded sector ends a sequence as a terminator does. */
		if (rc == 0 || all_zero(block, UDF_SECTOR))
			break;
		id = (uint16_t)get_le(block, 2);
		rc = id >= 1 && id <= TAG_TERMINATOR ? udf_tag_check(block, UDF_SECTOR, id, sector, &why) : 0;
		if (rc == 0)
			return damaged(err, "the main volume descriptor sequence", sector,
				       "a sector there is no volume descriptor");
		if (rc < 0)
			return damaged(err, "a volume descriptor", sector, why);
		vol->vds_count = i + 1;
		if (id == TAG_POINTER) {
			text_append(err, "the UDF volume descriptor sequence continues in another "
				    "extent (a Volume Descriptor Pointer); that is not handled");
			return -1;
		}
		if (id == TAG_PARTITION) {
			vol->pd_index = i;
			partitions++;
		}
		if (id == TAG_TERMINATOR)
			break;
	}
	if (partitions != 1) {
		text_appendf(err, "the UDF volume has %zu partition descriptors; only a volume "
			     "with exactly one partition is handled", partitions);
		return -1;
	}
	return 0;
}

static int check_partition(struct volume *vol, struct text *err)
{
	const uint8_t *pd = vol->vds + vol->pd_index * UDF_SECTOR;
	char contents[24];

	vol->part_number = (uint16_t)get_le(pd + 22, 2);
	vol->part_start = (uint32_t)get_le(pd + 188, 4);
	vol->part_length = (uint32_t)get_le(pd + 192, 4);
	regid_text(pd + 24, contents);
	if (strcmp(contents, "+NSR02") != 0 && strcmp(contents, "+NSR03") != 0) {
		text_appendf(err, "the UDF partition holds \"%s\", not a file system (+NSR02 or "
			     "+NSR03)", contents);
		return -1;
	}
	/* Partition Header Descriptor: unallocated and freed space, each as
	 * a table and a bitmap (short_ad at 56, 64, 80, 88).  A partition
	 * that keeps one would record the new blocks as free. */
	for (unsigned offset = 56; offset <= 88; offset += 8) {
		if (offset == 72)
			continue;       /* the integrity table, unused since ECMA-167 3rd ed. */
		if (get_le(pd + offset, 4) & 0x3FFFFFFFu) {
			text_append(err, "the UDF partition records its free space (a space table "
				    "or bitmap, as rewritable media do); only read-only media are "
				    "handled");
			return -1;
		}
	}
	return 0;
}

/* The logical volume's one partition map must be a plain one, for the
 * partition found; its integrity sequence extent comes back. */
static int check_logical_volume(struct volume *vol, uint32_t *integrity_length,
				uint32_t *integrity_sector, struct text *err)
{
	const uint8_t *lvd = NULL;
	uint64_t lvd_sector = 0;
	uint32_t table_length, maps;
	size_t count = 0;

	for (size_t i = 0; i < vol->vds_count; i++)
		if (get_le(vol->vds + i * UDF_SECTOR, 2) == TAG_LOGICAL_VOLUME) {
			lvd = vol->vds + i * UDF_SECTOR;
			lvd_sector = vol->vds_sector + i;
			count++;
		}
	if (count != 1) {
		text_appendf(err, "the UDF volume has %zu logical volume descriptors; exactly one "
			     "is handled", count);
		return -1;
	}
	if (get_le(lvd + 212, 4) != UDF_SECTOR) {
		text_appendf(err, "the UDF logical volume has %" PRIu64 "-byte blocks; only "
			     "2048-byte blocks are handled", get_le(lvd + 212, 4));
		return -1;
	}
	table_length = (uint32_t)get_le(lvd + 264, 4);
	maps = (uint32_t)get_le(lvd + 268, 4);
	if (table_length > UDF_SECTOR - 440)
		return damaged(err, "the logical volume descriptor", lvd_sector,
			       "its partition maps run past its sector");
	if (maps != 1) {
		text_appendf(err, "the UDF logical volume has %" PRIu32 " partition maps; only one "
			     "is handled", maps);
		return -1;
	}
	if (table_length < 2 || lvd[441] < 2 || lvd[441] > table_length)
		return damaged(err, "the logical volume descriptor", lvd_sector,
			       "its partition map has no room for itself");
	if (lvd[440] == 2 && lvd[441] >= 36) {
		char kind[24];

		regid_text(lvd + 444, kind);
		text_appendf(err, "the UDF logical volume uses a \"%s\" partition map (virtual, "
			     "sparable or metadata partitions); only a plain (Type 1) partition "
			     "is handled", kind);
		return -1;
	}
	if (lvd[440] != 1 || lvd[441] != 6) {
		text_appendf(err, "the UDF logical volume uses a partition map of type %u; only a "
			     "plain (Type 1) partition is handled", lvd[440]);
		return -1;
	}
	if (get_le(lvd + 444, 2) != vol->part_number) {
		text_appendf(err, "the UDF logical volume maps partition %" PRIu64 ", but the "
			     "partition descriptor is for partition %u", get_le(lvd + 444, 2),
			     vol->part_number);
		return -1;
	}
	/* The file set descriptor: a long_ad in the logical volume
	 * contents use (248), in the one partition. */
	if (get_le(lvd + 256, 2) != 0)
		return damaged(err, "the logical volume descriptor", lvd_sector,
			       "its file set lies in a partition the volume does not map");
	vol->fsd_block = (uint32_t)get_le(lvd + 252, 4);
	*integrity_length = (uint32_t)get_le(lvd + 432, 4);
	*integrity_sector = (uint32_t)get_le(lvd + 436, 4);
	return 0;
}

/* The prevailing integrity descriptor: the last one of the sequence,
 * following its chain to further extents. */
static int read_integrity(int fd, struct volume *vol, uint32_t length, uint32_t sector,
			  struct text *err)
{
	for (unsigned hop = 0; length >= UDF_SECTOR; hop++) {
		uint32_t count = length / UDF_SECTOR;
		bool chained = false;
		uint8_t block[UDF_SECTOR];

		if (hop == MAX_INTEGRITY_HOPS)
			return damaged(err, "the integrity sequence", sector,
				       "its extents chain without end");
		if (count > MAX_SEQUENCE)
			count = MAX_SEQUENCE;
		for (uint32_t i = 0; i < count; i++) {
			uint64_t at = (uint64_t)sector + i;
			const char *why = NULL;
			int rc = read_sector(fd, at, block, "the integrity descriptor", err);

			if (rc < 0)
				return -1;
			if (rc == 0 || all_zero(block, UDF_SECTOR))
				break;
			if (udf_tag_check(block, UDF_SECTOR, TAG_TERMINATOR, at, &why) == 1)
				break;
			rc = udf_tag_check(block, UDF_SECTOR, TAG_INTEGRITY, at, &why);
			if (rc <= 0)
				return damaged(err, "the logical volume integrity descriptor", at,
					       rc < 0 ? why : "another descriptor is there");
			memcpy(vol->lvid, block, UDF_SECTOR);
			vol->lvid_sector = at;
			vol->has_lvid = true;
			length = (uint32_t)get_le(block + 32, 4);
			sector = (uint32_t)get_le(block + 36, 4);
			chained = length >= UDF_SECTOR;
			if (chained)
				break;
		}
		if (!chained)
			break;
	}
	if (vol->has_lvid) {
		uint64_t partitions = get_le(vol->lvid + 72, 4);
		uint64_t use = get_le(vol->lvid + 76, 4);

		if (partitions < 1 || partitions > (UDF_SECTOR - 80) / 8 ||
		    use > UDF_SECTOR - 80 - 8 * partitions)
			return damaged(err, "the logical volume integrity descriptor",
				       vol->lvid_sector, "its tables run past its sector");
	}
	return 0;
}

/* -------------------------------------------------------------------------
 * Finding the File Entries
 * ------------------------------------------------------------------------- */

static void extents_text(struct text *out, const struct iso_extent *extents, size_t count,
			 uint64_t size)
{
	text_appendf(out, "%" PRIu64 " bytes", size);
	if (count == 0 && size > 0)
		text_append(out, " inside its File Entry");
	for (size_t i = 0; i < count; i++)
		text_appendf(out, "%s sector %" PRIu64 " (%" PRIu64 " bytes)", i ? "," : " at",
			     extents[i].lba, extents[i].length);
}

/* Two readers disagreeing on where a file is must never pass: the File
 * Entry patched would then not be the file the ISO 9660 tree names. */
static int check_listed(const struct udfpatch_file *want, const struct udfwalk_file *found,
			struct text *err)
{
	bool same = want->listed_size == found->size &&
		    want->listed_extent_count == found->extent_count;

	for (size_t i = 0; same && i < found->extent_count; i++)
		same = want->listed_extents[i].lba == found->extents[i].lba &&
		       want->listed_extents[i].length == found->extents[i].length;
	if (same)
		return 0;
	text_appendf(err, "%s: the UDF file system's readers disagree: the listing (libudfread) "
		     "reads ", want->path);
	extents_text(err, want->listed_extents, want->listed_extent_count, want->listed_size);
	text_append(err, ", the File Entry to patch says ");
	extents_text(err, found->extents, found->extent_count, found->size);
	text_append(err, "; the image is not patched");
	return -1;
}

static int find_entries(const struct udfpatch_job *job, const struct volume *vol,
			uint32_t *blocks, struct text *err)
{
	struct udfwalk_partition part = { .fd = job->fd, .start = vol->part_start,
					  .length = vol->part_length };

	for (size_t i = 0; i < job->file_count; i++) {
		struct udfwalk_file found;
		int rc;

		if (udfwalk_find(&part, vol->fsd_block, job->files[i].path, &found, err) < 0)
			return -1;
		rc = job->files[i].listed ? check_listed(&job->files[i], &found, err) : 0;
		blocks[i] = found.block;
		udfwalk_file_free(&found);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* -------------------------------------------------------------------------
 * Rewriting a File Entry
 * ------------------------------------------------------------------------- */

/* The new allocation descriptors: the file from block start of the
 * partition on, in pieces a 30-bit length can say. */
static size_t put_extents(uint8_t *out, int kind, uint32_t start, uint64_t size,
			  uint16_t part_ref)
{
	size_t used = 0;

	while (size > 0) {
		uint32_t piece = size > MAX_EXTENT ? MAX_EXTENT : (uint32_t)size;

		/* Extent type 0 (recorded and allocated) in the top two bits. */
		put_le(out + used, piece, 4);
		put_le(out + used + 4, start, 4);
		if (kind == AD_LONG) {
			put_le(out + used + 8, part_ref, 2);
			memset(out + used + 10, 0, 6);
			used += 16;
		} else {
			used += 8;
		}
		start += piece / UDF_SECTOR;
		size -= piece;
	}
	return used;
}

/* Points the File Entry at block, of type file_type, at file's new data;
 * new_links more identifiers now name it (a directory's new
 * sub-folders). */
static int patch_entry(int fd, const struct volume *vol, const struct udfpatch_file *file,
		       uint32_t block, unsigned file_type, unsigned new_links,
		       struct entry_patch *patch, struct text *err)
{
	uint8_t *fe = patch->block;
	const char *why = NULL;
	bool extended;
	unsigned base, strategy, kind;
	uint64_t l_ea, l_ad, info, blocks, extents, room, used;
	uint16_t part_ref = 0;
	uint32_t start;
	int rc;

	if (block >= vol->part_length) {
		text_appendf(err, "%s: its File Entry (block %" PRIu32 ") lies outside the UDF "
			     "partition", file->path, block);
		return -1;
	}
	patch->sector = (uint64_t)vol->part_start + block;
	if (read_needed(fd, patch->sector, fe, "a File Entry", err) < 0)
		return -1;
	/* File Entries name their block in the partition, not the sector. */
	extended = get_le(fe, 2) == TAG_EXTENDED_FILE_ENTRY;
	rc = udf_tag_check(fe, UDF_SECTOR, extended ? TAG_EXTENDED_FILE_ENTRY : TAG_FILE_ENTRY, block, &why);
	if (rc <= 0) {
		text_appendf(err, "%s: the UDF file system is damaged: at sector %" PRIu64
			     ", where its File Entry should be, %s", file->path, patch->sector,
			     rc < 0 ? why : "there is none");
		return -1;
	}
	base = extended ? 216 : 176;
	l_ea = get_le(fe + base - 8, 4);
	l_ad = get_le(fe + base - 4, 4);
	if (l_ea > UDF_SECTOR - base || l_ad > UDF_SECTOR - base - l_ea) {
		text_appendf(err, "%s: the UDF file system is damaged: its File Entry's "
			     "attributes and allocation descriptors run past its sector",
			     file->path);
		return -1;
	}
	strategy = (unsigned)get_le(fe + 20, 2);
	if (strategy != ICB_STRATEGY_4) {
		text_appendf(err, "%s: its File Entry uses ICB strategy %u; only strategy 4 is "
			     "handled", file->path, strategy);
		return -1;
	}
	if (fe[27] != file_type) {
		text_appendf(err, "%s: its File Entry is of type %u, not a %s", file->path,
			     fe[27], file_type == FILE_TYPE_REGULAR ? "plain file" : "directory");
		return -1;
	}
	if (get_le(fe + 48, 2) + new_links > 0xFFFF) {
		text_appendf(err, "%s: its link count cannot grow by %u", file->path, new_links);
		return -1;
	}
	put_le(fe + 48, get_le(fe + 48, 2) + new_links, 2);
	kind = (unsigned)get_le(fe + 34, 2) & 7;
	if (kind == AD_EXTENDED) {
		text_appendf(err, "%s: its File Entry uses extended allocation descriptors "
			     "(ext_ad), which are not handled", file->path);
		return -1;
	}
	if (kind > AD_EMBEDDED) {
		text_appendf(err, "%s: its File Entry has allocation descriptor kind %u, which "
			     "UDF does not define", file->path, kind);
		return -1;
	}
	if (kind == AD_LONG && l_ad >= 16)
		part_ref = (uint16_t)get_le(fe + base + l_ea + 8, 2);
	if (kind == AD_EMBEDDED)
		kind = AD_SHORT;

	if (file->lba < vol->part_start || file->lba - vol->part_start > UINT32_MAX) {
		text_appendf(err, "%s: its new data (sector %" PRIu64 ") lie outside what the UDF "
			     "partition can reach", file->path, file->lba);
		return -1;
	}
	start = (uint32_t)(file->lba - vol->part_start);
	blocks = (file->size + UDF_SECTOR - 1) / UDF_SECTOR;
	if (blocks > (uint64_t)UINT32_MAX + 1 - start) {
		text_appendf(err, "%s: its new data end beyond what the UDF partition can reach",
			     file->path);
		return -1;
	}
	extents = (file->size + MAX_EXTENT - 1) / MAX_EXTENT;
	room = UDF_SECTOR - base - l_ea;
	if (extents > room / (kind == AD_LONG ? 16 : 8)) {
		text_appendf(err, "%s: %" PRIu64 " bytes need %" PRIu64 " allocation "
			     "descriptors; its File Entry has room for %" PRIu64 " after its "
			     "extended attributes", file->path, file->size, extents,
			     room / (kind == AD_LONG ? 16 : 8));
		return -1;
	}

	/* Extended attributes stay; what followed them is replaced. */
	memset(fe + base + l_ea, 0, (size_t)room);
	used = put_extents(fe + base + l_ea, (int)kind, start, file->size, part_ref);
	put_le(fe + base - 4, used, 4);
	put_le(fe + 34, (get_le(fe + 34, 2) & ~(uint64_t)7) | kind, 2);
	info = get_le(fe + 56, 8);
	put_le(fe + 56, file->size, 8);
	if (extended) {
		/* The object size also counts named streams, which stay. */
		uint64_t object = get_le(fe + 64, 8);

		put_le(fe + 64, object >= info ? object - info + file->size : file->size, 8);
		put_le(fe + 72, blocks, 8);
	} else {
		put_le(fe + 64, blocks, 8);
	}
	put_le(fe + 10, base + l_ea + used - UDF_TAG_SIZE, 2);
	udf_tag_seal(fe, block);
	return 0;
}

/* -------------------------------------------------------------------------
 * Adding files and folders
 * ------------------------------------------------------------------------- */

/* A directory rewritten, or a file or folder made.  Children are the
 * nodes naming it as parent, in the order they were made. */
struct node {
	size_t parent;               /* NO_NODE for a directory the image has */
	bool existing;               /* one the image has: its stream rewritten */
	bool directory;
	uint32_t old_block;          /* existing: its File Entry */
	struct udfwalk_dir old;      /* existing: its identifiers */
	uint8_t *fe;                 /* existing: its File Entry, the model for new ones */
	size_t model;                /* the existing node whose File Entry new ones copy */
	size_t add;                  /* the add that made it (its path names it) */
	uint8_t name[255];           /* new: the d-string body */
	size_t name_length;
	const char *utf8;            /* new: its name inside the add's path */
	size_t utf8_length;
	unsigned new_subdirs;
	uint64_t stream_size;        /* directories: bytes of identifiers */
	uint32_t fe_block;           /* new: where its File Entry goes */
	uint32_t stream_block;       /* directories: where the stream goes */
	uint64_t unique_id;
};

struct plan {
	struct node *nodes;
	size_t count;
	uint64_t sectors;            /* the File Entries and streams together */
	size_t new_files, new_dirs;
};

static void plan_free(struct plan *plan)
{
	for (size_t i = 0; i < plan->count; i++) {
		udfwalk_dir_free(&plan->nodes[i].old);
		free(plan->nodes[i].fe);
	}
	free(plan->nodes);
	memset(plan, 0, sizeof(*plan));
}

static size_t new_node(struct plan *plan, struct text *err)
{
	struct node *grown = realloc(plan->nodes, (plan->count + 1) * sizeof(*grown));

	if (!grown) {
		text_append(err, "out of memory");
		return NO_NODE;
	}
	plan->nodes = grown;
	memset(&grown[plan->count], 0, sizeof(*grown));
	grown[plan->count].parent = NO_NODE;
	return plan->count++;
}

static uint64_t fid_size(size_t name_length)
{
	return (FID_HEAD + name_length + 3) & ~(uint64_t)3;
}

/* The node for the image's directory at block, made (its File Entry
 * and identifiers read) the first time something goes into it. */
static size_t existing_node(struct plan *plan, const struct udfwalk_partition *part,
			    uint32_t block, size_t add, const char *path, struct text *err)
{
	size_t index;
	struct node *node;

	for (size_t i = 0; i < plan->count; i++)
		if (plan->nodes[i].existing && plan->nodes[i].old_block == block)
			return i;
	index = new_node(plan, err);
	if (index == NO_NODE)
		return NO_NODE;
	node = &plan->nodes[index];
	node->existing = true;
	node->directory = true;
	node->old_block = block;
	node->model = index;
	node->add = add;
	node->fe = malloc(UDF_SECTOR);
	if (!node->fe) {
		text_append(err, "out of memory");
		return NO_NODE;
	}
	if (udfwalk_dir_read(part, block, path, &node->old, err) < 0 ||
	    read_needed(part->fd, (uint64_t)part->start + block, node->fe, "a File Entry",
			err) < 0)
		return NO_NODE;
	return index;
}

static int refuse_add(const char *path, const char *name, size_t length, const char *why,
		      struct text *err)
{
	text_appendf(err, "%s: cannot add it to the UDF file system: \"%.*s\" %s", path,
		     (int)length, name, why);
	return -1;
}

/* Places one added path in the plan: the folders it lacks, then the file. */
static int plan_add(struct plan *plan, const struct udfwalk_partition *part, uint32_t root,
		    const struct udfpatch_add *adds, size_t add, struct text *err)
{
	const char *path = adds[add].path, *p = path;
	uint32_t block = root;       /* the image's directory we are in, while cur is NO_NODE */
	size_t cur = NO_NODE;
	unsigned depth = 0;

	for (;;) {
		const char *name;
		size_t length, child = NO_NODE;
		uint8_t encoded[255];
		size_t encoded_length;
		bool last;

		while (*p == '/' || *p == '\\')
			p++;
		name = p;
		length = strcspn(p, "/\\");
		if (length == 0) {
			text_appendf(err, "\"%s\" names no file to add", path);
			return -1;
		}
		p += length;
		while (*p == '/' || *p == '\\')
			p++;
		last = *p == '\0';
		if (++depth > MAX_ADD_DEPTH) {
			text_appendf(err, "%s: the path is deeper than %u folders", path,
				     MAX_ADD_DEPTH);
			return -1;
		}
		if ((length == 1 && name[0] == '.') || (length == 2 && !memcmp(name, "..", 2)))
			return refuse_add(path, name, length, "is not a name", err);
		encoded_length = udfwalk_name_encode(name, length, encoded);
		if (encoded_length == 0)
			return refuse_add(path, name, length, "is not a name UDF can hold (UTF-8 of "
					  "characters up to U+FFFF, at most 254 bytes)", err);
		if (cur == NO_NODE || plan->nodes[cur].existing) {
			struct udfwalk_dir scratch = { 0 };
			const struct udfwalk_dir *dir = &scratch;
			uint32_t found = 0;
			bool directory = false;
			int rc;

			if (cur != NO_NODE)
				dir = &plan->nodes[cur].old;
			else if (udfwalk_dir_read(part, block, path, &scratch, err) < 0)
				return -1;
			rc = udfwalk_dir_lookup(part, dir, path, name, length, &found, &directory,
						err);
			udfwalk_dir_free(&scratch);
			if (rc < 0)
				return -1;
			if (rc == 1) {
				if (last)
					return refuse_add(path, name, length, "is already in the "
							  "image (names are compared but for "
							  "case); give another name", err);
				if (!directory)
					return refuse_add(path, name, length, "is a file in the "
							  "image, not a folder", err);
				block = found;
				cur = NO_NODE;
				for (size_t i = 0; i < plan->count; i++)
					if (plan->nodes[i].existing &&
					    plan->nodes[i].old_block == block)
						cur = i;
				continue;
			}
			if (cur == NO_NODE) {
				cur = existing_node(plan, part, block, add, path, err);
				if (cur == NO_NODE)
					return -1;
			}
		}
		for (size_t i = 0; i < plan->count && child == NO_NODE; i++)
			if (plan->nodes[i].parent == cur &&
			    udfwalk_names_equal(name, length, plan->nodes[i].utf8,
						plan->nodes[i].utf8_length))
				child = i;
		if (child != NO_NODE) {
			if (last)
				return refuse_add(path, name, length, "is added twice (names are "
						  "compared but for case)", err);
			if (!plan->nodes[child].directory)
				return refuse_add(path, name, length, "is an added file, not a "
						  "folder", err);
			cur = child;
			continue;
		}
		child = new_node(plan, err);
		if (child == NO_NODE)
			return -1;
		plan->nodes[child].parent = cur;
		plan->nodes[child].directory = !last;
		plan->nodes[child].model = plan->nodes[cur].model;
		plan->nodes[child].add = add;
		memcpy(plan->nodes[child].name, encoded, encoded_length);
		plan->nodes[child].name_length = encoded_length;
		plan->nodes[child].utf8 = name;
		plan->nodes[child].utf8_length = length;
		if (!last)
			plan->nodes[cur].new_subdirs++;
		cur = child;
		if (last)
			return 0;
	}
}

/* Every add planned, the streams sized and the sectors counted. */
static int make_plan(const struct udfpatch_job *job, const struct volume *vol,
		     struct plan *plan, struct text *err)
{
	struct udfwalk_partition part = { .fd = job->fd, .start = vol->part_start,
					  .length = vol->part_length };
	uint32_t root;

	memset(plan, 0, sizeof(*plan));
	if (job->add_count == 0)
		return 0;
	if (!vol->has_lvid) {
		text_appendf(err, "%s: cannot add it to the UDF file system: the volume has no "
			     "integrity descriptor, which keeps its next unique ID",
			     job->adds[0].path);
		return -1;
	}
	if (udfwalk_root(&part, vol->fsd_block, &root, err) < 0)
		return -1;
	for (size_t i = 0; i < job->add_count; i++)
		if (plan_add(plan, &part, root, job->adds, i, err) < 0)
			return -1;
	for (size_t i = 0; i < plan->count; i++) {
		struct node *node = &plan->nodes[i];

		if (!node->existing) {
			plan->sectors++;
			if (node->directory)
				plan->new_dirs++;
			else
				plan->new_files++;
		}
		if (!node->directory)
			continue;
		node->stream_size = node->existing ? udfwalk_dir_moved_size(&node->old)
						   : fid_size(0);
		for (size_t k = 0; k < plan->count; k++)
			if (plan->nodes[k].parent == i)
				node->stream_size += fid_size(plan->nodes[k].name_length);
		if (node->stream_size > MAX_EXTENT) {
			text_appendf(err, "%s: its folder's new directory would exceed 1 GiB",
				     job->adds[node->add].path);
			return -1;
		}
		plan->sectors += (node->stream_size + UDF_SECTOR - 1) / UDF_SECTOR;
	}
	return 0;
}

/* A File Identifier Descriptor at out, naming the File Entry at icb,
 * recorded in block location.  Its size, padding included. */
static size_t put_fid(uint8_t *out, unsigned characteristics, uint32_t icb, uint64_t unique_id,
		      const uint8_t *name, size_t name_length, uint32_t location,
		      uint16_t tag_version)
{
	size_t size = (size_t)fid_size(name_length);

	memset(out, 0, size);
	put_le(out, TAG_IDENTIFIER, 2);
	put_le(out + 2, tag_version, 2);
	put_le(out + 10, size - UDF_TAG_SIZE, 2);
	put_le(out + 16, 1, 2);                  /* file version number */
	out[18] = (uint8_t)characteristics;
	out[19] = (uint8_t)name_length;
	put_le(out + 20, UDF_SECTOR, 4);             /* the ICB: one block */
	put_le(out + 24, icb, 4);
	/* UDF 2.00 2.3.4.3: the low 32 bits of the unique ID in the ICB's
	 * implementation use; older readers ignore it. */
	put_le(out + 32, unique_id, 4);
	if (name_length)
		memcpy(out + FID_HEAD, name, name_length);
	udf_tag_seal(out, location);
	return size;
}

/* A new File Entry (or Extended File Entry, as the model is) at out. */
static void make_entry(uint8_t *out, const uint8_t *model, unsigned file_type,
		       unsigned links, uint64_t size, uint32_t data_block, uint64_t unique_id,
		       uint32_t location)
{
	bool extended = get_le(model, 2) == TAG_EXTENDED_FILE_ENTRY;
	unsigned base = extended ? 216 : 176;
	uint64_t blocks = (size + UDF_SECTOR - 1) / UDF_SECTOR;
	size_t used;

	memcpy(out, model, base);
	memset(out + base, 0, UDF_SECTOR - base);
	/* ICB tag: strategy 4, one entry, no parent ICB, short_ad. */
	put_le(out + 16, 0, 4);
	put_le(out + 20, ICB_STRATEGY_4, 2);
	put_le(out + 22, 0, 2);
	put_le(out + 24, 1, 2);
	out[26] = 0;
	out[27] = (uint8_t)file_type;
	memset(out + 28, 0, 6);
	put_le(out + 34, get_le(model + 34, 2) & ~(uint64_t)7, 2);
	put_le(out + 48, links, 2);
	out[50] = 0;
	out[51] = 0;
	put_le(out + 52, 0, 4);
	put_le(out + 56, size, 8);
	if (extended) {
		put_le(out + 64, size, 8);
		put_le(out + 72, blocks, 8);
		memset(out + 136, 0, 32);        /* no attributes, no named streams */
		put_le(out + 200, unique_id, 8);
	} else {
		put_le(out + 64, blocks, 8);
		memset(out + 112, 0, 16);        /* no extended attribute ICB */
		put_le(out + 160, unique_id, 8);
	}
	used = put_extents(out + base, AD_SHORT, data_block, size, 0);
	put_le(out + base - 8, 0, 4);
	put_le(out + base - 4, used, 4);
	put_le(out + 10, base + used - UDF_TAG_SIZE, 2);
	udf_tag_seal(out, location);
}

/*
 * The new File Entries and streams, in meta (meta_sectors sectors from
 * job->meta_lba), and the patches of the directories rewritten; the
 * integrity descriptor's next unique ID and counts updated in vol.
 */
static int build_adds(const struct udfpatch_job *job, struct volume *vol, struct plan *plan,
		      uint8_t *meta, struct entry_patch *patches, uint32_t *blocks,
		      size_t *patch_count, struct text *err)
{
	struct udfwalk_partition part = { .fd = job->fd, .start = vol->part_start,
					  .length = vol->part_length };
	uint32_t first = (uint32_t)(job->meta_lba - vol->part_start), next = first;
	uint64_t unique = get_le(vol->lvid + 40, 8);
	uint64_t partitions = get_le(vol->lvid + 72, 4), use = get_le(vol->lvid + 76, 4);
	uint8_t *use_at = vol->lvid + 80 + 8 * partitions;
	uint16_t tag_version = (uint16_t)get_le(vol->lvid + 2, 2);

	if (unique < FIRST_UNIQUE_ID)
		unique = FIRST_UNIQUE_ID;
	for (size_t i = 0; i < plan->count; i++) {
		struct node *node = &plan->nodes[i];

		if (!node->existing) {
			node->fe_block = next++;
			/* Readers keep the low 32 bits; those stay clear of 0-15. */
			if ((uint32_t)unique < FIRST_UNIQUE_ID)
				unique += FIRST_UNIQUE_ID;
			node->unique_id = unique++;
		}
		if (node->directory) {
			node->stream_block = next;
			next += (uint32_t)((node->stream_size + UDF_SECTOR - 1) / UDF_SECTOR);
		}
	}
	for (size_t i = 0; i < plan->count; i++) {
		struct node *node = &plan->nodes[i];
		const char *path = job->adds[node->add].path;
		const uint8_t *model = plan->nodes[node->model].fe;
		uint8_t *stream;
		uint64_t pos = 0;

		if (!node->directory) {
			const struct udfpatch_add *add = &job->adds[node->add];

			make_entry(meta + (size_t)(node->fe_block - first) * UDF_SECTOR, model,
				   FILE_TYPE_REGULAR, 1, add->size,
				   add->size ? (uint32_t)(add->lba - vol->part_start) : 0,
				   node->unique_id, node->fe_block);
			continue;
		}
		stream = meta + (size_t)(node->stream_block - first) * UDF_SECTOR;
		if (node->existing) {
			struct udfpatch_file moved = { .path = path,
				.lba = (uint64_t)vol->part_start + node->stream_block,
				.size = node->stream_size };

			if (udfwalk_dir_move(&part, &node->old, path, node->stream_block, stream,
					     err) < 0)
				return -1;
			pos = udfwalk_dir_moved_size(&node->old);
			if (patch_entry(job->fd, vol, &moved, node->old_block, FILE_TYPE_DIRECTORY,
					node->new_subdirs, &patches[*patch_count], err) < 0)
				return -1;
			blocks[(*patch_count)++] = node->old_block;
		} else {
			const struct node *parent = &plan->nodes[node->parent];

			pos += put_fid(stream, FID_DIRECTORY | FID_PARENT,
				       parent->existing ? parent->old_block : parent->fe_block,
				       parent->unique_id, NULL, 0, node->stream_block, tag_version);
			make_entry(meta + (size_t)(node->fe_block - first) * UDF_SECTOR, model,
				   FILE_TYPE_DIRECTORY, 1 + node->new_subdirs, node->stream_size,
				   node->stream_block, node->unique_id, node->fe_block);
		}
		for (size_t k = 0; k < plan->count; k++) {
			const struct node *child = &plan->nodes[k];

			if (child->parent != i)
				continue;
			pos += put_fid(stream + pos, child->directory ? FID_DIRECTORY : 0,
				       child->fe_block, child->unique_id, child->name,
				       child->name_length,
				       node->stream_block + (uint32_t)(pos / UDF_SECTOR), tag_version);
		}
	}
	/* The Logical Volume Header Descriptor (contents use, 40) keeps the
	 * next unique ID; the implementation use (UDF 2.2.6.4), when it is
	 * there, counts files and folders. */
	put_le(vol->lvid + 40, unique, 8);
	if (use >= 40) {
		put_le(use_at + 32, get_le(use_at + 32, 4) + plan->new_files, 4);
		put_le(use_at + 36, get_le(use_at + 36, 4) + plan->new_dirs, 4);
	}
	return 0;
}

/* -------------------------------------------------------------------------
 * The whole job
 * ------------------------------------------------------------------------- */

static int check_job(const struct udfpatch_job *job, const struct volume *vol,
		     uint64_t old_end, struct text *err)
{
	uint64_t part_end = (uint64_t)vol->part_start + vol->part_length;
	uint64_t new_end = job->data_end > part_end ? job->data_end : part_end;

	if (job->tail_start < job->data_end || job->tail_start < old_end) {
		text_appendf(err, "udfpatch: the tail (sector %" PRIu64 ") starts before the "
			     "data end (%" PRIu64 ") or the old image's end (%" PRIu64 ")",
			     job->tail_start, job->data_end, old_end);
		return -1;
	}
	if (new_end > job->tail_start) {
		text_appendf(err, "the UDF partition reaches sector %" PRIu64 ", past where the "
			     "tail starts (%" PRIu64 ")", new_end, job->tail_start);
		return -1;
	}
	if (new_end - vol->part_start > UINT32_MAX) {
		text_append(err, "the UDF partition cannot grow past 2^32 blocks (8 TiB)");
		return -1;
	}
	if (job->tail_start > UINT32_MAX - MIN_RESERVE - 1 - vol->vds_count) {
		text_append(err, "the new image would exceed 2^32 sectors (8 TiB), the most UDF "
			    "descriptors can address");
		return -1;
	}
	for (size_t i = 0; i < job->file_count; i++) {
		const struct udfpatch_file *file = &job->files[i];
		uint64_t blocks = (file->size + UDF_SECTOR - 1) / UDF_SECTOR;

		if (file->lba < vol->part_start || file->lba > new_end ||
		    blocks > new_end - file->lba) {
			text_appendf(err, "%s: its new data (sectors %" PRIu64 " to %" PRIu64 ") "
				     "do not lie in the UDF partition as extended (sectors %" PRIu32
				     " to %" PRIu64 ")", file->path, file->lba, file->lba + blocks,
				     vol->part_start, new_end);
			return -1;
		}
	}
	return 0;
}

static bool in_new_file(const struct udfpatch_job *job, uint64_t sector)
{
	for (size_t i = 0; i < job->file_count; i++) {
		uint64_t blocks = (job->files[i].size + UDF_SECTOR - 1) / UDF_SECTOR;

		if (sector >= job->files[i].lba && sector - job->files[i].lba < blocks)
			return true;
	}
	return false;
}

/* Old anchors near the old end: each is cleared, so no reader finds a
 * stale pointer to the old reserve sequence inside the grown image. */
static int find_old_anchors(int fd, const struct udfpatch_job *job, uint64_t old_end,
			    uint64_t *stale, size_t *count, struct text *err)
{
	uint64_t first = old_end > ANCHOR_SECTOR + ANCHOR_WINDOW ? old_end - ANCHOR_WINDOW
								 : ANCHOR_SECTOR + 1;
	uint8_t block[UDF_SECTOR];

	*count = 0;
	for (uint64_t sector = first; sector < old_end; sector++) {
		const char *why = NULL;
		int rc;

		if (in_new_file(job, sector))
			continue;
		rc = read_sector(fd, sector, block, "the old anchors", err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		if (udf_tag_check(block, UDF_SECTOR, TAG_ANCHOR, sector, &why) == 1)
			stale[(*count)++] = sector;
	}
	return 0;
}

static int write_changes(const struct udfpatch_job *job, struct volume *vol,
			 const struct entry_patch *patches, size_t patch_count, const uint64_t *stale,
			 size_t stale_count, uint64_t *image_end, struct text *err)
{
	uint64_t part_end = (uint64_t)vol->part_start + vol->part_length;
	uint64_t new_end = job->data_end > part_end ? job->data_end : part_end;
	uint32_t part_length = (uint32_t)(new_end - vol->part_start);
	size_t reserve_count = vol->vds_count > MIN_RESERVE ? vol->vds_count : MIN_RESERVE;
	uint8_t *pd = vol->vds + vol->pd_index * UDF_SECTOR;
	uint8_t *reserve;
	uint8_t zero[UDF_SECTOR] = { 0 };
	int rc = -1;

	for (size_t i = 0; i < patch_count; i++)
		if (write_sectors(job->fd, patches[i].sector, patches[i].block, 1,
				  "a File Entry", err) < 0)
			return -1;

	put_le(pd + 192, part_length, 4);
	udf_tag_seal(pd, (uint32_t)(vol->vds_sector + vol->pd_index));

	/* The reserve: the main sequence as it now is, each descriptor
	 * naming its new sector; unrecorded (zero) sectors fill it up. */
	reserve = calloc(reserve_count, UDF_SECTOR);
	if (!reserve) {
		text_append(err, "out of memory");
		return -1;
	}
	memcpy(reserve, vol->vds, vol->vds_count * UDF_SECTOR);
	for (size_t i = 0; i < vol->vds_count; i++)
		udf_tag_seal(reserve + i * UDF_SECTOR, (uint32_t)(job->tail_start + i));
	if (write_sectors(job->fd, job->tail_start, reserve, reserve_count,
			  "the reserve volume descriptors", err) < 0)
		goto out;

	if (write_sectors(job->fd, vol->vds_sector + vol->pd_index, pd, 1,
			  "the partition descriptor", err) < 0)
		goto out;

	if (vol->has_lvid) {
		/* Both tables have one entry per partition map: map 0 is ours.
		 * Nothing in a read-only partition is free. */
		uint64_t partitions = get_le(vol->lvid + 72, 4);

		put_le(vol->lvid + 80, 0, 4);
		put_le(vol->lvid + 80 + 4 * partitions, part_length, 4);
		udf_tag_seal(vol->lvid, (uint32_t)vol->lvid_sector);
		if (write_sectors(job->fd, vol->lvid_sector, vol->lvid, 1,
				  "the integrity descriptor", err) < 0)
			goto out;
	}

	for (size_t i = 0; i < stale_count; i++)
		if (write_sectors(job->fd, stale[i], zero, 1, "an old anchor", err) < 0)
			goto out;

	/* Two anchors where readers look: 256 and the last sector. */
	*image_end = job->tail_start + reserve_count + 1;
	put_le(vol->anchor + 24, reserve_count * UDF_SECTOR, 4);
	put_le(vol->anchor + 28, job->tail_start, 4);
	udf_tag_seal(vol->anchor, (uint32_t)(*image_end - 1));
	if (write_sectors(job->fd, *image_end - 1, vol->anchor, 1, "the closing anchor",
			  err) < 0)
		goto out;
	udf_tag_seal(vol->anchor, ANCHOR_SECTOR);
	if (write_sectors(job->fd, ANCHOR_SECTOR, vol->anchor, 1, "the anchor", err) < 0)
		goto out;
	rc = 0;
out:
	free(reserve);
	return rc;
}

/* The volume, read and checked: what both planning and patching need. */
static enum udfpatch_result read_volume(const struct udfpatch_job *job, struct volume *vol,
					uint64_t *old_end, struct text *err)
{
	uint32_t integrity_length = 0, integrity_sector = 0;
	int rc;

	memset(vol, 0, sizeof(*vol));
	*old_end = job->old_end;
	if (*old_end == 0 && job->file_count > 0) {
		*old_end = UINT64_MAX;
		for (size_t i = 0; i < job->file_count; i++)
			if (job->files[i].lba < *old_end)
				*old_end = job->files[i].lba;
	}
	rc = read_anchor(job->fd, *old_end, vol, err);
	if (rc == 0)
		return UDFPATCH_NO_ANCHOR;
	if (rc < 0)
		return UDFPATCH_REFUSED;
	if (read_sequence(job->fd, vol, err) < 0 || check_partition(vol, err) < 0 ||
	    check_logical_volume(vol, &integrity_length, &integrity_sector, err) < 0 ||
	    read_integrity(job->fd, vol, integrity_length, integrity_sector, err) < 0)
		return UDFPATCH_REFUSED;
	return UDFPATCH_PATCHED;
}

enum udfpatch_result udfpatch_plan(struct udfpatch_job *job, struct text *err)
{
	struct volume vol;
	struct plan plan;
	uint64_t old_end;
	enum udfpatch_result result = read_volume(job, &vol, &old_end, err);

	if (result == UDFPATCH_PATCHED) {
		if (make_plan(job, &vol, &plan, err) < 0)
			result = UDFPATCH_REFUSED;
		else
			job->meta_sectors = plan.sectors;
		plan_free(&plan);
	}
	free(vol.vds);
	return result;
}

/* The added data and the new UDF structures lie in the partition as
 * extended, and nowhere else the patch writes. */
static int check_adds(const struct udfpatch_job *job, const struct volume *vol,
		      const struct plan *plan, uint64_t old_end, struct text *err)
{
	uint64_t part_end = (uint64_t)vol->part_start + vol->part_length;
	uint64_t new_end = job->data_end > part_end ? job->data_end : part_end;

	if (job->meta_sectors != plan->sectors) {
		text_appendf(err, "udfpatch: the job gives %" PRIu64 " sectors for the added "
			     "files' UDF structures; they need %" PRIu64, job->meta_sectors,
			     plan->sectors);
		return -1;
	}
	if (plan->sectors && (job->meta_lba < vol->part_start || job->meta_lba > new_end ||
			      plan->sectors > new_end - job->meta_lba ||
			      job->meta_lba < old_end)) {
		text_appendf(err, "udfpatch: the added files' UDF structures (sectors %" PRIu64
			     " to %" PRIu64 ") do not lie after the old image in the UDF "
			     "partition as extended (to sector %" PRIu64 ")", job->meta_lba,
			     job->meta_lba + plan->sectors, new_end);
		return -1;
	}
	for (size_t i = 0; i < job->add_count; i++) {
		const struct udfpatch_add *add = &job->adds[i];
		uint64_t blocks = (add->size + UDF_SECTOR - 1) / UDF_SECTOR;

		if (add->size && (add->lba < vol->part_start || add->lba > new_end ||
				  blocks > new_end - add->lba)) {
			text_appendf(err, "%s: its data (sectors %" PRIu64 " to %" PRIu64 ") do "
				     "not lie in the UDF partition as extended (sectors %" PRIu32
				     " to %" PRIu64 ")", add->path, add->lba, add->lba + blocks,
				     vol->part_start, new_end);
			return -1;
		}
	}
	return 0;
}

static const char *patch_path(const struct udfpatch_job *job, size_t index)
{
	return index < job->file_count ? job->files[index].path
				       : "a folder the added files go into";
}

enum udfpatch_result udfpatch_apply(struct udfpatch_job *job, struct text *err)
{
	enum udfpatch_result result;
	struct volume vol;
	struct plan plan = { 0 };
	struct entry_patch *patches = NULL;
	uint32_t *blocks = NULL;
	uint64_t *stale = NULL;
	uint8_t *meta = NULL;
	uint64_t old_end;
	size_t stale_count = 0, patch_count;

	result = read_volume(job, &vol, &old_end, err);
	if (result != UDFPATCH_PATCHED)
		goto out;
	result = UDFPATCH_REFUSED;
	if (check_job(job, &vol, old_end, err) < 0 || make_plan(job, &vol, &plan, err) < 0 ||
	    check_adds(job, &vol, &plan, old_end, err) < 0)
		goto out;

	patches = calloc(job->file_count + plan.count + 1, sizeof(*patches));
	blocks = calloc(job->file_count + plan.count + 1, sizeof(*blocks));
	stale = calloc(ANCHOR_WINDOW, sizeof(*stale));
	meta = calloc(plan.sectors + 1, UDF_SECTOR);
	if (!patches || !blocks || !stale || !meta) {
		text_append(err, "out of memory");
		goto out;
	}
	if (check_sector_256(job->fd, &vol, err) < 0 || find_entries(job, &vol, blocks, err) < 0)
		goto out;
	for (size_t i = 0; i < job->file_count; i++)
		if (patch_entry(job->fd, &vol, &job->files[i], blocks[i], FILE_TYPE_REGULAR, 0,
				&patches[i], err) < 0)
			goto out;
	patch_count = job->file_count;
	if (build_adds(job, &vol, &plan, meta, patches, blocks, &patch_count, err) < 0)
		goto out;
	for (size_t i = 0; i < patch_count; i++)
		for (size_t j = 0; j < i; j++)
			if (blocks[j] == blocks[i]) {
				text_appendf(err, "%s and %s share one File Entry; each can have "
					     "one place only", patch_path(job, j),
					     patch_path(job, i));
				goto out;
			}
	if (find_old_anchors(job->fd, job, old_end, stale, &stale_count, err) < 0)
		goto out;
	if (plan.sectors && write_sectors(job->fd, job->meta_lba, meta, (size_t)plan.sectors,
					  "the added files' UDF structures", err) < 0)
		goto out;
	if (write_changes(job, &vol, patches, patch_count, stale, stale_count, &job->image_end,
			  err) < 0)
		goto out;
	result = UDFPATCH_PATCHED;
out:
	plan_free(&plan);
	free(meta);
	free(stale);
	free(blocks);
	free(patches);
	free(vol.vds);
	return result;
}
