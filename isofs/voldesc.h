/*
 * voldesc.h - the ISO 9660 volume descriptor set, sector by sector
 *
 * From sector 16 on, an image has one descriptor a sector, each tagged
 * "CD001", until the set terminator (type 255).  The listing reads the
 * primary descriptor's size and date, whether a Joliet descriptor is
 * there and the El Torito boot record; the writer points the primary and
 * Joliet descriptors at new trees; the read-back finds the boot record
 * again in OUT.  All three walk the set here, so they agree on where it
 * ends.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_VOLDESC_H
#define WIN7GEN2_VOLDESC_H

#include <stdint.h>

#include "listing.h"

#define VOLDESC_FIRST_SECTOR 16
#define VOLDESC_MAX 32             /* real images have 2 to 5; a longer set is damage */

enum voldesc_kind {
	VOLDESC_BOOT_RECORD,       /* type 0: El Torito's, or another system's */
	VOLDESC_PRIMARY,           /* type 1 */
	VOLDESC_JOLIET,            /* type 2 with a UCS-2 escape sequence (%/@, %/C, %/E) */
	VOLDESC_OTHER,             /* another supplementary or partition descriptor */
};

/*
 * Called for each descriptor before the terminator, with its sector
 * number, kind and bytes (which it may change: the caller writes them
 * back if it wants).  0 goes on to the next; anything else stops the
 * walk, and voldesc_walk returns it.
 */
typedef int (*voldesc_visit_fn)(void *ctx, uint64_t sector, enum voldesc_kind kind,
				uint8_t descriptor[ISO_SECTOR]);

/*
 * Walks the set in the image at fd, whose size is sectors (the walk
 * never reads past it).  0 when the set ended (a terminator, a sector
 * without "CD001", the end of the image, or VOLDESC_MAX descriptors);
 * the visit's value when it stopped the walk; VOLDESC_UNREADABLE, with
 * errno set, when a sector could not be read.
 */
#define VOLDESC_UNREADABLE (-1)
int voldesc_walk(int fd, uint64_t sectors, voldesc_visit_fn visit, void *ctx);

#endif
