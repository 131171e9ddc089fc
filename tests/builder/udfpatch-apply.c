/*
 * udfpatch-apply.c - append new content for UDF files, then udfpatch_apply
 *
 *   udfpatch-apply [--gap N] [--tail-gap N] [--old-end-unset] [--listed LBA:SIZE]
 *                  IMAGE PATH=FILE... [+PATH=FILE...]
 *
 * Does to IMAGE what `build` does to its copy of the source: each FILE's
 * bytes go after the image's end (N free sectors first with --gap), one
 * after the other, and udfpatch_apply points the UDF PATH at them.  The
 * tail starts right after the data (N sectors later with --tail-gap).
 * All-zero stretches of a FILE are skipped, so a sparse 1.5 GiB FILE
 * stays sparse in IMAGE.  --old-end-unset leaves the job's old_end at 0
 * (the caller that does not know it).  --listed says what a listing read
 * for the first PATH (SIZE bytes in one extent at sector LBA), as build
 * says what libudfread read: the File Entry found must agree.
 *
 * Then, as build does, each ISO 9660 volume descriptor's volume space
 * size becomes the new image size: pycdlib finds UDF's closing anchor
 * through it.
 *
 * A +PATH=FILE is added, as build adds update packages: its bytes are
 * appended with the others, then udfpatch_plan sizes the UDF structures
 * for the adds, which go right after the data.
 *
 * Prints "patched image_end=N data_end=N tail_start=N old_end=N" or
 * "no UDF" (exit 0); on refusal, the message on stderr and exit 1; a
 * usage or I/O error here, exit 2.  The shell test reads the result with
 * other readers (7zz, libudfread, pycdlib, udfinfo).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "udfpatch.h"

#define SECTOR 2048u
#define CHUNK (1u << 20)

static int usage(void)
{
	fprintf(stderr, "usage: udfpatch-apply [--gap N] [--tail-gap N] [--old-end-unset] "
		"[--listed LBA:SIZE] IMAGE PATH=FILE... [+PATH=FILE...]\n");
	return 2;
}

static int fail(const char *what, const char *name)
{
	fprintf(stderr, "udfpatch-apply: %s %s: %s\n", what, name,
		errno ? strerror(errno) : "short read or write");
	return 2;
}

/* Each byte equal to the next and the first zero: memcmp is fast where a
 * byte loop under the sanitizers takes seconds per GiB. */
static int all_zero(const unsigned char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* FILE's bytes into the image at sector lba; its size comes back. */
static int append(int image, const char *name, uint64_t lba, uint64_t *size)
{
	unsigned char *chunk = malloc(CHUNK);
	int fd = open(name, O_RDONLY);
	uint64_t offset = 0;
	int rc = 2;

	if (!chunk || fd < 0) {
		rc = fail("cannot open", name);
		goto out;
	}
	for (;;) {
		size_t got = 0;

		while (got < CHUNK) {
			ssize_t n = read(fd, chunk + got, CHUNK - got);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				rc = fail("cannot read", name);
				goto out;
			}
			if (n == 0)
				break;
			got += (size_t)n;
		}
		if (got == 0)
			break;
		if (!all_zero(chunk, got)) {
			size_t done = 0;

			while (done < got) {
				ssize_t n = pwrite(image, chunk + done, got - done,
						   (off_t)(lba * SECTOR + offset + done));

				if (n <= 0) {
					rc = fail("cannot write the image for", name);
					goto out;
				}
				done += (size_t)n;
			}
		}
		offset += got;
	}
	*size = offset;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(chunk);
	return rc;
}

/* The ISO 9660 volume space size (both-endian, at 80) of the primary
 * and supplementary descriptors, from sector 16 to the terminator. */
static int set_volume_size(int image, uint64_t sectors)
{
	unsigned char d[SECTOR];

	for (uint64_t sector = 16; sector < 16 + 64; sector++) {
		if (pread(image, d, sizeof(d), (off_t)(sector * SECTOR)) != (ssize_t)sizeof(d) ||
		    memcmp(d + 1, "CD001", 5) != 0 || d[0] == 255)
			return 0;
		if (d[0] != 1 && d[0] != 2)
			continue;
		for (unsigned i = 0; i < 4; i++) {
			d[80 + i] = (unsigned char)(sectors >> (8 * i));
			d[87 - i] = (unsigned char)(sectors >> (8 * i));
		}
		if (pwrite(image, d, sizeof(d), (off_t)(sector * SECTOR)) != (ssize_t)sizeof(d))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct udfpatch_file files[16] = { { 0 } };
	struct udfpatch_add adds[16] = { { 0 } };
	struct udfpatch_job job;
	struct text err = TEXT_INIT;
	enum udfpatch_result result;
	struct iso_extent listed = { 0 };
	bool have_listed = false;
	uint64_t gap = 0, tail_gap = 0, next;
	int old_end_unset = 0, argi = 1, image, rc;
	struct stat st;

	while (argi < argc && strncmp(argv[argi], "--", 2) == 0) {
		if (strcmp(argv[argi], "--old-end-unset") == 0) {
			old_end_unset = 1;
			argi++;
		} else if (argi + 1 < argc && strcmp(argv[argi], "--gap") == 0) {
			gap = strtoull(argv[argi + 1], NULL, 10);
			argi += 2;
		} else if (argi + 1 < argc && strcmp(argv[argi], "--listed") == 0) {
			char *colon;

			listed.lba = strtoull(argv[argi + 1], &colon, 10);
			if (*colon != ':')
				return usage();
			listed.length = strtoull(colon + 1, NULL, 10);
			have_listed = true;
			argi += 2;
		} else if (argi + 1 < argc && strcmp(argv[argi], "--tail-gap") == 0) {
			tail_gap = strtoull(argv[argi + 1], NULL, 10);
			argi += 2;
		} else {
			return usage();
		}
	}
	if (argc - argi < 1 || argc - argi - 1 > (int)(sizeof(adds) / sizeof(adds[0])))
		return usage();
	image = open(argv[argi], O_RDWR);
	if (image < 0 || fstat(image, &st) < 0)
		return fail("cannot open", argv[argi]);
	if (st.st_size % SECTOR) {
		fprintf(stderr, "udfpatch-apply: %s is not a whole number of sectors\n", argv[argi]);
		return 2;
	}

	memset(&job, 0, sizeof(job));
	job.fd = image;
	job.old_end = (uint64_t)st.st_size / SECTOR;
	next = job.old_end + gap;
	for (int i = argi + 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		uint64_t *size;

		if (!eq)
			return usage();
		*eq = '\0';
		if (argv[i][0] == '+') {
			adds[job.add_count].path = argv[i] + 1;
			adds[job.add_count].lba = next;
			size = &adds[job.add_count++].size;
		} else {
			files[job.file_count].path = argv[i];
			files[job.file_count].lba = next;
			size = &files[job.file_count++].size;
		}
		rc = append(image, eq + 1, next, size);
		if (rc)
			return rc;
		next += (*size + SECTOR - 1) / SECTOR;
	}
	job.adds = adds;
	if (job.add_count) {
		result = udfpatch_plan(&job, &err);
		if (result == UDFPATCH_REFUSED) {
			fprintf(stderr, "udfpatch-apply: %s\n", text_string(&err));
			text_free(&err);
			close(image);
			return 1;
		}
		job.meta_lba = next;
		next += job.meta_sectors;
	}
	/* The last stretch may have been zeros, skipped: the data still end here. */
	if ((uint64_t)st.st_size < next * SECTOR && ftruncate(image, (off_t)(next * SECTOR)) < 0)
		return fail("cannot extend", argv[argi]);
	if (have_listed && job.file_count > 0) {
		files[0].listed = true;
		files[0].listed_size = listed.length;
		files[0].listed_extents = &listed;
		files[0].listed_extent_count = listed.length ? 1 : 0;
	}
	job.files = files;
	job.data_end = next;
	job.tail_start = next + tail_gap;
	if (old_end_unset)
		job.old_end = 0;

	result = udfpatch_apply(&job, &err);
	if (result == UDFPATCH_REFUSED) {
		fprintf(stderr, "udfpatch-apply: %s\n", text_string(&err));
		text_free(&err);
		close(image);
		return 1;
	}
	if (result == UDFPATCH_PATCHED && set_volume_size(image, job.image_end) < 0)
		return fail("cannot write the volume descriptors of", argv[argi]);
	if (result == UDFPATCH_NO_ANCHOR)
		printf("no UDF\n");
	else
		printf("patched image_end=%" PRIu64 " data_end=%" PRIu64 " tail_start=%" PRIu64
		       " old_end=%" PRIu64 "\n", job.image_end, job.data_end, job.tail_start,
		       (uint64_t)st.st_size / SECTOR);
	text_free(&err);
	if (close(image) < 0)
		return fail("cannot close", argv[argi]);
	return 0;
}
