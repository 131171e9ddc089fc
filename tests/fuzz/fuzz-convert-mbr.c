/*
 * fuzz-convert-mbr.c - libFuzzer target: win7gen2 convert's checks, any bytes
 *
 * convert reads a disk someone else partitioned.  The input is LBA 0,
 * then up to four partitions' boot sectors (512 bytes each), then the
 * disk's size in sectors (8 bytes, little-endian) when present.  What
 * the checks accept is built into a GPT, which must then read back
 * through common/partition_table.c with every partition on its old
 * sectors inside the usable range: the promise convert makes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "convert.h"
#include "partition_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct convert_gpt gpt;

static void check_gpt(const struct convert_layout *layout)
{
	struct gpt_header header;
	struct partition_table table;
	uint64_t last = layout->disk_blocks - 1;

	convert_build_gpt(layout, &gpt);
	if (!gpt_header_parse(gpt.primary_header, CONVERT_BLOCK_SIZE, 1, last, &header) ||
	    header.entry_lba != gpt.primary_entries_lba)
		abort();
	if (!gpt_entries_parse(&table, &header, gpt.entries, sizeof(gpt.entries)) ||
	    table.count != layout->count)
		abort();
	for (unsigned i = 0; i < layout->count; i++)
		if (table.partition[i].first_lba != layout->partition[i].first_lba ||
		    table.partition[i].blocks != layout->partition[i].blocks ||
		    table.partition[i].first_lba < header.first_usable_lba ||
		    table.partition[i].first_lba + table.partition[i].blocks - 1 >
			    header.last_usable_lba)
			abort();
	if (!gpt_header_parse(gpt.backup_header, CONVERT_BLOCK_SIZE, last, last, &header) ||
	    header.entry_lba != gpt.backup_entries_lba ||
	    header.entry_lba + CONVERT_GPT_ENTRY_BLOCKS != last)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t random[16 * (1 + CONVERT_MBR_SLOTS)] = { 1, 2, 3 };
	const uint8_t *boot_sector[CONVERT_MBR_SLOTS] = { NULL };
	struct convert_layout layout;
	struct fix_error err;
	uint64_t disk_blocks = 4u << 21; /* 4 GiB */
	size_t sectors;

	if (size < CONVERT_BLOCK_SIZE)
		return 0;
	sectors = (size - CONVERT_BLOCK_SIZE) / CONVERT_BLOCK_SIZE;
	if (sectors > CONVERT_MBR_SLOTS)
		sectors = CONVERT_MBR_SLOTS;
	if (size >= CONVERT_BLOCK_SIZE * (1 + sectors) + 8)
		disk_blocks = get_le64(data + CONVERT_BLOCK_SIZE * (1 + sectors));
	if (convert_read_mbr(data, CONVERT_BLOCK_SIZE, disk_blocks, &layout, &err) !=
	    CONVERT_ACCEPTED)
		return 0;
	for (size_t i = 0; i < sectors && i < layout.count; i++)
		boot_sector[i] = data + CONVERT_BLOCK_SIZE * (1 + i);
	if (convert_check_volumes(&layout, boot_sector, &err) != CONVERT_ACCEPTED)
		return 0;
	if (layout.esp < 0 || layout.partition[layout.esp].role != CONVERT_ROLE_ESP)
		abort();
	for (unsigned i = 0; i < layout.count; i++)
		if (layout.partition[i].role == CONVERT_ROLE_DATA) {
			convert_set_windows(&layout, i);
			break;
		}
	convert_set_guids(&layout, random, sizeof(random));
	check_gpt(&layout);
	return 0;
}
