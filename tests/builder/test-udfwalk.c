/*
 * test-udfwalk.c - finding File Entries in small UDF partitions
 *
 * Each case lays out a partition by hand (file set descriptor, File
 * Entries, File Identifier Descriptors, from ECMA-167 and not from the
 * code under test) in a temporary file and asks udfwalk for a path:
 * names that differ only in case, two names that fold to the same, a
 * 16-bit name, a directory embedded in its File Entry, a damaged
 * identifier, a directory that contains itself; and for adding files:
 * names encoded as UDF d-strings, a directory looked up and moved to
 * another block with its identifiers resealed.  The shell tests
 * t0260-udfpatch.sh and t0225-layouts.sh walk whole images.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byteorder.h"
#include "tap.h"
#include "udfwalk.h"

#define SECTOR 2048u
#define PART 10u            /* the partition's first sector */
#define BLOCKS 40u

/* Blocks of the partition every case uses. */
#define FSD 0u
#define ROOT_FE 1u
#define ROOT_DIR 2u
#define SOURCES_FE 3u
#define SOURCES_DIR 4u
#define BOOT_FE 5u
#define BOOT_DATA 6u        /* 3 blocks */
#define OTHER_FE 9u
#define OTHER_DATA 10u

static uint8_t image[(PART + BLOCKS) * SECTOR];

static uint8_t *block_at(uint32_t block)
{
	return image + (size_t)(PART + block) * SECTOR;
}

static void put_fsd(void)
{
	uint8_t *fsd = block_at(FSD);

	put_le(fsd, 256, 2);
	put_le(fsd + 2, 2, 2);
	put_le(fsd + 400, SECTOR, 4);
	put_le(fsd + 404, ROOT_FE, 4);
	put_le(fsd + 10, 512 - 16, 2);
	udf_tag_seal(fsd, FSD);
}

/* A File Entry of type 4 (directory) or 5 (file); ad_kind 0 short_ad,
 * 3 embedded (then ads are the data). */
static void put_fe(uint32_t block, unsigned type, unsigned ad_kind, uint64_t size,
		   const uint8_t *ads, uint32_t l_ad)
{
	uint8_t *fe = block_at(block);

	memset(fe, 0, SECTOR);
	put_le(fe, 261, 2);
	put_le(fe + 2, 2, 2);
	put_le(fe + 20, 4, 2);
	fe[27] = (uint8_t)type;
	put_le(fe + 34, ad_kind, 2);
	put_le(fe + 56, size, 8);
	put_le(fe + 172, l_ad, 4);
	memcpy(fe + 176, ads, l_ad);
	put_le(fe + 10, 176 + l_ad - 16, 2);
	udf_tag_seal(fe, block);
}

static void put_short_fe(uint32_t block, unsigned type, uint64_t size, uint32_t data)
{
	uint8_t ad[8];

	put_le(ad, size, 4);
	put_le(ad + 4, data, 4);
	put_fe(block, type, 0, size, ad, 8);
}

/* One identifier at out, tagged for tag_block; name in OSTA compressed
 * Unicode (its first byte the compression id).  Its padded length. */
static size_t put_fid(uint8_t *out, uint32_t tag_block, uint8_t characteristics,
		      const char *name, size_t name_length, uint32_t icb)
{
	size_t length = 38 + name_length, padded = (length + 3) & ~(size_t)3;

	memset(out, 0, padded);
	put_le(out, 257, 2);
	put_le(out + 2, 2, 2);
	put_le(out + 16, 1, 2);
	out[18] = characteristics;
	out[19] = (uint8_t)name_length;
	put_le(out + 20, SECTOR, 4);
	put_le(out + 24, icb, 4);
	memcpy(out + 38, name, name_length);
	put_le(out + 10, padded - 16, 2);
	udf_tag_seal(out, tag_block);
	return padded;
}

static size_t put_parent(uint8_t *out, uint32_t tag_block, uint32_t parent)
{
	return put_fid(out, tag_block, 0x0A, "", 0, parent);
}

/* The standard tree: /sources/boot.wim (5000 bytes in 3 blocks) and
 * /sources/other.txt, the root and sources directories in blocks of their
 * own.  sources_names lists the identifiers after the parent's. */
struct name {
	const char *name;           /* with its compression id */
	size_t length;
	uint32_t icb;
	uint8_t characteristics;
};

static void put_tree(const struct name *names, size_t count)
{
	uint8_t *root = block_at(ROOT_DIR), *sources = block_at(SOURCES_DIR);
	size_t size;

	memset(image, 0, sizeof(image));
	put_fsd();
	size = put_parent(root, ROOT_DIR, ROOT_FE);
	size += put_fid(root + size, ROOT_DIR, 0x02, "\x08sources", 8, SOURCES_FE);
	put_short_fe(ROOT_FE, 4, size, ROOT_DIR);
	size = put_parent(sources, SOURCES_DIR, ROOT_FE);
	for (size_t i = 0; i < count; i++)
		size += put_fid(sources + size, SOURCES_DIR, names[i].characteristics,
				names[i].name, names[i].length, names[i].icb);
	put_short_fe(SOURCES_FE, 4, size, SOURCES_DIR);
	put_short_fe(BOOT_FE, 5, 5000, BOOT_DATA);
	put_short_fe(OTHER_FE, 5, 100, OTHER_DATA);
}

static const struct name usual[] = {
	{ "\x08" "boot.wim", 9, BOOT_FE, 0 },
	{ "\x08" "other.txt", 10, OTHER_FE, 0 },
};

/* 0 or -1 as udfwalk_find says; the message in err. */
static int find(const char *path, struct udfwalk_file *file, struct text *err)
{
	struct udfwalk_partition part = { .start = PART, .length = BLOCKS };
	FILE *tmp = tmpfile();
	int rc;

	text_reset(err);
	if (!tmp || fwrite(image, 1, sizeof(image), tmp) != sizeof(image) || fflush(tmp) != 0) {
		perror("test-udfwalk: temporary image");
		exit(99);
	}
	part.fd = fileno(tmp);
	rc = udfwalk_find(&part, FSD, path, file, err);
	fclose(tmp);
	return rc;
}

static void test_plain(void)
{
	struct udfwalk_file file;
	struct text err = TEXT_INIT;
	int rc;

	put_tree(usual, 2);
	tap_is_u64(find("/sources/boot.wim", &file, &err), 0, "a plain path is found");
	tap_is_u64(file.block, BOOT_FE, "its File Entry's block");
	tap_is_u64(file.size, 5000, "its size");
	tap_ok(file.extent_count == 1 && file.extents[0].lba == PART + BOOT_DATA &&
	       file.extents[0].length == 5000, "its one extent, in absolute sectors");
	udfwalk_file_free(&file);
	tap_is_u64(find("\\SOURCES\\Other.TXT", &file, &err), 0,
		   "a name differing only in case, with backslashes, is found");
	tap_is_u64(file.block, OTHER_FE, "the File Entry of that name");
	udfwalk_file_free(&file);
	rc = find("/sources/missing.wim", &file, &err);
	tap_ok(rc < 0 &&
	       strstr(text_string(&err), "/sources/missing.wim: not found"),
	       "a missing file is refused by name: %s", text_string(&err));
	rc = find("/sources", &file, &err);
	tap_ok(rc < 0 && strstr(text_string(&err), "a directory in"),
	       "a folder is not a file: %s", text_string(&err));
	rc = find("/sources/boot.wim/x", &file, &err);
	tap_ok(rc < 0 &&
	       strstr(text_string(&err), "\"boot.wim\" is a file"),
	       "a file is not a folder: %s", text_string(&err));
	text_free(&err);
}

static void test_fold(void)
{
	static const struct name folded[] = {
		{ "\x08" "BOOT.WIM", 9, OTHER_FE, 0 },
		{ "\x08" "boot.wim", 9, BOOT_FE, 0 },
	};
	static const struct name deleted[] = {
		{ "\x08" "boot.wim", 9, OTHER_FE, 0x04 },
		{ "\x08" "Boot.Wim", 9, BOOT_FE, 0 },
	};
	static const struct name wide[] = {
		{ "\x10\0b\0o\0o\0t\0.\0w\0i\0m", 17, BOOT_FE, 0 },
	};
	static const struct name latin1[] = {
		{ "\x08" "\xc9t\xe9.wim", 8, BOOT_FE, 0 },
	};
	struct udfwalk_file file;
	struct text err = TEXT_INIT;
	int rc;

	put_tree(folded, 2);
	rc = find("/sources/boot.wim", &file, &err);
	tap_ok(rc == 0 && file.block == OTHER_FE,
	       "two names folding to the same: the first in directory order, even "
	       "when the second is exact (as the listing picks)");
	udfwalk_file_free(&file);
	put_tree(deleted, 2);
	rc = find("/sources/boot.wim", &file, &err);
	tap_ok(rc == 0 && file.block == BOOT_FE,
	       "a deleted identifier is passed over");
	udfwalk_file_free(&file);
	put_tree(wide, 1);
	rc = find("/Sources/BOOT.wim", &file, &err);
	tap_ok(rc == 0 && file.block == BOOT_FE,
	       "a 16-bit name matches: %s", text_string(&err));
	udfwalk_file_free(&file);
	put_tree(latin1, 1);
	rc = find("/sources/\xc3\x89T\xc3\x89.WIM", &file, &err);
	tap_ok(rc == 0 && file.block == BOOT_FE,
	       "an 8-bit Latin-1 name matches a UTF-8 one in other case: %s",
	       text_string(&err));
	udfwalk_file_free(&file);
	text_free(&err);
}

static void test_embedded(void)
{
	uint8_t fids[512];
	struct udfwalk_file file;
	struct text err = TEXT_INIT;
	int rc;
	size_t size;

	put_tree(usual, 2);
	/* The sources directory moves into its File Entry; its identifiers
	 * then name that File Entry's block as their location. */
	size = put_parent(fids, SOURCES_FE, ROOT_FE);
	size += put_fid(fids + size, SOURCES_FE, 0, "\x08" "boot.wim", 9, BOOT_FE);
	memset(block_at(SOURCES_DIR), 0, SECTOR);
	put_fe(SOURCES_FE, 4, 3, size, fids, (uint32_t)size);
	rc = find("/sources/boot.wim", &file, &err);
	tap_ok(rc == 0 && file.block == BOOT_FE,
	       "a directory embedded in its File Entry is walked: %s", text_string(&err));
	udfwalk_file_free(&file);
	/* A file's bytes kept in its File Entry. */
	put_fe(BOOT_FE, 5, 3, 5, (const uint8_t *)"hello", 5);
	rc = find("/sources/boot.wim", &file, &err);
	tap_ok(rc == 0 && file.embedded &&
	       file.extent_count == 0 && file.size == 5,
	       "a file embedded in its File Entry: no extent, its size");
	udfwalk_file_free(&file);
	text_free(&err);
}

static void test_damage(void)
{
	static const struct name loop[] = {
		{ "\x08" "again", 6, SOURCES_FE, 0x02 },
	};
	struct udfwalk_file file;
	struct text err = TEXT_INIT;
	int rc;
	uint8_t *fid;

	put_tree(usual, 2);
	fid = block_at(SOURCES_DIR) + 40;      /* after the parent's (40 bytes) */
	fid[40] ^= 1;                          /* a byte of the name */
	rc = find("/sources/other.txt", &file, &err);
	tap_ok(rc < 0 &&
	       strstr(text_string(&err), "File Identifier Descriptor at sector 14: its CRC "
		      "does not match"),
	       "a damaged identifier is refused, named with its sector: %s",
	       text_string(&err));

	put_tree(usual, 2);
	fid = block_at(SOURCES_DIR) + 40;
	put_le(fid + 36, 4000, 2);             /* L_IU past the directory */
	udf_tag_seal(fid, SOURCES_DIR);
	rc = find("/sources/boot.wim", &file, &err);
	tap_ok(rc < 0 &&
	       strstr(text_string(&err), "runs past the directory's end"),
	       "an identifier longer than its directory is refused: %s", text_string(&err));

	put_tree(usual, 2);
	put_le(block_at(SOURCES_DIR) + 12, SOURCES_DIR + 1, 4);
	udf_tag_seal(block_at(SOURCES_DIR), SOURCES_DIR + 1);
	rc = find("/sources/boot.wim", &file, &err);
	tap_ok(rc < 0 &&
	       strstr(text_string(&err), "names another block as its location"),
	       "an identifier tagged for another block is refused: %s", text_string(&err));

	put_tree(usual, 2);
	put_short_fe(BOOT_FE, 5, 5000, BLOCKS - 1);
	rc = find("/sources/boot.wim", &file, &err);
	tap_ok(rc < 0 &&
	       strstr(text_string(&err), "outside the partition"),
	       "a file extent past the partition is refused: %s", text_string(&err));

	put_tree(loop, 1);
	rc = find("/sources/again/again/boot.wim", &file, &err);
	tap_ok(rc < 0 &&
	       strstr(text_string(&err), "contains itself"),
	       "a directory that contains itself is refused: %s", text_string(&err));
	text_free(&err);
}

static void test_names(void)
{
	uint8_t out[255];
	char long_name[300];
	size_t n;

	n = udfwalk_name_encode("boot.wim", 8, out);
	tap_ok(n == 9 && out[0] == 8 && memcmp(out + 1, "boot.wim", 8) == 0,
	       "an ASCII name: compression id 8, one byte a character");
	n = udfwalk_name_encode("A\xC3\xA9", 3, out);
	tap_ok(n == 3 && out[0] == 8 && out[1] == 'A' && out[2] == 0xE9,
	       "a Latin-1 name stays 8-bit");
	n = udfwalk_name_encode("\xCE\xA9x", 3, out);
	tap_ok(n == 5 && out[0] == 16 && out[1] == 0x03 && out[2] == 0xA9 && out[3] == 0 &&
	       out[4] == 'x', "a name past Latin-1: compression id 16, big-endian UCS-2");
	tap_is_u64(udfwalk_name_encode("a\xFF", 2, out), 0, "bytes that are not UTF-8 are refused");
	tap_is_u64(udfwalk_name_encode("\xF0\x9F\x98\x80", 4, out), 0,
		   "a character past U+FFFF is refused");
	tap_is_u64(udfwalk_name_encode("", 0, out), 0, "an empty name is refused");
	memset(long_name, 'a', sizeof(long_name));
	tap_is_u64(udfwalk_name_encode(long_name, 254, out), 255, "254 8-bit characters fit");
	tap_is_u64(udfwalk_name_encode(long_name, 255, out), 0, "255 do not");
	tap_ok(udfwalk_names_equal("Windows6.1-KB4490628-x64.cab", 28,
				   "WINDOWS6.1-kb4490628-X64.CAB", 28),
	       "names equal but for case are equal");
	tap_ok(!udfwalk_names_equal("a.cab", 5, "b.cab", 5), "other names are not");
}

/* The image in a temporary file, as a partition: fclose it after. */
static FILE *open_part(struct udfwalk_partition *part)
{
	FILE *tmp = tmpfile();

	if (!tmp || fwrite(image, 1, sizeof(image), tmp) != sizeof(image) || fflush(tmp) != 0) {
		perror("test-udfwalk: temporary image");
		exit(99);
	}
	part->fd = fileno(tmp);
	part->start = PART;
	part->length = BLOCKS;
	return tmp;
}

static void test_dir_move(void)
{
	struct udfwalk_partition part;
	struct udfwalk_dir dir, moved;
	struct text err = TEXT_INIT;
	uint8_t out[SECTOR];
	uint32_t root = 0, block = 0;
	bool directory = true, sealed = true;
	const char *why = NULL;
	FILE *tmp;
	int rc;

	put_tree(usual, 2);
	tmp = open_part(&part);
	tap_ok(udfwalk_root(&part, FSD, &root, &err) == 0 && root == ROOT_FE,
	       "the root's File Entry from the file set descriptor");
	rc = udfwalk_dir_read(&part, SOURCES_FE, "/sources", &dir, &err);
	tap_ok(rc == 0 && dir.size == 40 + 48 + 48, "a directory's identifiers are read: %s",
	       text_string(&err));
	rc = udfwalk_dir_lookup(&part, &dir, "/sources", "BOOT.WIM", 8, &block, &directory,
				&err);
	tap_ok(rc == 1 && block == BOOT_FE && !directory, "a name is looked up but for case");
	rc = udfwalk_dir_lookup(&part, &dir, "/sources", "nope", 4, &block, &directory, &err);
	tap_is_u64((uint64_t)rc, 0, "a name the directory lacks is not found");
	tap_is_u64(udfwalk_dir_moved_size(&dir), dir.size, "a padded stream keeps its size");
	rc = udfwalk_dir_move(&part, &dir, "/sources", 30, out, &err);
	for (uint64_t pos = 0; rc == 0 && pos < dir.size; pos += 40 + (pos ? 8 : 0))
		sealed = sealed && udf_tag_check(out + pos, 48, 257, 30, &why) == 1;
	tap_ok(rc == 0 && sealed, "moved, each identifier is sealed for its new block");
	moved = (struct udfwalk_dir){ .block = 30, .data = out, .size = dir.size };
	rc = udfwalk_dir_lookup(&part, &moved, "/sources", "other.txt", 9, &block, &directory,
				&err);
	tap_ok(rc == 1 && block == OTHER_FE, "the moved identifiers are found where they are");
	dir.data[40 + 40] ^= 1;
	rc = udfwalk_dir_move(&part, &dir, "/sources", 30, out, &err);
	tap_ok(rc < 0 && strstr(text_string(&err), "CRC does not match"),
	       "a damaged identifier is not moved: %s", text_string(&err));
	udfwalk_dir_free(&dir);
	fclose(tmp);
	text_free(&err);
}

int main(void)
{
	test_plain();
	test_fold();
	test_embedded();
	test_damage();
	test_names();
	test_dir_move();
	return tap_done();
}
