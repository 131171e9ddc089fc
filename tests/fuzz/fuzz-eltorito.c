/*
 * fuzz-eltorito.c - libFuzzer target for the El Torito boot record and
 * boot catalog parser
 *
 * The bytes are the user's ISO: sector 17 and the sectors the boot
 * record points at.  Whatever they hold, the parser must stay inside
 * them, list at most ELTORITO_MAX_ENTRIES entries, each a whole 32-byte
 * entry inside the bytes with its image inside the image, and the
 * patcher must rewrite exactly the LBA and sector count of each entry
 * and nothing else.  The input is taken both as a bare catalog and, when
 * it is long enough, as a boot record sector followed by its catalog.
 * tests/fuzz/replay.c runs it over the seeds in `make check`.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "eltorito.h"

/* A 4096-sector (8 MiB) image, as the seeds were made for; and one so
 * large that no LBA is refused, so the fuzzer reaches past that check. */
#define IMAGE_SECTORS 4096u
#define HUGE_IMAGE_SECTORS UINT64_MAX

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t value = 0;

	for (unsigned i = bytes; i-- > 0;)
		value = value << 8 | p[i];
	return value;
}

static void check_names(const struct eltorito_entry *entry)
{
	char buf[8];
	const char *name;

	memset(buf, 'x', sizeof(buf));
	name = eltorito_platform_name(entry, buf, sizeof(buf));
	if (!name || !name[0] || strnlen(name, sizeof(buf)) >= sizeof(buf))
		abort();
	memset(buf, 'x', sizeof(buf));
	name = eltorito_media_name(entry, buf, sizeof(buf));
	if (!name || !name[0] || strnlen(name, sizeof(buf)) >= sizeof(buf))
		abort();
}

static void check_entry(const struct eltorito_entry *entry, size_t index, const uint8_t *catalog,
			size_t size, uint64_t image_sectors)
{
	size_t offset = entry->catalog_offset;
	const uint8_t *bytes;

	if (entry->number != index + 1)
		abort();
	if (offset < ELTORITO_ENTRY_SIZE || offset % ELTORITO_ENTRY_SIZE || offset > size ||
	    size - offset < ELTORITO_ENTRY_SIZE ||
	    offset >= (size_t)ELTORITO_MAX_CATALOG_SECTORS * ELTORITO_SECTOR)
		abort();
	if (entry->lba >= image_sectors ||
	    entry->lba + ((uint64_t)entry->sector_count + 3) / 4 > image_sectors)
		abort();
	if (entry->platform != (entry->platform_id == 0 ? ELTORITO_BIOS :
				entry->platform_id == 0xef ? ELTORITO_UEFI : ELTORITO_OTHER))
		abort();
	/* What the entry says is what its bytes say. */
	bytes = catalog + offset;
	if ((bytes[0] != 0x88 && bytes[0] != 0x00) || entry->bootable != (bytes[0] == 0x88) ||
	    entry->media_type != (bytes[1] & 0x0f) || entry->load_segment != get_le(bytes + 2, 2) ||
	    entry->system_type != bytes[4] || entry->sector_count != get_le(bytes + 6, 2) ||
	    entry->lba != get_le(bytes + 8, 4))
		abort();
	check_names(entry);
}

/* Each entry repointed: only its 6 bytes change, and the catalog reads
 * back the same but for them.  Offsets outside the bytes are refused. */
static void check_patch(const uint8_t *catalog, size_t size, uint64_t image_sectors,
			const struct eltorito_catalog *parsed)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct eltorito_catalog again;
	struct eltorito_entry outside;
	const char *why = NULL;

	if (!copy)
		abort();
	memcpy(copy, catalog, size);
	for (size_t i = 0; i < parsed->entry_count; i++) {
		size_t offset = parsed->entries[i].catalog_offset;

		if (eltorito_patch_entry(copy, size, &parsed->entries[i], (uint32_t)(18 + i), 4) != 0)
			abort();
		if (memcmp(copy, catalog, offset + 6) != 0 ||
		    memcmp(copy + offset + 12, catalog + offset + 12, size - offset - 12) != 0)
			abort();
		memcpy(copy, catalog, size);
	}
	for (size_t i = 0; i < parsed->entry_count; i++)
		if (eltorito_patch_entry(copy, size, &parsed->entries[i], (uint32_t)(18 + i), 4) != 0)
			abort();
	if (eltorito_parse_catalog(copy, size, image_sectors, &again, &why) != 0 ||
	    again.entry_count != parsed->entry_count)
		abort();
	for (size_t i = 0; i < again.entry_count; i++)
		if (again.entries[i].catalog_offset != parsed->entries[i].catalog_offset ||
		    again.entries[i].lba != 18 + i || again.entries[i].sector_count != 4)
			abort();

	outside = parsed->entry_count ? parsed->entries[0] : (struct eltorito_entry){ 0 };
	outside.catalog_offset = size >= 31 ? size - 31 : 0;
	if (eltorito_patch_entry(copy, size, &outside, 1, 1) == 0)
		abort();
	outside.catalog_offset = SIZE_MAX - 7;
	if (eltorito_patch_entry(copy, size, &outside, 1, 1) == 0)
		abort();
	free(copy);
}

static void parse_catalog(const uint8_t *catalog, size_t size, uint64_t image_sectors)
{
	struct eltorito_catalog parsed;
	const char *why = NULL;

	memset(&parsed, 0x5a, sizeof(parsed));
	if (eltorito_parse_catalog(catalog, size, image_sectors, &parsed, &why) != 0) {
		if (!why || !why[0] || parsed.entry_count)
			abort(); /* a refusal always says why and lists nothing */
		return;
	}
	if (parsed.entry_count > ELTORITO_MAX_ENTRIES)
		abort();
	for (size_t i = 0; i < parsed.entry_count; i++)
		check_entry(&parsed.entries[i], i, catalog, size, image_sectors);
	for (int platform = ELTORITO_BIOS; platform <= ELTORITO_OTHER; platform++) {
		const struct eltorito_entry *found = eltorito_find(&parsed, platform);

		if (found && (found < parsed.entries || found >= parsed.entries + parsed.entry_count ||
			      found->platform != (enum eltorito_platform)platform))
			abort();
	}
	check_patch(catalog, size, image_sectors, &parsed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t catalog_lba = 1;
	const char *why = NULL;
	int found;

	parse_catalog(data, size, IMAGE_SECTORS);
	parse_catalog(data, size, HUGE_IMAGE_SECTORS);
	if (size < ELTORITO_SECTOR)
		return 0;
	found = eltorito_parse_boot_record(data, ELTORITO_SECTOR, IMAGE_SECTORS, &catalog_lba, &why);
	if (found == 1) {
		if (catalog_lba <= ELTORITO_BOOT_RECORD_SECTOR || catalog_lba >= IMAGE_SECTORS)
			abort();
		parse_catalog(data + ELTORITO_SECTOR, size - ELTORITO_SECTOR, IMAGE_SECTORS);
	} else if (found != 0 && found != -1) {
		abort();
	} else if (!why || !why[0] || catalog_lba != 0) {
		abort();
	}
	return 0;
}
