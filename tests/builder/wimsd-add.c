/*
 * wimsd-add.c - wimsd_add() from the command line, for t0270-wim-descriptors.sh
 *
 *   wimsd-add WIM IMAGE TEMPDIR SOURCE TARGET [SOURCE TARGET]...
 *
 * Adds each SOURCE (file or folder) at TARGET in image IMAGE of WIM, in
 * one WIMStruct as the build does, then writes the WIM in place.  The
 * shell test judges the result with wimlib-imagex, a reader independent
 * of the code under test.  On the first failure it prints the message
 * and exits 1 without writing anything.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>

#include <wimlib.h>

#include "text.h"
#include "wimsd.h"

int main(int argc, char **argv)
{
	struct text err = TEXT_INIT;
	WIMStruct *wim = NULL;
	int code, image, status = 1;

	if (argc < 6 || (argc - 4) % 2 != 0) {
		fprintf(stderr, "usage: wimsd-add WIM IMAGE TEMPDIR SOURCE TARGET "
				"[SOURCE TARGET]...\n");
		return 2;
	}
	image = atoi(argv[2]);
	/* As the builder's wimfile_init: Windows paths match without regard
	 * to case. */
	code = wimlib_global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);
	if (!code)
		code = wimlib_open_wim(argv[1], WIMLIB_OPEN_FLAG_WRITE_ACCESS, &wim);
	if (code) {
		fprintf(stderr, "wimsd-add: cannot open %s: %s\n", argv[1],
			wimlib_get_error_string(code));
		goto out;
	}
	for (int i = 4; i + 1 < argc; i += 2) {
		if (wimsd_add(wim, image, argv[i], argv[i + 1], argv[3], &err) < 0) {
			fprintf(stderr, "wimsd-add: %s\n", text_string(&err));
			goto out;
		}
	}
	code = wimlib_overwrite(wim, 0, 0);
	if (code) {
		fprintf(stderr, "wimsd-add: cannot write %s: %s\n", argv[1],
			wimlib_get_error_string(code));
		goto out;
	}
	status = 0;
out:
	wimlib_free(wim);
	wimlib_global_cleanup();
	text_free(&err);
	return status;
}
