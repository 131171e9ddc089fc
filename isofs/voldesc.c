/*
 * voldesc.c - the ISO 9660 volume descriptor set, sector by sector
 *
 * SPDX-License-Identifier: MIT
 */
#include "voldesc.h"

#include <string.h>

#include "files.h"

static enum voldesc_kind kind_of(const uint8_t *descriptor)
{
	switch (descriptor[0]) {
	case 0:
		return VOLDESC_BOOT_RECORD;
	case 1:
		return VOLDESC_PRIMARY;
	case 2:
		if (descriptor[88] == '%' && descriptor[89] == '/' &&
		    (descriptor[90] == '@' || descriptor[90] == 'C' || descriptor[90] == 'E'))
			return VOLDESC_JOLIET;
		return VOLDESC_OTHER;
	default:
		return VOLDESC_OTHER;
	}
}

int voldesc_walk(int fd, uint64_t sectors, voldesc_visit_fn visit, void *ctx)
{
	uint8_t descriptor[ISO_SECTOR];

	for (uint64_t sector = VOLDESC_FIRST_SECTOR;
	     sector < VOLDESC_FIRST_SECTOR + VOLDESC_MAX && sector < sectors; sector++) {
		int rc;

		if (pread_full(fd, descriptor, sizeof(descriptor), sector * ISO_SECTOR) < 0)
			return VOLDESC_UNREADABLE;
		if (memcmp(descriptor + 1, "CD001", 5) != 0 || descriptor[0] == 255)
			break;
		rc = visit(ctx, sector, kind_of(descriptor), descriptor);
		if (rc != 0)
			return rc;
	}
	return 0;
}
