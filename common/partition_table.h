/*
 * partition_table.h - what a disk's first sectors say it holds
 *
 * Before the ISO menu may install by itself it must know whether any
 * disk holds something: the MBR (LBA 0), the GPT (header at LBA 1 or,
 * when that one is damaged, its backup at the last LBA, and the entry
 * array the header points to) and the boot sector of each partition
 * (FAT or NTFS).  The caller reads the sectors; these functions only
 * look at the bytes they are given, checking every length, offset and
 * checksum, so any bytes at all are safe to hand over.
 *
 * Plain C without a C library, shared by the payload and the host tests.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PARTITION_TABLE_H
#define WIN7GEN2_PARTITION_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Partitions described one by one; more are counted, not described. */
#define PARTITION_TABLE_MAX 16
/* A GPT partition name: 36 UTF-16 code units, NUL-padded. */
#define PARTITION_NAME_MAX 36
/* Entry arrays larger than this are refused (128 entries of 128 bytes
 * is what every partitioning tool writes: 16 KiB). */
#define GPT_MAX_ENTRY_BYTES (1024u * 1024)
#define GPT_ENTRY_MIN_SIZE 128
#define GPT_HEADER_MIN_SIZE 92

enum partition_scheme {
	PARTITION_SCHEME_BLANK,   /* LBA 0 and 1 are all zero bytes */
	PARTITION_SCHEME_MBR,     /* DOS partition table */
	PARTITION_SCHEME_GPT,     /* a GPT whose header and entries check out */
	PARTITION_SCHEME_VOLUME,  /* a file system on the whole disk, no table */
	PARTITION_SCHEME_UNKNOWN, /* bytes we cannot read as any of these, or a
				   * damaged table: treated as data */
};

enum volume_kind {
	VOLUME_UNKNOWN,
	VOLUME_FAT12,
	VOLUME_FAT16,
	VOLUME_FAT32,
	VOLUME_EXFAT,
	VOLUME_NTFS,
};

struct partition {
	uint64_t first_lba;
	uint64_t blocks;
	uint8_t mbr_type;                 /* MBR: the type byte; GPT: 0 */
	bool active;                      /* MBR: the boot flag (0x80) is set */
	uint8_t type_guid[16];            /* GPT: on-disk byte order; MBR: zero */
	uint16_t name[PARTITION_NAME_MAX + 1]; /* GPT name, always NUL-terminated */
};

struct partition_table {
	enum partition_scheme scheme;
	bool gpt_backup_used;  /* the primary GPT header was damaged */
	unsigned count;        /* partitions in use; may exceed PARTITION_TABLE_MAX */
	uint32_t mbr_signature; /* MBR: the disk signature at byte 440, which
				 * Windows names the disk by; GPT: 0 */
	struct partition partition[PARTITION_TABLE_MAX];
};

/* What a GPT header says; filled by gpt_header_parse. */
struct gpt_header {
	uint64_t my_lba;
	uint64_t first_usable_lba;
	uint64_t last_usable_lba;
	uint64_t entry_lba;
	uint32_t entry_count;
	uint32_t entry_size;
	uint32_t entry_crc;
};

/* CRC-32 as UEFI's CalculateCrc32 and zlib compute it. */
uint32_t partition_crc32(const uint8_t *data, size_t size);

/*
 * Look at LBA 0 (and LBA 1, for the "blank" verdict): the scheme it
 * shows and, for an MBR, its primary partitions.  lba1 may be NULL when
 * it could not be read.  A protective MBR (a type 0xEE entry) gives
 * PARTITION_SCHEME_GPT with no partitions: the caller then reads the GPT
 * and calls gpt_header_parse and gpt_entries_parse, and if no GPT checks
 * out the disk is PARTITION_SCHEME_UNKNOWN.
 */
void partition_table_from_mbr(struct partition_table *table, const uint8_t *lba0,
			      const uint8_t *lba1, size_t block_size);

/*
 * Check a GPT header read from LBA my_lba of a disk whose last block is
 * last_lba: signature, header size, header CRC, its own LBA, entry size
 * and count (GPT_MAX_ENTRY_BYTES at most), usable range and entry array
 * inside the disk.  True and *header filled only when all hold.
 */
bool gpt_header_parse(const uint8_t *block, size_t block_size, uint64_t my_lba,
		      uint64_t last_lba, struct gpt_header *header);

/* Bytes of the entry array the header describes (a whole number of entries). */
size_t gpt_entry_bytes(const struct gpt_header *header);

/*
 * Check the entry array's CRC (over gpt_entry_bytes(header) bytes, of
 * which size must hold at least that many) and record the entries in
 * use in *table, which becomes PARTITION_SCHEME_GPT.  False, *table
 * unchanged, when the CRC or an entry's range is wrong.
 */
bool gpt_entries_parse(struct partition_table *table, const struct gpt_header *header,
		       const uint8_t *entries, size_t size);

/* The file system whose boot sector (the partition's first block) this is. */
enum volume_kind volume_kind_of(const uint8_t *sector, size_t size);

/* "FAT32", "NTFS", ...; "" for VOLUME_UNKNOWN. */
const char *volume_kind_name(enum volume_kind kind);

/* True for a GPT EFI system partition or an MBR type 0xEF one. */
bool partition_is_esp(const struct partition *partition);

#endif
