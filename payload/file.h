/*
 * file.h - files on the volume the payload was loaded from
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FILE_H
#define WIN7GEN2_FILE_H

#include <efi.h>

#define FILE_PATH_MAX 260 /* CHAR16s, NUL included */

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
 * The path of a loaded image on its volume ("\EFI\BOOT\BOOTX64.EFI"),
 * made from the file-path nodes of its device path.
 */
EFI_STATUS file_image_path(EFI_LOADED_IMAGE *image, CHAR16 *path, UINTN count);

/* Copy the folder part of path, with its trailing '\', into folder. */
void file_folder(const CHAR16 *path, CHAR16 *folder, UINTN count);

/* Compare two volume paths the way FAT does: ignoring case, '/' == '\'. */
BOOLEAN file_path_equal(const CHAR16 *a, const CHAR16 *b);

#endif
