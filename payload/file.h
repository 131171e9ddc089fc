/*
 * file.h - files on the volume the payload was loaded from
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FILE_H
#define WIN7GEN2_FILE_H

#include <efi.h>

#define FILE_PATH_MAX 260 /* CHAR16s, NUL included */

/* A file being written goes under its name + this until it is complete;
 * a leftover one is junk from an interrupted write. */
#define FILE_TEMP_SUFFIX ".w7g2new"

/*
 * Read a whole file of at most max_size bytes into a pool buffer (the
 * caller frees it).  A larger file is EFI_BAD_BUFFER_SIZE, not a
 * truncated read.
 */
EFI_STATUS file_read(EFI_HANDLE device, const CHAR16 *path, UINTN max_size,
		     void **data, UINTN *size);

/* EFI_SUCCESS if path names a regular file on device. */
EFI_STATUS file_probe(EFI_HANDLE device, const CHAR16 *path);

/*
 * Create or replace path with size bytes of data, flushed to the disk.
 * Replacing truncates first: callers that must never leave a torn file
 * write to a temporary name and rename.
 */
EFI_STATUS file_write(EFI_HANDLE device, const CHAR16 *path, const void *data, UINTN size);

/*
 * Replace path (or create it) so that it is either the old file or the
 * new one whole: the data goes to path + FILE_TEMP_SUFFIX first, then
 * takes the name.  A crash between the two steps leaves no file at
 * path, never a torn one.
 */
EFI_STATUS file_replace(EFI_HANDLE device, const CHAR16 *path, const void *data, UINTN size);

/*
 * Add size bytes at the end of path, creating it if need be; nothing is
 * added (EFI_VOLUME_FULL) when the file holds max_size bytes or more
 * already, so a log only ever appended to stays bounded.
 */
EFI_STATUS file_append(EFI_HANDLE device, const CHAR16 *path, const void *data, UINTN size,
		       UINT64 max_size);

/* Create the folder path (its parent must exist); success if it is there. */
EFI_STATUS file_make_dir(EFI_HANDLE device, const CHAR16 *path);

/* The last component of path: "bootmgfw.efi" of "\EFI\...\bootmgfw.efi". */
const CHAR16 *file_base_name(const CHAR16 *path);

/* Delete path; EFI_NOT_FOUND if it was not there. */
EFI_STATUS file_delete(EFI_HANDLE device, const CHAR16 *path);

/* Rename path to new_name in the same folder (new_name has no '\'). */
EFI_STATUS file_rename(EFI_HANDLE device, const CHAR16 *path, const CHAR16 *new_name);

/*
 * The path of a loaded image on its volume ("\EFI\BOOT\BOOTX64.EFI"),
 * made from the file-path nodes of its device path.
 */
EFI_STATUS file_image_path(EFI_LOADED_IMAGE *image, CHAR16 *path, UINTN count);

/* Copy the folder part of path, with its trailing '\', into folder. */
void file_folder(const CHAR16 *path, CHAR16 *folder, UINTN count);

/* Compare two volume paths the way FAT does: ignoring case, '/' == '\'. */
BOOLEAN file_path_equal(const CHAR16 *a, const CHAR16 *b);

#endif
