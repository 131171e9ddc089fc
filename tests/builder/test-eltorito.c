/*
 * test-eltorito.c - the El Torito boot record and boot catalog parser
 *
 * Catalogs are built here byte by byte from the El Torito layout, not by
 * the code under test: one as Microsoft's CDIMAGE lays out Windows 7
 * media (BIOS default entry, one final UEFI section), one as xorriso
 * writes a BIOS + UEFI + BIOS disc (its exact bytes, read off an ISO it
 * made), and damaged variants of both, one check per kind of damage.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eltorito.h"
#include "tap.h"

#define DVD_SECTORS 1600000u  /* a 3.2 GB DVD image */
#define MS_BIOS_LBA 0x1d3u
#define MS_UEFI_LBA 0x1d7u

static void put_le(uint8_t *p, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++, value >>= 8)
		p[i] = (uint8_t)value;
}

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t value = 0;

	for (unsigned i = bytes; i-- > 0;)
		value = value << 8 | p[i];
	return value;
}

static void make_validation(uint8_t *p, uint8_t platform_id, const char *id)
{
	uint32_t sum = 0;

	memset(p, 0, 32);
	p[0] = 1;
	p[1] = platform_id;
	memcpy(p + 4, id, strlen(id));
	p[30] = 0x55;
	p[31] = 0xaa;
	for (unsigned i = 0; i < 32; i += 2)
		sum += (uint32_t)get_le(p + i, 2);
	put_le(p + 28, (0x10000 - (sum & 0xffff)) & 0xffff, 2);
}

static void make_entry(uint8_t *p, uint8_t indicator, uint8_t media, uint16_t load_segment,
		       uint16_t sector_count, uint32_t lba)
{
	memset(p, 0, 32);
	p[0] = indicator;
	p[1] = media;
	put_le(p + 2, load_segment, 2);
	put_le(p + 6, sector_count, 2);
	put_le(p + 8, lba, 4);
}

static void make_header(uint8_t *p, uint8_t indicator, uint8_t platform_id, uint16_t count)
{
	memset(p, 0, 32);
	p[0] = indicator;
	p[1] = platform_id;
	put_le(p + 2, count, 2);
}

static void make_boot_record(uint8_t *sector, uint32_t catalog_lba)
{
	memset(sector, 0, ELTORITO_SECTOR);
	sector[0] = 0;
	memcpy(sector + 1, "CD001", 5);
	sector[6] = 1;
	memcpy(sector + 7, "EL TORITO SPECIFICATION", 23);
	put_le(sector + 71, catalog_lba, 4);
}

/* Windows 7 media: etfsboot.com as an 8-sector BIOS default entry,
 * efisys.bin in one final UEFI section.  128 bytes used. */
static void make_microsoft(uint8_t *catalog, uint16_t uefi_sectors)
{
	memset(catalog, 0, ELTORITO_SECTOR);
	make_validation(catalog, 0x00, "");
	make_entry(catalog + 32, 0x88, 0, 0x07c0, 8, MS_BIOS_LBA);
	make_header(catalog + 64, 0x91, 0xef, 1);
	make_entry(catalog + 96, 0x88, 0, 0, uefi_sectors, MS_UEFI_LBA);
}

/* Catalog sector 33 of `xorriso -as mkisofs -b boot.img -no-emul-boot
 * -boot-load-size 4 -eltorito-alt-boot -e efi.img -no-emul-boot
 * -eltorito-alt-boot -b boot2.img -no-emul-boot -boot-load-size 4`,
 * a 907-sector image: a 0x90 UEFI section, then a 0x91 BIOS one. */
#define XORRISO_SECTORS 907u
static const uint8_t xorriso_bytes[192] = {
	0x01, 0x00, 0x00, 0x00, [28] = 0xaa, 0x55, 0x55, 0xaa,
	[32] = 0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x22, 0x00, 0x00, 0x00,
	[64] = 0x90, 0xef, 0x01, 0x00,
	[96] = 0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x0b, 0x24, 0x00, 0x00, 0x00,
	[128] = 0x91, 0x00, 0x01, 0x00,
	[160] = 0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x23, 0x00, 0x00, 0x00,
};

static void make_xorriso(uint8_t *catalog)
{
	memset(catalog, 0, ELTORITO_SECTOR);
	memcpy(catalog, xorriso_bytes, sizeof(xorriso_bytes));
}

static int parse(const uint8_t *catalog, size_t size, uint64_t image_sectors,
		 struct eltorito_catalog *out, const char **why)
{
	memset(out, 0xa5, sizeof(*out));
	out->catalog_lba = 1234;
	*why = "";
	return eltorito_parse_catalog(catalog, size, image_sectors, out, why);
}

/* Refused, saying why (containing why_has unless NULL), listing nothing. */
static void refused(const uint8_t *catalog, size_t size, uint64_t image_sectors,
		    const char *why_has, const char *what)
{
	struct eltorito_catalog cat;
	const char *why;
	int rc = parse(catalog, size, image_sectors, &cat, &why);

	tap_ok(rc < 0 && cat.entry_count == 0 && why && why[0] &&
	       (!why_has || strstr(why, why_has)), "%s (%s)", what, rc < 0 ? why : "accepted");
}

/* Parsed, with want_count entries (SIZE_MAX: any number). */
static void parses(const uint8_t *catalog, size_t size, uint64_t image_sectors,
		   struct eltorito_catalog *out, size_t want_count, const char *what)
{
	const char *why;
	int rc = parse(catalog, size, image_sectors, out, &why);

	if (!tap_ok(rc == 0 && (want_count == SIZE_MAX || out->entry_count == want_count), "%s", what))
		tap_diag("rc %d, %zu entries: %s", rc, out->entry_count, rc < 0 ? why : "");
}

static void boot_record_is(const uint8_t *sector, size_t size, uint64_t image_sectors, int want,
			   const char *what)
{
	uint32_t lba = 99;
	const char *why = "";
	int rc = eltorito_parse_boot_record(sector, size, image_sectors, &lba, &why);

	tap_ok(rc == want && lba == 0 && why && why[0], "%s (%d: %s)", what, rc, why);
}

static void check_entry(const struct eltorito_entry *e, unsigned number, uint8_t platform_id,
			bool bootable, uint8_t media, uint16_t load_segment, uint16_t sectors,
			uint32_t lba, size_t offset, const char *what)
{
	tap_is_u64(e->number, number, "%s: number", what);
	tap_is_u64(e->platform_id, platform_id, "%s: platform id", what);
	tap_is_u64(e->platform, platform_id == 0 ? ELTORITO_BIOS :
		   platform_id == 0xef ? ELTORITO_UEFI : ELTORITO_OTHER, "%s: platform", what);
	tap_is_u64(e->bootable, bootable, "%s: bootable", what);
	tap_is_u64(e->media_type, media, "%s: media type", what);
	tap_is_u64(e->load_segment, load_segment, "%s: load segment", what);
	tap_is_u64(e->system_type, 0, "%s: system type", what);
	tap_is_u64(e->sector_count, sectors, "%s: sector count", what);
	tap_is_u64(e->lba, lba, "%s: LBA", what);
	tap_is_u64(e->catalog_offset, offset, "%s: catalog offset", what);
}

static void test_boot_record(void)
{
	uint8_t sector[ELTORITO_SECTOR];
	uint32_t lba = 99;
	const char *why = "";

	make_boot_record(sector, 33);
	tap_is_u64(eltorito_parse_boot_record(sector, sizeof(sector), XORRISO_SECTORS, &lba, &why), 1,
		   "an El Torito boot record is found");
	tap_is_u64(lba, 33, "its catalog LBA");

	sector[0] = 2;
	boot_record_is(sector, sizeof(sector), XORRISO_SECTORS, 0,
		       "a supplementary volume descriptor at 17: not bootable");
	sector[0] = 255;
	boot_record_is(sector, sizeof(sector), XORRISO_SECTORS, 0,
		       "the set terminator at 17: not bootable");

	make_boot_record(sector, 33);
	memcpy(sector + 7, "EL TORITO SPECIFICATIOM", 23);
	boot_record_is(sector, sizeof(sector), XORRISO_SECTORS, 0,
		       "a boot record of another boot system: not El Torito");
	make_boot_record(sector, 33);
	sector[7 + 23] = 'X';
	boot_record_is(sector, sizeof(sector), XORRISO_SECTORS, 0,
		       "an identifier longer than El Torito's is another one");
	make_boot_record(sector, 33);
	memset(sector + 7 + 23, ' ', 32 - 23);
	tap_is_u64(eltorito_parse_boot_record(sector, sizeof(sector), XORRISO_SECTORS, &lba, &why), 1,
		   "padding with spaces instead of zeros is tolerated");

	make_boot_record(sector, 33);
	sector[6] = 2;
	boot_record_is(sector, sizeof(sector), XORRISO_SECTORS, -1,
		       "version 2 is refused");
	make_boot_record(sector, 33);
	memcpy(sector + 1, "CD002", 5);
	boot_record_is(sector, sizeof(sector), XORRISO_SECTORS, -1,
		       "no CD001 at sector 17 is refused");
	make_boot_record(sector, 33);
	boot_record_is(sector, sizeof(sector) - 1, XORRISO_SECTORS, -1,
		       "a sector one byte short is refused");
	boot_record_is(NULL, 0, XORRISO_SECTORS, -1,
		       "no bytes at all are refused");
	boot_record_is(sector, sizeof(sector), 33, -1,
		       "a catalog at the image's end is refused");
	tap_is_u64(eltorito_parse_boot_record(sector, sizeof(sector), 34, &lba, &why), 1,
		   "a catalog in the image's last sector is fine");
	make_boot_record(sector, 17);
	boot_record_is(sector, sizeof(sector), XORRISO_SECTORS, -1,
		       "a catalog on the boot record itself is refused");
	make_boot_record(sector, 0xffffffffu);
	tap_ok(eltorito_parse_boot_record(sector, sizeof(sector), UINT64_MAX, &lba, &why) == 1 &&
	       lba == 0xffffffffu, "the largest LBA is read whole");
}

static void test_microsoft(void)
{
	static const uint16_t uefi_counts[] = { 1, 2880 };
	uint8_t catalog[ELTORITO_SECTOR];
	struct eltorito_catalog cat;
	char buf[8], what[80];

	for (size_t i = 0; i < sizeof(uefi_counts) / sizeof(uefi_counts[0]); i++) {
		make_microsoft(catalog, uefi_counts[i]);
		snprintf(what, sizeof(what), "a Microsoft-like catalog (UEFI %u sectors) parses",
			 uefi_counts[i]);
		parses(catalog, sizeof(catalog), DVD_SECTORS, &cat, 2, what);
		tap_is_u64(cat.catalog_lba, 1234, "the caller's catalog LBA is left alone");
		check_entry(&cat.entries[0], 1, 0x00, true, 0, 0x07c0, 8, MS_BIOS_LBA, 32, "BIOS default");
		check_entry(&cat.entries[1], 2, 0xef, true, 0, 0, uefi_counts[i], MS_UEFI_LBA, 96,
			    "UEFI section entry");
		tap_ok(eltorito_find(&cat, ELTORITO_BIOS) == &cat.entries[0], "find BIOS");
		tap_ok(eltorito_find(&cat, ELTORITO_UEFI) == &cat.entries[1], "find UEFI");
		tap_ok(eltorito_find(&cat, ELTORITO_OTHER) == NULL, "find another platform: none");
		tap_is_str(eltorito_platform_name(&cat.entries[0], buf, sizeof(buf)), "BIOS", "BIOS named");
		tap_is_str(eltorito_platform_name(&cat.entries[1], buf, sizeof(buf)), "UEFI", "UEFI named");
		tap_is_str(eltorito_media_name(&cat.entries[1], buf, sizeof(buf)), "none",
			   "no emulation named");
	}
	/* The used bytes alone, with no unused entry after them, are whole. */
	parses(catalog, 128, DVD_SECTORS, &cat, 2,
	       "the final section's last entry ends the catalog");
}

static void test_xorriso(void)
{
	uint8_t catalog[ELTORITO_SECTOR];
	struct eltorito_catalog cat;

	make_xorriso(catalog);
	parses(catalog, sizeof(catalog), XORRISO_SECTORS, &cat, 3, "xorriso's catalog parses");
	check_entry(&cat.entries[0], 1, 0x00, true, 0, 0, 4, 34, 32, "xorriso BIOS default");
	check_entry(&cat.entries[1], 2, 0xef, true, 0, 0, 2880, 36, 96, "xorriso UEFI (0x90 section)");
	check_entry(&cat.entries[2], 3, 0x00, true, 0, 0, 4, 35, 160, "xorriso BIOS (0x91 section)");
	tap_ok(eltorito_find(&cat, ELTORITO_BIOS) == &cat.entries[0], "the first BIOS entry is found");
	parses(catalog, sizeof(xorriso_bytes), XORRISO_SECTORS, &cat, 3,
	       "xorriso's used bytes alone are whole");
	/* efi.img (2880 * 512 bytes = 720 sectors) at 36 ends at 756. */
	parses(catalog, sizeof(catalog), 756, &cat, SIZE_MAX,
	       "an image ending at the image's last sector is fine");
	refused(catalog, sizeof(catalog), 755, NULL,
		"an image one sector past the end is refused");
}

static void test_other_layouts(void)
{
	uint8_t catalog[ELTORITO_SECTOR];
	struct eltorito_catalog cat;
	char buf[8];

	/* UEFI only: the validation entry's platform is the default's. */
	memset(catalog, 0, sizeof(catalog));
	make_validation(catalog, 0xef, "UEFI ONLY");
	make_entry(catalog + 32, 0x88, 0, 0, 2880, 40);
	parses(catalog, sizeof(catalog), 1000, &cat, 1,
	       "a UEFI-only catalog (no sections) parses");
	tap_ok(eltorito_find(&cat, ELTORITO_UEFI) == &cat.entries[0] &&
	       eltorito_find(&cat, ELTORITO_BIOS) == NULL, "its default entry is UEFI");
	parses(catalog, 96, 1000, &cat, SIZE_MAX,
	       "an unused entry after the default one ends the catalog");
	refused(catalog, 64, 1000, NULL,
		"bytes ending after the default entry are a cut catalog");

	/* An unused default entry, the images in sections. */
	memset(catalog, 0, sizeof(catalog));
	make_validation(catalog, 0x00, "");
	make_header(catalog + 64, 0x91, 0xef, 1);
	make_entry(catalog + 96, 0x88, 0, 0, 1, 50);
	parses(catalog, sizeof(catalog), 1000, &cat, 1, "an unused default entry is not listed");
	tap_ok(cat.entries[0].platform == ELTORITO_UEFI && cat.entries[0].number == 1 &&
	       cat.entries[0].catalog_offset == 96, "the section's entry is number 1");

	/* Extensions after a section entry, a non-bootable entry, other
	 * platforms and media. */
	memset(catalog, 0, sizeof(catalog));
	make_validation(catalog, 0x02, "");
	make_entry(catalog + 32, 0x88, 0x04, 0, 1, 60);
	make_header(catalog + 64, 0x91, 0x01, 2);
	make_entry(catalog + 96, 0x00, 0x22, 0, 4, 61);  /* fd1.44 + continuation */
	catalog[96 + 12] = 1;                             /* selection criteria */
	catalog[128] = 0x44;
	catalog[129] = 0x20;                              /* another follows */
	catalog[160] = 0x44;
	catalog[161] = 0x00;
	make_entry(catalog + 192, 0x88, 0x0e, 0, 4, 62);
	parses(catalog, sizeof(catalog), 1000, &cat, 3, "extension entries are skipped");
	check_entry(&cat.entries[1], 2, 0x01, false, 2, 0, 4, 61, 96, "non-bootable PPC entry");
	check_entry(&cat.entries[2], 3, 0x01, true, 0x0e, 0, 4, 62, 192, "entry after extensions");
	tap_is_str(eltorito_platform_name(&cat.entries[0], buf, sizeof(buf)), "Mac", "Mac named");
	tap_is_str(eltorito_platform_name(&cat.entries[1], buf, sizeof(buf)), "PPC", "PPC named");
	tap_is_str(eltorito_media_name(&cat.entries[0], buf, sizeof(buf)), "hd", "hard disk named");
	tap_is_str(eltorito_media_name(&cat.entries[1], buf, sizeof(buf)), "fd1.44",
		   "floppy named, flags masked off");
	tap_is_str(eltorito_media_name(&cat.entries[2], buf, sizeof(buf)), "0x0E",
		   "an unknown media type in hex");
	cat.entries[2].media_type = 1;
	tap_is_str(eltorito_media_name(&cat.entries[2], buf, sizeof(buf)), "fd1.2", "1.2 MB floppy");
	cat.entries[2].media_type = 3;
	tap_is_str(eltorito_media_name(&cat.entries[2], buf, sizeof(buf)), "fd2.88", "2.88 MB floppy");
	cat.entries[2].platform_id = 0x42;
	tap_is_str(eltorito_platform_name(&cat.entries[2], buf, sizeof(buf)), "0x42",
		   "an unknown platform in hex");
	tap_is_str(eltorito_platform_name(&cat.entries[2], NULL, 0), "?",
		   "no buffer for an unknown platform");
	tap_is_str(eltorito_platform_name(&cat.entries[2], buf, 3), "0x", "a short buffer truncates");
	refused(catalog, 192, 1000, NULL,
		"a catalog cut right after extensions, with an entry still counted, is refused");
	catalog[161] = 0x20;
	refused(catalog, 192, 1000, NULL,
		"a catalog cut where an extension is announced is refused");
}

/* Every length short of used is refused; used itself parses. */
static void test_truncation(const uint8_t *catalog, size_t used, uint64_t image_sectors,
			    const char *what)
{
	struct eltorito_catalog cat;
	const char *why;
	size_t accepted = 0;
	bool said_why = true;
	char name[80];

	for (size_t size = 0; size < used; size++) {
		/* A copy of exactly size bytes, so ASan sees any over-read. */
		uint8_t *copy = malloc(size ? size : 1);

		memcpy(copy, catalog, size);
		if (parse(size ? copy : NULL, size, image_sectors, &cat, &why) == 0)
			accepted++;
		else if (!why || !why[0] || cat.entry_count)
			said_why = false;
		free(copy);
	}
	tap_is_u64(accepted, 0, "%s: all %zu cut lengths are refused", what, used);
	tap_ok(said_why, "%s: each refusal says why and lists nothing", what);
	snprintf(name, sizeof(name), "%s: the whole catalog parses", what);
	parses(catalog, used, image_sectors, &cat, SIZE_MAX, name);
}

static void test_refusals(void)
{
	uint8_t catalog[ELTORITO_SECTOR];
	struct eltorito_catalog cat;

	make_microsoft(catalog, 1);
	catalog[28] ^= 1;
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"a bad checksum is refused");
	make_microsoft(catalog, 1);
	catalog[4] = 'M';  /* the id string is under the checksum too */
	refused(catalog, sizeof(catalog), DVD_SECTORS, "checksum",
		"a changed id string breaks the checksum");
	make_microsoft(catalog, 1);
	catalog[30] = 0xaa;
	catalog[31] = 0x55;
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"swapped key bytes are refused");
	make_microsoft(catalog, 1);
	catalog[31] = 0xab;
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"a wrong key byte is refused");
	make_microsoft(catalog, 1);
	catalog[0] = 2;
	catalog[28]--;  /* checksum still right: only the header id is wrong */
	refused(catalog, sizeof(catalog), DVD_SECTORS, "validation",
		"a header id other than 1 is refused");
	memset(catalog, 0, sizeof(catalog));
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"a sector of zeros is no catalog");

	make_microsoft(catalog, 1);
	test_truncation(catalog, 128, DVD_SECTORS, "Microsoft-like");
	make_xorriso(catalog);
	test_truncation(catalog, sizeof(xorriso_bytes), XORRISO_SECTORS, "xorriso");

	make_microsoft(catalog, 1);
	make_header(catalog + 64, 0x91, 0xef, 0xffff);
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"a header count of 65535 is refused");
	make_microsoft(catalog, 1);
	make_header(catalog + 64, 0x91, 0xef, 2);
	refused(catalog, 128, DVD_SECTORS, NULL,
		"a header count one entry past the bytes is refused");
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"a header counting an unused entry is refused");
	make_microsoft(catalog, 1);
	make_header(catalog + 64, 0x90, 0xef, 1);
	refused(catalog, 128, DVD_SECTORS, NULL,
		"a catalog cut after a 0x90 (more follow) section is refused");
	parses(catalog, sizeof(catalog), DVD_SECTORS, &cat, 2,
	       "an unused entry after a 0x90 section ends the catalog");
	make_microsoft(catalog, 1);
	catalog[64] = 0x92;
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"an unknown header indicator is refused");
	make_microsoft(catalog, 1);
	catalog[96] = 0x89;
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"an unknown boot indicator is refused");
	make_microsoft(catalog, 1);
	catalog[32] = 0x80;
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"a default entry with an unknown boot indicator is refused");

	make_microsoft(catalog, 1);
	put_le(catalog + 96 + 8, DVD_SECTORS, 4);
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"an LBA at the image's end is refused");
	put_le(catalog + 96 + 8, 0xffffffffu, 4);
	put_le(catalog + 96 + 6, 0xffff, 2);
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"the largest LBA and count are refused");
	parses(catalog, sizeof(catalog), UINT64_MAX, &cat, SIZE_MAX,
	       "... and fit an image of 2^64 sectors without wrapping");
	make_microsoft(catalog, 1);
	put_le(catalog + 32 + 8, DVD_SECTORS - 2, 4);
	parses(catalog, sizeof(catalog), DVD_SECTORS, &cat, SIZE_MAX,
	       "8 sectors of 512 bytes in the image's last two sectors fit");
	put_le(catalog + 32 + 8, DVD_SECTORS - 1, 4);
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"8 sectors of 512 bytes in its last sector do not");
	put_le(catalog + 32 + 6, 4, 2);
	parses(catalog, sizeof(catalog), DVD_SECTORS, &cat, SIZE_MAX,
	       "4 sectors of 512 bytes in its last sector do");
	put_le(catalog + 32 + 6, 5, 2);
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"5 sectors of 512 bytes round up to a second one");
	make_microsoft(catalog, 1);
	catalog[64] = 0x55;
	refused(catalog, sizeof(catalog), DVD_SECTORS, NULL,
		"junk where a section header belongs is refused");
}

/* count section entries after the default entry, sections of per_section. */
static size_t make_many(uint8_t *catalog, size_t size, unsigned count, unsigned per_section)
{
	size_t offset = 64;

	memset(catalog, 0, size);
	make_validation(catalog, 0x00, "");
	make_entry(catalog + 32, 0x88, 0, 0, 4, 20);
	while (count) {
		unsigned n = count < per_section ? count : per_section;

		count -= n;
		make_header(catalog + offset, count ? 0x90 : 0x91, 0xef, (uint16_t)n);
		offset += 32;
		for (unsigned i = 0; i < n; i++, offset += 32)
			make_entry(catalog + offset, 0x88, 0, 0, 4, 21 + i);
	}
	return offset;
}

static void test_limits(void)
{
	static uint8_t catalog[(ELTORITO_MAX_CATALOG_SECTORS + 1) * ELTORITO_SECTOR];
	struct eltorito_catalog cat;
	char what[80];
	size_t used;

	used = make_many(catalog, ELTORITO_SECTOR, ELTORITO_MAX_ENTRIES - 1, 64);
	snprintf(what, sizeof(what), "%d entries in one section are read", ELTORITO_MAX_ENTRIES);
	parses(catalog, used, 1000, &cat, ELTORITO_MAX_ENTRIES, what);
	tap_is_u64(cat.entries[ELTORITO_MAX_ENTRIES - 1].number, ELTORITO_MAX_ENTRIES,
		   "the last one's number");
	used = make_many(catalog, ELTORITO_SECTOR, ELTORITO_MAX_ENTRIES, 64);
	snprintf(what, sizeof(what), "%d entries in one section are refused", ELTORITO_MAX_ENTRIES + 1);
	refused(catalog, used, 1000, NULL, what);
	used = make_many(catalog, ELTORITO_SECTOR, ELTORITO_MAX_ENTRIES - 1, 3);
	snprintf(what, sizeof(what), "%d entries over many sections are read", ELTORITO_MAX_ENTRIES);
	parses(catalog, used, 1000, &cat, ELTORITO_MAX_ENTRIES, what);
	used = make_many(catalog, ELTORITO_SECTOR, ELTORITO_MAX_ENTRIES, 3);
	snprintf(what, sizeof(what), "%d entries over many sections are refused",
		 ELTORITO_MAX_ENTRIES + 1);
	refused(catalog, used, 1000, NULL, what);

	/* One entry whose extensions never end: the walk stops at the
	 * longest catalog allowed, even with more bytes given. */
	make_many(catalog, sizeof(catalog), 1, 1);
	catalog[96 + 1] = 0x20;
	for (size_t offset = 128; offset < sizeof(catalog); offset += 32) {
		catalog[offset] = 0x44;
		catalog[offset + 1] = 0x20;
	}
	snprintf(what, sizeof(what), "endless extensions past %d sectors are refused",
		 ELTORITO_MAX_CATALOG_SECTORS);
	refused(catalog, sizeof(catalog), 1000, NULL, what);
	refused(catalog, ELTORITO_MAX_CATALOG_SECTORS * ELTORITO_SECTOR, 1000, NULL,
		"extensions running to the bytes' end are refused");
	catalog[ELTORITO_MAX_CATALOG_SECTORS * ELTORITO_SECTOR - 32 + 1] = 0;
	parses(catalog, sizeof(catalog), 1000, &cat, 2,
	       "extensions ending in the last allowed sector are read");

	make_many(catalog, sizeof(catalog), 1, 1);
	snprintf(what, sizeof(what), "a catalog given with more than %d sectors after it parses",
		 ELTORITO_MAX_CATALOG_SECTORS);
	parses(catalog, sizeof(catalog), 1000, &cat, 2, what);
}

static void test_patch(void)
{
	uint8_t catalog[ELTORITO_SECTOR], before[ELTORITO_SECTOR];
	struct eltorito_catalog cat, again;
	struct eltorito_entry fake;
	const struct eltorito_entry *uefi;

	make_microsoft(catalog, 1);
	memcpy(before, catalog, sizeof(catalog));
	parses(catalog, sizeof(catalog), DVD_SECTORS, &cat, SIZE_MAX,
	       "a catalog to patch");
	uefi = eltorito_find(&cat, ELTORITO_UEFI);
	tap_ok(eltorito_patch_entry(catalog, sizeof(catalog), uefi, 0x12345, 2880) == 0,
	       "the UEFI entry is patched");
	parses(catalog, sizeof(catalog), DVD_SECTORS, &again, SIZE_MAX,
	       "the patched catalog parses (validation untouched)");
	tap_is_u64(again.entries[1].lba, 0x12345, "new LBA read back");
	tap_is_u64(again.entries[1].sector_count, 2880, "new sector count read back");
	tap_ok(again.entries[0].lba == MS_BIOS_LBA && again.entries[0].sector_count == 8 &&
	       again.entries[0].catalog_offset == 32, "the BIOS entry is unchanged");
	tap_ok(memcmp(catalog, before, 96 + 6) == 0 &&
	       memcmp(catalog + 96 + 12, before + 96 + 12, sizeof(catalog) - 96 - 12) == 0,
	       "no byte outside the LBA and count changes");
	tap_is_u64(get_le(catalog + 96 + 8, 4), 0x12345, "LBA little-endian at +8");
	tap_is_u64(get_le(catalog + 96 + 6, 2), 2880, "count little-endian at +6");

	fake = cat.entries[1];
	tap_ok(eltorito_patch_entry(catalog, 127, &fake, 1, 1) < 0,
	       "an entry one byte past the bytes is not patched");
	tap_ok(eltorito_patch_entry(catalog, 128, &fake, 1, 1) == 0,
	       "an entry ending at the bytes' end is");
	fake.catalog_offset = 0;
	tap_ok(eltorito_patch_entry(catalog, sizeof(catalog), &fake, 1, 1) < 0,
	       "the validation entry is not patched");
	fake.catalog_offset = 64;
	tap_ok(eltorito_patch_entry(catalog, sizeof(catalog), &fake, 1, 1) < 0,
	       "a section header is not patched");
	fake.catalog_offset = 100;
	tap_ok(eltorito_patch_entry(catalog, sizeof(catalog), &fake, 1, 1) < 0,
	       "an offset between entries is not patched");
	fake.catalog_offset = sizeof(catalog);
	tap_ok(eltorito_patch_entry(catalog, sizeof(catalog), &fake, 1, 1) < 0,
	       "an offset at the end is not patched");
	fake.catalog_offset = SIZE_MAX - 31;
	tap_ok(eltorito_patch_entry(catalog, sizeof(catalog), &fake, 1, 1) < 0,
	       "an offset near SIZE_MAX does not wrap around");
	tap_ok(eltorito_patch_entry(NULL, 0, &cat.entries[1], 1, 1) < 0, "no catalog, no patch");
	tap_ok(eltorito_patch_entry(catalog, sizeof(catalog), NULL, 1, 1) < 0, "no entry, no patch");
}

int main(void)
{
	test_boot_record();
	test_microsoft();
	test_xorriso();
	test_other_layouts();
	test_refusals();
	test_limits();
	test_patch();
	return tap_done();
}
