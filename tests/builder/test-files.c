/*
 * test-files.c - copying a file whole: every byte, progress up to the
 * end, and never over a file that is already there
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "tap.h"

/* Larger than one buffer of the copy's fallback (1 MiB), not a multiple. */
#define SOURCE_SIZE ((3u << 20) + 123)

struct progress {
	unsigned calls;
	bool ordered;        /* done never went back, total never changed */
	uint64_t done, total;
};

static void note_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;

	if (p->calls && (done < p->done || total != p->total))
		p->ordered = false;
	p->calls++;
	p->done = done;
	p->total = total;
}

static bool file_is(const char *path, const unsigned char *want, size_t size)
{
	struct text err = TEXT_INIT;
	unsigned char *got;
	size_t got_size;
	bool same;

	if (read_file(path, SOURCE_SIZE + 1, &got, &got_size, &err) < 0) {
		tap_diag("%s", text_string(&err));
		text_free(&err);
		return false;
	}
	same = got_size == size && memcmp(got, want, size) == 0;
	free(got);
	return same;
}

int main(void)
{
	struct text err = TEXT_INIT;
	struct progress progress = { .ordered = true };
	unsigned char *bytes = malloc(SOURCE_SIZE);
	char *dir = NULL, *source, *copy, *missing, *empty, *empty_copy;
	uint32_t state = 2463534242u;
	struct stat st;
	bool failed;

	if (!bytes || tempdir_create(NULL, &dir, &err) < 0) {
		tap_ok(false, "a temporary folder: %s", text_string(&err));
		return tap_done();
	}
	for (size_t i = 0; i < SOURCE_SIZE; i++) {
		state ^= state << 13;
		state ^= state >> 17;
		state ^= state << 5;
		bytes[i] = (unsigned char)state;
	}
	source = path_join(dir, "source");
	copy = path_join(dir, "copy");
	missing = path_join(dir, "missing");
	empty = path_join(dir, "empty");
	empty_copy = path_join(dir, "empty-copy");
	write_file(source, bytes, SOURCE_SIZE, &err);
	write_file(empty, "", 0, &err);

	if (!tap_ok(copy_big_file(source, copy, note_progress, &progress, &err) == 0,
		    "a file is copied"))
		tap_diag("%s", text_string(&err));
	tap_ok(file_is(copy, bytes, SOURCE_SIZE), "byte for byte");
	tap_ok(progress.calls > 0 && progress.ordered && progress.done == SOURCE_SIZE &&
	       progress.total == SOURCE_SIZE,
	       "progress only goes forward, up to the whole size");

	text_reset(&err);
	failed = copy_big_file(empty, copy, NULL, NULL, &err) < 0;
	tap_ok(failed && strstr(text_string(&err), copy),
	       "an existing file is not copied over, and named: %s", text_string(&err));
	tap_ok(file_is(copy, bytes, SOURCE_SIZE), "and is left as it was");

	text_reset(&err);
	failed = copy_big_file(missing, empty_copy, NULL, NULL, &err) < 0;
	tap_ok(failed && strstr(text_string(&err), missing),
	       "a source that is not there fails, named: %s", text_string(&err));
	tap_ok(stat(empty_copy, &st) < 0, "and leaves no file behind");

	text_reset(&err);
	if (!tap_ok(copy_big_file(empty, empty_copy, NULL, NULL, &err) == 0 &&
		    stat(empty_copy, &st) == 0 && st.st_size == 0,
		    "an empty file is copied as an empty file"))
		tap_diag("%s", text_string(&err));

	tempdir_remove(dir);
	free(dir);
	free(source);
	free(copy);
	free(missing);
	free(empty);
	free(empty_copy);
	free(bytes);
	text_free(&err);
	return tap_done();
}
