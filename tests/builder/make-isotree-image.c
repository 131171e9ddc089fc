/*
 * make-isotree-image.c - a test image whose trees isotree_build wrote
 *
 *   make-isotree-image IMAGE EXPECT_DIR
 *
 * Models what `build` does: file data already lie at known sectors of an
 * image that has volume descriptors but no trees for them (a primary
 * volume descriptor at 16, a Joliet supplementary one at 17, the
 * terminator at 18); the trees are laid out after the last file and the
 * descriptors pointed at them.  The files are the awkward cases: a deep
 * path, long names, names that collide once mapped, an empty file and
 * empty folders, spaces and several dots, characters outside ASCII, a
 * folder of several sectors, and a file over 4 GiB in two extents whose
 * first needs two directory records.  The image is sparse: the big file holds zeros except for a
 * 16-byte marker at the start and end of each record's piece
 * ("P1 start" ... "P3 end", space padded).
 *
 * EXPECT_DIR gets every file's bytes under its original path (the big
 * one sparse too), for t0250-isotree.sh to compare with what other
 * programs read out of IMAGE.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "isotree.h"

#define SECTOR 2048u
#define MARKER 16u

/* The big file: 4 GiB + 8 KiB in one run (two records: 0xFFFFF800 bytes
 * and 10 KiB), then 1 MiB + 123 bytes elsewhere (a third record). */
#define BIG_A_LBA 1000u
#define BIG_A_LENGTH 0x100002000ull
#define BIG_B_LENGTH (1048576ull + 123)

struct sample {
	const char *path;
	uint64_t size;
};

/* Small files, written one after another from sector 20. */
static const struct sample samples[] = {
	{ "/README.TXT", 100 },
	{ "/bootmgr", 3000 },
	{ "/boot/bcd", 2048 },
	{ "/boot/en-us/bootsect.exe.mui", 17 },
	{ "/efi/microsoft/boot/bcd", 700 },
	{ "/efi/microsoft/boot/efisys.bin", 5000 },
	{ "/sources/ei.cfg", 0 },
	{ "/deep/l1/l2/l3/l4/l5/l6/l7/l8/deepest file.txt", 40 },
	{ "/long names/A file name well over thirty-one characters long.txt", 64 },
	{ "/long names/a-b.txt", 11 },
	{ "/long names/a_b.txt", 12 },
	{ "/long names/A+B.txt", 13 },
	{ "/long names/Mixed.txt", 14 },
	{ "/long names/mixed.TXT", 15 },
	{ "/long names/Joliet cuts a name longer than one hundred and three characters; "
	  "the ISO 9660 tree keeps all of this one.dat", 33 },
	{ "/my docs/read me.first.v2.txt", 2500 },
	{ "/intl/caf\xc3\xa9 \xc3\xbcn\xc3\xaf" "code.txt", 21 },
};
#define SAMPLE_COUNT (sizeof(samples) / sizeof(samples[0]))

/* "/many/file NN in a folder of several sectors.txt", NN + 1 bytes: a
 * folder whose records fill more than one sector. */
#define MANY 60

static const char *const empty_dirs[] = { "/support", "/upgrade/empty" };

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "make-isotree-image: %s %s: %s\n", what, path, strerror(errno));
	return -1;
}

static int write_at(int fd, const void *data, size_t size, uint64_t offset, const char *path)
{
	const uint8_t *p = data;

	while (size > 0) {
		ssize_t n = pwrite(fd, p, size, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail("cannot write", path);
		p += n;
		size -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

/* mkdir -p for the folders of path (not its last component). */
static int make_parents(const char *path)
{
	char *copy = strdup(path);

	if (!copy)
		return fail("out of memory for", path);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			fail("cannot make folder", copy);
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

/* A copy of what the image holds, for the comparisons. */
static int expect_file(const char *dir, const char *path, const uint8_t *data, size_t size,
		       uint64_t apparent_size)
{
	char full[4096];
	int fd, rc = 0;

	snprintf(full, sizeof(full), "%s%s", dir, path);
	if (make_parents(full) < 0)
		return -1;
	fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("cannot create", full);
	if (size && write_at(fd, data, size, 0, full) < 0)
		rc = -1;
	if (!rc && apparent_size > size && ftruncate(fd, (off_t)apparent_size) < 0)
		rc = fail("cannot size", full);
	if (close(fd) < 0 && !rc)
		rc = fail("cannot close", full);
	return rc;
}

static void content(const char *path, uint8_t *buf, uint64_t size)
{
	char line[512];
	size_t len = (size_t)snprintf(line, sizeof(line), "%s: %llu bytes of test data.\n", path,
				      (unsigned long long)size);

	for (uint64_t i = 0; i < size; i++)
		buf[i] = (uint8_t)line[i % len];
}

static void marker(uint8_t *p, const char *text)
{
	memset(p, ' ', MARKER);
	memcpy(p, text, strlen(text));
}

/* Space-padded text; UCS-2 big-endian for the Joliet descriptor. */
static void put_text(uint8_t *p, size_t bytes, const char *text, bool ucs2)
{
	size_t len = strlen(text);

	for (size_t i = 0; i < bytes; i += ucs2 ? 2 : 1) {
		char c = i / (ucs2 ? 2 : 1) < len ? text[i / (ucs2 ? 2 : 1)] : ' ';

		if (ucs2) {
			p[i] = 0;
			if (i + 1 < bytes)
				p[i + 1] = (uint8_t)c;
		} else {
			p[i] = (uint8_t)c;
		}
	}
}

static void both16(uint8_t *p, uint16_t v)
{
	p[0] = p[3] = (uint8_t)v;
	p[1] = p[2] = (uint8_t)(v >> 8);
}

/* ECMA-119 8.4 and 8.5, Joliet's escape sequence at 88. */
static void descriptor(uint8_t *d, bool joliet)
{
	static const char date[] = "2024031512304500";

	memset(d, 0, SECTOR);
	d[0] = joliet ? 2 : 1;
	memcpy(d + 1, "CD001", 5);
	d[6] = 1;
	put_text(d + 8, 32, "LINUX", joliet);
	put_text(d + 40, 32, "ISOTREE_TEST", joliet);
	if (joliet)
		memcpy(d + 88, "%/E", 3);
	both16(d + 120, 1);         /* volume set size */
	both16(d + 124, 1);         /* volume sequence number */
	both16(d + 128, SECTOR);    /* logical block size */
	/* Volume set, publisher, preparer, application; copyright,
	 * abstract and bibliographic file identifiers. */
	put_text(d + 190, 128, "", joliet);
	put_text(d + 318, 128, "", joliet);
	put_text(d + 446, 128, "", joliet);
	put_text(d + 574, 128, "WIN7GEN2 MAKE-ISOTREE-IMAGE", joliet);
	put_text(d + 702, 37, "", joliet);
	put_text(d + 739, 37, "", joliet);
	put_text(d + 776, 37, "", joliet);
	for (size_t off = 813; off < 881; off += 17) {
		memcpy(d + off, off == 847 ? "0000000000000000" : date, 16);
		d[off + 16] = off == 847 ? 0 : 4;   /* GMT+1 */
	}
	d[881] = 1;                 /* file structure version */
}

/*
 * install.wim's markers, in the image and in the sparse copy: the start
 * and the last 16 bytes of each directory record's piece.
 */
static int write_big(int fd, const char *image, const char *expect, uint64_t big_b_lba)
{
	const uint64_t piece_end[3] = { ISOTREE_MAX_PIECE, BIG_A_LENGTH,
					BIG_A_LENGTH + BIG_B_LENGTH };
	char path[4096];
	uint8_t mark[MARKER];
	int big, rc = -1;

	snprintf(path, sizeof(path), "%s/sources/install.wim", expect);
	big = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (big < 0)
		return fail("cannot create", path);
	if (ftruncate(big, (off_t)piece_end[2]) < 0) {
		fail("cannot size", path);
		goto out;
	}
	for (int k = 0; k < 3; k++) {
		uint64_t at[2] = { k ? piece_end[k - 1] : 0, piece_end[k] - MARKER };

		for (int e = 0; e < 2; e++) {
			/* A file offset in run A or run B, as an image offset. */
			uint64_t in_image = at[e] < BIG_A_LENGTH ?
				(uint64_t)BIG_A_LBA * SECTOR + at[e] :
				big_b_lba * SECTOR + (at[e] - BIG_A_LENGTH);
			char text[MARKER + 1];

			/* %c: a bound gcc can see (-O1 -Wformat-truncation). */
			snprintf(text, sizeof(text), "P%c %s", '1' + k, e ? "end" : "start");
			marker(mark, text);
			if (write_at(fd, mark, MARKER, in_image, image) < 0 ||
			    write_at(big, mark, MARKER, at[e], path) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	if (close(big) < 0 && rc == 0)
		rc = fail("cannot close", path);
	return rc;
}

int main(int argc, char **argv)
{
	static char many[MANY][64];
	struct sample all[SAMPLE_COUNT + MANY];
	struct isotree_file files[SAMPLE_COUNT + MANY + 2];
	struct iso_extent extents[SAMPLE_COUNT + MANY + 3];
	struct isotree_input input = { .files = files, .dirs = empty_dirs,
					.dir_count = 2, .joliet = true };
	struct isotree_output out;
	uint8_t pvd[SECTOR], svd[SECTOR], term[SECTOR] = { 255, 'C', 'D', '0', '0', '1', 1 };
	uint8_t buf[8192];
	uint64_t lba = 20, big_b_lba;
	const char *image, *expect, *why = "";
	size_t n = 0;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: make-isotree-image IMAGE EXPECT_DIR\n");
		return 2;
	}
	image = argv[1];
	expect = argv[2];
	fd = open(image, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail("cannot create", image);
		return 1;
	}

	memcpy(all, samples, sizeof(samples));
	for (size_t i = 0; i < MANY; i++) {
		snprintf(many[i], sizeof(many[i]), "/many/file %02zu in a folder of several sectors.txt",
			 i);
		all[SAMPLE_COUNT + i] = (struct sample){ many[i], i + 1 };
	}
	for (size_t i = 0; i < SAMPLE_COUNT + MANY; i++, n++) {
		const struct sample *s = &all[i];

		content(s->path, buf, s->size);
		files[n] = (struct isotree_file){ s->path, s->size, &extents[n], s->size ? 1 : 0 };
		extents[n] = (struct iso_extent){ lba, s->size };
		if (write_at(fd, buf, s->size, lba * SECTOR, image) < 0 ||
		    expect_file(expect, s->path, buf, s->size, s->size) < 0)
			return 1;
		lba += (s->size + SECTOR - 1) / SECTOR;
	}
	if (lba > BIG_A_LBA) {
		fprintf(stderr, "make-isotree-image: the small files run into the big one\n");
		return 1;
	}

	/* install.wim: run A, then run B after it with a gap, the way an
	 * appended copy would not be but a fragmented one could be. */
	big_b_lba = BIG_A_LBA + BIG_A_LENGTH / SECTOR + 4;
	files[n] = (struct isotree_file){ "/sources/install.wim", BIG_A_LENGTH + BIG_B_LENGTH,
					  &extents[n], 2 };
	extents[n] = (struct iso_extent){ BIG_A_LBA, BIG_A_LENGTH };
	extents[n + 1] = (struct iso_extent){ big_b_lba, BIG_B_LENGTH };
	if (write_big(fd, image, expect, big_b_lba) < 0)
		return 1;
	n++;
	lba = big_b_lba + (BIG_B_LENGTH + SECTOR - 1) / SECTOR;

	/* boot.wim: appended last, as `build` appends the files it changes. */
	content("/sources/boot.wim", buf, 6000);
	files[n] = (struct isotree_file){ "/sources/boot.wim", 6000, &extents[n + 1], 1 };
	extents[n + 1] = (struct iso_extent){ lba, 6000 };
	if (write_at(fd, buf, 6000, lba * SECTOR, image) < 0 ||
	    expect_file(expect, "/sources/boot.wim", buf, 6000, 6000) < 0)
		return 1;
	lba += (6000 + SECTOR - 1) / SECTOR;
	n++;
	input.file_count = n;

	for (size_t i = 0; i < 2; i++) {
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s%s/", expect, empty_dirs[i]);
		if (make_parents(dir) < 0)
			return 1;
	}

	descriptor(pvd, false);
	descriptor(svd, true);
	isotree_record_date(pvd + 813, input.recorded);
	if (isotree_build(&input, (uint32_t)lba, &out, &why) < 0) {
		fprintf(stderr, "make-isotree-image: isotree_build: %s%s%s\n", why,
			out.why_path ? ": " : "", out.why_path ? out.why_path : "");
		return 1;
	}
	isotree_patch_descriptor(pvd, &out.primary, (uint32_t)(lba + out.size / SECTOR));
	isotree_patch_descriptor(svd, &out.joliet, (uint32_t)(lba + out.size / SECTOR));
	if (write_at(fd, out.data, out.size, lba * SECTOR, image) < 0 ||
	    write_at(fd, pvd, SECTOR, 16 * SECTOR, image) < 0 ||
	    write_at(fd, svd, SECTOR, 17 * SECTOR, image) < 0 ||
	    write_at(fd, term, SECTOR, 18 * SECTOR, image) < 0) {
		isotree_output_free(&out);
		return 1;
	}
	printf("trees at %llu, %zu sectors; image %llu sectors\n", (unsigned long long)lba,
	       out.size / SECTOR, (unsigned long long)(lba + out.size / SECTOR));
	isotree_output_free(&out);
	if (close(fd) < 0) {
		fail("cannot close", image);
		return 1;
	}
	return 0;
}
