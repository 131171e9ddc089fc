/*
 * test-convert.c - win7gen2 convert's engine, without a disk
 *
 * The MBR of a disk laid out as Windows 7 Setup does it (100 MiB active
 * System Reserved at 1 MiB, Windows after it), each refusal a user
 * meets, and the GPT built from the MBR read back through the same
 * parser the payload uses: every partition on its old sectors.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "convert.h"
#include "convert_bcd.h"
#include "partition_table.h"
#include "tap.h"

#define DISK_BLOCKS (4ull << 21) /* 4 GiB */
#define SYSRES_FIRST 2048u
#define SYSRES_BLOCKS 204800u
#define WINDOWS_FIRST (SYSRES_FIRST + SYSRES_BLOCKS)

static void set_entry(uint8_t *mbr, unsigned slot, bool active, uint8_t type,
		      uint32_t first, uint32_t blocks)
{
	uint8_t *entry = mbr + 446 + 16 * slot;

	memset(entry, 0, 16);
	entry[0] = active ? 0x80 : 0x00;
	entry[4] = type;
	put_le32(entry + 8, first);
	put_le32(entry + 12, blocks);
}

/* Windows 7 Setup's layout; Windows ends 1 MiB before the disk's end. */
static void make_mbr(uint8_t mbr[512])
{
	memset(mbr, 0, 512);
	mbr[0] = 0x33; /* boot code */
	put_le32(mbr + 440, 0x1234abcd);
	set_entry(mbr, 0, true, 0x07, SYSRES_FIRST, SYSRES_BLOCKS);
	set_entry(mbr, 1, false, 0x07, WINDOWS_FIRST,
		  (uint32_t)(DISK_BLOCKS - 2048 - WINDOWS_FIRST));
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
}

static void make_ntfs_boot(uint8_t sector[512], const char *oem)
{
	memset(sector, 0, 512);
	sector[0] = 0xeb;
	sector[1] = 0x52;
	sector[2] = 0x90;
	memcpy(sector + 3, oem, 8);
	sector[510] = 0x55;
	sector[511] = 0xaa;
}

static enum convert_refusal read_mbr(const uint8_t *mbr, uint64_t blocks,
				     struct convert_layout *layout, struct fix_error *err)
{
	err->message[0] = 0;
	return convert_read_mbr(mbr, 512, blocks, layout, err);
}

static void test_accepted_and_gpt(void)
{
	static struct convert_gpt gpt;
	uint8_t mbr[512], boot[2][512], random[16 * 5];
	const uint8_t *boot_sector[4] = { boot[0], boot[1] };
	struct convert_layout layout;
	struct fix_error err;
	struct gpt_header header;
	struct partition_table table;
	char text[37];

	make_mbr(mbr);
	make_ntfs_boot(boot[0], "NTFS    ");
	make_ntfs_boot(boot[1], "NTFS    ");
	tap_is_u64(read_mbr(mbr, DISK_BLOCKS, &layout, &err), CONVERT_ACCEPTED,
		   "Windows 7 Setup's MBR layout is accepted (%s)", err.message);
	tap_is_u64(layout.disk_signature, 0x1234abcd, "the disk signature is kept for "
		   "MountedDevices");
	tap_is_u64(convert_check_volumes(&layout, boot_sector, &err), CONVERT_ACCEPTED,
		   "its volumes are accepted (%s)", err.message);
	tap_is_u64(layout.esp, 0, "the active 100 MiB System Reserved becomes the ESP");
	convert_set_windows(&layout, 1);
	for (size_t i = 0; i < sizeof(random); i++)
		random[i] = (uint8_t)(i * 37 + 11);
	convert_set_guids(&layout, random, sizeof(random));
	tap_ok((layout.partition[0].guid[7] >> 4) == 4 &&
	       (layout.partition[0].guid[8] & 0xc0) == 0x80,
	       "partition GUIDs are version 4, RFC 4122 variant");
	tap_ok(memcmp(layout.partition[0].guid, layout.partition[1].guid, 16) != 0 &&
	       memcmp(layout.disk_guid, layout.partition[0].guid, 16) != 0,
	       "the disk and each partition get their own GUID");

	convert_build_gpt(&layout, &gpt);
	tap_ok(gpt.protective_mbr[446 + 4] == 0xee && get_le32(gpt.protective_mbr + 446 + 8) == 1 &&
	       get_le32(gpt.protective_mbr + 446 + 12) == DISK_BLOCKS - 1 &&
	       gpt.protective_mbr[510] == 0x55 && gpt.protective_mbr[511] == 0xaa,
	       "the protective MBR covers the disk from LBA 1");
	partition_table_from_mbr(&table, gpt.protective_mbr, gpt.primary_header, 512);
	tap_is_u64(table.scheme, PARTITION_SCHEME_GPT, "the payload's parser sees a GPT disk");
	tap_ok(gpt_header_parse(gpt.primary_header, 512, 1, DISK_BLOCKS - 1, &header),
	       "the primary header checks out (signature, CRC, ranges)");
	tap_is_u64(header.first_usable_lba, 34, "first usable LBA is 34");
	tap_is_u64(header.last_usable_lba, DISK_BLOCKS - 34, "last usable LBA leaves 33 at the end");
	tap_ok(gpt_entries_parse(&table, &header, gpt.entries, sizeof(gpt.entries)),
	       "the entry array's CRC matches the header");
	tap_is_u64(table.count, 2, "two partitions");
	tap_ok(table.partition[0].first_lba == SYSRES_FIRST &&
	       table.partition[0].blocks == SYSRES_BLOCKS &&
	       table.partition[1].first_lba == WINDOWS_FIRST &&
	       table.partition[1].blocks == DISK_BLOCKS - 2048 - WINDOWS_FIRST,
	       "every partition keeps its sectors");
	tap_ok(partition_is_esp(&table.partition[0]) && !partition_is_esp(&table.partition[1]),
	       "System Reserved is typed ESP, Windows is not");
	convert_guid_text(table.partition[1].type_guid, text);
	tap_is_str(text, "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Windows is basic data");
	tap_ok(table.partition[0].name[0] == 'E' && table.partition[1].name[0] == 'B',
	       "partitions are named as Windows names them");
	tap_ok(gpt_header_parse(gpt.backup_header, 512, DISK_BLOCKS - 1, DISK_BLOCKS - 1,
				&header) && header.entry_lba == DISK_BLOCKS - 33 &&
	       gpt.backup_header_lba == DISK_BLOCKS - 1 &&
	       gpt.backup_entries_lba == DISK_BLOCKS - 33,
	       "the backup header at the last LBA points at the backup entries");
	tap_ok(get_le64(gpt.primary_header + 32) == DISK_BLOCKS - 1 &&
	       get_le64(gpt.backup_header + 32) == 1, "each header names the other");
	tap_ok(memcmp(gpt.primary_header + 56, gpt.backup_header + 56, 16) == 0,
	       "both headers carry the same disk GUID");
}

static void expect_mbr_refusal(const uint8_t *mbr, uint64_t blocks, enum convert_refusal want,
			       const char *words, const char *what)
{
	struct convert_layout layout;
	struct fix_error err;
	enum convert_refusal got = read_mbr(mbr, blocks, &layout, &err);

	tap_ok(got == want && strstr(err.message, words) != NULL, "%s is refused as %s, "
	       "saying \"%s\"", what, convert_refusal_name(want), words);
	if (got != want || !strstr(err.message, words))
		tap_diag("got %s: %s", convert_refusal_name(got), err.message);
}

static void test_mbr_refusals(void)
{
	uint8_t mbr[512];
	struct convert_layout layout;
	struct fix_error err;

	make_mbr(mbr);
	set_entry(mbr, 0, false, 0xee, 1, (uint32_t)(DISK_BLOCKS - 1));
	set_entry(mbr, 1, false, 0, 0, 0);
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_GPT, "GPT already", "a GPT disk");

	memset(mbr, 0, sizeof(mbr));
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_NOT_MBR, "no MBR", "a blank disk");

	make_mbr(mbr);
	set_entry(mbr, 2, false, 0x0f, (uint32_t)(DISK_BLOCKS - 4096), 2048);
	set_entry(mbr, 1, false, 0x07, WINDOWS_FIRST, 204800);
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_EXTENDED, "extended",
			   "an extended partition");

	make_mbr(mbr);
	set_entry(mbr, 1, false, 0x42, WINDOWS_FIRST, 204800);
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_DYNAMIC, "Disk Management",
			   "a dynamic disk");

	make_mbr(mbr);
	set_entry(mbr, 1, false, 0x83, WINDOWS_FIRST, 204800);
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_PARTITION_TYPE, "0x83",
			   "a Linux partition");

	make_mbr(mbr);
	set_entry(mbr, 1, false, 0x07, SYSRES_FIRST + 100, 204800);
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_LAYOUT, "overlap",
			   "overlapping partitions");

	make_mbr(mbr);
	expect_mbr_refusal(mbr, DISK_BLOCKS - 4096, CONVERT_REFUSE_LAYOUT, "past",
			   "a partition past the disk's end");

	make_mbr(mbr);
	set_entry(mbr, 0, true, 0x07, 32, SYSRES_BLOCKS);
	set_entry(mbr, 1, false, 0, 0, 0);
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_NO_ROOM_START, "2048",
			   "a partition inside GPT's first 34 sectors");

	/* Windows filling the disk to its last sector, as Setup's "use all
	 * space" does on some disk sizes. */
	make_mbr(mbr);
	set_entry(mbr, 1, false, 0x07, WINDOWS_FIRST, (uint32_t)(DISK_BLOCKS - WINDOWS_FIRST));
	expect_mbr_refusal(mbr, DISK_BLOCKS, CONVERT_REFUSE_NO_ROOM_END, "qemu-img resize",
			   "a disk full to its end");
	tap_ok(read_mbr(mbr, DISK_BLOCKS, &layout, &err) == CONVERT_REFUSE_NO_ROOM_END &&
	       layout.grow_blocks == 33 && strstr(err.message, "by 1 MiB") &&
	       strstr(err.message, "Resize-VHD"),
	       "it says how much is missing and to grow by 1 MiB, on Linux and Hyper-V");

	make_mbr(mbr);
	tap_is_u64(convert_read_mbr(mbr, 4096, DISK_BLOCKS / 8, &layout, &err),
		   CONVERT_REFUSE_BLOCK_SIZE, "4096-byte sectors are refused");
}

static void expect_volume_refusal(uint8_t *mbr, uint8_t boot[][512],
				  enum convert_refusal want, const char *words, const char *what)
{
	const uint8_t *boot_sector[4] = { boot[0], boot[1], boot[2], boot[3] };
	struct convert_layout layout;
	struct fix_error err;
	enum convert_refusal got = read_mbr(mbr, DISK_BLOCKS, &layout, &err);

	if (got == CONVERT_ACCEPTED)
		got = convert_check_volumes(&layout, boot_sector, &err);
	tap_ok(got == want && strstr(err.message, words) != NULL, "%s is refused as %s",
	       what, convert_refusal_name(want));
	if (got != want || !strstr(err.message, words))
		tap_diag("got %s: %s", convert_refusal_name(got), err.message);
}

static void test_volume_refusals(void)
{
	uint8_t mbr[512], boot[4][512];

	for (unsigned i = 0; i < 4; i++)
		make_ntfs_boot(boot[i], "NTFS    ");
	make_mbr(mbr);
	make_ntfs_boot(boot[1], "-FVE-FS-");
	expect_volume_refusal(mbr, boot, CONVERT_REFUSE_BITLOCKER, "manage-bde",
			      "a BitLocker Windows partition");

	make_ntfs_boot(boot[1], "NTFS    ");
	set_entry(mbr, 0, true, 0x07, SYSRES_FIRST, (uint32_t)(DISK_BLOCKS - 4096));
	set_entry(mbr, 1, false, 0, 0, 0);
	expect_volume_refusal(mbr, boot, CONVERT_REFUSE_NO_SYSTEM_RESERVED, "shrinking",
			      "Windows alone on one partition");

	make_mbr(mbr);
	set_entry(mbr, 0, true, 0x07, SYSRES_FIRST, 2048 * 50);
	expect_volume_refusal(mbr, boot, CONVERT_REFUSE_NO_SYSTEM_RESERVED, "100 MiB",
			      "a 50 MiB System Reserved");

	make_mbr(mbr);
	set_entry(mbr, 0, false, 0x07, SYSRES_FIRST, SYSRES_BLOCKS);
	expect_volume_refusal(mbr, boot, CONVERT_REFUSE_NO_SYSTEM_RESERVED, "active",
			      "a disk with no active partition");
}

static bool parse_text(const char *text, struct convert_undo *undo, struct fix_error *err)
{
	return convert_undo_parse((const uint8_t *)text, strlen(text), undo, err);
}

static void test_undo_manifest(void)
{
	struct convert_undo undo, back;
	struct text text = TEXT_INIT;
	struct fix_error err;
	char *cut;

	memset(&undo, 0, sizeof(undo)); /* padding too: compared whole below */
	undo.disk_blocks = DISK_BLOCKS;
	undo.disk_signature = 0x1234abcd;
	undo.esp_first_lba = SYSRES_FIRST;
	undo.esp_blocks = SYSRES_BLOCKS;
	undo.first_mib_crc = 0xdeadbeef;
	undo.last_mib_crc = 1;
	undo.system_reserved_crc = 0xffffffff;
	undo.hive_size = 262144;
	undo.hive_crc = 0x0badf00d;

	convert_undo_format(&undo, &text);
	tap_ok(parse_text(text_string(&text), &back, &err) &&
	       memcmp(&undo, &back, sizeof(undo)) == 0,
	       "the undo manifest reads back as written");
	cut = strdup(text_string(&text));
	cut[strlen(cut) - 1] = 0;
	tap_ok(!parse_text(cut, &back, &err) && strstr(err.message, "cut short"),
	       "a manifest cut short is refused");
	*strstr(cut, "system-hive-crc32") = 0;
	tap_ok(!parse_text(cut, &back, &err) && strstr(err.message, "system-hive-crc32"),
	       "a manifest without a line is refused, naming it");
	free(cut);
	text_append(&text, "disk-sectors 1\n");
	tap_ok(!parse_text(text_string(&text), &back, &err), "a line given twice is refused");
	text_free(&text);
	undo.esp_first_lba = DISK_BLOCKS - 10;
	convert_undo_format(&undo, &text);
	tap_ok(!parse_text(text_string(&text), &back, &err) && strstr(err.message, "do not fit"),
	       "System Reserved past the disk's end is refused");
	text_free(&text);
	tap_ok(!parse_text("win7gen2-convert-undo 2\n", &back, &err),
	       "another manifest version is refused");
}

static void test_mounted_devices(void)
{
	uint8_t mbr[512], boot[2][512], random[16 * 5], value[12], out[24];
	const uint8_t *boot_sector[4] = { boot[0], boot[1] };
	struct convert_layout layout;
	struct fix_error err;

	make_mbr(mbr);
	make_ntfs_boot(boot[0], "NTFS    ");
	make_ntfs_boot(boot[1], "NTFS    ");
	for (size_t i = 0; i < sizeof(random); i++)
		random[i] = (uint8_t)(i * 13 + 5);
	if (read_mbr(mbr, DISK_BLOCKS, &layout, &err) != CONVERT_ACCEPTED ||
	    convert_check_volumes(&layout, boot_sector, &err) != CONVERT_ACCEPTED)
		return (void)tap_ok(false, "the layout for MountedDevices: %s", err.message);
	convert_set_windows(&layout, 1);
	convert_set_guids(&layout, random, sizeof(random));
	put_le32(value, 0x1234abcd);
	put_le32(value + 4, WINDOWS_FIRST * 512u);
	put_le32(value + 8, 0);
	tap_ok(convert_mounted_device(&layout, value, sizeof(value), out) &&
	       memcmp(out, "DMIO:ID:", 8) == 0 && memcmp(out + 8, layout.partition[1].guid, 16) == 0,
	       "C: (signature + the Windows partition's byte offset) becomes DMIO:ID: + its GPT GUID");
	put_le32(value, 0x11111111);
	tap_ok(!convert_mounted_device(&layout, value, sizeof(value), out),
	       "a volume of another disk is left alone");
	put_le32(value, 0x1234abcd);
	put_le32(value + 4, 4096);
	tap_ok(!convert_mounted_device(&layout, value, sizeof(value), out),
	       "an offset where no partition starts is left alone");
	tap_ok(!convert_mounted_device(&layout, out, 8, out),
	       "data of another length is left alone");
}

static void test_bcd_device(void)
{
	/* A Windows 8.1 store's device element for partition=C: on an MBR
	 * disk, as published (mistyprojects.co.uk, "Devices Partition - Data"). */
	static const uint8_t published[CONVERT_BCD_DEVICE_SIZE] = {
		[0x10] = 0x06, [0x18] = 0x48, [0x22] = 0xf0, [0x23] = 0x15,
		[0x34] = 0x01, [0x38] = 0xf1, [0x39] = 0xa8, [0x3a] = 0xeb, [0x3b] = 0xb3,
	};
	uint8_t device[CONVERT_BCD_DEVICE_SIZE], expected[CONVERT_BCD_DEVICE_SIZE];
	uint8_t disk[16], partition[16];
	char text[39];

	convert_bcd_device_mbr(0xb3eba8f1, 0x15f00000, device);
	tap_ok(memcmp(device, published, sizeof(device)) == 0,
	       "an MBR partition device element is byte for byte the published one");
	for (unsigned i = 0; i < 16; i++) {
		disk[i] = (uint8_t)(0xd0 + i);
		partition[i] = (uint8_t)(0xa0 + i);
	}
	/* The GPT form: the published MBR element with its 40-byte partition
	 * record (0x20-0x47) holding the partition GUID, a zero dword, style 0
	 * and the disk GUID, every other byte as published. */
	memcpy(expected, published, sizeof(expected));
	memset(expected + 0x20, 0, 40);
	memcpy(expected + 0x20, partition, 16);
	memcpy(expected + 0x38, disk, 16);
	convert_bcd_device_gpt(disk, partition, device);
	tap_ok(memcmp(device, expected, sizeof(device)) == 0,
	       "the GPT form is the published element with the partition GUID at 0x20, style 0 "
	       "at 0x34 and the disk GUID at 0x38");
	convert_bcd_guid_text(partition, text);
	tap_is_str(text, "{a3a2a1a0-a5a4-a7a6-a8a9-aaabacadaeaf}",
		   "BCD object names are lowercase GUIDs in braces");
}

/* A backend that keeps one hive's values in memory: what the BCD writer
 * sets, whether it committed, and a set that fails when asked to. */
#define FAKE_VALUES 64
struct fake_value {
	char key[96], name[16];
	uint32_t type;
	uint8_t data[128];
	size_t size;
};
struct fake_bcd {
	struct fake_value value[FAKE_VALUES];
	unsigned count, fail_at; /* fail_at: the 1-based set that fails, 0 none */
	bool open, committed, closed;
};
static struct fake_bcd fake;
struct fix_hive {
	int unused;
};
static struct fix_hive fake_hive;

static enum fix_status fake_open(void *ctx, enum fix_volume volume, const char *path,
				 bool writable, struct fix_hive **out, struct fix_error *err)
{
	(void)ctx;
	(void)err;
	fake.open = volume == FIX_VOLUME_ESP && strcmp(path, CONVERT_BCD_PATH) == 0 && writable;
	*out = &fake_hive;
	return FIX_OK;
}

static enum fix_status fake_set(struct fix_hive *hive, const char *key, const char *name,
				uint32_t type, const void *data, size_t size, struct fix_error *err)
{
	struct fake_value *value = &fake.value[fake.count];

	(void)hive;
	if (fake.count + 1 == fake.fail_at) {
		snprintf(err->message, sizeof(err->message), "no room in the hive");
		return FIX_ERROR;
	}
	if (fake.count >= FAKE_VALUES || strlen(key) >= sizeof(value->key) ||
	    strlen(name) >= sizeof(value->name) || size > sizeof(value->data))
		return FIX_ERROR;
	strcpy(value->key, key);
	strcpy(value->name, name);
	value->type = type;
	memcpy(value->data, data, size);
	value->size = size;
	fake.count++;
	return FIX_OK;
}

static enum fix_status fake_commit(struct fix_hive *hive, struct fix_error *err)
{
	(void)hive;
	(void)err;
	fake.committed = true;
	return FIX_OK;
}

static void fake_close(struct fix_hive *hive)
{
	(void)hive;
	fake.closed = true;
}

static void fake_display(void *ctx, enum fix_volume volume, const char *path, char *buf,
			 size_t size)
{
	(void)ctx;
	(void)volume;
	snprintf(buf, size, "S:\\%s", path);
}

static const struct fake_value *fake_get(const char *object, const char *element)
{
	char key[96];

	snprintf(key, sizeof(key), "Objects\\%s\\%s", object, element);
	for (unsigned i = 0; i < fake.count; i++)
		if (strcmp(fake.value[i].key, key) == 0)
			return &fake.value[i];
	return NULL;
}

/* The UTF-16LE string data names as ASCII, for comparing. */
static const char *fake_string(const struct fake_value *value)
{
	static char text[64];
	size_t n = 0;

	if (!value)
		return "(missing)";
	for (; n + 1 < sizeof(text) && 2 * n + 1 < value->size && value->data[2 * n]; n++)
		text[n] = (char)value->data[2 * n];
	text[n] = 0;
	return text;
}

static void test_bcd_fill(void)
{
	static const struct fix_backend backend = {
		.display_path = fake_display, .hive_open = fake_open, .hive_set = fake_set,
		.hive_commit = fake_commit, .hive_close = fake_close,
	};
	uint8_t mbr[512], boot[2][512], random[16 * 5], new_guids[32];
	uint8_t esp_device[CONVERT_BCD_DEVICE_SIZE], windows_device[CONVERT_BCD_DEVICE_SIZE];
	const uint8_t *boot_sector[4] = { boot[0], boot[1] };
	const struct fake_value *value;
	struct convert_layout layout;
	struct fix_error err;
	char loader[39], resume[39];

	make_mbr(mbr);
	make_ntfs_boot(boot[0], "NTFS    ");
	make_ntfs_boot(boot[1], "NTFS    ");
	for (unsigned i = 0; i < sizeof(random); i++)
		random[i] = (uint8_t)(i * 7 + 3);
	for (unsigned i = 0; i < sizeof(new_guids); i++)
		new_guids[i] = (uint8_t)(i * 13 + 1);
	if (read_mbr(mbr, DISK_BLOCKS, &layout, &err) != CONVERT_ACCEPTED ||
	    convert_check_volumes(&layout, boot_sector, &err) != CONVERT_ACCEPTED)
		return (void)tap_ok(false, "the layout for the BCD: %s", err.message);
	convert_set_windows(&layout, 1);
	convert_set_guids(&layout, random, sizeof(random));
	convert_bcd_device_gpt(layout.disk_guid, layout.partition[layout.esp].guid, esp_device);
	convert_bcd_device_gpt(layout.disk_guid, layout.partition[layout.windows].guid,
			       windows_device);

	memset(&fake, 0, sizeof(fake));
	tap_ok(convert_bcd_fill(&backend, NULL, FIX_VOLUME_ESP, CONVERT_BCD_PATH, &layout,
				new_guids, &err) == FIX_OK && fake.open && fake.committed &&
	       fake.closed, "the store is opened for writing on the ESP, committed, closed");
	value = fake_get(CONVERT_BCD_BOOTMGR, "Description");
	tap_ok(value && value->type == FIX_REG_DWORD && get_le32(value->data) ==
	       CONVERT_BCD_TYPE_BOOTMGR, "{bootmgr} is the firmware boot manager");
	value = fake_get(CONVERT_BCD_BOOTMGR, "Elements\\11000001");
	tap_ok(value && value->type == FIX_REG_BINARY && value->size == sizeof(esp_device) &&
	       memcmp(value->data, esp_device, sizeof(esp_device)) == 0,
	       "{bootmgr} lives on the ESP, named by its GPT GUIDs");
	tap_is_str(fake_string(fake_get(CONVERT_BCD_BOOTMGR, "Elements\\12000002")),
		   "\\EFI\\Microsoft\\Boot\\bootmgfw.efi", "{bootmgr} is bootmgfw.efi");
	snprintf(loader, sizeof(loader), "%s", fake_string(fake_get(CONVERT_BCD_BOOTMGR,
								    "Elements\\23000003")));
	snprintf(resume, sizeof(resume), "%s", fake_string(fake_get(CONVERT_BCD_BOOTMGR,
								    "Elements\\23000006")));
	tap_ok(strlen(loader) == 38 && strcmp(loader, resume) != 0 && loader[15] == '4' &&
	       resume[15] == '4', "the default loader and the resume object are new, "
	       "distinct random GUIDs");
	value = fake_get(loader, "Description");
	tap_ok(value && get_le32(value->data) == CONVERT_BCD_TYPE_OSLOADER,
	       "the default object is a Windows loader");
	value = fake_get(loader, "Elements\\21000001");
	tap_ok(value && value->size == sizeof(windows_device) &&
	       memcmp(value->data, windows_device, sizeof(windows_device)) == 0,
	       "the loader boots Windows from its partition, named by its GPT GUIDs");
	tap_is_str(fake_string(fake_get(loader, "Elements\\12000002")),
		   "\\Windows\\system32\\winload.efi", "the loader is winload.efi");
	tap_is_str(fake_string(fake_get(loader, "Elements\\22000002")), "\\Windows",
		   "the system root is \\Windows");
	tap_is_str(fake_string(fake_get(loader, "Elements\\23000003")), resume,
		   "the loader's resume object is {bootmgr}'s");
	value = fake_get(resume, "Description");
	tap_ok(value && get_le32(value->data) == CONVERT_BCD_TYPE_RESUME,
	       "the resume object is a resume application");
	tap_is_str(fake_string(fake_get(resume, "Elements\\12000002")),
		   "\\Windows\\system32\\winresume.efi", "the resume object is winresume.efi");

	memset(&fake, 0, sizeof(fake));
	fake.fail_at = 5;
	tap_ok(convert_bcd_fill(&backend, NULL, FIX_VOLUME_ESP, CONVERT_BCD_PATH, &layout,
				new_guids, &err) == FIX_ERROR && !fake.committed && fake.closed &&
	       fake.count == 4, "a value that cannot be set stops the store before its commit");
	tap_ok(strstr(err.message, "S:\\EFI\\Microsoft\\Boot\\BCD") &&
	       strstr(err.message, "no room in the hive"),
	       "the message names the store and the reason: %s", err.message);
}

static void test_log_record(void)
{
	static const char head[] = "== 2026-12-07 12:00:00 UTC win7gen2 convert 0.1.0 ";
	uint8_t mbr[512], boot[2][512], random[16 * 5];
	const uint8_t *boot_sector[4] = { boot[0], boot[1] };
	struct convert_layout layout;
	struct fix_error err;
	struct text text = TEXT_INIT;
	char guid[37], line[160];

	make_mbr(mbr);
	make_ntfs_boot(boot[0], "NTFS    ");
	make_ntfs_boot(boot[1], "NTFS    ");
	memset(random, 0x5a, sizeof(random));
	if (read_mbr(mbr, DISK_BLOCKS, &layout, &err) != CONVERT_ACCEPTED ||
	    convert_check_volumes(&layout, boot_sector, &err) != CONVERT_ACCEPTED)
		return (void)tap_ok(false, "the layout for the log: %s", err.message);
	convert_set_windows(&layout, 1);
	convert_set_guids(&layout, random, sizeof(random));
	convert_log_text(&layout, "disk.raw", "0.1.0", "2026-12-07 12:00:00 UTC", 2, &text);
	tap_ok(strncmp(text_string(&text), head, sizeof(head) - 1) == 0,
	       "the record starts as the fix's records do");
	convert_guid_text(layout.partition[1].guid, guid);
	snprintf(line, sizeof(line), "partition 2: sectors %u-%llu, MBR type 0x07 -> Basic data "
		 "partition, %s\n", WINDOWS_FIRST, (unsigned long long)(DISK_BLOCKS - 2049), guid);
	tap_ok(strstr(text_string(&text), line) != NULL,
	       "each partition with its sectors, old and new type and GUID");
	tap_ok(strstr(text_string(&text), "disk signature") == NULL &&
	       strstr(text_string(&text), "MBR signature 1234ABCD") != NULL,
	       "the old disk signature is recorded");
	text_free(&text);
}

int main(void)
{
	test_log_record();
	test_bcd_device();
	test_bcd_fill();
	test_mounted_devices();
	test_undo_manifest();
	test_accepted_and_gpt();
	test_mbr_refusals();
	test_volume_refusals();
	return tap_done();
}
