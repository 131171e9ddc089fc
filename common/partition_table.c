/*
 * partition_table.c - what a disk's first sectors say it holds
 *
 * Layouts: UEFI 2.10 section 5 (MBR, GPT header and entries); the boot
 * sectors' file-system names where FAT and NTFS formatters write them.
 *
 * SPDX-License-Identifier: MIT
 */
#include "byteorder.h"
#include "partition_table.h"

#define MBR_ENTRIES_OFFSET 446
#define MBR_ENTRY_SIZE 16
#define MBR_SIGNATURE_OFFSET 510
#define MBR_DISK_SIGNATURE_OFFSET 440
#define MBR_BOOT_FLAG_ACTIVE 0x80
#define MBR_TYPE_PROTECTIVE 0xee
#define MBR_TYPE_ESP 0xef
#define SECTOR_MIN 512

static const uint8_t gpt_signature[8] = { 'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T' };

/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B as stored on disk. */
static const uint8_t esp_type_guid[16] = {
	0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
	0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b,
};

static bool same_bytes(const uint8_t *a, const void *b, size_t size)
{
	const uint8_t *other = b;

	for (size_t i = 0; i < size; i++)
		if (a[i] != other[i])
			return false;
	return true;
}

static bool all_zero(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (data[i])
			return false;
	return true;
}

static void clear_table(struct partition_table *table, enum partition_scheme scheme)
{
	uint8_t *bytes = (uint8_t *)table;

	for (size_t i = 0; i < sizeof(*table); i++)
		bytes[i] = 0;
	table->scheme = scheme;
}

/*
 * The firmware has CalculateCrc32, but the host tests and the fuzz
 * target must run the same checks: a bitwise CRC is a few lines and the
 * payload runs it over a few KiB once per disk.
 */
static uint32_t crc32_update(uint32_t crc, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		crc ^= data[i];
		for (unsigned bit = 0; bit < 8; bit++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return crc;
}

uint32_t partition_crc32(const uint8_t *data, size_t size)
{
	return ~crc32_update(0xffffffffu, data, size);
}

enum volume_kind volume_kind_of(const uint8_t *sector, size_t size)
{
	if (size < SECTOR_MIN || sector[MBR_SIGNATURE_OFFSET] != 0x55 ||
	    sector[MBR_SIGNATURE_OFFSET + 1] != 0xaa)
		return VOLUME_UNKNOWN;
	/* Every one of them starts with a jump over its parameter block. */
	if (sector[0] != 0xeb && sector[0] != 0xe9)
		return VOLUME_UNKNOWN;
	if (same_bytes(sector + 3, "NTFS    ", 8))
		return VOLUME_NTFS;
	if (same_bytes(sector + 3, "EXFAT   ", 8))
		return VOLUME_EXFAT;
	if (same_bytes(sector + 82, "FAT32   ", 8))
		return VOLUME_FAT32;
	if (same_bytes(sector + 54, "FAT16   ", 8))
		return VOLUME_FAT16;
	if (same_bytes(sector + 54, "FAT12   ", 8))
		return VOLUME_FAT12;
	return VOLUME_UNKNOWN;
}

const char *volume_kind_name(enum volume_kind kind)
{
	switch (kind) {
	case VOLUME_FAT12: return "FAT12";
	case VOLUME_FAT16: return "FAT16";
	case VOLUME_FAT32: return "FAT32";
	case VOLUME_EXFAT: return "exFAT";
	case VOLUME_NTFS: return "NTFS";
	case VOLUME_UNKNOWN: break;
	}
	return "";
}

bool partition_is_esp(const struct partition *partition)
{
	return partition->mbr_type == MBR_TYPE_ESP ||
	       same_bytes(partition->type_guid, esp_type_guid, sizeof(esp_type_guid));
}

void partition_table_from_mbr(struct partition_table *table, const uint8_t *lba0,
			      const uint8_t *lba1, size_t block_size)
{
	clear_table(table, PARTITION_SCHEME_UNKNOWN);
	if (block_size < SECTOR_MIN)
		return;
	/* A GPT without a (protective) MBR is still a GPT. */
	if (lba1 && same_bytes(lba1, gpt_signature, sizeof(gpt_signature))) {
		table->scheme = PARTITION_SCHEME_GPT;
		return;
	}
	if (all_zero(lba0, block_size)) {
		if (lba1 && all_zero(lba1, block_size))
			table->scheme = PARTITION_SCHEME_BLANK;
		return;
	}
	if (lba0[MBR_SIGNATURE_OFFSET] != 0x55 || lba0[MBR_SIGNATURE_OFFSET + 1] != 0xaa)
		return;
	if (volume_kind_of(lba0, block_size) != VOLUME_UNKNOWN) {
		table->scheme = PARTITION_SCHEME_VOLUME;
		return;
	}
	/* Boot flags other than 0x00 and 0x80 mean this is no MBR. */
	for (unsigned i = 0; i < 4; i++) {
		uint8_t status = lba0[MBR_ENTRIES_OFFSET + i * MBR_ENTRY_SIZE];

		if (status != 0x00 && status != MBR_BOOT_FLAG_ACTIVE)
			return;
	}
	table->scheme = PARTITION_SCHEME_MBR;
	table->mbr_signature = get_le32(lba0 + MBR_DISK_SIGNATURE_OFFSET);
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *entry = lba0 + MBR_ENTRIES_OFFSET + i * MBR_ENTRY_SIZE;
		struct partition *partition;
		uint32_t blocks = get_le32(entry + 12);

		if (entry[4] == 0 || blocks == 0)
			continue;
		if (entry[4] == MBR_TYPE_PROTECTIVE) {
			clear_table(table, PARTITION_SCHEME_GPT);
			return;
		}
		partition = &table->partition[table->count++];
		partition->first_lba = get_le32(entry + 8);
		partition->blocks = blocks;
		partition->mbr_type = entry[4];
		partition->active = entry[0] == MBR_BOOT_FLAG_ACTIVE;
	}
}

bool gpt_header_parse(const uint8_t *block, size_t block_size, uint64_t my_lba,
		      uint64_t last_lba, struct gpt_header *header)
{
	static const uint8_t zero_crc[4];
	uint32_t header_size, crc;
	uint64_t entry_blocks;
	struct gpt_header found;

	if (block_size < SECTOR_MIN || !same_bytes(block, gpt_signature, sizeof(gpt_signature)))
		return false;
	header_size = get_le32(block + 12);
	if (header_size < GPT_HEADER_MIN_SIZE || header_size > block_size)
		return false;
	/* The CRC covers the header with its own CRC field as zero. */
	crc = crc32_update(0xffffffffu, block, 16);
	crc = crc32_update(crc, zero_crc, sizeof(zero_crc));
	crc = ~crc32_update(crc, block + 20, header_size - 20);
	if (crc != get_le32(block + 16))
		return false;

	found.my_lba = get_le64(block + 24);
	found.first_usable_lba = get_le64(block + 40);
	found.last_usable_lba = get_le64(block + 48);
	found.entry_lba = get_le64(block + 72);
	found.entry_count = get_le32(block + 80);
	found.entry_size = get_le32(block + 84);
	found.entry_crc = get_le32(block + 88);
	if (found.my_lba != my_lba || my_lba > last_lba)
		return false;
	if (found.first_usable_lba > found.last_usable_lba || found.last_usable_lba > last_lba)
		return false;
	if (found.entry_size < GPT_ENTRY_MIN_SIZE || found.entry_size % 8 ||
	    found.entry_size > GPT_MAX_ENTRY_BYTES ||
	    found.entry_count > GPT_MAX_ENTRY_BYTES / found.entry_size)
		return false;
	entry_blocks = ((uint64_t)found.entry_count * found.entry_size + block_size - 1) / block_size;
	if (found.entry_lba < 1 || found.entry_lba > last_lba ||
	    entry_blocks > last_lba - found.entry_lba + 1)
		return false;
	*header = found;
	return true;
}

size_t gpt_entry_bytes(const struct gpt_header *header)
{
	return (size_t)header->entry_count * header->entry_size;
}

bool gpt_entries_parse(struct partition_table *table, const struct gpt_header *header,
		       const uint8_t *entries, size_t size)
{
	size_t bytes = gpt_entry_bytes(header);
	unsigned count = 0;

	if (bytes > size || partition_crc32(entries, bytes) != header->entry_crc)
		return false;
	for (uint32_t i = 0; i < header->entry_count; i++) {
		const uint8_t *entry = entries + (size_t)i * header->entry_size;

		if (all_zero(entry, 16))
			continue;
		if (get_le64(entry + 32) > get_le64(entry + 40))
			return false;
		count++;
	}

	clear_table(table, PARTITION_SCHEME_GPT);
	table->count = count;
	for (uint32_t i = 0, kept = 0; i < header->entry_count && kept < PARTITION_TABLE_MAX; i++) {
		const uint8_t *entry = entries + (size_t)i * header->entry_size;
		struct partition *partition = &table->partition[kept];

		if (all_zero(entry, 16))
			continue;
		for (unsigned j = 0; j < 16; j++)
			partition->type_guid[j] = entry[j];
		partition->first_lba = get_le64(entry + 32);
		partition->blocks = get_le64(entry + 40) - partition->first_lba + 1;
		for (unsigned j = 0; j < PARTITION_NAME_MAX; j++)
			partition->name[j] = get_le16(entry + 56 + 2 * j);
		partition->name[PARTITION_NAME_MAX] = 0;
		kept++;
	}
	return true;
}
