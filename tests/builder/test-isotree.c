/*
 * test-isotree.c - ISO 9660 and Joliet trees: names, order, records, tables
 *
 * Builds small trees with isotree_build and reads what it wrote with a
 * reader written here from ECMA-119 (not the code under test): the
 * names each tree gives, their order, multi-extent records, the path
 * tables, the refusals.  The shell test t0250-isotree.sh checks a whole
 * image with other programs' readers.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "isotree.h"
#include "tap.h"

#define SECTOR 2048u
#define START 1000u         /* where the trees are to be written, in sectors */

static const uint8_t when[7] = { 124, 3, 15, 12, 30, 45, 4 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[1] | p[0] << 8);
}

/* One directory record as a reader sees it. */
struct rec {
	char name[512];             /* primary: as is; Joliet: UTF-8 of the UCS-2 */
	uint32_t lba, length;
	uint8_t flags;
	bool both_endian_ok, date_ok;
};

/* UCS-2 big-endian to UTF-8 (BMP only: that is all Joliet holds). */
static void ucs2_to_utf8(const uint8_t *p, size_t bytes, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i + 1 < bytes; i += 2) {
		unsigned c = (unsigned)p[i] << 8 | p[i + 1];

		if (c < 0x80) {
			out[n++] = (char)c;
		} else if (c < 0x800) {
			out[n++] = (char)(0xc0 | c >> 6);
			out[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[n++] = (char)(0xe0 | c >> 12);
			out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
			out[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[n] = '\0';
}

/*
 * The records of the folder at lba (size bytes), "." and ".." included;
 * false when a record crosses a sector or runs past the folder.
 */
static bool read_dir(const struct isotree_output *out, uint32_t lba, uint32_t size, bool joliet,
		     struct rec *recs, size_t max, size_t *count)
{
	const uint8_t *dir;
	size_t off = 0;

	*count = 0;
	if (lba < START || (uint64_t)(lba - START) * SECTOR + size > out->size || size % SECTOR)
		return false;
	dir = out->data + (size_t)(lba - START) * SECTOR;
	while (off < size) {
		const uint8_t *r = dir + off;
		struct rec *rec;

		if (r[0] == 0) {
			off = (off / SECTOR + 1) * SECTOR;
			continue;
		}
		if (off % SECTOR + r[0] > SECTOR || r[0] < 34 || 33u + r[32] > r[0] || *count == max)
			return false;
		rec = &recs[(*count)++];
		rec->lba = le32(r + 2);
		rec->length = le32(r + 10);
		rec->flags = r[25];
		rec->both_endian_ok = be32(r + 6) == rec->lba && be32(r + 14) == rec->length &&
			le16(r + 28) == 1 && be16(r + 30) == 1 && r[1] == 0 && r[26] == 0 &&
			r[27] == 0 && r[0] % 2 == 0;
		rec->date_ok = memcmp(r + 18, when, 7) == 0;
		if (r[32] == 1 && (r[33] == 0 || r[33] == 1))
			strcpy(rec->name, r[33] ? ".." : ".");
		else if (joliet)
			ucs2_to_utf8(r + 33, r[32], rec->name);
		else {
			memcpy(rec->name, r + 33, r[32]);
			rec->name[r[32]] = '\0';
		}
		off += r[0];
	}
	return true;
}

static bool build(const struct isotree_file *files, size_t file_count, const char *const *dirs,
		  size_t dir_count, struct isotree_output *out, const char **why)
{
	struct isotree_input in = {
		.files = files, .file_count = file_count, .dirs = dirs, .dir_count = dir_count,
		.joliet = true,
	};

	memcpy(in.recorded, when, 7);
	*why = "";
	return isotree_build(&in, START, out, why) == 0;
}

/* The root's names in one tree, joined by '|', "." and ".." left out. */
static void root_names(const struct isotree_output *out, bool joliet, char *joined, size_t size)
{
	const struct isotree_tree *tree = joliet ? &out->joliet : &out->primary;
	static struct rec recs[4096];
	size_t count;

	joined[0] = '\0';
	if (!read_dir(out, le32(tree->root_record + 2), le32(tree->root_record + 10), joliet,
		      recs, 4096, &count)) {
		snprintf(joined, size, "(unreadable)");
		return;
	}
	for (size_t i = 2; i < count; i++) {
		if (i > 2)
			strncat(joined, "|", size - strlen(joined) - 1);
		strncat(joined, recs[i].name, size - strlen(joined) - 1);
	}
}

/* Ten bytes at sector 50: where a small file's data lie does not matter here. */
static const struct iso_extent one_sector = { 50, 10 };

static void test_names(void)
{
	static const char *const dirs[] = { "/sub.dir.x", "/dir.", "/en-us" };
	struct isotree_file files[] = {
		{ "/README", 10, &one_sector, 1 },
		{ "/my file.v1.2.txt", 10, &one_sector, 1 },
		{ "/.hidden", 10, &one_sector, 1 },
		{ "/foo.", 10, &one_sector, 1 },
		{ "/\xc3\xa9.txt", 10, &one_sector, 1 },               /* é.txt */
		{ "/Long_Name_Over_Thirty_One_Characters_Is_Here.efi", 10, &one_sector, 1 },
	};
	struct isotree_output out;
	const char *why;
	bool done;
	char names[4096];

	done = build(files, 6, dirs, 3, &out, &why);
	if (!tap_ok(done, "names: built (%s)", why))
		return;
	root_names(&out, false, names, sizeof(names));
	/* 9.3 order: name then extension, each padded with spaces. */
	tap_is_str(names, ".HIDDEN;1|DIR_|EN_US|FOO_.;1|"
		   "LONG_NAME_OVER_THIRTY_ONE_CHARACTERS_IS_HERE.EFI;1|MY_FILE_V1_2.TXT;1|"
		   "README.;1|SUB_DIR.X|_.TXT;1",
		   "primary: upper case, '_' for others, one '.', \"NAME.;1\", full length");
	root_names(&out, true, names, sizeof(names));
	tap_is_str(names, ".hidden|Long_Name_Over_Thirty_One_Characters_Is_Here.efi|README|"
		   "dir.|en-us|foo.|my file.v1.2.txt|sub.dir.x|\xc3\xa9.txt",
		   "Joliet: the names as given, no \";1\", by UCS-2 code units");
	isotree_output_free(&out);
}

static void test_joliet_chars(void)
{
	struct isotree_file files[] = {
		{ "/a:b*c?.txt", 10, &one_sector, 1 },
		{ "/\xf0\x9f\x98\x80.txt", 10, &one_sector, 1 },         /* U+1F600 */
		{ "/\xff" "x.txt", 10, &one_sector, 1 },                 /* not UTF-8 */
		{ "/\xc4\xaa.txt", 10, &one_sector, 1 },                 /* U+012A, low byte '*' */
		{ "/semi;colon", 10, &one_sector, 1 },
	};
	struct isotree_output out;
	const char *why;
	bool done;
	char names[4096];

	done = build(files, 5, NULL, 0, &out, &why);
	if (!tap_ok(done, "Joliet characters: built (%s)", why))
		return;
	root_names(&out, true, names, sizeof(names));
	tap_is_str(names, "_.txt|_x.txt|a_b_c_.txt|semi_colon|\xc4\xaa.txt",
		   "Joliet: * : ? ; and characters past the BMP or not UTF-8 become '_'");
	root_names(&out, false, names, sizeof(names));
	/* U+012A sorts before U+1F600 by bytes: it keeps "_.TXT". */
	tap_is_str(names, "A_B_C_.TXT;1|SEMI_COLON.;1|_.TXT;1|_X.TXT;1|__1.TXT;1",
		   "primary: one '_' per character");
	isotree_output_free(&out);
}

static void test_collisions(void)
{
	static const char *const dirs[] = { "/readme" };
	struct isotree_file files[] = {
		{ "/a_b.txt", 10, &one_sector, 1 },
		{ "/A+B.txt", 10, &one_sector, 1 },
		{ "/a-b.txt", 10, &one_sector, 1 },
		{ "/A_B_1.txt", 10, &one_sector, 1 },
		{ "/Mixed.txt", 10, &one_sector, 1 },
		{ "/mixed.TXT", 10, &one_sector, 1 },
		{ "/README", 10, &one_sector, 1 },
	};
	struct isotree_output out, again;
	const char *why;
	bool done;
	char names[4096], names2[4096];

	done = build(files, 7, dirs, 1, &out, &why);
	if (!tap_ok(done, "collisions: built (%s)", why))
		return;
	root_names(&out, false, names, sizeof(names));
	/* By name: A+B.txt keeps A_B.TXT, A_B_1.txt its own; a-b.txt finds
	 * _1 taken and gets _2, a_b.txt the next, _3.  The folder readme
	 * would read as the file README: it is renamed too. */
	tap_is_str(names, "A_B.TXT;1|A_B_1.TXT;1|A_B_2.TXT;1|A_B_3.TXT;1|MIXED.TXT;1|"
		   "MIXED_1.TXT;1|README.;1|README_1",
		   "primary collisions: the first by name keeps it, others get _N");
	root_names(&out, true, names, sizeof(names));
	tap_is_str(names, "A+B.txt|A_B_1.txt|Mixed.txt|README|a-b.txt|a_b.txt|mixed_1.TXT|readme_1",
		   "Joliet collisions: only names equal without regard to case");
	/* Another input order: the same names. */
	struct isotree_file reversed[7];
	for (size_t i = 0; i < 7; i++)
		reversed[i] = files[6 - i];
	if (tap_ok(build(reversed, 7, dirs, 1, &again, &why), "collisions, reversed: built")) {
		root_names(&out, false, names, sizeof(names));
		root_names(&again, false, names2, sizeof(names2));
		tap_is_str(names2, names, "the renaming does not depend on input order");
		isotree_output_free(&again);
	}
	isotree_output_free(&out);
}

static void test_lengths(void)
{
	char at_limit[256], past_limit[256], long1[256], long2[256];
	char want_joliet[512], want_primary[256];
	struct isotree_output out;
	const char *why;
	bool done;
	char names[8192];

	/* "/" + 196 + ".x" = "NAME.X;1" of 200 bytes. */
	memset(at_limit, 'n', sizeof(at_limit));
	at_limit[0] = '/';
	strcpy(at_limit + 197, ".x");
	memset(past_limit, 'n', sizeof(past_limit));
	past_limit[0] = '/';
	strcpy(past_limit + 198, ".x");
	memset(long1, 'j', sizeof(long1));
	long1[0] = '/';
	strcpy(long1 + 141, "1.txt");
	memset(long2, 'j', sizeof(long2));
	long2[0] = '/';
	strcpy(long2 + 141, "2.txt");

	struct isotree_file ok_files[] = {
		{ at_limit, 10, &one_sector, 1 },
		{ long1, 10, &one_sector, 1 },
		{ long2, 10, &one_sector, 1 },
	};
	done = build(ok_files, 3, NULL, 0, &out, &why);
	if (tap_ok(done, "a 200-byte identifier: built (%s)", why)) {
		root_names(&out, false, names, sizeof(names));
		memset(want_primary, 'N', 196);
		strcpy(want_primary + 196, ".X;1");
		tap_ok(strstr(names, want_primary) != NULL, "the 200-byte name is kept whole");
		root_names(&out, true, names, sizeof(names));
		/* 103 characters: 99 + ".txt", the second by name with "_1"
		 * in its base (and first in order: '_' is below 'j'). */
		memset(want_joliet, 'j', 97);
		strcpy(want_joliet + 97, "_1.txt|");
		memset(want_joliet + 104, 'j', 99);
		strcpy(want_joliet + 203, ".txt|");
		memset(want_joliet + 208, 'n', 101);
		strcpy(want_joliet + 309, ".x");
		tap_is_str(names, want_joliet,
			   "Joliet: cut to 103 characters, extension kept, cut names made unique");
		isotree_output_free(&out);
	}
	struct isotree_file bad = { past_limit, 10, &one_sector, 1 };
	done = !build(&bad, 1, NULL, 0, &out, &why) && strstr(why, "200") &&
	       out.why_path == past_limit && !out.data;
	tap_ok(done, "a 201-byte identifier is refused, the path named (%s)", why);
}

static void test_multi_extent(void)
{
	/* 5 GiB in one run, then 100 bytes elsewhere: three records. */
	const struct iso_extent extents[] = { { 100, 5ull << 30 }, { 10000000, 100 } };
	struct isotree_file files[] = {
		{ "/sources/install.wim", (5ull << 30) + 100, extents, 2 },
		{ "/sources/ei.cfg", 0, NULL, 0 },
	};
	struct isotree_output out;
	struct rec recs[16], root[8];
	const char *why;
	bool done;
	size_t count, root_count;

	done = build(files, 2, NULL, 0, &out, &why);
	if (!tap_ok(done, "multi-extent: built (%s)", why))
		return;
	if (!tap_ok(read_dir(&out, le32(out.primary.root_record + 2),
			     le32(out.primary.root_record + 10), false, root, 8, &root_count) &&
		    root_count == 3, "the root holds SOURCES") ||
	    !tap_ok(read_dir(&out, root[2].lba, root[2].length, false, recs, 16, &count) &&
		    count == 6, "SOURCES holds ., .., one empty file, three pieces")) {
		isotree_output_free(&out);
		return;
	}
	tap_is_str(recs[2].name, "EI.CFG;1", "the empty file first");
	tap_ok(recs[2].lba == 0 && recs[2].length == 0 && recs[2].flags == 0,
	       "the empty file: LBA 0, length 0");
	tap_ok(!strcmp(recs[3].name, "INSTALL.WIM;1") && !strcmp(recs[4].name, "INSTALL.WIM;1") &&
	       !strcmp(recs[5].name, "INSTALL.WIM;1"), "three records of one name");
	tap_is_u64(recs[3].lba, 100, "piece 1 at the extent's start");
	tap_is_u64(recs[3].length, 0xFFFFF800u, "piece 1: the largest whole-sector piece");
	tap_is_u64(recs[3].flags, 0x80, "piece 1: multi-extent");
	tap_is_u64(recs[4].lba, 100 + 0xFFFFF800u / SECTOR, "piece 2 right after it");
	tap_is_u64(recs[4].length, (5ull << 30) - 0xFFFFF800u, "piece 2: the rest of extent 1");
	tap_is_u64(recs[4].flags, 0x80, "piece 2: multi-extent");
	tap_is_u64(recs[5].lba, 10000000, "piece 3: the second extent");
	tap_is_u64(recs[5].length, 100, "piece 3: its length");
	tap_is_u64(recs[5].flags, 0, "the last piece: not multi-extent");
	bool all_ok = true;
	for (size_t i = 0; i < count; i++)
		all_ok = all_ok && recs[i].both_endian_ok && recs[i].date_ok;
	tap_ok(all_ok, "both-endian fields, sequence number 1, the date, even lengths");
	tap_ok(recs[0].lba == root[2].lba && recs[1].lba == root[0].lba && recs[0].flags == 2 &&
	       recs[1].flags == 2, "\".\" is SOURCES, \"..\" the root");
	tap_ok(root[0].lba == root[1].lba && root[0].length == root[1].length,
	       "the root's \"..\" is itself");
	isotree_output_free(&out);
}

static void test_extent_refusals(void)
{
	const struct iso_extent partial[] = { { 100, 1000 }, { 200, 2048 } };
	const struct iso_extent far[] = { { 0x100000000ull, 2048 } };
	const struct iso_extent crossing[] = { { 0xFFFFFF00ull, 0x100000000ull } };
	struct isotree_file file = { "/f", 3048, partial, 2 };
	struct isotree_output out;
	const char *why;
	bool done;

	done = !build(&file, 1, NULL, 0, &out, &why) && strstr(why, "whole number of sectors");
	tap_ok(done, "an extent before the last ending inside a sector: refused (%s)", why);
	file.size = 3000;
	file.extent_count = 1;
	done = !build(&file, 1, NULL, 0, &out, &why) && strstr(why, "sum");
	tap_ok(done, "a size that is not the extents' sum: refused (%s)", why);
	file = (struct isotree_file){ "/f", 2048, far, 1 };
	done = !build(&file, 1, NULL, 0, &out, &why) && strstr(why, "32-bit");
	tap_ok(done, "an extent past sector 2^32 - 1: refused (%s)", why);
	file = (struct isotree_file){ "/f", 0x100000000ull, crossing, 1 };
	done = !build(&file, 1, NULL, 0, &out, &why) && strstr(why, "32-bit");
	tap_ok(done, "a piece that would start past sector 2^32 - 1: refused (%s)", why);
}

static void test_path_refusals(void)
{
	static const char *const file_dir[] = { "/a/f" };
	struct isotree_file dots = { "/a/../b", 10, &one_sector, 1 };
	struct isotree_file twice[] = {
		{ "/a/f", 10, &one_sector, 1 }, { "/a//f", 10, &one_sector, 1 },
	};
	struct isotree_file under_file[] = {
		{ "/a", 10, &one_sector, 1 }, { "/a/b", 10, &one_sector, 1 },
	};
	struct isotree_file root = { "/", 10, &one_sector, 1 };
	struct isotree_output out;
	const char *why;
	bool done;

	done = !build(&dots, 1, NULL, 0, &out, &why) && out.why_path == dots.path;
	tap_ok(done, "\"..\" in a path: refused (%s)", why);
	done = !build(twice, 2, NULL, 0, &out, &why) && out.why_path == twice[1].path;
	tap_ok(done, "a file listed twice: refused (%s)", why);
	done = !build(under_file, 2, NULL, 0, &out, &why);
	tap_ok(done, "a file under a file: refused (%s)", why);
	done = !build(twice, 1, file_dir, 1, &out, &why);
	tap_ok(done, "a file that is a folder: refused (%s)", why);
	done = !build(&root, 1, NULL, 0, &out, &why);
	tap_ok(done, "a file with no name: refused (%s)", why);
}

/* Many long names in one folder: records fill sectors without crossing. */
static void test_sectors(void)
{
	enum { N = 300 };
	static char paths[N][64];
	static struct isotree_file files[N];
	static struct rec recs[N + 2];
	struct isotree_output out;
	struct rec root[4];
	const char *why;
	bool done;
	size_t count, root_count;

	for (size_t i = 0; i < N; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/d/file number %03zu with a long name.bin", i);
		files[i] = (struct isotree_file){ paths[i], 10, &one_sector, 1 };
	}
	done = build(files, N, NULL, 0, &out, &why);
	if (!tap_ok(done, "300 files: built (%s)", why))
		return;
	tap_ok(read_dir(&out, le32(out.primary.root_record + 2), le32(out.primary.root_record + 10),
			false, root, 4, &root_count) && root_count == 3, "the root holds D");
	done = read_dir(&out, root[2].lba, root[2].length, false, recs, N + 2, &count) &&
	       count == N + 2;
	tap_ok(done, "every record read, none crossing a sector (%zu)", count);
	tap_ok(root[2].length > SECTOR && root[2].length % SECTOR == 0,
	       "the folder spans whole sectors (%u bytes)", root[2].length);
	tap_is_str(recs[2].name, "FILE_NUMBER_000_WITH_A_LONG_NAME.BIN;1", "first in order");
	tap_is_str(recs[N + 1].name, "FILE_NUMBER_299_WITH_A_LONG_NAME.BIN;1", "last in order");
	tap_ok(read_dir(&out, le32(out.joliet.root_record + 2), le32(out.joliet.root_record + 10),
			true, root, 4, &root_count) && root_count == 3 &&
	       read_dir(&out, root[2].lba, root[2].length, true, recs, N + 2, &count) &&
	       count == N + 2, "Joliet: every record read too (%zu)", count);
	isotree_output_free(&out);
}

/*
 * The path table: root, then level by level, by parent number, then by
 * name; L and M the same but for byte order; each folder's LBA that of
 * its "." record.
 */
static void test_path_table(void)
{
	static const char *const dirs[] = { "/b/z", "/a/y", "/a/x", "/empty" };
	struct isotree_file files[] = { { "/b/z/deep/file", 10, &one_sector, 1 } };
	static const char *const want[] = { "\1", "A", "B", "EMPTY", "X", "Y", "Z", "DEEP" };
	static const unsigned want_parent[] = { 1, 1, 1, 1, 2, 2, 3, 7 };
	struct isotree_output out;
	const char *why;
	bool done;

	done = build(files, 1, dirs, 4, &out, &why);
	if (!tap_ok(done, "path table: built (%s)", why))
		return;
	const struct isotree_tree *t = &out.primary;
	const uint8_t *l = out.data + (size_t)(t->l_path_table_lba - START) * SECTOR;
	const uint8_t *m = out.data + (size_t)(t->m_path_table_lba - START) * SECTOR;
	size_t off = 0, i = 0;
	bool ok = true;

	tap_is_u64(t->l_path_table_lba, START, "the L table first, at start_lba");
	tap_is_u64(t->m_path_table_lba, START + 1, "the M table on the next sector");
	while (off < t->path_table_size && i < 8) {
		const uint8_t *r = l + off;
		char name[64];
		struct rec recs[8];
		size_t count;

		memcpy(name, r + 8, r[0]);
		name[r[0]] = '\0';
		if (i == 0)
			strcpy(name, r[8] == 0 && r[0] == 1 ? "\1" : "?");
		ok = ok && !strcmp(name, want[i]) && le16(r + 6) == want_parent[i] &&
			m[off] == r[0] && memcmp(m + off + 8, r + 8, r[0]) == 0 &&
			be32(m + off + 2) == le32(r + 2) && be16(m + off + 6) == le16(r + 6);
		ok = ok && read_dir(&out, le32(r + 2), SECTOR, false, recs, 8, &count) &&
			count >= 2 && recs[0].lba == le32(r + 2);
		if (!ok)
			tap_diag("path table record %zu: \"%s\", parent %u", i, name, le16(r + 6));
		off += 8u + r[0] + r[0] % 2;
		i++;
	}
	tap_ok(ok && i == 8 && off == t->path_table_size,
	       "8 folders in path table order, L and M agree, LBAs are the folders'");
	tap_ok(le32(t->root_record + 2) == le32(l + 2) && t->root_record[0] == 34 &&
	       t->root_record[32] == 1 && t->root_record[33] == 0 && t->root_record[25] == 2,
	       "the descriptor's root record: 34 bytes, name 0x00, the root's LBA");
	tap_ok(out.joliet.l_path_table_lba > t->m_path_table_lba &&
	       out.size % SECTOR == 0, "Joliet's tables after the primary folders");
	isotree_output_free(&out);
}

static void test_limits(void)
{
	struct isotree_file file = { "/f", 10, &one_sector, 1 };
	struct isotree_input in = { .files = &file, .file_count = 1 };
	struct isotree_output out;
	const char *why = "";
	bool done;

	/* Three sectors: L table, M table, the root. */
	done = isotree_build(&in, UINT32_MAX - 1, &out, &why) < 0 && strstr(why, "32-bit");
	tap_ok(done, "trees that would end past sector 2^32 - 1: refused (%s)", why);
	tap_ok(isotree_build(&in, UINT32_MAX - 2, &out, &why) == 0 && out.size == 3 * SECTOR,
	       "trees that end at sector 2^32 - 1: built");
	isotree_output_free(&out);
	tap_ok(out.joliet.path_table_size == 0, "no Joliet tree unless asked");
}

/* 65536 folders: one more than path tables can number; 65535 is fine. */
static void test_too_many_dirs(void)
{
	enum { N = 256 };
	char (*paths)[16] = malloc((size_t)N * N * sizeof(*paths));
	const char **dirs = malloc((size_t)N * N * sizeof(*dirs));
	struct isotree_input in = { 0 };
	struct isotree_output out;
	const char *why = "";
	bool done;

	if (!paths || !dirs) {
		tap_ok(false, "memory for 65536 folder names");
		free(paths);
		free(dirs);
		return;
	}
	for (size_t i = 0; i < (size_t)N * N; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/%zu/%zu", i / N, i % N);
		dirs[i] = paths[i];
	}
	in.dirs = dirs;
	in.dir_count = (size_t)N * N - N;       /* 65280 + 255 parents + root = 65536 */
	done = isotree_build(&in, START, &out, &why) < 0 && strstr(why, "65535");
	tap_ok(done, "65536 folders: refused (%s)", why);
	in.dir_count--;                         /* 65535 */
	done = isotree_build(&in, START, &out, &why) == 0;
	tap_ok(done, "65535 folders: built (%s)", why);
	isotree_output_free(&out);
	free(paths);
	free(dirs);
}

static void test_descriptor(void)
{
	uint8_t d[SECTOR], root[34] = { 34 };
	struct isotree_tree tree = { .path_table_size = 0x1234, .l_path_table_lba = 0x11223344,
				     .m_path_table_lba = 0x55667788 };
	static const uint8_t date[17] = "2024031512304500\x04";
	static const uint8_t unset[17] = "0000000000000000";
	static const uint8_t bad[17] = "2024139912304500\x04";
	uint8_t rec[7];

	memset(d, 0xee, sizeof(d));
	memcpy(tree.root_record, root, sizeof(root));
	isotree_patch_descriptor(d, &tree, 0xAABBCCDD);
	tap_ok(le32(d + 80) == 0xAABBCCDD && be32(d + 84) == 0xAABBCCDD,
	       "volume space size, both-endian at 80");
	tap_ok(le32(d + 132) == 0x1234 && be32(d + 136) == 0x1234, "path table size at 132");
	tap_ok(le32(d + 140) == 0x11223344 && le32(d + 144) == 0, "L path table at 140, none at 144");
	tap_ok(be32(d + 148) == 0x55667788 && be32(d + 152) == 0, "M path table at 148, none at 152");
	tap_ok(memcmp(d + 156, root, 34) == 0 && d[79] == 0xee && d[88] == 0xee &&
	       d[131] == 0xee && d[190] == 0xee,
	       "the root record at 156..189, nothing else touched");

	isotree_record_date(date, rec);
	tap_ok(memcmp(rec, when, 7) == 0, "2024-03-15 12:30:45 +01:00 as 124,3,15,12,30,45,4");
	memset(rec, 0xee, 7);
	isotree_record_date(unset, rec);
	tap_ok(memcmp(rec, "\0\0\0\0\0\0\0", 7) == 0, "an unset date: zeros");
	isotree_record_date(bad, rec);
	tap_ok(memcmp(rec, "\0\0\0\0\0\0\0", 7) == 0, "month 13: zeros");
}

int main(void)
{
	test_names();
	test_joliet_chars();
	test_collisions();
	test_lengths();
	test_multi_extent();
	test_extent_refusals();
	test_path_refusals();
	test_sectors();
	test_path_table();
	test_limits();
	test_too_many_dirs();
	test_descriptor();
	return tap_done();
}
