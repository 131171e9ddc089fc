/*
 * test-bootopt.c - boot options and BootOrder as bytes, on the host
 *
 * The option the payload writes is checked byte for byte against one
 * laid out here by hand from the UEFI specification (3.1.3
 * EFI_LOAD_OPTION, 10.3.5.1 Hard Drive, 10.3.5.4 File Path), and the
 * recognition of "our" option against the forms other writers use:
 * the short form Windows writes, a full path from the firmware, a path
 * split over several file nodes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "bootopt.h"
#include "tap.h"

#define PATH "\\EFI\\win7gen2\\win7gen2.efi"
#define DESCRIPTION "win7gen2 (Windows Boot Manager)"

/* Partition 1 of a GPT disk, from 1 MiB, 100 MiB long. */
static void make_hd(uint8_t hd[BOOTOPT_HD_NODE_SIZE])
{
	memset(hd, 0, BOOTOPT_HD_NODE_SIZE);
	hd[0] = 4;  /* media */
	hd[1] = 1;  /* hard drive */
	hd[2] = BOOTOPT_HD_NODE_SIZE;
	hd[4] = 1;  /* partition number */
	hd[9] = 0x08; /* start 0x800 */
	hd[17] = 0x20; /* size 0x32000 */
	hd[18] = 0x03;
	for (int i = 0; i < 16; i++)
		hd[24 + i] = (uint8_t)(0xa0 + i); /* partition GUID */
	hd[40] = 2; /* GPT */
	hd[41] = 2; /* GUID signature */
}

static size_t put_utf16(uint8_t *at, const char *text)
{
	size_t n = 0;

	for (; *text; text++, n += 2) {
		at[n] = (uint8_t)*text;
		at[n + 1] = 0;
	}
	at[n] = at[n + 1] = 0;
	return n + 2;
}

/* A file-path node for text; returns its size. */
static size_t file_node(uint8_t *at, const char *text)
{
	size_t size = 4 + put_utf16(at + 4, text);

	at[0] = 4;
	at[1] = 4;
	at[2] = (uint8_t)size;
	at[3] = (uint8_t)(size >> 8);
	return size;
}

static size_t end_node(uint8_t *at, uint8_t subtype)
{
	at[0] = 0x7f;
	at[1] = subtype;
	at[2] = 4;
	at[3] = 0;
	return 4;
}

/* A whole option: description, then the device path list given. */
static size_t option_of(uint8_t *out, uint32_t attributes, const char *description,
			const uint8_t *list, size_t list_size, const uint8_t *optional,
			size_t optional_size)
{
	size_t at;

	out[0] = (uint8_t)attributes;
	out[1] = (uint8_t)(attributes >> 8);
	out[2] = (uint8_t)(attributes >> 16);
	out[3] = (uint8_t)(attributes >> 24);
	out[4] = (uint8_t)list_size;
	out[5] = (uint8_t)(list_size >> 8);
	at = 6 + put_utf16(out + 6, description);
	memcpy(out + at, list, list_size);
	at += list_size;
	if (optional_size)
		memcpy(out + at, optional, optional_size);
	return at + optional_size;
}

static bool starts(const uint8_t *data, size_t size, const uint8_t *hd, const char *path)
{
	struct bootopt opt;

	return bootopt_parse(data, size, &opt) && bootopt_starts(&opt, hd, path);
}

static void test_build(void)
{
	uint8_t hd[BOOTOPT_HD_NODE_SIZE], want[512], list[256], got[512];
	size_t list_size = 0, want_size, got_size;
	struct bootopt opt;

	make_hd(hd);
	memcpy(list, hd, sizeof(hd));
	list_size = sizeof(hd);
	list_size += file_node(list + list_size, PATH);
	list_size += end_node(list + list_size, 0xff);
	want_size = option_of(want, 1, DESCRIPTION, list, list_size, NULL, 0);

	got_size = bootopt_build(got, sizeof(got), DESCRIPTION, hd, PATH);
	tap_is_u64(got_size, want_size, "built option: the size the specification gives");
	tap_ok(got_size == want_size && memcmp(got, want, want_size) == 0,
	       "built option: active, the description, HD + file path + end, no optional data");

	tap_ok(bootopt_parse(got, got_size, &opt), "built option parses");
	tap_is_u64(opt.attributes, BOOTOPT_ACTIVE, "attributes: active");
	tap_is_u64(opt.description_chars, strlen(DESCRIPTION), "description length");
	tap_is_u64(opt.file_path_size, list_size, "device path list size");
	tap_is_u64(opt.optional_size, 0, "no optional data");
	tap_ok(bootopt_starts(&opt, hd, PATH), "the built option starts our file on our partition");

	tap_is_u64(bootopt_build(got, want_size - 1, DESCRIPTION, hd, PATH), 0,
		   "a buffer one byte short: nothing built");
	tap_is_u64(bootopt_build(got, sizeof(got), "caf\xc3\xa9", hd, PATH), 0,
		   "a description that is not ASCII: refused");
	hd[40] = 1; /* MBR */
	tap_is_u64(bootopt_build(got, sizeof(got), DESCRIPTION, hd, PATH), 0,
		   "an MBR partition's node: refused");
}

static void test_recognise(void)
{
	uint8_t hd[BOOTOPT_HD_NODE_SIZE], other[BOOTOPT_HD_NODE_SIZE], list[512], data[1024];
	size_t n, size;
	static const uint8_t pci_root[] = { 2, 1, 12, 0, 0xd0, 0x41, 0x03, 0x0a, 0, 0, 0, 0 };
	static const uint8_t pci[] = { 1, 1, 6, 0, 0, 3 };
	static const uint8_t mac[] = { 3, 11, 37, 0 };

	make_hd(hd);
	memcpy(other, hd, sizeof(hd));
	other[24] ^= 1; /* another partition GUID */

	/* Short form, as bcdedit writes Windows' entry. */
	memcpy(list, hd, sizeof(hd));
	n = sizeof(hd);
	n += file_node(list + n, PATH);
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "Windows 7", list, n, (const uint8_t *)"WINDOWS", 8);
	tap_ok(starts(data, size, hd, PATH), "short form with optional data: ours");
	tap_ok(starts(data, size, hd, "\\efi\\WIN7GEN2\\Win7Gen2.EFI"), "letters in any case");
	tap_ok(starts(data, size, hd, "/EFI/win7gen2/win7gen2.efi"), "'/' as '\\'");
	tap_ok(!starts(data, size, other, PATH), "another partition: not ours");
	{
		struct bootopt opt;
		char text[8];

		tap_ok(bootopt_parse(data, size, &opt) && bootopt_file_is(&opt, PATH) &&
		       !bootopt_file_is(&opt, "\\EFI\\win7gen2"),
		       "whatever the partition, the file is ours (for reports)");
		tap_is_u64(bootopt_description(&opt, text, sizeof(text)), 7,
			   "the description, cut to the buffer");
		tap_is_str(text, "Windows", "the description in ASCII");
	}
	tap_ok(!starts(data, size, hd, "\\EFI\\win7gen2"), "a shorter path: not ours");
	tap_ok(!starts(data, size, hd, PATH ".bak"), "a longer path: not ours");
	tap_ok(!starts(data, size, hd, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"),
	       "Windows' boot manager: not ours");

	/* Full path, as firmware makes it. */
	n = 0;
	memcpy(list + n, pci_root, sizeof(pci_root));
	n += sizeof(pci_root);
	memcpy(list + n, pci, sizeof(pci));
	n += sizeof(pci);
	memcpy(list + n, hd, sizeof(hd));
	n += sizeof(hd);
	n += file_node(list + n, PATH);
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "full", list, n, NULL, 0);
	tap_ok(starts(data, size, hd, PATH), "full device path through PCI: ours");

	/* The path over two file nodes, with and without a '\' between. */
	memcpy(list, hd, sizeof(hd));
	n = sizeof(hd);
	n += file_node(list + n, "\\EFI\\win7gen2");
	n += file_node(list + n, "win7gen2.efi");
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "split", list, n, NULL, 0);
	tap_ok(starts(data, size, hd, PATH), "two file nodes joined by a '\\': ours");
	memcpy(list, hd, sizeof(hd));
	n = sizeof(hd);
	n += file_node(list + n, "\\EFI\\win7gen2\\");
	n += file_node(list + n, "win7gen2.efi");
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "split", list, n, NULL, 0);
	tap_ok(starts(data, size, hd, PATH), "two file nodes, the first ending in '\\': ours");

	/* Something after the partition that is not a file. */
	memcpy(list, hd, sizeof(hd));
	n = sizeof(hd);
	memcpy(list + n, mac, sizeof(mac));
	list[n + 2] = 4; /* a 4-byte node */
	n += 4;
	n += file_node(list + n, PATH);
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "odd", list, n, NULL, 0);
	tap_ok(!starts(data, size, hd, PATH), "a non-file node after the partition: not ours");

	/* Our path in a second instance only. */
	n = 0;
	memcpy(list + n, pci_root, sizeof(pci_root));
	n += sizeof(pci_root);
	n += end_node(list + n, 0x01);
	memcpy(list + n, hd, sizeof(hd));
	n += sizeof(hd);
	n += file_node(list + n, PATH);
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "second", list, n, NULL, 0);
	tap_ok(!starts(data, size, hd, PATH), "ours only in a second instance: not ours");

	/* No file at all after the partition. */
	memcpy(list, hd, sizeof(hd));
	n = sizeof(hd);
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "disk", list, n, NULL, 0);
	tap_ok(!starts(data, size, hd, PATH), "the partition alone: not ours");
	{
		struct bootopt opt;

		tap_ok(bootopt_parse(data, size, &opt) && !bootopt_file_is(&opt, PATH),
		       "the partition alone: no file of ours in it either");
	}
}

static void test_malformed(void)
{
	uint8_t hd[BOOTOPT_HD_NODE_SIZE], data[256], list[128];
	struct bootopt opt;
	size_t n, size;

	make_hd(hd);
	memset(data, 0, sizeof(data));
	tap_ok(!bootopt_parse(data, 5, &opt), "5 bytes: no option");
	tap_ok(!bootopt_parse(NULL, 0, &opt), "nothing: no option");
	memset(data, 'x', sizeof(data));
	data[4] = 0;
	data[5] = 0;
	tap_ok(!bootopt_parse(data, 40, &opt), "a description without its NUL: refused");

	memcpy(list, hd, sizeof(hd));
	n = sizeof(hd);
	n += file_node(list + n, PATH);
	n += end_node(list + n, 0xff);
	size = option_of(data, 1, "d", list, n, NULL, 0);
	data[4] = (uint8_t)(n + 1); /* the list one byte longer than what follows */
	tap_ok(!bootopt_parse(data, size, &opt), "a device path list past the end: refused");

	/* Lengths inside the list that lie. */
	size = option_of(data, 1, "d", list, n, NULL, 0);
	data[6 + 4 + 2] = 0; /* the HD node's length: 0 */
	tap_ok(!starts(data, size, hd, PATH), "a node of length 0: not ours, and no endless loop");
	size = option_of(data, 1, "d", list, n, NULL, 0);
	data[6 + 4 + BOOTOPT_HD_NODE_SIZE + 2] = 0xff; /* the file node runs past the list */
	tap_ok(!starts(data, size, hd, PATH), "a file node past the list: not ours");
	size = option_of(data, 1, "d", list, sizeof(hd) + 2, NULL, 0);
	tap_ok(!starts(data, size, hd, PATH), "a list cut inside a node header: not ours");
}

static void test_order(void)
{
	static const uint8_t none[1] = { 0 };
	static const uint8_t others[] = { 1, 0, 2, 0, 3, 0, 7, 0 };
	static const uint8_t with_ours[] = { 1, 0, 3, 0, 2, 0, 3, 0, 1, 0 };
	static const uint8_t odd[] = { 1, 0, 2 };
	uint8_t out[16];
	size_t size;

	size = bootorder_put_first(none, 0, 3, out);
	tap_ok(size == 2 && out[0] == 3 && out[1] == 0, "empty BootOrder: ours alone");

	size = bootorder_put_first(others, sizeof(others), 3, out);
	tap_ok(size == 8 && memcmp(out, (const uint8_t[]){ 3, 0, 1, 0, 2, 0, 7, 0 }, 8) == 0,
	       "ours moved to the front, the others in their order");

	size = bootorder_put_first(others, sizeof(others), 0x1234, out);
	tap_ok(size == 10 && out[0] == 0x34 && out[1] == 0x12 && memcmp(out + 2, others, 8) == 0,
	       "ours added in front, nothing removed");

	size = bootorder_put_first(with_ours, sizeof(with_ours), 3, out);
	tap_ok(size == 8 && memcmp(out, (const uint8_t[]){ 3, 0, 1, 0, 2, 0, 1, 0 }, 8) == 0,
	       "ours twice: once, in front; another's duplicate is not ours to drop");

	size = bootorder_put_first(odd, sizeof(odd), 9, out);
	tap_ok(size == 4 && out[0] == 9 && out[2] == 1, "an odd last byte is no entry");

	tap_ok(bootorder_is_first(out, size, 9), "is first");
	tap_ok(!bootorder_is_first(others, sizeof(others), 3), "not first");
	tap_ok(!bootorder_is_first(none, 0, 0), "empty: nothing is first");
	tap_ok(!bootorder_is_first(odd, 1, 1), "one byte: nothing is first");
	tap_is_u64(bootorder_at(others, 3), 7, "entry 3");
}

static void test_names(void)
{
	uint16_t name[BOOTOPT_NAME_CHARS], number = 0;
	static const uint16_t lower[] = { 'B', 'o', 'o', 't', '0', '0', '0', 'a', 0 };
	static const uint16_t longer[] = { 'B', 'o', 'o', 't', '0', '0', '0', '1', '1', 0 };
	static const uint16_t driver[] = { 'D', 'r', 'i', 'v', 'e', 'r', '0', '0', 0 };
	static const uint16_t order[] = { 'B', 'o', 'o', 't', 'O', 'r', 'd', 'e', 'r', 0 };

	bootopt_name(0x0003, name);
	tap_ok(name[0] == 'B' && name[3] == 't' && name[4] == '0' && name[7] == '3' && !name[8],
	       "Boot0003");
	bootopt_name(0xabcd, name);
	tap_ok(name[4] == 'A' && name[5] == 'B' && name[6] == 'C' && name[7] == 'D',
	       "BootABCD: upper-case hex");
	tap_ok(bootopt_name_number(name, &number) && number == 0xabcd, "BootABCD read back");
	tap_ok(!bootopt_name_number(lower, &number), "lower-case hex: not a boot option's name");
	tap_ok(!bootopt_name_number(longer, &number), "Boot00011: not one");
	tap_ok(!bootopt_name_number(driver, &number), "Driver00: not one");
	tap_ok(!bootopt_name_number(order, &number), "BootOrder: not one");
}

int main(void)
{
	test_build();
	test_recognise();
	test_malformed();
	test_order();
	test_names();
	return tap_done();
}
