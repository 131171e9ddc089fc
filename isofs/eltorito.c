/*
 * eltorito.c - the El Torito boot catalog, read from the image's bytes
 *
 * Microsoft's Windows 7 media reach their boot images only through the
 * catalog's LBAs (the images have no ISO 9660 name), so the builder reads
 * the catalog itself.  Layout, all little-endian, every entry 32 bytes:
 *
 *   boot record (sector 17)  0 type 0, 1 "CD001", 6 version 1,
 *                            7 "EL TORITO SPECIFICATION" + zero padding (32),
 *                            71 catalog LBA (u32)
 *   validation entry         0 header id 1, 1 platform id, 4 id string (24),
 *                            28 checksum (u16: all 16 words sum to 0),
 *                            30 0x55, 31 0xAA
 *   default entry            0 boot indicator 0x88 / 0x00, 1 media type,
 *                            2 load segment, 4 system type,
 *                            6 sector count (u16), 8 LBA (u32)
 *   section header           0 0x90 (more follow) / 0x91 (final),
 *                            1 platform id, 2 entry count (u16), 4 id string
 *   section entry            as the default entry; byte 1 bit 5 says an
 *                            extension (0x44) follows, 12 selection criteria
 *   extension                0 0x44, 1 bit 5: another extension follows
 *
 * The walk only ever moves forward, 32 bytes per step, inside at most
 * ELTORITO_MAX_CATALOG_SECTORS sectors, so it ends on any input.
 *
 * SPDX-License-Identifier: MIT
 */
#include "eltorito.h"

#include <stdio.h>
#include <string.h>

#include "byteorder.h"

#define BOOT_RECORD_CATALOG_LBA 71
#define BOOT_SYSTEM_ID "EL TORITO SPECIFICATION"
#define BOOT_SYSTEM_ID_FIELD 32

#define VALIDATION_HEADER_ID 0x01
#define BOOTABLE 0x88
#define NOT_BOOTABLE 0x00
#define SECTION_HEADER_MORE 0x90
#define SECTION_HEADER_FINAL 0x91
#define EXTENSION 0x44
#define CONTINUATION_FOLLOWS 0x20
#define MEDIA_TYPE_MASK 0x0f

#define PLATFORM_BIOS 0x00
#define PLATFORM_PPC 0x01
#define PLATFORM_MAC 0x02
#define PLATFORM_UEFI 0xef

#define MAX_CATALOG_BYTES ((size_t)ELTORITO_MAX_CATALOG_SECTORS * ELTORITO_SECTOR)

static bool all_zero(const uint8_t *p, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (p[i])
			return false;
	return true;
}

/* The El Torito identifier; the padding is tolerated as spaces too,
 * since only the text tells one boot system from another. */
static bool is_el_torito(const uint8_t *field)
{
	size_t length = sizeof(BOOT_SYSTEM_ID) - 1;

	if (memcmp(field, BOOT_SYSTEM_ID, length) != 0)
		return false;
	for (size_t i = length; i < BOOT_SYSTEM_ID_FIELD; i++)
		if (field[i] != 0 && field[i] != ' ')
			return false;
	return true;
}

int eltorito_parse_boot_record(const uint8_t *sector, size_t size, uint64_t image_sectors,
			       uint32_t *catalog_lba, const char **why)
{
	uint32_t lba;

	*catalog_lba = 0;
	if (!sector || size < ELTORITO_SECTOR) {
		*why = "the image ends before its boot record sector";
		return -1;
	}
	/* Sector 16 is the primary volume descriptor, so an ISO 9660 image
	 * always has another descriptor (at least the terminator) here. */
	if (memcmp(sector + 1, "CD001", 5) != 0) {
		*why = "sector 17 holds no ISO 9660 volume descriptor";
		return -1;
	}
	if (sector[0] != 0) {
		*why = "the image has no El Torito boot record";
		return 0;
	}
	if (sector[6] != 1) {
		*why = "the boot record has a version other than 1";
		return -1;
	}
	if (!is_el_torito(sector + 7)) {
		*why = "the boot record is for a boot system other than El Torito";
		return 0;
	}
	lba = get_le32(sector + BOOT_RECORD_CATALOG_LBA);
	if (lba <= ELTORITO_BOOT_RECORD_SECTOR) {
		*why = "the boot record puts the boot catalog among the volume descriptors";
		return -1;
	}
	if (lba >= image_sectors) {
		*why = "the boot record puts the boot catalog beyond the image's end";
		return -1;
	}
	*catalog_lba = lba;
	return 1;
}

static enum eltorito_platform platform_of(uint8_t platform_id)
{
	switch (platform_id) {
	case PLATFORM_BIOS:
		return ELTORITO_BIOS;
	case PLATFORM_UEFI:
		return ELTORITO_UEFI;
	default:
		return ELTORITO_OTHER;
	}
}

static int check_validation_entry(const uint8_t *entry, const char **why)
{
	uint16_t sum = 0;

	if (entry[30] != 0x55 || entry[31] != 0xaa) {
		*why = "the boot catalog lacks the 55 AA key bytes of its validation entry";
		return -1;
	}
	if (entry[0] != VALIDATION_HEADER_ID) {
		*why = "the boot catalog does not begin with a validation entry";
		return -1;
	}
	for (size_t i = 0; i < ELTORITO_ENTRY_SIZE; i += 2)
		sum = (uint16_t)(sum + get_le16(entry + i));
	if (sum != 0) {
		*why = "the boot catalog's validation entry has a bad checksum";
		return -1;
	}
	return 0;
}

/* One default or section entry at offset (32 bytes known to be there). */
static int add_entry(const uint8_t *catalog, size_t offset, uint8_t platform_id,
		     uint64_t image_sectors, struct eltorito_catalog *out, const char **why)
{
	const uint8_t *bytes = catalog + offset;
	struct eltorito_entry *entry;
	uint64_t image_end;

	if (bytes[0] != BOOTABLE && bytes[0] != NOT_BOOTABLE) {
		*why = "a boot catalog entry is marked neither bootable nor not bootable";
		return -1;
	}
	if (out->entry_count >= ELTORITO_MAX_ENTRIES) {
		*why = "the boot catalog lists more boot images than any real medium has";
		return -1;
	}
	entry = &out->entries[out->entry_count];
	entry->number = (unsigned)out->entry_count + 1;
	entry->platform_id = platform_id;
	entry->platform = platform_of(platform_id);
	entry->bootable = bytes[0] == BOOTABLE;
	entry->media_type = bytes[1] & MEDIA_TYPE_MASK;
	entry->load_segment = get_le16(bytes + 2);
	entry->system_type = bytes[4];
	entry->sector_count = get_le16(bytes + 6);
	entry->lba = get_le32(bytes + 8);
	entry->catalog_offset = offset;
	if (entry->lba >= image_sectors) {
		*why = "a boot image in the boot catalog starts beyond the image's end";
		return -1;
	}
	/* The firmware loads sector_count 512-byte sectors from a 2048-byte
	 * one; the sum cannot wrap in 64 bits. */
	image_end = (uint64_t)entry->lba + ((uint64_t)entry->sector_count + 3) / 4;
	if (image_end > image_sectors) {
		*why = "a boot image in the boot catalog runs past the image's end";
		return -1;
	}
	out->entry_count++;
	return 0;
}

/*
 * Past the extensions of the entry just read.  Only a 0x44 indicator
 * makes an extension: a continuation flag with no extension after it is
 * ignored, but one whose extension lies past the bytes is a cut catalog.
 */
static int skip_extensions(const uint8_t *catalog, size_t limit, size_t *offset,
			   bool continuation, const char *cut_off, const char **why)
{
	for (;;) {
		if (limit - *offset < ELTORITO_ENTRY_SIZE) {
			if (continuation) {
				*why = cut_off;
				return -1;
			}
			return 0;
		}
		if (catalog[*offset] != EXTENSION)
			return 0;
		continuation = catalog[*offset + 1] & CONTINUATION_FOLLOWS;
		*offset += ELTORITO_ENTRY_SIZE;
	}
}

static int walk_catalog(const uint8_t *catalog, size_t size, uint64_t image_sectors,
			struct eltorito_catalog *out, const char **why)
{
	size_t limit = size < MAX_CATALOG_BYTES ? size : MAX_CATALOG_BYTES;
	/* A walk that reaches MAX_CATALOG_BYTES with bytes given up to there
	 * met a catalog too long, not one cut short by the caller's read. */
	const char *cut_off = size >= MAX_CATALOG_BYTES ?
		"the boot catalog runs on past the longest catalog a medium may have" :
		"the boot catalog is cut off before its end";
	const char *counts_too_many =
		"a section header counts more entries than the boot catalog holds";
	size_t offset = ELTORITO_ENTRY_SIZE;
	uint8_t default_platform;

	if (limit < 2 * ELTORITO_ENTRY_SIZE) {
		*why = "the boot catalog is cut off before its default entry";
		return -1;
	}
	if (check_validation_entry(catalog, why) < 0)
		return -1;
	default_platform = catalog[1];
	/* An unused (all-zero) default entry describes no image: it is not
	 * listed, and the sections may still hold images. */
	if (!all_zero(catalog + offset, ELTORITO_ENTRY_SIZE) &&
	    add_entry(catalog, offset, default_platform, image_sectors, out, why) < 0)
		return -1;
	offset += ELTORITO_ENTRY_SIZE;
	if (skip_extensions(catalog, limit, &offset, false, cut_off, why) < 0)
		return -1;

	for (;;) {
		const uint8_t *header;
		uint8_t platform_id;
		unsigned count;
		bool final;

		if (limit - offset < ELTORITO_ENTRY_SIZE) {
			*why = cut_off;
			return -1;
		}
		header = catalog + offset;
		if (all_zero(header, ELTORITO_ENTRY_SIZE))
			return 0;
		if (header[0] != SECTION_HEADER_MORE && header[0] != SECTION_HEADER_FINAL) {
			*why = "the boot catalog holds an entry where a section header should be";
			return -1;
		}
		final = header[0] == SECTION_HEADER_FINAL;
		platform_id = header[1];
		count = get_le16(header + 2);
		offset += ELTORITO_ENTRY_SIZE;
		if (count > (limit - offset) / ELTORITO_ENTRY_SIZE) {
			*why = counts_too_many;
			return -1;
		}
		if (count > ELTORITO_MAX_ENTRIES - out->entry_count) {
			*why = "the boot catalog lists more boot images than any real medium has";
			return -1;
		}
		for (unsigned i = 0; i < count; i++) {
			bool continuation;

			/* Extensions may have used up the room the count saw. */
			if (limit - offset < ELTORITO_ENTRY_SIZE) {
				*why = cut_off;
				return -1;
			}
			if (all_zero(catalog + offset, ELTORITO_ENTRY_SIZE)) {
				*why = counts_too_many;
				return -1;
			}
			if (add_entry(catalog, offset, platform_id, image_sectors, out, why) < 0)
				return -1;
			continuation = catalog[offset + 1] & CONTINUATION_FOLLOWS;
			offset += ELTORITO_ENTRY_SIZE;
			if (skip_extensions(catalog, limit, &offset, continuation, cut_off,
					    why) < 0)
				return -1;
		}
		if (final)
			return 0;
	}
}

int eltorito_parse_catalog(const uint8_t *catalog, size_t size, uint64_t image_sectors,
			   struct eltorito_catalog *out, const char **why)
{
	/* catalog_lba comes from the boot record, which the caller keeps. */
	memset(out->entries, 0, sizeof(out->entries));
	out->entry_count = 0;
	if (walk_catalog(catalog, catalog ? size : 0, image_sectors, out, why) < 0) {
		/* A refusal hands back no half-read list. */
		memset(out->entries, 0, sizeof(out->entries));
		out->entry_count = 0;
		return -1;
	}
	return 0;
}

const struct eltorito_entry *eltorito_find(const struct eltorito_catalog *catalog,
					   enum eltorito_platform platform)
{
	size_t count = catalog->entry_count < ELTORITO_MAX_ENTRIES ?
		catalog->entry_count : ELTORITO_MAX_ENTRIES;

	for (size_t i = 0; i < count; i++)
		if (catalog->entries[i].platform == platform)
			return &catalog->entries[i];
	return NULL;
}

int eltorito_patch_entry(uint8_t *catalog, size_t size, const struct eltorito_entry *entry,
			 uint32_t lba, uint16_t sector_count)
{
	size_t offset;
	uint8_t *bytes;

	if (!catalog || !entry)
		return -1;
	offset = entry->catalog_offset;
	/* Entry 0 is the validation entry, whose checksum this would break. */
	if (offset < ELTORITO_ENTRY_SIZE || offset % ELTORITO_ENTRY_SIZE ||
	    offset > size || size - offset < ELTORITO_ENTRY_SIZE)
		return -1;
	bytes = catalog + offset;
	/* Not an entry: the caller holds another catalog than it parsed. */
	if (bytes[0] != BOOTABLE && bytes[0] != NOT_BOOTABLE)
		return -1;
	put_le16(bytes + 6, sector_count);
	put_le32(bytes + 8, lba);
	return 0;
}

static const char *hex_name(uint8_t value, char *buf, size_t size)
{
	if (!buf || size == 0)
		return "?";
	snprintf(buf, size, "0x%02X", value);
	return buf;
}

const char *eltorito_platform_name(const struct eltorito_entry *entry, char *buf, size_t size)
{
	switch (entry->platform_id) {
	case PLATFORM_BIOS:
		return "BIOS";
	case PLATFORM_UEFI:
		return "UEFI";
	case PLATFORM_PPC:
		return "PPC";
	case PLATFORM_MAC:
		return "Mac";
	default:
		return hex_name(entry->platform_id, buf, size);
	}
}

const char *eltorito_media_name(const struct eltorito_entry *entry, char *buf, size_t size)
{
	static const char *const names[] = { "none", "fd1.2", "fd1.44", "fd2.88", "hd" };

	if (entry->media_type < sizeof(names) / sizeof(names[0]))
		return names[entry->media_type];
	return hex_name(entry->media_type, buf, size);
}
