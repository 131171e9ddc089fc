/*
 * wimsd.h - add files to a WIM image with proper NTFS security descriptors
 *
 * WIMs made by Microsoft carry an NTFS security descriptor on every file
 * and folder.  wimlib gives none to files it takes from a Linux folder,
 * and a real Windows boot manager + winload fail with 0xc0000001 when
 * files they read from boot.wim have none.  So every file and folder the
 * builder adds to boot.wim goes in through here and carries the
 * descriptor of the folder it lands in, as that folder is in the image.
 *
 * wimlib takes descriptors only from an NTFS source: the files are
 * written into a small NTFS volume image (mkntfs, then libntfs-3g), each
 * given its descriptor, and wimlib adds that volume.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_WIMSD_H
#define WIN7GEN2_WIMSD_H

#include <stddef.h>

#include <wimlib.h>

#include "text.h"

/*
 * Adds fs_source (a file, or a folder and everything in it) at
 * wim_target in image ("\\win7gen2", "\\Windows\\System32\\winpeshl.ini";
 * "\\" or "/" separators).  Every added file and folder carries the
 * security descriptor of the folder it lands in, as that folder is in
 * the image: for the usual case that is wim_target's parent.  Folders
 * that do not exist yet (wim_target itself, or missing folders on the
 * way to it) are made, and take the descriptor of the nearest folder
 * above them that does exist.  When that folder has no descriptor (a WIM
 * captured from a Linux folder), or libntfs-3g finds it invalid, the
 * fixed wimsd_fallback_descriptor is used instead.
 *
 * Like wimlib's own ADD: a folder added onto an existing folder merges
 * into it (the existing folder keeps its own entry, descriptor and other
 * files); a file replaces an existing file of the same name.  Symbolic
 * links in fs_source are followed; other special files are refused.
 * Each file's modification time is kept.
 *
 * wimlib reads the file data when the WIM is written, from an NTFS image
 * this leaves in tempdir: keep tempdir until after wimlib_overwrite() or
 * wimlib_write(), and the WIMStruct's wimlib_free().
 *
 * 0 on success; -1 with a sentence in err (the image is then unchanged).
 */
int wimsd_add(WIMStruct *wim, int image, const char *fs_source, const char *wim_target,
	      const char *tempdir, struct text *err);

/*
 * The descriptor used when the folder has none, in the self-relative
 * form NTFS and WIMs store:
 *   O:BA G:SY D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)
 * owner Administrators, group SYSTEM; SYSTEM and Administrators full
 * control, Users read and execute; protected from inheritance, every
 * entry inherited by files and subfolders, as Windows PE's own folders.
 */
extern const unsigned char wimsd_fallback_descriptor[];
extern const size_t wimsd_fallback_descriptor_size;

#endif
