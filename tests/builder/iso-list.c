/*
 * iso-list.c - the builder's own listing of an ISO, for the tests
 *
 *   iso-list IMAGE
 *
 * One line a file: "PATH SIZE LBA+LENGTH ...", as iso_list (isofs/iso.c)
 * reads it: through UDF when the image has it, else the ISO 9660 tree.
 * The tests hold it against what other readers say of the same image.
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdio.h>

#include "iso.h"
#include "text.h"

int main(int argc, char **argv)
{
	struct iso_source src;
	struct iso_listing listing;
	struct text err = TEXT_INIT;
	int status = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: iso-list IMAGE\n");
		return 2;
	}
	if (iso_source_open(&src, argv[1], &err) < 0)
		goto out;
	if (iso_list(&src, &listing, &err) == 0) {
		for (size_t i = 0; i < listing.file_count; i++) {
			const struct iso_file *file = &listing.files[i];

			printf("%s %" PRIu64, file->path, file->size);
			for (size_t k = 0; k < file->extent_count; k++)
				printf(" %" PRIu64 "+%" PRIu64, file->extents[k].lba,
				       file->extents[k].length);
			printf("\n");
		}
		iso_listing_free(&listing);
		status = 0;
	}
	iso_source_close(&src);
out:
	if (status)
		fprintf(stderr, "iso-list: %s\n", text_failed(&err) ? "out of memory" :
			text_string(&err));
	text_free(&err);
	return status;
}
