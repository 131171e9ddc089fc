/*
 * test-efiimg.c - reading a file out of an EFI boot image (FAT, mtools)
 *
 * efiimg_get must tell "no such file" from "not a FAT image" without
 * reading mtools' messages, in any locale of the builder, and must give
 * mtools MTOOLS_SKIP_CHECK (which Microsoft's efisys.bin needs) without
 * setting it for the whole builder.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "efiimg.h"
#include "run.h"
#include "tap.h"

static char dir[] = "/tmp/win7gen2-test-efiimg.XXXXXX";

static const char *in_dir(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

static bool write_text(const char *path, const char *text)
{
	FILE *file = fopen(path, "w");

	return file && fputs(text, file) >= 0 && fclose(file) == 0;
}

static bool has_text(const char *path, const char *text)
{
	char buf[256] = "";
	FILE *file = fopen(path, "r");
	size_t n;

	if (!file)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, file);
	fclose(file);
	buf[n] = '\0';
	return strcmp(buf, text) == 0;
}

static bool have_mtools(void)
{
	const char *argv[] = { "mdir", "-V", NULL };
	struct text err = TEXT_INIT;
	bool ok = run_or_explain(argv, "mdir", NULL, NULL, &err) == 0;

	text_free(&err);
	return ok;
}

/* Sets byte offset of path to value. */
static bool patch_byte(const char *path, long offset, unsigned char value)
{
	FILE *file = fopen(path, "r+b");
	bool ok = file && fseek(file, offset, SEEK_SET) == 0 && fputc(value, file) != EOF;

	return file ? fclose(file) == 0 && ok : false;
}

/* efiimg_get's answer, with the copy's content checked when it copied:
 * COPIED_WRONG when the copy is not the file asked for. */
#define COPIED_WRONG 99
static int get(const char *image, const char *fat_path, const char *want, struct text *err)
{
	char out[512];
	enum efiimg_get_result rc;

	in_dir("out.efi", out, sizeof(out));
	unlink(out);
	text_reset(err);
	rc = efiimg_get(image, fat_path, out, err);
	if (rc == EFIIMG_COPIED && !has_text(out, want))
		return COPIED_WRONG;
	return (int)rc;
}

int main(void)
{
	char image[512], loader[512], bootmgr[512], garbage[512];
	struct text err = TEXT_INIT;
	uint64_t size = 0;
	int rc;

	if (!have_mtools()) {
		if (getenv("CI")) {
			printf("Bail out! mtools not found (CI: nothing may skip)\n");
			return 1;
		}
		printf("1..0 # SKIP mtools not found (apt-get install mtools dosfstools)\n");
		return 0;
	}
	/* A locale whose messages would not be English, were mtools
	 * translated: the answers below must not depend on it. */
	setenv("LC_ALL", "de_DE.UTF-8", 1);
	setenv("LANG", "de_DE.UTF-8", 1);
	unsetenv("MTOOLS_SKIP_CHECK");
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot make %s\n", dir);
		return 1;
	}
	{
		const struct efiimg_file files[] = {
			{ in_dir("loader.efi", loader, sizeof(loader)), "/EFI/BOOT/BOOTX64.EFI" },
			{ in_dir("bootmgr.efi", bootmgr, sizeof(bootmgr)),
			  "/EFI/Microsoft/Boot/bootmgfw.efi" },
		};

		rc = write_text(loader, "the loader") && write_text(bootmgr, "the boot manager") ?
		     efiimg_create(in_dir("efi.img", image, sizeof(image)), files, 2, &size,
				   &err) : -1;
		tap_ok(rc == 0 && size >= 1440 * 1024, "setup: an EFI boot image with two files %s",
		       text_string(&err));
	}

	tap_is_u64(get(image, "/EFI/BOOT/BOOTX64.EFI", "the loader", &err), EFIIMG_COPIED,
		   "a file in the image is copied out");
	tap_is_u64(get(image, "/efi/boot/bootx64.efi", "the loader", &err), EFIIMG_COPIED,
		   "names are matched ignoring case, as FAT does");
	tap_is_u64(get(image, "/EFI/Microsoft/Boot/bootmgfw.efi", "the boot manager", &err),
		   EFIIMG_COPIED,
		   "long names too");
	tap_is_u64(get(image, "/EFI/BOOT/MISSING.EFI", "", &err), EFIIMG_NO_FILE,
		   "a missing file is no file, not an error");
	tap_is_u64(get(image, "/NOPE/BOOTX64.EFI", "", &err), EFIIMG_NO_FILE,
		   "so is a missing folder");
	tap_is_u64(get(image, "/EFI/BOOT", "", &err), EFIIMG_NO_FILE,
		   "a folder is not the file asked for");

	in_dir("garbage.img", garbage, sizeof(garbage));
	rc = write_text(garbage, "not a FAT file system") && truncate(garbage, 1440 * 1024) == 0 ?
	     get(garbage, "/EFI/BOOT/BOOTX64.EFI", "", &err) : COPIED_WRONG;
	tap_is_u64(rc, EFIIMG_ERROR, "an image that is not FAT is an error, not a missing file");
	tap_ok(strstr(text_string(&err), "cannot list / in the EFI boot image: mdir exited with "
		      "status 1") != NULL, "which says so: %s", text_string(&err));

	/* Microsoft's efisys.bin: a media byte mtools checks unless told
	 * not to. */
	tap_ok(patch_byte(image, 21, 0xf9), "setup: the image's media byte differs from its FAT's");
	tap_is_u64(get(image, "/EFI/BOOT/BOOTX64.EFI", "the loader", &err), EFIIMG_COPIED,
		   "mtools is told to skip its checks: the file is still read %s",
		   text_string(&err));
	tap_ok(getenv("MTOOLS_SKIP_CHECK") == NULL,
	       "without MTOOLS_SKIP_CHECK in the builder's own environment");

	text_free(&err);
	{
		const char *argv[] = { "rm", "-rf", dir, NULL };

		run_or_explain(argv, "rm", NULL, NULL, &err);
		text_free(&err);
	}
	return tap_done();
}
