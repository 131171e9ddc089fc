/*
 * fuzz-partition-table.c - libFuzzer target: a disk's first sectors, any bytes
 *
 * A VM's disk holds whatever any OS wrote; the ISO's payload reads its
 * MBR, GPT and boot sectors before the menu.  The input is taken as a
 * disk of 512-byte blocks: LBA 0 and 1, the GPT header at LBA 1 (and as
 * a backup at the last block), its entries where the header says, and
 * each partition's boot sector where it lies inside the input.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>

#include "partition_table.h"

#define BLOCK 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_table(const struct partition_table *table)
{
	unsigned described = table->count < PARTITION_TABLE_MAX ? table->count :
								   PARTITION_TABLE_MAX;

	for (unsigned i = 0; i < described; i++)
		if (table->partition[i].name[PARTITION_NAME_MAX] != 0)
			abort();
	if (table->scheme != PARTITION_SCHEME_MBR && table->scheme != PARTITION_SCHEME_GPT &&
	    table->count != 0)
		abort();
}

static void try_gpt(struct partition_table *table, const uint8_t *data, size_t blocks,
		    uint64_t lba)
{
	struct gpt_header header;
	size_t bytes;

	if (!gpt_header_parse(data + lba * BLOCK, BLOCK, lba, blocks - 1, &header))
		return;
	/* What the checks promise the payload: the array lies on the disk. */
	bytes = gpt_entry_bytes(&header);
	if (bytes > GPT_MAX_ENTRY_BYTES || header.entry_lba > blocks - 1 ||
	    (bytes + BLOCK - 1) / BLOCK > blocks - header.entry_lba)
		abort();
	if (gpt_entries_parse(table, &header, data + header.entry_lba * BLOCK,
			      (blocks - header.entry_lba) * BLOCK))
		check_table(table);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct partition_table table;
	size_t blocks = size / BLOCK;

	if (blocks < 2)
		return 0;
	partition_table_from_mbr(&table, data, data + BLOCK, BLOCK);
	check_table(&table);
	try_gpt(&table, data, blocks, 1);
	try_gpt(&table, data, blocks, blocks - 1);
	for (unsigned i = 0; i < table.count && i < PARTITION_TABLE_MAX; i++)
		if (table.partition[i].first_lba < blocks)
			(void)volume_kind_of(data + table.partition[i].first_lba * BLOCK, BLOCK);
	(void)partition_crc32(data, size);
	return 0;
}
