/*
 * publish-shim.c - LD_PRELOAD shim: change OUT or IN just before the
 * read-back, for the tests that prove build catches it
 *
 * `build` writes OUT as output.iso in its private folder, sets its
 * permissions, fsyncs it while it reads it back, and only then gives it
 * its name.  This shim wraps chmod(): when the file is a build's
 * output.iso, it first does what its environment says,
 * deterministically, at that one moment after the write and before the
 * read-back:
 *
 *   WIN7GEN2_SHIM_ZERO="16 256 last"  zero these 2048-byte sectors of
 *                                     OUT ("last": its last sector)
 *   WIN7GEN2_SHIM_FLIP=OFFSET         invert the byte at OFFSET of OUT
 *   WIN7GEN2_SHIM_TOUCH=PATH          set PATH's modification time to
 *                                     2001-01-01 (IN changed meanwhile)
 *   WIN7GEN2_SHIM_REPLACE=NEW:PATH    rename NEW over PATH (IN replaced
 *                                     under its name meanwhile)
 *
 * The shipped program has no such hook; only the tests load this.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR 2048
#define OUT_NAME "/output.iso"

static int is_output(const char *path)
{
	size_t n = strlen(path), len = strlen(OUT_NAME);

	return n >= len && strcmp(path + n - len, OUT_NAME) == 0;
}

static void change_output(const char *path)
{
	const char *zero = getenv("WIN7GEN2_SHIM_ZERO");
	const char *flip = getenv("WIN7GEN2_SHIM_FLIP");
	const char *touch = getenv("WIN7GEN2_SHIM_TOUCH");
	const char *replace = getenv("WIN7GEN2_SHIM_REPLACE");
	int out;

	out = open(path, O_RDWR | O_CLOEXEC);
	if (out < 0) {
		perror("publish-shim: open");
		abort();
	}
	if (zero) {
		static const char blank[SECTOR];
		off_t size = lseek(out, 0, SEEK_END);
		char *list = strdup(zero), *save = NULL;

		for (char *word = strtok_r(list, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
			off_t sector = strcmp(word, "last") == 0 ? size / SECTOR - 1 : atoll(word);

			if (pwrite(out, blank, SECTOR, sector * SECTOR) != SECTOR)
				abort();
		}
		free(list);
	}
	if (flip) {
		off_t at = atoll(flip);
		unsigned char byte;

		if (pread(out, &byte, 1, at) != 1)
			abort();
		byte ^= 0xFF;
		if (pwrite(out, &byte, 1, at) != 1)
			abort();
	}
	if (touch) {
		struct timespec times[2] = { { 978307200, 0 }, { 978307200, 0 } };

		if (utimensat(AT_FDCWD, touch, times, 0) < 0) {
			perror("publish-shim: utimensat");
			abort();
		}
	}
	if (replace) {
		char *from = strdup(replace), *to = strchr(from, ':');

		if (!to)
			abort();
		*to++ = '\0';
		if (rename(from, to) < 0) {
			perror("publish-shim: rename");
			abort();
		}
		free(from);
	}
	close(out);
}

int chmod(const char *path, mode_t mode)
{
	static int (*real_chmod)(const char *, mode_t);

	if (!real_chmod)
		real_chmod = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "chmod");
	if (is_output(path))
		change_output(path);
	return real_chmod(path, mode);
}
