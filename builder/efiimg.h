/*
 * efiimg.h - El Torito EFI boot images: FAT file systems, via mtools
 *
 * The builder never writes FAT itself: mkfs.fat makes the file system,
 * mtools copies files in and out.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_EFIIMG_H
#define WIN7GEN2_EFIIMG_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

enum efiimg_get_result {
	EFIIMG_COPIED,     /* the file is at disk_path */
	EFIIMG_NO_FILE,    /* the image has no such file (or a folder on the way);
			    * err untouched */
	EFIIMG_ERROR,      /* err says why: not FAT, unreadable, a copy failed */
};

/* Copies the file at fat_path (e.g. "/EFI/BOOT/BOOTX64.EFI") out of a
 * FAT image. */
enum efiimg_get_result efiimg_get(const char *image, const char *fat_path, const char *disk_path,
				  struct text *err);

struct efiimg_file {
	const char *disk_path;
	const char *fat_path;     /* "/EFI/BOOT/BOOTX64.EFI"; folders are made */
};

/* Makes a new FAT image holding the files, sized to fit them; its size
 * in bytes goes to *size. */
int efiimg_create(const char *image, const struct efiimg_file *files, size_t count,
		  uint64_t *size, struct text *err);

#endif
