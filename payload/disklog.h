/*
 * disklog.h - a record of what the payload changed at boot, for log.txt
 *
 * win7gen2 fix and the WinPE agent append a record of each run to
 * WIN7GEN2_LOG_PATH on the ESP.  When the payload itself changes the
 * disk or the firmware's boot entries at boot (selfrepair.c, owncopy.c,
 * bootentry.c) it appends one too, in the same shape, so the log tells
 * the whole story:
 *
 *   == 2026-11-26 10:00:00 win7gen2.efi 0.1.0 at boot (\EFI\win7gen2\win7gen2.efi)
 *   changed \EFI\Microsoft\Boot\bootmgfw.efi: re-wrapped (...)
 *   failed \EFI\Boot\bootx64.efi: re-wrapped (...); Write Protected
 *   == result: ok
 *
 * Lines end in CRLF (the file is read in Notepad).  The time is the
 * firmware clock's, in whatever zone it keeps.  Nothing is written on a
 * boot that changed nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_DISKLOG_H
#define WIN7GEN2_DISKLOG_H

#include <efi.h>

#define DISKLOG_MAX 4096 /* bytes of one record; more lines are dropped */

struct disklog {
	CHAR8 text[DISKLOG_MAX];
	UINTN length;
	UINTN entries;  /* lines added after the header */
	UINTN failures; /* of them, "failed" lines */
};

/* Begin a record: its header, with the firmware's time. */
void disklog_start(struct disklog *record, const CHAR16 *own_path);

/*
 * Add a line: label ("changed", "failed", "note") and a Print() format.
 * Characters outside printable ASCII become '?'.
 */
void disklog_add(struct disklog *record, const char *label, const CHAR16 *format, ...);

/*
 * Append the record, with its result line, to WIN7GEN2_LOG_PATH on
 * device, making \EFI\win7gen2\ if need be.  Nothing is written when no
 * line was added (EFI_SUCCESS).
 */
EFI_STATUS disklog_write(struct disklog *record, EFI_HANDLE device);

#endif
