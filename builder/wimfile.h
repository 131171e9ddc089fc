/*
 * wimfile.h - the WIM operations of the builder, on top of wimlib
 *
 * boot.wim is small enough to copy out of the ISO and change with wimlib;
 * these helpers keep wimlib's error codes and strings together so every
 * failure can say what wimlib said.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_WIMFILE_H
#define WIN7GEN2_WIMFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <wimlib.h>

#include "text.h"
#include "ui.h"
#include "wimxml.h"

/* wimlib_global_init once per process: Windows paths match without
 * regard to case, as on Windows. */
int wimfile_init(struct text *err);

int wimfile_open(const char *path, WIMStruct **wim, struct text *err);

/* Name, edition, architecture and version of every image: the WIM's XML
 * as wimlib read it, through wim_xml_parse (wimxml.h), the reader
 * install.wim's XML goes through too.  0, or -1 with err saying why
 * (free meta with wim_meta_free in both cases). */
int wimfile_meta(WIMStruct *wim, struct wim_meta *meta, struct text *err);

/* The image Windows Setup boots: the boot index when set, else the first
 * image whose name (in meta, from wimfile_meta) says "Setup". 0 when
 * there is none. */
int wimfile_setup_image(WIMStruct *wim, const struct wim_meta *meta);

/* True when path (e.g. "\\Windows\\Boot\\EFI\\bootmgfw.efi") is in the image. */
bool wimfile_exists(WIMStruct *wim, int image, const char *path);

/* Copies the files at paths into dir, each under its own name. */
int wimfile_extract_flat(WIMStruct *wim, int image, const char *const *paths,
			 size_t count, const char *dir, struct text *err);

/* Copies a directory tree (path in the image) to dir/<its name>. */
int wimfile_extract_tree(WIMStruct *wim, int image, const char *path,
			 const char *dir, struct text *err);

/*
 * The driver packages in Windows\System32\DriverStore\FileRepository
 * that hold a file named sys_name (e.g. "vmbus.sys"): their folder
 * names, appended to *names (count in *count; free each and the array).
 */
int wimfile_find_packages(WIMStruct *wim, int image, const char *sys_name,
			  char ***names, size_t *count, struct text *err);

/* Writes the changes back into the same file, with progress. */
int wimfile_commit(WIMStruct *wim, struct ui *ui, struct text *err);

#endif
