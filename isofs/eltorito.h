/*
 * eltorito.h - the El Torito boot catalog, read from the image's bytes
 *
 * Boot record volume descriptor (sector 17) -> catalog -> validation
 * entry, default entry, section headers and section entries.  Microsoft's
 * Windows media give their boot images no file name at all: only the
 * catalog's LBA reaches them, so the catalog is read here, directly,
 * instead of through a tool that ties each image to a file in the tree.
 * Every offset and count is checked against the bytes given and against
 * the image's size.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ELTORITO_H
#define WIN7GEN2_ELTORITO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELTORITO_SECTOR 2048
#define ELTORITO_BOOT_RECORD_SECTOR 17
/* Real catalogs fill one sector; more than this is refused as damaged. */
#define ELTORITO_MAX_CATALOG_SECTORS 16
#define ELTORITO_MAX_ENTRIES 32
/* Every catalog entry, header and extension is this long. */
#define ELTORITO_ENTRY_SIZE 32

enum eltorito_platform { ELTORITO_BIOS, ELTORITO_UEFI, ELTORITO_OTHER };

struct eltorito_entry {
	unsigned number;            /* 1-based, catalog order */
	uint8_t platform_id;        /* 0 x86 BIOS, 0xEF UEFI, 1 PPC, 2 Mac */
	enum eltorito_platform platform;
	bool bootable;              /* boot indicator 0x88 */
	uint8_t media_type;         /* 0 no emulation, 1-3 floppy, 4 hard disk */
	uint16_t load_segment;
	uint8_t system_type;
	uint16_t sector_count;      /* 512-byte sectors the firmware loads */
	uint32_t lba;               /* 2048-byte sector of the image */
	size_t catalog_offset;      /* byte offset of this entry in the catalog */
};

struct eltorito_catalog {
	uint32_t catalog_lba;
	struct eltorito_entry entries[ELTORITO_MAX_ENTRIES];
	size_t entry_count;
};

/*
 * The catalog's sector from the boot record volume descriptor (the
 * 2048 bytes of sector 17).  1: found; 0: no El Torito boot record
 * (not bootable media); -1: damaged (*why says how).  image_sectors is
 * the image's size in 2048-byte sectors: a catalog beyond it, or at or
 * before sector 17, is damaged.  *why is set for 0 too.
 */
int eltorito_parse_boot_record(const uint8_t *sector, size_t size, uint64_t image_sectors,
			       uint32_t *catalog_lba, const char **why);

/*
 * Reads the entries of a catalog (size bytes from its first sector).
 * 0 on success, -1 with *why when the validation entry, a header, an
 * entry or a count is wrong, when entries run past size, or when an
 * image's LBA lies beyond image_sectors.  The catalog ends at an unused
 * (all-zero) entry where a section header would be, or after the final
 * (0x91) section; extension entries (0x44) are skipped.  An all-zero
 * default entry is unused and not listed.  out->catalog_lba is left as
 * the caller set it; on failure no entries are listed.
 */
int eltorito_parse_catalog(const uint8_t *catalog, size_t size, uint64_t image_sectors,
			   struct eltorito_catalog *out, const char **why);

/* The first entry for platform, or NULL. */
const struct eltorito_entry *eltorito_find(const struct eltorito_catalog *catalog,
					   enum eltorito_platform platform);

/* Points entry at a new image: rewrites its LBA and sector count in the
 * catalog bytes (entry->catalog_offset must lie inside size).  0, or -1
 * when the 32 bytes there are outside size, the validation entry, or not
 * a default or section entry. */
int eltorito_patch_entry(uint8_t *catalog, size_t size, const struct eltorito_entry *entry,
			 uint32_t lba, uint16_t sector_count);

/* "BIOS", "UEFI", "PPC", "Mac" or "0xNN" (buf of at least 8 bytes). */
const char *eltorito_platform_name(const struct eltorito_entry *entry, char *buf, size_t size);
/* "none", "fd1.2", "fd1.44", "fd2.88", "hd" or "0xNN". */
const char *eltorito_media_name(const struct eltorito_entry *entry, char *buf, size_t size);
#endif
