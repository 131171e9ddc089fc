/*
 * convert.c - the checks and the new GPT of win7gen2 convert
 *
 * Layouts: UEFI 2.10 section 5.2.3 (protective MBR) and 5.3 (GPT header
 * and entries); partition type GUIDs as UEFI (ESP) and Microsoft's
 * PARTITION_INFORMATION_GPT documentation (basic data, Windows RE) list
 * them; MBR type bytes as Windows Setup and Disk Management write them.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "byteorder.h"
#include "convert.h"
#include "partition_table.h"

#define MBR_ENTRIES_OFFSET 446
#define MBR_ENTRY_SIZE 16
#define MBR_DISK_SIGNATURE_OFFSET 440
#define GPT_HEADER_SIZE 92
#define GPT_REVISION_1_0 0x00010000u
/* Windows RE: required by the platform, no drive letter. */
#define GPT_ATTRIBUTES_RECOVERY 0x8000000000000001ull

/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B, on-disk order. */
static const uint8_t type_esp[16] = {
	0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
	0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b,
};
/* EBD0A0A2-B9E5-4433-87C0-68B6B72699C7: basic data. */
static const uint8_t type_basic_data[16] = {
	0xa2, 0xa0, 0xd0, 0xeb, 0xe5, 0xb9, 0x33, 0x44,
	0x87, 0xc0, 0x68, 0xb6, 0xb7, 0x26, 0x99, 0xc7,
};
/* DE94BBA4-06D1-4D40-A16A-BFD50179D6AC: Windows RE. */
static const uint8_t type_recovery[16] = {
	0xa4, 0xbb, 0x94, 0xde, 0xd1, 0x06, 0x40, 0x4d,
	0xa1, 0x6a, 0xbf, 0xd5, 0x01, 0x79, 0xd6, 0xac,
};

static enum convert_refusal refuse(struct fix_error *err, enum convert_refusal refusal,
				   const char *format, ...) __attribute__((format(printf, 3, 4)));

static enum convert_refusal refuse(struct fix_error *err, enum convert_refusal refusal,
				   const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(err->message, sizeof(err->message), format, ap);
	va_end(ap);
	return refusal;
}

const char *convert_refusal_name(enum convert_refusal refusal)
{
	switch (refusal) {
	case CONVERT_ACCEPTED: return "accepted";
	case CONVERT_REFUSE_GPT: return "gpt";
	case CONVERT_REFUSE_NOT_MBR: return "not-mbr";
	case CONVERT_REFUSE_BLOCK_SIZE: return "block-size";
	case CONVERT_REFUSE_EXTENDED: return "extended";
	case CONVERT_REFUSE_DYNAMIC: return "dynamic";
	case CONVERT_REFUSE_PARTITION_TYPE: return "partition-type";
	case CONVERT_REFUSE_LAYOUT: return "layout";
	case CONVERT_REFUSE_NO_ROOM_START: return "no-room-start";
	case CONVERT_REFUSE_NO_ROOM_END: return "no-room-end";
	case CONVERT_REFUSE_BITLOCKER: return "bitlocker";
	case CONVERT_REFUSE_NO_SYSTEM_RESERVED: return "no-system-reserved";
	case CONVERT_REFUSE_NO_WINDOWS: return "no-windows";
	case CONVERT_REFUSE_READ_ONLY: return "read-only";
	case CONVERT_REFUSE_HIBERNATED: return "hibernated";
	case CONVERT_REFUSE_IN_USE: return "in-use";
	}
	return "unknown";
}

/* The MBR types a Windows disk holds that become basic data under GPT:
 * FAT12/16/32 and NTFS (0x07 is also exFAT), with their LBA forms. */
static bool is_basic_data_type(uint8_t type)
{
	switch (type) {
	case 0x01: case 0x04: case 0x06: case 0x07: case 0x0b: case 0x0c: case 0x0e:
		return true;
	}
	return false;
}

static bool is_extended_type(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

enum convert_refusal convert_read_mbr(const uint8_t *lba0, size_t block_size,
				      uint64_t disk_blocks, struct convert_layout *layout,
				      struct fix_error *err)
{
	struct partition_table table;
	uint64_t end_needed = 0;

	memset(layout, 0, sizeof(*layout));
	layout->esp = layout->windows = -1;
	layout->disk_blocks = disk_blocks;
	if (block_size != CONVERT_BLOCK_SIZE)
		return refuse(err, CONVERT_REFUSE_BLOCK_SIZE,
			      "the disk has %lu-byte sectors; Windows 7 boots only from "
			      "512-byte sectors (a 512e or 512n disk)", (unsigned long)block_size);
	partition_table_from_mbr(&table, lba0, NULL, block_size);
	if (table.scheme == PARTITION_SCHEME_GPT)
		return refuse(err, CONVERT_REFUSE_GPT,
			      "the disk is GPT already (its MBR is a protective one): "
			      "there is nothing to convert; 'win7gen2 fix' makes a GPT "
			      "Windows 7 boot on Gen2");
	if (table.scheme != PARTITION_SCHEME_MBR || table.count == 0)
		return refuse(err, CONVERT_REFUSE_NOT_MBR,
			      "sector 0 holds no MBR partition table with partitions: "
			      "this is not a disk Windows 7 Setup partitioned");

	layout->disk_signature = get_le32(lba0 + MBR_DISK_SIGNATURE_OFFSET);
	for (unsigned slot = 0; slot < CONVERT_MBR_SLOTS; slot++) {
		const uint8_t *entry = lba0 + MBR_ENTRIES_OFFSET + slot * MBR_ENTRY_SIZE;
		struct convert_partition *partition;
		uint8_t type = entry[4];
		uint32_t blocks = get_le32(entry + 12);

		if (type == 0 || blocks == 0)
			continue;
		if (is_extended_type(type))
			return refuse(err, CONVERT_REFUSE_EXTENDED,
				      "MBR entry %u is an extended partition (type 0x%02x): "
				      "logical partitions are not converted; move their data "
				      "off and delete them first", slot + 1, type);
		if (type == 0x42)
			return refuse(err, CONVERT_REFUSE_DYNAMIC,
				      "MBR entry %u is a dynamic disk's LDM partition (type "
				      "0x42): convert the disk back to basic in Windows' Disk "
				      "Management first", slot + 1);
		if (!is_basic_data_type(type) && type != 0x27)
			return refuse(err, CONVERT_REFUSE_PARTITION_TYPE,
				      "MBR entry %u has type 0x%02x, which win7gen2 does not "
				      "know how to carry over to GPT", slot + 1, type);
		/* Insertion in order of first_lba: the GPT lists them so. */
		unsigned at = layout->count;
		while (at > 0 && layout->partition[at - 1].first_lba > get_le32(entry + 8)) {
			layout->partition[at] = layout->partition[at - 1];
			at--;
		}
		partition = &layout->partition[at];
		memset(partition, 0, sizeof(*partition));
		partition->slot = slot;
		partition->first_lba = get_le32(entry + 8);
		partition->blocks = blocks;
		partition->mbr_type = type;
		partition->active = entry[0] == 0x80;
		partition->role = type == 0x27 ? CONVERT_ROLE_RECOVERY : CONVERT_ROLE_DATA;
		layout->count++;
	}

	for (unsigned i = 0; i < layout->count; i++) {
		const struct convert_partition *partition = &layout->partition[i];
		uint64_t end = partition->first_lba + partition->blocks;

		if (end > disk_blocks)
			return refuse(err, CONVERT_REFUSE_LAYOUT,
				      "partition %u (MBR entry %u) ends at sector %llu, past "
				      "the disk's end (%llu sectors): the MBR does not match "
				      "this disk", i + 1, partition->slot + 1,
				      (unsigned long long)end, (unsigned long long)disk_blocks);
		if (i > 0 && partition->first_lba < layout->partition[i - 1].first_lba +
							   layout->partition[i - 1].blocks)
			return refuse(err, CONVERT_REFUSE_LAYOUT,
				      "partitions %u and %u overlap: the MBR is damaged", i, i + 1);
		if (end > end_needed)
			end_needed = end;
	}
	if (layout->partition[0].first_lba < 1 + CONVERT_GPT_END_BLOCKS)
		return refuse(err, CONVERT_REFUSE_NO_ROOM_START,
			      "the first partition starts at sector %llu; GPT needs sectors "
			      "0 to %u free (Windows 7 Setup starts at sector 2048)",
			      (unsigned long long)layout->partition[0].first_lba,
			      CONVERT_GPT_END_BLOCKS);
	end_needed += CONVERT_GPT_END_BLOCKS;
	if (end_needed > disk_blocks) {
		uint64_t grow_mib;

		layout->grow_blocks = end_needed - disk_blocks;
		grow_mib = (layout->grow_blocks + CONVERT_GROW_BYTES / CONVERT_BLOCK_SIZE - 1) /
			   (CONVERT_GROW_BYTES / CONVERT_BLOCK_SIZE);
		return refuse(err, CONVERT_REFUSE_NO_ROOM_END,
			      "the last partition leaves %llu sectors at the disk's end; "
			      "GPT's backup needs %u: grow the disk by %llu MiB first "
			      "(qemu-img resize IMAGE +%lluM, or on the Hyper-V host "
			      "Resize-VHD -Path DISK.vhdx -SizeBytes ((Get-VHD DISK.vhdx).Size + "
			      "%lluMB)), then run convert again",
			      (unsigned long long)(disk_blocks - (end_needed - CONVERT_GPT_END_BLOCKS)),
			      CONVERT_GPT_END_BLOCKS, (unsigned long long)grow_mib,
			      (unsigned long long)grow_mib, (unsigned long long)grow_mib);
	}
	return CONVERT_ACCEPTED;
}

enum convert_refusal convert_check_volumes(struct convert_layout *layout,
					   const uint8_t *const boot_sector[],
					   struct fix_error *err)
{
	int active = -1;
	unsigned other_ntfs = 0;

	for (unsigned i = 0; i < layout->count; i++) {
		struct convert_partition *partition = &layout->partition[i];
		const uint8_t *sector = boot_sector[i];

		if (!sector)
			continue;
		/* BitLocker replaces the OEM ID; the volume is NTFS only
		 * to a machine holding the key. */
		if (memcmp(sector + 3, "-FVE-FS-", 8) == 0)
			return refuse(err, CONVERT_REFUSE_BITLOCKER,
				      "partition %u is encrypted with BitLocker: decrypt it "
				      "in Windows (manage-bde -off) before converting", i + 1);
		partition->ntfs = volume_kind_of(sector, CONVERT_BLOCK_SIZE) == VOLUME_NTFS;
	}
	for (unsigned i = 0; i < layout->count; i++) {
		const struct convert_partition *partition = &layout->partition[i];

		if (partition->active && active < 0)
			active = (int)i;
		else if (partition->ntfs && partition->role == CONVERT_ROLE_DATA)
			other_ntfs++;
	}
	if (active < 0)
		return refuse(err, CONVERT_REFUSE_NO_SYSTEM_RESERVED,
			      "no partition is marked active: this disk does not boot "
			      "by BIOS as Windows 7 Setup leaves it");
	if (!layout->partition[active].ntfs || other_ntfs == 0)
		return refuse(err, CONVERT_REFUSE_NO_SYSTEM_RESERVED,
			      "the active partition %d is not a System Reserved partition "
			      "beside Windows: Windows and its boot files share one partition, "
			      "and shrinking it for an ESP is not done (it moves data and "
			      "cannot be undone byte for byte)", active + 1);
	if (layout->partition[active].blocks < CONVERT_ESP_MIN_BLOCKS)
		return refuse(err, CONVERT_REFUSE_NO_SYSTEM_RESERVED,
			      "System Reserved (partition %d) has %llu KiB, less than the "
			      "100 MiB an ESP needs", active + 1,
			      (unsigned long long)(layout->partition[active].blocks / 2));
	layout->partition[active].role = CONVERT_ROLE_ESP;
	layout->esp = active;
	return CONVERT_ACCEPTED;
}

void convert_set_windows(struct convert_layout *layout, unsigned index)
{
	if (index < layout->count) {
		layout->partition[index].role = CONVERT_ROLE_WINDOWS;
		layout->windows = (int)index;
	}
}

static void make_guid(uint8_t guid[16], const uint8_t *random)
{
	memcpy(guid, random, 16);
	/* Version 4 in the high nibble of time_hi (stored little-endian),
	 * RFC 4122 variant in clock_seq_hi. */
	guid[7] = (uint8_t)((guid[7] & 0x0f) | 0x40);
	guid[8] = (uint8_t)((guid[8] & 0x3f) | 0x80);
}

void convert_set_guids(struct convert_layout *layout, const uint8_t *random, size_t size)
{
	if (size < 16u * (1 + layout->count))
		return;
	make_guid(layout->disk_guid, random);
	for (unsigned i = 0; i < layout->count; i++)
		make_guid(layout->partition[i].guid, random + 16 * (i + 1));
}

const char *convert_partition_name(enum convert_role role)
{
	switch (role) {
	case CONVERT_ROLE_ESP: return "EFI system partition";
	case CONVERT_ROLE_RECOVERY: return "Windows RE tools";
	case CONVERT_ROLE_WINDOWS:
	case CONVERT_ROLE_DATA: break;
	}
	return "Basic data partition";
}

static void write_header(uint8_t *block, const struct convert_layout *layout,
			 uint64_t my_lba, uint64_t alternate_lba, uint64_t entries_lba,
			 uint32_t entries_crc)
{
	memset(block, 0, CONVERT_BLOCK_SIZE);
	memcpy(block, "EFI PART", 8);
	put_le32(block + 8, GPT_REVISION_1_0);
	put_le32(block + 12, GPT_HEADER_SIZE);
	put_le(block + 24, my_lba, 8);
	put_le(block + 32, alternate_lba, 8);
	put_le(block + 40, 1 + CONVERT_GPT_END_BLOCKS, 8);
	put_le(block + 48, layout->disk_blocks - 1 - CONVERT_GPT_END_BLOCKS, 8);
	memcpy(block + 56, layout->disk_guid, 16);
	put_le(block + 72, entries_lba, 8);
	put_le32(block + 80, CONVERT_GPT_ENTRY_COUNT);
	put_le32(block + 84, CONVERT_GPT_ENTRY_SIZE);
	put_le32(block + 88, entries_crc);
	put_le32(block + 16, partition_crc32(block, GPT_HEADER_SIZE));
}

void convert_build_gpt(const struct convert_layout *layout, struct convert_gpt *gpt)
{
	uint64_t last = layout->disk_blocks - 1;
	uint8_t *entry;
	uint32_t entries_crc;

	memset(gpt, 0, sizeof(*gpt));
	/* One 0xEE entry covering the disk, capped at what 32 bits hold. */
	entry = gpt->protective_mbr + MBR_ENTRIES_OFFSET;
	entry[1] = 0x00; entry[2] = 0x02; entry[3] = 0x00; /* CHS of LBA 1 */
	entry[4] = 0xee;
	entry[5] = 0xff; entry[6] = 0xff; entry[7] = 0xff;
	put_le32(entry + 8, 1);
	put_le32(entry + 12, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
	gpt->protective_mbr[510] = 0x55;
	gpt->protective_mbr[511] = 0xaa;

	for (unsigned i = 0; i < layout->count; i++) {
		const struct convert_partition *partition = &layout->partition[i];
		const char *name = convert_partition_name(partition->role);

		entry = gpt->entries + i * CONVERT_GPT_ENTRY_SIZE;
		memcpy(entry, partition->role == CONVERT_ROLE_ESP ? type_esp :
			      partition->role == CONVERT_ROLE_RECOVERY ? type_recovery :
			      type_basic_data, 16);
		memcpy(entry + 16, partition->guid, 16);
		put_le(entry + 32, partition->first_lba, 8);
		put_le(entry + 40, partition->first_lba + partition->blocks - 1, 8);
		put_le(entry + 48, partition->role == CONVERT_ROLE_RECOVERY ?
			      GPT_ATTRIBUTES_RECOVERY : 0, 8);
		for (unsigned c = 0; name[c] && c < PARTITION_NAME_MAX; c++)
			put_le16(entry + 56 + 2 * c, (uint8_t)name[c]);
	}
	entries_crc = partition_crc32(gpt->entries, sizeof(gpt->entries));
	gpt->primary_entries_lba = 2;
	gpt->backup_entries_lba = last - CONVERT_GPT_ENTRY_BLOCKS;
	gpt->backup_header_lba = last;
	write_header(gpt->primary_header, layout, 1, last, gpt->primary_entries_lba,
		     entries_crc);
	write_header(gpt->backup_header, layout, last, 1, gpt->backup_entries_lba,
		     entries_crc);
}

void convert_guid_text(const uint8_t guid[16], char buf[37])
{
	snprintf(buf, 37, "%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		 (unsigned long)get_le32(guid), get_le16(guid + 4), get_le16(guid + 6),
		 guid[8], guid[9], guid[10], guid[11], guid[12], guid[13], guid[14], guid[15]);
}

void convert_log_text(const struct convert_layout *layout, const char *disk_name,
		      const char *tool_version, const char *timestamp,
		      unsigned mounted_changed, struct text *out)
{
	convert_log_text_where(layout, disk_name, tool_version, timestamp, mounted_changed,
			       "Linux host", "the fix's SYSTEM.win7gen2-backup above was made on a "
			       "staged copy", out);
}

void convert_log_text_where(const struct convert_layout *layout, const char *disk_name,
			    const char *tool_version, const char *timestamp,
			    unsigned mounted_changed, const char *where, const char *backup_note,
			    struct text *out)
{
	char guid[37];

	text_appendf(out, "== %s win7gen2 convert %s (%s)\n", timestamp, tool_version, where);
	convert_guid_text(layout->disk_guid, guid);
	text_appendf(out, "disk %s: MBR signature %08lX -> GPT disk GUID %s, %llu sectors\n",
		     disk_name, (unsigned long)layout->disk_signature, guid,
		     (unsigned long long)layout->disk_blocks);
	for (unsigned i = 0; i < layout->count; i++) {
		const struct convert_partition *partition = &layout->partition[i];

		convert_guid_text(partition->guid, guid);
		text_appendf(out, "partition %u: sectors %llu-%llu, MBR type 0x%02x -> %s, %s\n",
			     i + 1, (unsigned long long)partition->first_lba,
			     (unsigned long long)(partition->first_lba + partition->blocks - 1),
			     partition->mbr_type, convert_partition_name(partition->role), guid);
	}
	text_appendf(out, "MountedDevices: %u entr%s to GPT form\n", mounted_changed,
		     mounted_changed == 1 ? "y" : "ies");
	text_appendf(out, "undo data: \\win7gen2\\gen1\\ on partition %d (the SYSTEM hive as "
		     "it was is there; %s)\n", layout->windows + 1, backup_note);
}

static const char *role_text(enum convert_role role)
{
	switch (role) {
	case CONVERT_ROLE_ESP: return "System Reserved -> EFI system partition (FAT32)";
	case CONVERT_ROLE_WINDOWS: return "Windows -> basic data, kept as it is";
	case CONVERT_ROLE_RECOVERY: return "Windows RE -> Windows RE type, kept as it is";
	case CONVERT_ROLE_DATA: break;
	}
	return "data -> basic data, kept as it is";
}

void convert_plan_text(const struct convert_layout *layout, const char *disk_name,
		       enum convert_writer writer, struct text *out)
{
	text_appendf(out, "Disk %s: MBR, disk signature %08lX, %llu sectors of 512 bytes\n",
		     disk_name, (unsigned long)layout->disk_signature,
		     (unsigned long long)layout->disk_blocks);
	text_append(out, "Partitions (each keeps its sectors):\n");
	for (unsigned i = 0; i < layout->count; i++) {
		const struct convert_partition *partition = &layout->partition[i];

		text_appendf(out, "  %u  sectors %llu-%llu  MBR type 0x%02x%s  %s\n", i + 1,
			     (unsigned long long)partition->first_lba,
			     (unsigned long long)(partition->first_lba + partition->blocks - 1),
			     partition->mbr_type, partition->active ? " active" : "",
			     role_text(partition->role));
	}
	text_append(out, "Plan:\n");
	text_appendf(out, "  keep for --undo in \\win7gen2\\gen1\\ on partition %d: the disk's "
		     "first and last MiB, System Reserved's raw image (gzip), the SYSTEM "
		     "hive, with their CRC-32s\n", layout->windows + 1);
	text_appendf(out, "  write GPT: protective MBR at 0, header at 1, entries at 2-%u, "
		     "backup entries at %llu-%llu, backup header at %llu\n",
		     1 + CONVERT_GPT_ENTRY_BLOCKS,
		     (unsigned long long)(layout->disk_blocks - 1 - CONVERT_GPT_ENTRY_BLOCKS),
		     (unsigned long long)(layout->disk_blocks - 2),
		     (unsigned long long)(layout->disk_blocks - 1));
	text_appendf(out, "  format partition %d FAT32 as the ESP; copy \\Windows\\Boot\\EFI\\ "
		     "to \\EFI\\Microsoft\\Boot\\ and bootmgfw.efi to \\EFI\\Boot\\bootx64.efi\n",
		     layout->esp + 1);
	text_append(out, "  write \\EFI\\Microsoft\\Boot\\BCD for UEFI from "
		    "\\Windows\\System32\\config\\BCD-Template\n");
	text_append(out, "  MountedDevices: the converted partitions' entries to their GPT form "
		    "(DMIO:ID: and the partition GUID), so that C: stays C:\n");
	text_append(out, "  then the Gen2 fix, as 'win7gen2 fix' plans it\n");
	switch (writer) {
	case CONVERT_WRITER_LINUX:
		text_append(out, "Order: the ESP's files and the changed SYSTEM hive are made in a "
			    "temporary folder first; the table changes only when all are ready\n");
		break;
	case CONVERT_WRITER_WINDOWS_HOST:
	case CONVERT_WRITER_WINDOWS_PE:
		text_appendf(out, "Order: the undo data (read back), the table, format.com on the "
			     "ESP, the boot files and the store (%s), MountedDevices, the Gen2 "
			     "fix\n", writer == CONVERT_WRITER_WINDOWS_PE ? "by bcdboot" :
			     "from BCD-Template, by win7gen2pe");
		break;
	}
}

bool convert_mounted_device(const struct convert_layout *layout, const uint8_t *data,
			    size_t size, uint8_t out[CONVERT_MOUNTED_GPT_SIZE])
{
	uint64_t offset;

	if (size != 12 || get_le32(data) != layout->disk_signature)
		return false;
	offset = get_le64(data + 4);
	for (unsigned i = 0; i < layout->count; i++)
		if (layout->partition[i].first_lba * CONVERT_BLOCK_SIZE == offset) {
			memcpy(out, "DMIO:ID:", 8);
			memcpy(out + 8, layout->partition[i].guid, 16);
			return true;
		}
	return false;
}

#define BCD_DEVICE_PARTITION 6
#define BCD_DEVICE_DESCRIPTOR_SIZE 0x48
#define BCD_PARTITION_STYLE_GPT 0
#define BCD_PARTITION_STYLE_MBR 1

static void bcd_device_header(uint8_t out[CONVERT_BCD_DEVICE_SIZE])
{
	memset(out, 0, CONVERT_BCD_DEVICE_SIZE);
	put_le32(out + 0x10, BCD_DEVICE_PARTITION);
	put_le32(out + 0x18, BCD_DEVICE_DESCRIPTOR_SIZE);
}

void convert_bcd_device_mbr(uint32_t disk_signature, uint64_t partition_offset,
			    uint8_t out[CONVERT_BCD_DEVICE_SIZE])
{
	bcd_device_header(out);
	put_le(out + 0x20, partition_offset, 8);
	put_le32(out + 0x34, BCD_PARTITION_STYLE_MBR);
	put_le32(out + 0x38, disk_signature);
}

void convert_bcd_device_gpt(const uint8_t disk_guid[16], const uint8_t partition_guid[16],
			    uint8_t out[CONVERT_BCD_DEVICE_SIZE])
{
	bcd_device_header(out);
	memcpy(out + 0x20, partition_guid, 16);
	put_le32(out + 0x34, BCD_PARTITION_STYLE_GPT);
	memcpy(out + 0x38, disk_guid, 16);
}

void convert_bcd_guid_text(const uint8_t guid[16], char buf[39])
{
	snprintf(buf, 39, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
		 (unsigned long)get_le32(guid), get_le16(guid + 4), get_le16(guid + 6),
		 guid[8], guid[9], guid[10], guid[11], guid[12], guid[13], guid[14], guid[15]);
}

#define UNDO_MAGIC "win7gen2-convert-undo 1"

void convert_undo_format(const struct convert_undo *undo, struct text *out)
{
	text_appendf(out, UNDO_MAGIC "\n"
		     "disk-sectors %llu\n"
		     "disk-signature %08lX\n"
		     "system-reserved-first %llu\n"
		     "system-reserved-sectors %llu\n"
		     "first-mib-crc32 %08lX\n"
		     "last-mib-crc32 %08lX\n"
		     "system-reserved-crc32 %08lX\n"
		     "system-hive-size %llu\n"
		     "system-hive-crc32 %08lX\n",
		     (unsigned long long)undo->disk_blocks, (unsigned long)undo->disk_signature,
		     (unsigned long long)undo->esp_first_lba, (unsigned long long)undo->esp_blocks,
		     (unsigned long)undo->first_mib_crc, (unsigned long)undo->last_mib_crc,
		     (unsigned long)undo->system_reserved_crc,
		     (unsigned long long)undo->hive_size, (unsigned long)undo->hive_crc);
}

/* A number in base 10 or 16 filling [p, end): at most 16 digits. */
static bool parse_number(const uint8_t *p, const uint8_t *end, unsigned base, uint64_t *value)
{
	uint64_t result = 0;

	if (p == end || end - p > 16)
		return false;
	for (; p < end; p++) {
		unsigned digit;

		if (*p >= '0' && *p <= '9')
			digit = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			digit = (unsigned)(*p - 'A' + 10);
		else
			return false;
		if (base == 10 && result > (UINT64_MAX - digit) / 10)
			return false;
		result = result * base + digit;
	}
	*value = result;
	return true;
}

bool convert_undo_parse(const uint8_t *data, size_t size, struct convert_undo *undo,
			struct fix_error *err)
{
	static const struct { const char *key; unsigned base; } keys[] = {
		{ "disk-sectors", 10 }, { "disk-signature", 16 },
		{ "system-reserved-first", 10 }, { "system-reserved-sectors", 10 },
		{ "first-mib-crc32", 16 }, { "last-mib-crc32", 16 },
		{ "system-reserved-crc32", 16 }, { "system-hive-size", 10 },
		{ "system-hive-crc32", 16 },
	};
	uint64_t values[sizeof(keys) / sizeof(keys[0])];
	bool seen[sizeof(keys) / sizeof(keys[0])] = { false };
	const uint8_t *p = data, *end = data + size;
	size_t magic = sizeof(UNDO_MAGIC) - 1;

	if (size > CONVERT_UNDO_MANIFEST_MAX || size < magic + 1 ||
	    memcmp(data, UNDO_MAGIC, magic) != 0 || data[magic] != '\n') {
		snprintf(err->message, sizeof(err->message), "it is not a win7gen2 convert "
			 "manifest of this version");
		return false;
	}
	p += magic + 1;
	while (p < end) {
		const uint8_t *line_end = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *space;
		size_t i;

		if (!line_end) {
			snprintf(err->message, sizeof(err->message), "its last line is cut short");
			return false;
		}
		space = memchr(p, ' ', (size_t)(line_end - p));
		for (i = 0; space && i < sizeof(keys) / sizeof(keys[0]); i++)
			if ((size_t)(space - p) == strlen(keys[i].key) &&
			    memcmp(p, keys[i].key, (size_t)(space - p)) == 0)
				break;
		if (!space || i == sizeof(keys) / sizeof(keys[0]) || seen[i] ||
		    !parse_number(space + 1, line_end, keys[i].base, &values[i]) ||
		    (keys[i].base == 16 && values[i] > 0xffffffffu)) {
			snprintf(err->message, sizeof(err->message), "line \"%.*s\" is not "
				 "one it should hold", (int)(line_end - p > 60 ? 60 : line_end - p),
				 (const char *)p);
			return false;
		}
		seen[i] = true;
		p = line_end + 1;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!seen[i]) {
			snprintf(err->message, sizeof(err->message), "it has no %s line",
				 keys[i].key);
			return false;
		}
	/* Whole, padding too: callers compare manifests with memcmp. */
	memset(undo, 0, sizeof(*undo));
	undo->disk_blocks = values[0];
	undo->disk_signature = (uint32_t)values[1];
	undo->esp_first_lba = values[2];
	undo->esp_blocks = values[3];
	undo->first_mib_crc = (uint32_t)values[4];
	undo->last_mib_crc = (uint32_t)values[5];
	undo->system_reserved_crc = (uint32_t)values[6];
	undo->hive_size = values[7];
	undo->hive_crc = (uint32_t)values[8];
	if (undo->disk_blocks < 2 * CONVERT_UNDO_EDGE_BYTES / CONVERT_BLOCK_SIZE ||
	    undo->esp_blocks == 0 || undo->esp_first_lba > undo->disk_blocks ||
	    undo->esp_blocks > undo->disk_blocks - undo->esp_first_lba ||
	    undo->hive_size == 0 || undo->hive_size > 0xffffffffu) {
		snprintf(err->message, sizeof(err->message), "its sizes do not fit its disk");
		return false;
	}
	return true;
}
