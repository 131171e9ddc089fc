/*
 * udfwalk.c - find a file's File Entry in a UDF file system
 *
 * ECMA-167 3rd edition / OSTA UDF 1.02-2.60 structures read here (offsets
 * in bytes, integers little-endian):
 *
 *   file set (256)     400 root directory ICB (long_ad)
 *   file entry (261)   16 ICB tag (20 strategy, 27 file type, 34 flags:
 *                      the low 3 bits say the allocation descriptor kind),
 *                      56 information length, 168 L_EA, 172 L_AD, 176
 *                      extended attributes then allocation descriptors
 *   extended (266)     the same, but L_EA at 208, L_AD at 212, data at 216
 *   identifier (257)   18 characteristics (2 directory, 4 deleted, 8
 *                      parent), 19 L_FI, 20 ICB (long_ad), 36 L_IU, 38
 *                      implementation use then the name (OSTA compressed
 *                      Unicode: a compression id of 8 or 16, then 8- or
 *                      16-bit big-endian characters), padded to 4 bytes
 *   short_ad           0 length (top 2 bits: extent type), 4 block
 *   long_ad            the same, then 8 partition reference
 *
 * libudfread reads the same structures for the listing, but it neither
 * says where a File Entry lies nor writes one: the patch needs both, so
 * it walks the tree itself, and the two readers are compared afterwards.
 *
 * SPDX-License-Identifier: MIT
 */
#include "udfwalk.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byteorder.h"

/* Deeper than any Windows medium's tree. */
#define MAX_DEPTH 32u
/* A directory larger than this is damage (Windows media: well under 1 MiB). */
#define MAX_DIRECTORY (64u << 20)
/* More allocation descriptors than a File Entry's sector can hold. */
#define MAX_ADS ((UDF_SECTOR - 176) / 8)

static uint16_t crc_ccitt(const uint8_t *p, size_t n)
{
	uint16_t crc = 0;

	while (n--) {
		crc ^= (uint16_t)(*p++ << 8);
		for (int bit = 0; bit < 8; bit++)
			crc = crc & 0x8000 ? (uint16_t)(crc << 1 ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

static uint8_t tag_checksum(const uint8_t *tag)
{
	unsigned sum = 0;

	for (unsigned i = 0; i < UDF_TAG_SIZE; i++)
		if (i != 4)
			sum += tag[i];
	return (uint8_t)sum;
}

int udf_tag_check(const uint8_t *desc, size_t avail, uint16_t id, uint64_t location,
		  const char **why)
{
	size_t crc_length;

	if (avail < UDF_TAG_SIZE || get_le(desc, 2) != id || tag_checksum(desc) != desc[4])
		return 0;
	crc_length = (size_t)get_le(desc + 10, 2);
	if (crc_length > avail - UDF_TAG_SIZE) {
		*why = "its CRC length runs past the descriptor";
		return -1;
	}
	if (crc_ccitt(desc + UDF_TAG_SIZE, crc_length) != get_le(desc + 8, 2)) {
		*why = "its CRC does not match";
		return -1;
	}
	if (get_le(desc + 12, 4) != location) {
		*why = "it names another block as its location";
		return -1;
	}
	return 1;
}

void udf_tag_seal(uint8_t *desc, uint32_t location)
{
	size_t crc_length = (size_t)get_le(desc + 10, 2);

	if (crc_length > UDF_SECTOR - UDF_TAG_SIZE)
		crc_length = UDF_SECTOR - UDF_TAG_SIZE;
	put_le(desc + 12, location, 4);
	put_le(desc + 8, crc_ccitt(desc + UDF_TAG_SIZE, crc_length), 2);
	desc[4] = tag_checksum(desc);
}

/* What a File Entry (or Extended File Entry) says, checked. */
struct entry {
	uint32_t block;
	uint8_t sector[UDF_SECTOR];
	unsigned file_type;
	unsigned ad_kind;
	uint64_t size;
	const uint8_t *ads;         /* inside sector */
	uint32_t ad_length;
};

/* One allocation descriptor: an extent of the partition. */
struct extent {
	uint32_t block;
	uint32_t length;            /* bytes */
};

struct walk {
	const struct udfwalk_partition *part;
	const char *path;           /* for messages */
	struct text *err;
};

static int damaged(struct walk *walk, const char *what, uint64_t sector, const char *why)
{
	text_appendf(walk->err, "%s: the UDF file system is damaged: %s at sector %" PRIu64
		     ": %s", walk->path, what, sector, why);
	return -1;
}

static int read_block(struct walk *walk, uint32_t block, uint8_t *out, const char *what)
{
	uint64_t sector = (uint64_t)walk->part->start + block;
	size_t done = 0;

	if (block >= walk->part->length) {
		text_appendf(walk->err, "%s: the UDF file system is damaged: %s (block %" PRIu32
			     ") lies outside its partition (%" PRIu32 " blocks)", walk->path,
			     what, block, walk->part->length);
		return -1;
	}
	while (done < UDF_SECTOR) {
		ssize_t n = pread(walk->part->fd, out + done, UDF_SECTOR - done,
				  (off_t)(sector * UDF_SECTOR + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			text_appendf(walk->err, "cannot read %s (sector %" PRIu64 "): %s", what,
				     sector, strerror(errno));
			return -1;
		}
		if (n == 0)
			return damaged(walk, what, sector, "it lies past the image's end");
		done += (size_t)n;
	}
	return 0;
}

static int read_entry(struct walk *walk, uint32_t block, struct entry *entry)
{
	uint8_t *fe = entry->sector;
	uint64_t sector = (uint64_t)walk->part->start + block;
	const char *why = NULL;
	unsigned base, strategy;
	uint64_t l_ea, l_ad;
	uint16_t id;
	int rc;

	if (read_block(walk, block, fe, "a File Entry") < 0)
		return -1;
	id = get_le(fe, 2) == TAG_EXTENDED_FILE_ENTRY ? TAG_EXTENDED_FILE_ENTRY : TAG_FILE_ENTRY;
	rc = udf_tag_check(fe, UDF_SECTOR, id, block, &why);
	if (rc <= 0)
		return damaged(walk, "a File Entry", sector, rc < 0 ? why : "there is none");
	base = id == TAG_EXTENDED_FILE_ENTRY ? 216 : 176;
	l_ea = get_le(fe + base - 8, 4);
	l_ad = get_le(fe + base - 4, 4);
	if (l_ea > UDF_SECTOR - base || l_ad > UDF_SECTOR - base - l_ea)
		return damaged(walk, "a File Entry", sector, "its attributes and allocation "
			       "descriptors run past its sector");
	strategy = (unsigned)get_le(fe + 20, 2);
	if (strategy != ICB_STRATEGY_4) {
		text_appendf(walk->err, "%s: a File Entry (sector %" PRIu64 ") uses ICB strategy "
			     "%u; only strategy 4 is handled", walk->path, sector, strategy);
		return -1;
	}
	entry->block = block;
	entry->file_type = fe[27];
	entry->ad_kind = (unsigned)get_le(fe + 34, 2) & 7;
	entry->size = get_le(fe + 56, 8);
	entry->ads = fe + base + l_ea;
	entry->ad_length = (uint32_t)l_ad;
	if (entry->ad_kind == AD_EXTENDED) {
		text_appendf(walk->err, "%s: a File Entry (sector %" PRIu64 ") uses extended "
			     "allocation descriptors (ext_ad), which are not handled", walk->path,
			     sector);
		return -1;
	}
	if (entry->ad_kind > AD_EMBEDDED) {
		text_appendf(walk->err, "%s: a File Entry (sector %" PRIu64 ") uses allocation "
			     "descriptors of kind %u, which UDF does not define", walk->path,
			     sector, entry->ad_kind);
		return -1;
	}
	if (entry->ad_kind == AD_EMBEDDED && entry->size > l_ad)
		return damaged(walk, "a File Entry", sector, "it holds fewer bytes than its "
			       "information length");
	return 0;
}

/* The entry's extents, up to the first empty descriptor: *count of them,
 * covering at least its information length. */
static int entry_extents(struct walk *walk, const struct entry *entry, struct extent *out,
			 size_t *count)
{
	uint64_t sector = (uint64_t)walk->part->start + entry->block;
	unsigned size = entry->ad_kind == AD_LONG ? 16 : 8;
	uint64_t covered = 0;

	*count = 0;
	for (uint32_t pos = 0; pos + size <= entry->ad_length && covered < entry->size;
	     pos += size) {
		const uint8_t *ad = entry->ads + pos;
		uint32_t length = (uint32_t)get_le(ad, 4) & 0x3FFFFFFFu;
		unsigned type = (unsigned)(get_le(ad, 4) >> 30);
		uint32_t block = (uint32_t)get_le(ad + 4, 4);

		if (length == 0)
			break;
		if (type == 3) {
			text_appendf(walk->err, "%s: a File Entry (sector %" PRIu64 ") continues "
				     "its allocation descriptors elsewhere; that is not handled",
				     walk->path, sector);
			return -1;
		}
		if (type != 0)
			return damaged(walk, "a File Entry", sector, "an extent is not recorded");
		if (entry->ad_kind == AD_LONG && get_le(ad + 8, 2) != 0)
			return damaged(walk, "a File Entry", sector, "an extent lies in a "
				       "partition the volume does not map");
		if (block >= walk->part->length ||
		    (length - 1) / UDF_SECTOR >= walk->part->length - block)
			return damaged(walk, "a File Entry", sector, "an extent lies outside the "
				       "partition");
		out[(*count)++] = (struct extent){ block, length };
		covered += length;
	}
	if (covered < entry->size)
		return damaged(walk, "a File Entry", sector, "its extents hold fewer bytes than "
			       "its information length");
	return 0;
}

void udfwalk_dir_free(struct udfwalk_dir *dir)
{
	free(dir->data);
	free(dir->blocks);
	dir->data = NULL;
	dir->blocks = NULL;
}

static int read_directory(struct walk *walk, const struct entry *entry, struct udfwalk_dir *dir)
{
	uint64_t sector = (uint64_t)walk->part->start + entry->block;
	struct extent extents[MAX_ADS];
	size_t count, sectors = 0;

	memset(dir, 0, sizeof(*dir));
	dir->block = entry->block;
	dir->size = entry->size;
	if (entry->size > MAX_DIRECTORY)
		return damaged(walk, "a directory's File Entry", sector, "it is larger than any "
			       "real directory");
	if (entry->ad_kind == AD_EMBEDDED) {
		dir->data = malloc((size_t)entry->size + 1);
		if (!dir->data) {
			text_append(walk->err, "out of memory");
			return -1;
		}
		memcpy(dir->data, entry->ads, (size_t)entry->size);
		return 0;
	}
	if (entry_extents(walk, entry, extents, &count) < 0)
		return -1;
	sectors = (size_t)((entry->size + UDF_SECTOR - 1) / UDF_SECTOR);
	dir->data = malloc(sectors * UDF_SECTOR + 1);
	dir->blocks = calloc(sectors + 1, sizeof(*dir->blocks));
	if (!dir->data || !dir->blocks) {
		text_append(walk->err, "out of memory");
		return -1;
	}
	for (size_t i = 0, at = 0; i < count && at < sectors; i++)
		for (uint32_t k = 0; k * (uint64_t)UDF_SECTOR < extents[i].length && at < sectors;
		     k++, at++) {
			dir->blocks[at] = extents[i].block + k;
			if (read_block(walk, extents[i].block + k, dir->data + at * UDF_SECTOR,
				       "a directory") < 0)
				return -1;
		}
	return 0;
}

/* ------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------ */

/*
 * Upper case as Windows compares names, for the letters names on Windows
 * media can hold (Latin-1, Latin Extended-A, Greek, Cyrillic); Windows'
 * own table covers more, and a name outside these compares exactly.
 */
static uint32_t upcase(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
	    (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45F)
		return c - 0x50;
	if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 &&
	    c != 0x149 && c != 0x17F) {
		/* Pairs: upper even, lower odd, except 0x139-0x148 and
		 * 0x179-0x17E, where upper is odd. */
		bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);

		return (c & 1) != odd_upper ? c - 1 : c;
	}
	return c;
}

/* The next character of a UTF-8 string (a stray byte stands for itself). */
static uint32_t next_utf8(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = *s++;
	unsigned more = c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

	if (c >= 0xF8 || (c >= 0x80 && c < 0xC0))
		more = 0;
	else if (more)
		c &= 0x3F >> more;
	for (unsigned i = 0; i < more; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			c = **p;
			*p += 1;
			return c;
		}
		c = c << 6 | (s[i] & 0x3F);
	}
	*p = s + more;
	return c;
}

/* Whether the d-string name (OSTA compressed Unicode, length bytes)
 * equals the UTF-8 want but for case.  UTF-16 surrogates compare as
 * they come, each against a character of want. */
static bool name_matches(const uint8_t *name, size_t length, const char *want, size_t want_length)
{
	const unsigned char *w = (const unsigned char *)want, *end = w + want_length;
	unsigned width;

	if (length < 1 || (name[0] != 8 && name[0] != 16))
		return false;
	width = name[0] / 8;
	if ((length - 1) % width)
		return false;
	for (size_t i = 1; i < length; i += width) {
		uint32_t c = width == 1 ? name[i] : (uint32_t)name[i] << 8 | name[i + 1];

		if (w == end || upcase(c) != upcase(next_utf8(&w)))
			return false;
	}
	return w == end;
}

/* ------------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------------ */

struct found {
	uint32_t block;
	uint16_t part_ref;
	bool directory;
};

/*
 * The first identifier in dir whose name is want (length bytes) but for
 * case.  1: found; 0: none; -1: a damaged identifier (every one up to
 * the match is checked; the rest are read when their directory is the
 * listing's, not here).
 */
/* The identifier at pos of dir, checked: its length without padding in
 * *length.  0, or -1 (damaged, err says why). */
static int check_fid(struct walk *walk, const struct udfwalk_dir *dir, uint64_t pos,
		     uint64_t *length)
{
	const uint8_t *fid = dir->data + pos;
	uint32_t block = dir->blocks ? dir->blocks[pos / UDF_SECTOR] : dir->block;
	uint64_t sector = (uint64_t)walk->part->start + block;
	const char *why = NULL;
	uint64_t padded;
	int rc;

	if (dir->size - pos < FID_HEAD)
		return damaged(walk, "a directory", sector, "a File Identifier Descriptor "
			       "runs past the directory's end");
	*length = FID_HEAD + get_le(fid + 36, 2) + fid[19];
	if (*length > dir->size - pos)
		return damaged(walk, "a directory", sector, "a File Identifier Descriptor "
			       "runs past the directory's end");
	/* Writers count the padding in the CRC; the last one's may end
	 * with the directory. */
	padded = (*length + 3) & ~(uint64_t)3;
	if (padded > dir->size - pos)
		padded = dir->size - pos;
	rc = udf_tag_check(fid, (size_t)padded, TAG_IDENTIFIER, block, &why);
	if (rc <= 0)
		return damaged(walk, "a File Identifier Descriptor", sector,
			       rc < 0 ? why : "the directory holds something else there");
	return 0;
}

static int find_name(struct walk *walk, const struct udfwalk_dir *dir, const char *want,
		     size_t want_length, struct found *found)
{
	uint64_t pos = 0;

	while (pos < dir->size) {
		const uint8_t *fid = dir->data + pos;
		uint64_t length;

		if (check_fid(walk, dir, pos, &length) < 0)
			return -1;
		pos += (length + 3) & ~(uint64_t)3;
		if (fid[18] & (FID_DELETED | FID_PARENT))
			continue;
		if (!name_matches(fid + FID_HEAD + get_le(fid + 36, 2), fid[19], want,
				  want_length))
			continue;
		found->block = (uint32_t)get_le(fid + 24, 4);
		found->part_ref = (uint16_t)get_le(fid + 28, 2);
		found->directory = fid[18] & FID_DIRECTORY;
		return 1;
	}
	return 0;
}

static int root_entry(struct walk *walk, uint32_t fsd_block, uint32_t *block)
{
	uint8_t fsd[UDF_SECTOR];
	const char *why = NULL;
	int rc;

	if (read_block(walk, fsd_block, fsd, "the file set descriptor") < 0)
		return -1;
	rc = udf_tag_check(fsd, UDF_SECTOR, TAG_FILE_SET, fsd_block, &why);
	if (rc <= 0)
		return damaged(walk, "the file set descriptor",
			       (uint64_t)walk->part->start + fsd_block,
			       rc < 0 ? why : "there is none");
	if (get_le(fsd + 408, 2) != 0)
		return damaged(walk, "the file set descriptor",
			       (uint64_t)walk->part->start + fsd_block,
			       "its root directory lies in a partition the volume does not map");
	*block = (uint32_t)get_le(fsd + 404, 4);
	return 0;
}

/* The file's data, where the listing would say they are. */
static int file_extents(struct walk *walk, const struct entry *entry, struct udfwalk_file *file)
{
	struct extent extents[MAX_ADS];
	uint64_t left = entry->size;
	size_t count;

	file->size = entry->size;
	file->embedded = entry->ad_kind == AD_EMBEDDED;
	if (file->embedded || entry->size == 0)
		return 0;
	if (entry_extents(walk, entry, extents, &count) < 0)
		return -1;
	file->extents = calloc(count, sizeof(*file->extents));
	if (!file->extents) {
		text_append(walk->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < count && left > 0; i++) {
		uint64_t lba = (uint64_t)walk->part->start + extents[i].block;
		uint64_t bytes = (extents[i].length + UDF_SECTOR - 1) / UDF_SECTOR * UDF_SECTOR;
		struct iso_extent *last = file->extent_count ?
					  &file->extents[file->extent_count - 1] : NULL;

		if (bytes > left)
			bytes = left;
		if (last && last->lba + last->length / UDF_SECTOR == lba &&
		    last->length % UDF_SECTOR == 0)
			last->length += bytes;
		else
			file->extents[file->extent_count++] = (struct iso_extent){ lba, bytes };
		left -= bytes;
	}
	return 0;
}

int udfwalk_find(const struct udfwalk_partition *part, uint32_t fsd_block, const char *path,
		 struct udfwalk_file *file, struct text *err)
{
	struct walk walk = { .part = part, .path = path, .err = err };
	uint32_t visited[MAX_DEPTH + 1];
	struct found found = { .directory = true };
	struct entry *entry;
	const char *p = path, *name = path;
	size_t depth = 0, name_length = 0;
	int rc = -1;

	memset(file, 0, sizeof(*file));
	entry = malloc(sizeof(*entry));
	if (!entry) {
		text_append(err, "out of memory");
		return -1;
	}
	if (root_entry(&walk, fsd_block, &found.block) < 0)
		goto out;
	for (;;) {
		struct udfwalk_dir dir;
		size_t length;

		while (*p == '/' || *p == '\\')
			p++;
		length = strcspn(p, "/\\");
		if (length == 0)
			break;
		if (!found.directory) {
			text_appendf(err, "%s: \"%.*s\" is a file in the UDF file system, not a "
				     "directory", path, (int)name_length, name);
			goto out;
		}
		if (depth == MAX_DEPTH) {
			text_appendf(err, "%s: the path is deeper than %u folders", path, MAX_DEPTH);
			goto out;
		}
		for (size_t i = 0; i < depth; i++)
			if (visited[i] == found.block) {
				damaged(&walk, "a directory", (uint64_t)part->start + found.block,
					"it contains itself");
				goto out;
			}
		visited[depth++] = found.block;
		if (read_entry(&walk, found.block, entry) < 0)
			goto out;
		if (entry->file_type != FILE_TYPE_DIRECTORY) {
			damaged(&walk, "a directory's File Entry",
				(uint64_t)part->start + found.block, "it is not a directory's");
			goto out;
		}
		if (read_directory(&walk, entry, &dir) < 0) {
			udfwalk_dir_free(&dir);
			goto out;
		}
		rc = find_name(&walk, &dir, p, length, &found);
		udfwalk_dir_free(&dir);
		if (rc <= 0) {
			if (rc == 0)
				text_appendf(err, "%s: not found in the UDF file system", path);
			rc = -1;
			goto out;
		}
		rc = -1;
		if (found.part_ref != 0) {
			text_appendf(err, "%s: its File Entry is in partition map %u; the volume "
				     "has only map 0", path, found.part_ref);
			goto out;
		}
		name = p;
		name_length = length;
		p += length;
	}
	if (depth == 0) {
		text_appendf(err, "\"%s\" names no file", path);
		goto out;
	}
	if (found.directory) {
		text_appendf(err, "%s: a directory in the UDF file system, not a file", path);
		goto out;
	}
	if (read_entry(&walk, found.block, entry) < 0)
		goto out;
	if (entry->file_type != FILE_TYPE_REGULAR) {
		text_appendf(err, "%s: its File Entry (sector %" PRIu64 ") is of type %u, not a "
			     "plain file", path, (uint64_t)part->start + found.block,
			     entry->file_type);
		goto out;
	}
	file->block = found.block;
	file->part_ref = found.part_ref;
	if (file_extents(&walk, entry, file) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		udfwalk_file_free(file);
	free(entry);
	return rc;
}

void udfwalk_file_free(struct udfwalk_file *file)
{
	free(file->extents);
	file->extents = NULL;
	file->extent_count = 0;
}

/* ------------------------------------------------------------------------
 * Directories, for adding files
 * ------------------------------------------------------------------------ */

int udfwalk_root(const struct udfwalk_partition *part, uint32_t fsd_block, uint32_t *block,
		 struct text *err)
{
	struct walk walk = { .part = part, .path = "/", .err = err };

	return root_entry(&walk, fsd_block, block);
}

int udfwalk_dir_read(const struct udfwalk_partition *part, uint32_t block, const char *path,
		     struct udfwalk_dir *dir, struct text *err)
{
	struct walk walk = { .part = part, .path = path, .err = err };
	struct entry *entry = malloc(sizeof(*entry));
	int rc = -1;

	memset(dir, 0, sizeof(*dir));
	if (!entry) {
		text_append(err, "out of memory");
		return -1;
	}
	if (read_entry(&walk, block, entry) < 0)
		goto out;
	if (entry->file_type != FILE_TYPE_DIRECTORY) {
		damaged(&walk, "a directory's File Entry", (uint64_t)part->start + block,
			"it is not a directory's");
		goto out;
	}
	rc = read_directory(&walk, entry, dir);
out:
	if (rc < 0)
		udfwalk_dir_free(dir);
	free(entry);
	return rc;
}

int udfwalk_dir_lookup(const struct udfwalk_partition *part, const struct udfwalk_dir *dir,
		       const char *path, const char *name, size_t length, uint32_t *block,
		       bool *directory, struct text *err)
{
	struct walk walk = { .part = part, .path = path, .err = err };
	struct found found = { 0 };
	int rc = find_name(&walk, dir, name, length, &found);

	if (rc <= 0)
		return rc;
	if (found.part_ref != 0) {
		text_appendf(err, "%s: \"%.*s\" has its File Entry in partition map %u; the "
			     "volume has only map 0", path, (int)length, name, found.part_ref);
		return -1;
	}
	*block = found.block;
	*directory = found.directory;
	return 1;
}

uint64_t udfwalk_dir_moved_size(const struct udfwalk_dir *dir)
{
	return (dir->size + 3) & ~(uint64_t)3;
}

int udfwalk_dir_move(const struct udfwalk_partition *part, const struct udfwalk_dir *dir,
		     const char *path, uint32_t first, uint8_t *out, struct text *err)
{
	struct walk walk = { .part = part, .path = path, .err = err };
	uint64_t pos = 0;

	memset(out, 0, (size_t)udfwalk_dir_moved_size(dir));
	memcpy(out, dir->data, (size_t)dir->size);
	while (pos < dir->size) {
		uint8_t *fid = out + pos;
		uint64_t length, crc_length;

		if (check_fid(&walk, dir, pos, &length) < 0)
			return -1;
		/* Checked against what the directory holds; padding added
		 * here to the last one is never counted. */
		crc_length = get_le(fid + 10, 2);
		put_le(fid + 12, first + pos / UDF_SECTOR, 4);
		put_le(fid + 8, crc_ccitt(fid + UDF_TAG_SIZE, (size_t)crc_length), 2);
		fid[4] = tag_checksum(fid);
		pos += (length + 3) & ~(uint64_t)3;
	}
	return 0;
}

/* The next character of strict UTF-8, or UINT32_MAX. */
static uint32_t next_strict_utf8(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	uint32_t c = *s++;
	unsigned more = c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 && c < 0xF0 ? 2 :
			c >= 0xC2 && c < 0xE0 ? 1 : 0;

	if (c >= 0x80 && more == 0)
		return UINT32_MAX;
	if (more)
		c &= 0x3F >> more;
	if ((size_t)(end - s) < more)
		return UINT32_MAX;
	for (unsigned i = 0; i < more; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return UINT32_MAX;
		c = c << 6 | (s[i] & 0x3F);
	}
	*p = s + more;
	/* Overlong forms and surrogates are not characters. */
	if ((more == 2 && c < 0x800) || (more == 3 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return UINT32_MAX;
	return c;
}

size_t udfwalk_name_encode(const char *name, size_t length, uint8_t out[255])
{
	const unsigned char *p = (const unsigned char *)name, *end = p + length;
	unsigned width = 1;
	size_t used = 1;

	if (length == 0)
		return 0;
	while (p < end) {
		uint32_t c = next_strict_utf8(&p, end);

		if (c == UINT32_MAX || c > 0xFFFF || c == 0)
			return 0;
		if (c > 0xFF)
			width = 2;
	}
	out[0] = (uint8_t)(8 * width);
	for (p = (const unsigned char *)name; p < end;) {
		uint32_t c = next_strict_utf8(&p, end);

		if (used + width > 255)
			return 0;
		if (width == 2)
			out[used++] = (uint8_t)(c >> 8);
		out[used++] = (uint8_t)c;
	}
	return used;
}

bool udfwalk_names_equal(const char *a, size_t a_length, const char *b, size_t b_length)
{
	uint8_t encoded[255];
	size_t length = udfwalk_name_encode(a, a_length, encoded);

	return length > 0 && name_matches(encoded, length, b, b_length);
}
