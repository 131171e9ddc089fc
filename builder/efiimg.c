/*
 * efiimg.c - El Torito EFI boot images: FAT file systems, via mtools
 *
 * mtools has one exit status for every failure (1), so "no such file"
 * cannot be told from "not a FAT image" by the status, and its messages
 * are no interface.  efiimg_get therefore first lists the folders on the
 * way (mdir, which succeeds on any readable folder, empty or not) and
 * copies only a file the listing shows: then every failure of mdir or
 * mcopy is an error, decided by the exit status alone.  mkfs.fat and
 * mmd are judged by their status too (0 is success for both).
 *
 * SPDX-License-Identifier: MIT
 */
#include "efiimg.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

/* For every mtools command, and for it alone (run.h): Microsoft's
 * efisys.bin images have odd geometry values that make mtools refuse
 * them unless told not to check. */
static const char *const mtools_env[] = { "MTOOLS_SKIP_CHECK=1", NULL };

/* run_or_explain for an mtools command. */
static int mtools(const char *const *argv, const char *what, struct text *err)
{
	struct run run = { .argv = argv, .env = mtools_env };

	return run_prepared_or_explain(&run, what, err);
}

/*
 * Whether folder (a FAT path ending in '/', "/" for the root) holds name
 * as a folder (want_folder) or a file, ignoring case as FAT does:
 * EFIIMG_COPIED here means "there" (nothing is copied yet).  "mdir -b" prints one
 * "::/PATH" a line, folders with a trailing '/'; -a includes hidden and
 * system entries.
 */
static enum efiimg_get_result folder_holds(const char *image, const char *folder,
					   const char *name, bool want_folder, struct text *err)
{
	struct text where = TEXT_INIT;
	struct run run = { .env = mtools_env, .capture_stdout = true };
	const char *argv[] = { "mdir", "-b", "-a", "-i", image, NULL, NULL };
	size_t prefix, name_len = strlen(name);
	enum efiimg_get_result rc = EFIIMG_NO_FILE;

	text_appendf(&where, "::%s", folder);
	argv[5] = text_string(&where);
	run.argv = argv;
	if (run_tool(&run) < 0) {
		text_appendf(err, "cannot list %s in the EFI boot image: ", folder);
		run_explain(&run, err);
		rc = EFIIMG_ERROR;
	}
	prefix = where.length;
	for (const char *line = text_string(&run.out); rc == EFIIMG_NO_FILE && *line;) {
		size_t len = strcspn(line, "\n");

		if (len == prefix + name_len + want_folder &&
		    strncasecmp(line, text_string(&where), prefix) == 0 &&
		    strncasecmp(line + prefix, name, name_len) == 0 &&
		    (!want_folder || line[len - 1] == '/'))
			rc = EFIIMG_COPIED;
		line += len + (line[len] == '\n');
	}
	run_free(&run);
	text_free(&where);
	return rc;
}

/* Whether the file at fat_path and every folder on the way are in the
 * image, as folder_holds answers. */
static enum efiimg_get_result image_holds(const char *image, const char *fat_path,
					  struct text *err)
{
	struct text folder = TEXT_INIT, name = TEXT_INIT;
	const char *start = fat_path + 1;
	enum efiimg_get_result rc = EFIIMG_COPIED;

	text_append(&folder, "/");
	while (rc == EFIIMG_COPIED) {
		const char *slash = strchr(start, '/');
		size_t len = slash ? (size_t)(slash - start) : strlen(start);

		text_reset(&name);
		text_append_bytes(&name, start, len);
		rc = folder_holds(image, text_string(&folder), text_string(&name), slash != NULL,
				  err);
		if (!slash)
			break;
		text_append_bytes(&folder, start, len + 1);
		start = slash + 1;
	}
	if (text_failed(&folder) || text_failed(&name)) {
		text_append(err, "out of memory");
		rc = EFIIMG_ERROR;
	}
	text_free(&folder);
	text_free(&name);
	return rc;
}

enum efiimg_get_result efiimg_get(const char *image, const char *fat_path, const char *disk_path,
				  struct text *err)
{
	struct text source = TEXT_INIT, what = TEXT_INIT;
	const char *argv[] = { "mcopy", "-n", "-i", image, NULL, disk_path, NULL };
	enum efiimg_get_result rc;

	rc = image_holds(image, fat_path, err);
	if (rc != EFIIMG_COPIED)
		return rc;
	text_appendf(&source, "::%s", fat_path);
	text_appendf(&what, "cannot read %s from the EFI boot image", fat_path);
	argv[4] = text_string(&source);
	rc = mtools(argv, text_string(&what), err) == 0 ? EFIIMG_COPIED : EFIIMG_ERROR;
	text_free(&source);
	text_free(&what);
	return rc;
}

/* made: "\n"-separated folders already made, so each is made once (mmd
 * fails on an existing folder, and "-D s" still exits 1). */
static int make_folders(const char *image, const char *fat_path, struct text *made,
			struct text *err)
{
	struct text folder = TEXT_INIT, key = TEXT_INIT;
	int rc = 0;

	/* Every folder on the way, in order: "/EFI", "/EFI/BOOT". */
	for (const char *slash = strchr(fat_path + 1, '/'); slash && rc == 0;
	     slash = strchr(slash + 1, '/')) {
		const char *argv[] = { "mmd", "-i", image, NULL, NULL };

		text_reset(&folder);
		text_append(&folder, "::");
		text_append_bytes(&folder, fat_path, (size_t)(slash - fat_path));
		text_reset(&key);
		text_appendf(&key, "\n%s\n", text_string(&folder));
		if (strstr(text_string(made), text_string(&key)))
			continue;
		text_appendf(made, "%s\n", text_string(&folder));
		argv[3] = text_string(&folder);
		rc = mtools(argv, "cannot make a folder in the EFI boot image", err);
	}
	text_free(&folder);
	text_free(&key);
	return rc;
}

int efiimg_create(const char *image, const struct efiimg_file *files, size_t count,
		  uint64_t *size, struct text *err)
{
	uint64_t content = 0, kib;
	char kib_text[24];
	struct text dest = TEXT_INIT, made = TEXT_INIT;
	int rc = -1;

	text_append(&made, "\n");
	for (size_t i = 0; i < count; i++) {
		struct stat st;

		if (stat(files[i].disk_path, &st) < 0) {
			text_appendf(err, "cannot read %s: %s", files[i].disk_path,
				     strerror(errno));
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
		text_append(err, "the EFI boot image would exceed the 32 MiB El Torito limit");
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
		text_reset(&dest);
		text_appendf(&dest, "::%s", files[i].fat_path);
		argv[4] = text_string(&dest);
		if (mtools(argv, "cannot copy into the EFI boot image", err) < 0)
			goto out;
	}
	*size = kib * 1024;
	rc = 0;
out:
	text_free(&dest);
	text_free(&made);
	return rc;
}
