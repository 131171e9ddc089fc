/*
 * rewrite-add.c - build's writing of OUT with files added, for the tests
 *
 *   rewrite-add IN OUT [/PATH=DISKFILE...]
 *
 * Writes OUT from IN as `build` does (rewrite_iso, then outcheck_run,
 * OUT removed when either refuses), with each DISKFILE added at PATH in
 * the order given.  boot.wim and the EFI boot image are "replaced" by
 * copies of IN's own, so what changes is only what the adds change.
 * The shipped command gets its adds from its own options; this drives
 * the same code with none of the rest of a build.  OUT's permissions are
 * set between the write and the read-back, as build sets them, where
 * tests/builder/publish-shim.so can change it when OUT is named
 * output.iso.  With REWRITE_ADD_STOP_AT=N in the environment, the job's
 * stop callback says stop the Nth time it is asked: rewrite_iso must
 * then fail with err untouched ("rewrite-add: stopped, nothing said").
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "iso.h"
#include "outcheck.h"
#include "rewrite.h"
#include "text.h"

/* rewrite_job.stop: true from the Nth question on (N > 0). */
static bool stop_at(void *ctx)
{
	long *left = ctx;

	if (*left > 1) {
		--*left;
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct iso_source src = { .fd = -1 };
	struct iso_listing listing;
	struct rewrite_job job;
	struct rewrite_add *adds;
	struct text err = TEXT_INIT, boot_wim = TEXT_INIT, efi = TEXT_INIT;
	uint64_t efi_size = 0;
	bool listed = false, written = false;
	const char *stop = getenv("REWRITE_ADD_STOP_AT");
	long stop_left = stop ? atol(stop) : 0;
	int status = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: rewrite-add IN OUT [/PATH=DISKFILE...]\n");
		return 2;
	}
	adds = calloc((size_t)argc, sizeof(*adds));
	if (!adds)
		return 1;
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "rewrite-add: %s: expected /PATH=DISKFILE\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		adds[i - 3].path = argv[i];
		adds[i - 3].disk = eq + 1;
	}
	text_appendf(&boot_wim, "%s.boot.wim", argv[2]);
	text_appendf(&efi, "%s.efisys.bin", argv[2]);
	memset(&job, 0, sizeof(job));
	if (iso_source_open(&src, argv[1], &err) < 0 || iso_list(&src, &listing, &err) < 0)
		goto out;
	listed = true;
	job.in = &src;
	job.out = argv[2];
	job.listing = &listing;
	job.boot_wim = iso_find(&listing, "/sources/boot.wim");
	job.uefi = iso_find_boot(&listing, ELTORITO_UEFI);
	job.boot_wim_disk = text_string(&boot_wim);
	job.efi_image_disk = text_string(&efi);
	job.adds = adds;
	job.add_count = (size_t)argc - 3;
	if (stop_left > 0) {
		job.stop = stop_at;
		job.stop_ctx = &stop_left;
	}
	if (!job.boot_wim || !job.uefi) {
		text_append(&err, "IN has no /sources/boot.wim or no UEFI boot image");
		goto out;
	}
	if (iso_copy_out(&src, job.boot_wim, job.boot_wim_disk, NULL, NULL, &err) < 0 ||
	    iso_copy_boot_image(&src, job.uefi, job.efi_image_disk, &efi_size, &err) < 0)
		goto out;
	written = true;
	/* Permissions set before the read-back, as build does: the tests'
	 * shim (publish-shim.so) changes OUT at that moment. */
	if (rewrite_iso(&job, &err) < 0) {
		if (job.stopped && err.length == 0)
			text_append(&err, "stopped, nothing said");
		goto out;
	}
	if (chmod(job.out, 0644) < 0) {
		text_appendf(&err, "cannot set the permissions of %s: %s", job.out,
			     strerror(errno));
		goto out;
	}
	if (sync_file(job.out, &err) < 0 || outcheck_run(&job, &err) < 0)
		goto out;
	status = 0;
out:
	if (status && written)
		unlink(argv[2]);
	unlink(text_string(&boot_wim));
	unlink(text_string(&efi));
	if (status)
		fprintf(stderr, "rewrite-add: %s\n", text_failed(&err) ? "out of memory" :
			text_string(&err));
	free(job.placed);
	if (listed)
		iso_listing_free(&listing);
	if (src.fd >= 0)
		iso_source_close(&src);
	text_free(&err);
	text_free(&boot_wim);
	text_free(&efi);
	free(adds);
	return status;
}
