/*
 * efiimg.c - El Torito EFI boot images: FAT file systems, via mtools
 *
 * SPDX-License-Identifier: MIT
 */
#include "efiimg.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

/* Microsoft's efisys.bin images have odd geometry values that make mtools
 * refuse them unless told not to check. */
static void mtools_environment(void)
{
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
}

int efiimg_get(const char *image, const char *fat_path, const char *disk_path, struct buf *err)
{
	struct buf source = BUF_INIT;
	struct run run = { 0 };
	const char *argv[] = { "mcopy", "-n", "-i", image, NULL, disk_path, NULL };
	int rc;

	mtools_environment();
	buf_printf(&source, "::%s", fat_path);
	argv[4] = buf_str(&source);
	run.argv = argv;
	rc = run_tool(&run);
	if (rc == 0) {
		rc = 1;
	} else if (strstr(buf_str(&run.err), "not found") ||
		   strstr(buf_str(&run.err), "No such file")) {
		rc = 0;
	} else {
		buf_printf(err, "cannot read %s from the EFI boot image: ", fat_path);
		run_explain(&run, err);
		rc = -1;
	}
	run_free(&run);
	buf_free(&source);
	return rc;
}

/* made: "\n"-separated folders already made, so each is made once (mmd
 * fails on an existing folder, and "-D s" still exits 1). */
static int make_folders(const char *image, const char *fat_path, struct buf *made,
			struct buf *err)
{
	struct buf folder = BUF_INIT, key = BUF_INIT;
	int rc = 0;

	/* Every folder on the way, in order: "/EFI", "/EFI/BOOT". */
	for (const char *slash = strchr(fat_path + 1, '/'); slash && rc == 0;
	     slash = strchr(slash + 1, '/')) {
		struct run run = { 0 };
		const char *argv[] = { "mmd", "-i", image, NULL, NULL };

		buf_reset(&folder);
		buf_puts(&folder, "::");
		buf_append(&folder, fat_path, (size_t)(slash - fat_path));
		buf_reset(&key);
		buf_printf(&key, "\n%s\n", buf_str(&folder));
		if (strstr(buf_str(made), buf_str(&key)))
			continue;
		buf_printf(made, "%s\n", buf_str(&folder));
		argv[3] = buf_str(&folder);
		run.argv = argv;
		if (run_tool(&run) < 0) {
			buf_puts(err, "cannot make a folder in the EFI boot image: ");
			run_explain(&run, err);
			rc = -1;
		}
		run_free(&run);
	}
	buf_free(&folder);
	buf_free(&key);
	return rc;
}

int efiimg_create(const char *image, const struct efiimg_file *files, size_t count,
		  uint64_t *size, struct buf *err)
{
	uint64_t content = 0, kib;
	char kib_text[24];
	struct buf dest = BUF_INIT, made = BUF_INIT;
	int rc = -1;

	mtools_environment();
	buf_puts(&made, "\n");
	for (size_t i = 0; i < count; i++) {
		struct stat st;

		if (stat(files[i].disk_path, &st) < 0) {
			buf_printf(err, "cannot read %s: %s", files[i].disk_path, strerror(errno));
			return -1;
		}
		/* Each file rounded up to a 4 KiB cluster. */
		content += ((uint64_t)st.st_size + 4095) / 4096 * 4096;
	}
	/* Room for FATs, root folder and folders, and a margin; at least
	 * the 1.44 MB of Microsoft's efisys.bin; at most what one El Torito
	 * entry can load (65535 sectors of 512 bytes). */
	kib = (content + content / 8 + 256 * 1024) / 1024;
	if (kib < 1440)
		kib = 1440;
	kib = (kib + 63) / 64 * 64;
	if (kib > 32767) {
		buf_puts(err, "the EFI boot image would exceed the 32 MiB El Torito limit");
		return -1;
	}
	snprintf(kib_text, sizeof(kib_text), "%llu", (unsigned long long)kib);
	{
		/* mkfs.fat lives in sbin, which a user's PATH may lack. */
		const char *mkfs = access("/usr/sbin/mkfs.fat", X_OK) == 0 ? "/usr/sbin/mkfs.fat" :
				   access("/sbin/mkfs.fat", X_OK) == 0 ? "/sbin/mkfs.fat" : "mkfs.fat";
		const char *argv[] = { mkfs, "-C", "-n", "WIN7GEN2", image, kib_text, NULL };

		if (run_or_explain(argv, "cannot make the EFI boot image", NULL, NULL, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const char *argv[] = { "mcopy", "-i", image, files[i].disk_path, NULL, NULL };

		if (make_folders(image, files[i].fat_path, &made, err) < 0)
			goto out;
		buf_reset(&dest);
		buf_printf(&dest, "::%s", files[i].fat_path);
		argv[4] = buf_str(&dest);
		if (run_or_explain(argv, "cannot copy into the EFI boot image", NULL, NULL, err) < 0)
			goto out;
	}
	*size = kib * 1024;
	rc = 0;
out:
	buf_free(&dest);
	buf_free(&made);
	return rc;
}
