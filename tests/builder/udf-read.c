/*
 * udf-read.c - a file out of a UDF image, read by libudfread
 *
 *   udf-read IMAGE PATH      the file's bytes on stdout
 *   udf-read -s IMAGE PATH   its size in bytes
 *
 * An independent reader for the udfpatch tests: libudfread finds the
 * anchor (at 256, else the last sector or the one 256 before it), falls
 * back to the reserve sequence when the main one fails, and follows the
 * allocation descriptors on its own.
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <udfread/udfread.h>

#define CHUNK (1u << 20)

int main(int argc, char **argv)
{
	int size_only = argc == 4 && strcmp(argv[1], "-s") == 0;
	const char *image = argv[1 + size_only], *path = argv[2 + size_only];
	udfread *udf;
	UDFFILE *file;
	int64_t size, done = 0;
	char *chunk;
	int rc = 1;

	if (argc != 3 + size_only) {
		fprintf(stderr, "usage: udf-read [-s] IMAGE PATH\n");
		return 2;
	}
	udf = udfread_init();
	if (!udf || udfread_open(udf, image) < 0) {
		fprintf(stderr, "udf-read: libudfread cannot open %s\n", image);
		if (udf)
			udfread_close(udf);
		return 1;
	}
	file = udfread_file_open(udf, path);
	if (!file) {
		fprintf(stderr, "udf-read: %s not found in %s\n", path, image);
		udfread_close(udf);
		return 1;
	}
	size = udfread_file_size(file);
	if (size_only) {
		printf("%" PRId64 "\n", size);
		rc = 0;
		goto out;
	}
	chunk = malloc(CHUNK);
	if (!chunk)
		goto out;
	while (done < size) {
		ssize_t n = udfread_file_read(file, chunk, CHUNK);

		if (n <= 0 || fwrite(chunk, 1, (size_t)n, stdout) != (size_t)n)
			break;
		done += n;
	}
	free(chunk);
	if (done != size)
		fprintf(stderr, "udf-read: %s: read %" PRId64 " of %" PRId64 " bytes\n", path,
			done, size);
	else
		rc = fflush(stdout) == 0 ? 0 : 1;
out:
	udfread_file_close(file);
	udfread_close(udf);
	return rc;
}
