/*
 * test-partition-table.c - reading what a disk's first sectors hold
 *
 * The disks are the fuzz seeds (tests/fuzz/make-partition-table-seeds.sh:
 * written by sfdisk and mkfs.fat), then spoilt byte by byte.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "partition_table.h"
#include "tap.h"

#define BLOCK 512
#define DISK_SIZE (64 * 1024)
#define BLOCKS (DISK_SIZE / BLOCK)

static uint8_t disk[DISK_SIZE];

static bool load(const char *name)
{
	char path[512];
	FILE *file;
	size_t got;

	snprintf(path, sizeof(path), "%s/%s", SEED_DIR, name);
	file = fopen(path, "rb");
	if (!file)
		return false;
	got = fread(disk, 1, sizeof(disk), file);
	fclose(file);
	return got == sizeof(disk);
}

/* What the payload does: MBR, then the GPT at lba if the MBR says GPT. */
static bool read_disk(struct partition_table *table, uint64_t lba)
{
	struct gpt_header header;

	partition_table_from_mbr(table, disk, disk + BLOCK, BLOCK);
	if (table->scheme != PARTITION_SCHEME_GPT)
		return true;
	if (!gpt_header_parse(disk + lba * BLOCK, BLOCK, lba, BLOCKS - 1, &header))
		return false;
	return gpt_entries_parse(table, &header, disk + header.entry_lba * BLOCK,
				 DISK_SIZE - header.entry_lba * BLOCK);
}

static bool name_is(const struct partition *partition, const char *want)
{
	size_t i;

	for (i = 0; want[i]; i++)
		if (partition->name[i] != (uint8_t)want[i])
			return false;
	return partition->name[i] == 0;
}

/* Set the header's CRC right after changing it, as a careful forger would. */
static void reseal_header(uint8_t *header)
{
	uint32_t size = get_le32(header + 12);

	put_le32(header + 16, 0);
	put_le32(header + 16, partition_crc32(header, size));
}

static void test_gpt(void)
{
	struct partition_table table;
	struct gpt_header header;

	if (!tap_ok(load("gpt.bin"), "the GPT seed loads"))
		return;
	tap_ok(read_disk(&table, 1), "an sfdisk GPT reads");
	tap_is_u64(table.scheme, PARTITION_SCHEME_GPT, "as GPT");
	tap_is_u64(table.count, 2, "with its two partitions");
	tap_is_u64(table.partition[0].first_lba, 34, "the first starts at LBA 34");
	tap_is_u64(table.partition[0].blocks, 20, "and is 20 blocks");
	tap_ok(partition_is_esp(&table.partition[0]), "and is the ESP");
	tap_ok(name_is(&table.partition[0], "EFI system partition"), "with its name");
	tap_ok(!partition_is_esp(&table.partition[1]), "the second is no ESP");
	tap_ok(name_is(&table.partition[1], "Basic data partition"), "and has its name");
	tap_ok(gpt_header_parse(disk + (BLOCKS - 1) * BLOCK, BLOCK, BLOCKS - 1, BLOCKS - 1,
				&header), "the backup header at the last block checks out");
	tap_ok(!gpt_header_parse(disk + BLOCK, BLOCK, 2, BLOCKS - 1, &header),
	       "a header is refused where it does not say it is");

	disk[2 * BLOCK + 100] ^= 1;
	tap_ok(!read_disk(&table, 1), "an entry array with a wrong CRC is refused");
	disk[2 * BLOCK + 100] ^= 1;

	disk[BLOCK + 30] ^= 1;
	tap_ok(!read_disk(&table, 1), "a header with a wrong CRC is refused");
	disk[BLOCK + 30] ^= 1;

	put_le32(disk + BLOCK + 12, BLOCK + 1);
	reseal_header(disk + BLOCK);
	tap_ok(!read_disk(&table, 1), "a header larger than its block is refused");
	put_le32(disk + BLOCK + 12, 92);
	reseal_header(disk + BLOCK);

	put_le32(disk + BLOCK + 80, 0x40000000);
	reseal_header(disk + BLOCK);
	tap_ok(!read_disk(&table, 1), "an entry count past the limit is refused");
	put_le32(disk + BLOCK + 80, BLOCKS * 4);
	reseal_header(disk + BLOCK);
	tap_ok(!read_disk(&table, 1), "an entry array running off the disk is refused");
	put_le32(disk + BLOCK + 80, 128);
	put_le32(disk + BLOCK + 84, 100);
	reseal_header(disk + BLOCK);
	tap_ok(!read_disk(&table, 1), "entries smaller than 128 bytes are refused");
	put_le32(disk + BLOCK + 84, 128);
	reseal_header(disk + BLOCK);
	tap_ok(read_disk(&table, 1), "restored, the header reads again");

	put_le(disk + BLOCK + 48, BLOCKS, 8);
	reseal_header(disk + BLOCK);
	tap_ok(!read_disk(&table, 1), "a usable range past the disk's end is refused");
}

static void test_gpt_backup(void)
{
	struct partition_table table;

	if (!tap_ok(load("gpt-backup.bin"), "the spoilt-primary seed loads"))
		return;
	tap_ok(!read_disk(&table, 1), "a spoilt primary header is refused");
	tap_ok(read_disk(&table, BLOCKS - 1), "the backup reads");
	tap_is_u64(table.count, 2, "with both partitions");
}

static void test_mbr(void)
{
	struct partition_table table;

	if (!tap_ok(load("mbr.bin"), "the MBR seed loads"))
		return;
	read_disk(&table, 1);
	tap_is_u64(table.scheme, PARTITION_SCHEME_MBR, "an sfdisk MBR reads as MBR");
	tap_is_u64(table.count, 2, "with two partitions");
	tap_is_u64(table.partition[1].first_lba, 41, "the second at LBA 41");
	tap_is_u64(table.partition[1].blocks, 80, "of 80 blocks");
	tap_is_u64(table.partition[1].mbr_type, 7, "type 0x07");
	tap_is_u64(table.mbr_signature, get_le32(disk + 440), "the disk signature, from byte 440");
	tap_ok(table.partition[0].active && !table.partition[1].active,
	       "the first partition is the active one, as sfdisk was told");
	disk[446] = 0;
	disk[446 + 16] = 0x80;
	put_le32(disk + 440, 0xb3eba8f1);
	read_disk(&table, 1);
	tap_ok(!table.partition[0].active && table.partition[1].active,
	       "the boot flag moved to the second: it alone is active");
	tap_is_u64(table.mbr_signature, 0xb3eba8f1, "a signature Windows wrote reads back");
	disk[446 + 16] = 0;

	disk[446 + 16 + 4] = 0;
	read_disk(&table, 1);
	tap_is_u64(table.count, 1, "an entry of type 0 is unused");
	disk[446] = 0x12;
	read_disk(&table, 1);
	tap_is_u64(table.scheme, PARTITION_SCHEME_UNKNOWN,
		   "a boot flag other than 0x00/0x80: no MBR, and not blank");
	disk[446] = 0;
	disk[446 + 4] = 0xee;
	memset(disk + BLOCK, 0, BLOCK);
	tap_ok(!read_disk(&table, 1), "a protective MBR without a GPT behind it: no table");
	tap_is_u64(table.scheme, PARTITION_SCHEME_GPT, "(the payload then says unknown)");
	disk[446 + 4] = 0;
	read_disk(&table, 1);
	tap_is_u64(table.scheme, PARTITION_SCHEME_MBR, "a table with no entries is an MBR...");
	tap_is_u64(table.count, 0, "...with no partitions");
}

static void test_blank_and_volumes(void)
{
	struct partition_table table;

	memset(disk, 0, sizeof(disk));
	partition_table_from_mbr(&table, disk, disk + BLOCK, BLOCK);
	tap_is_u64(table.scheme, PARTITION_SCHEME_BLANK, "zeros are blank");
	partition_table_from_mbr(&table, disk, NULL, BLOCK);
	tap_is_u64(table.scheme, PARTITION_SCHEME_UNKNOWN, "unless LBA 1 could not be read");
	disk[BLOCK + 7] = 1;
	partition_table_from_mbr(&table, disk, disk + BLOCK, BLOCK);
	tap_is_u64(table.scheme, PARTITION_SCHEME_UNKNOWN, "a byte in LBA 1 is no blank disk");
	disk[BLOCK + 7] = 0;
	disk[100] = 1;
	partition_table_from_mbr(&table, disk, disk + BLOCK, BLOCK);
	tap_is_u64(table.scheme, PARTITION_SCHEME_UNKNOWN, "nor is one in LBA 0");
	partition_table_from_mbr(&table, disk, disk + BLOCK, 256);
	tap_is_u64(table.scheme, PARTITION_SCHEME_UNKNOWN, "blocks under 512 bytes: unknown");

	if (!tap_ok(load("volume-fat.bin"), "the FAT seed loads"))
		return;
	partition_table_from_mbr(&table, disk, disk + BLOCK, BLOCK);
	tap_is_u64(table.scheme, PARTITION_SCHEME_VOLUME, "mkfs.fat on the whole disk: a volume");
	tap_is_u64(volume_kind_of(disk, BLOCK), VOLUME_FAT12, "FAT12 at that size");
	memcpy(disk + 3, "NTFS    ", 8);
	tap_is_u64(volume_kind_of(disk, BLOCK), VOLUME_NTFS, "an NTFS boot sector");
	tap_is_str(volume_kind_name(VOLUME_NTFS), "NTFS", "is called NTFS");
	memcpy(disk + 82, "FAT32   ", 8);
	memcpy(disk + 3, "MSDOS5.0", 8);
	tap_is_u64(volume_kind_of(disk, BLOCK), VOLUME_FAT32, "a FAT32 boot sector");
	disk[510] = 0;
	tap_is_u64(volume_kind_of(disk, BLOCK), VOLUME_UNKNOWN, "none without 55 AA");
	tap_is_u64(volume_kind_of(disk, 100), VOLUME_UNKNOWN, "none in a short buffer");
}

int main(void)
{
	static const uint8_t check[] = "123456789";

	tap_is_u64(partition_crc32(check, 9), 0xcbf43926, "CRC-32 of \"123456789\"");
	test_gpt();
	test_gpt_backup();
	test_mbr();
	test_blank_and_volumes();
	return tap_done();
}
