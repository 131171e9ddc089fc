/*
 * test-memmap.c - which addresses the payload may read a table at
 *
 * Maps are built here in the UEFI descriptor layout, with the 48-byte
 * stride OVMF uses, so the stride is honoured rather than assumed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "memmap.h"
#include "tap.h"

#define STRIDE 48
#define MAX_DESCRIPTORS 16
#define PAGE MEMMAP_PAGE_SIZE

struct map {
	uint8_t bytes[STRIDE * MAX_DESCRIPTORS];
	struct memmap_view view;
};

static void put_le(uint8_t *p, uint64_t value, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(value >> (8 * i));
}

static void map_init(struct map *map)
{
	memset(map->bytes, 0xA5, sizeof(map->bytes));  /* padding is junk */
	map->view.descriptors = map->bytes;
	map->view.size = 0;
	map->view.descriptor_size = STRIDE;
}

static void add(struct map *map, uint32_t type, uint64_t start, uint64_t pages)
{
	uint8_t *d = map->bytes + map->view.size;

	put_le(d, type, 4);
	put_le(d + 8, start, 8);
	put_le(d + 16, 0, 8);
	put_le(d + 24, pages, 8);
	map->view.size += STRIDE;
}

/* The shape of OVMF's map around its ACPI tables, and a gap. */
static void typical(struct map *map)
{
	map_init(map);
	add(map, MEMMAP_CONVENTIONAL, 0x100000, 0x700);           /* 1 MiB..8 MiB */
	add(map, MEMMAP_BOOT_SERVICES_DATA, 0x800000, 0x100);
	add(map, MEMMAP_ACPI_RECLAIM, 0x1F000000, 4);             /* tables */
	add(map, MEMMAP_ACPI_NVS, 0x1F004000, 2);                 /* FACS, adjacent */
	add(map, MEMMAP_CONVENTIONAL, 0x1F006000, 2);             /* adjacent, free */
	add(map, MEMMAP_RESERVED, 0x1F100000, 1);                 /* after a gap */
	add(map, MEMMAP_RUNTIME_SERVICES_DATA, 0x1F101000, 1);
	add(map, MEMMAP_RUNTIME_SERVICES_CODE, 0x1F102000, 1);
	add(map, MEMMAP_MMIO, 0xFFC00000, 0x400);
}

static void expect_refused(const struct map *map, uint64_t address, uint64_t length,
			   uint64_t at, uint32_t type, const char *what)
{
	struct memmap_refusal refusal = { 0, 0 };

	tap_ok(!memmap_holds_tables(&map->view, address, length, &refusal), "%s: refused", what);
	tap_is_u64(refusal.address, at, "%s: first address refused", what);
	tap_is_u64(refusal.type, type, "%s: what is there", what);
}

int main(void)
{
	struct map map;

	typical(&map);
	tap_ok(memmap_holds_tables(&map.view, 0x1F000000, 36, NULL),
	       "a table header at the start of ACPI reclaim memory");
	tap_ok(memmap_holds_tables(&map.view, 0x1F000000, 4 * PAGE, NULL),
	       "the whole reclaim descriptor, to its last byte");
	tap_ok(memmap_holds_tables(&map.view, 0x1F003F00, 0x200, NULL),
	       "a table across adjacent reclaim and NVS descriptors");
	tap_ok(memmap_holds_tables(&map.view, 0x1F100F00, 0x1000, NULL),
	       "a table across reserved and runtime services data");

	expect_refused(&map, 0x1F005F00, 0x200, 0x1F006000, MEMMAP_CONVENTIONAL,
		       "a table running from NVS into free memory");
	expect_refused(&map, 0x1F005F00, 0x20000, 0x1F006000, MEMMAP_CONVENTIONAL,
		       "a long one too, refused where it leaves table memory");
	expect_refused(&map, 0x200000, 36, 0x200000, MEMMAP_CONVENTIONAL,
		       "a table in conventional memory");
	expect_refused(&map, 0x800010, 36, 0x800010, MEMMAP_BOOT_SERVICES_DATA,
		       "a table in boot services data");
	expect_refused(&map, 0x1F102000, 36, 0x1F102000, MEMMAP_RUNTIME_SERVICES_CODE,
		       "a table in runtime services code");
	expect_refused(&map, 0xFEC00000, 36, 0xFEC00000, MEMMAP_NO_MEMORY,
		       "an address no descriptor covers");
	expect_refused(&map, 0xFFC00000, 36, 0xFFC00000, MEMMAP_MMIO,
		       "memory-mapped I/O");
	expect_refused(&map, 0x1F007F00, 0x200, 0x1F007F00, MEMMAP_CONVENTIONAL,
		       "free memory, then a gap: the first refused byte decides");
	expect_refused(&map, 0x1F0FFFF0, 0x20, 0x1F0FFFF0, MEMMAP_NO_MEMORY,
		       "a table starting in a gap and running into reserved memory");
	expect_refused(&map, 0x0, 36, 0x0, MEMMAP_NO_MEMORY, "address 0");
	expect_refused(&map, 0x1F000000, 0, 0x1F000000, MEMMAP_NO_MEMORY, "length 0");
	expect_refused(&map, UINT64_MAX - 10, 36, UINT64_MAX - 10, MEMMAP_NO_MEMORY,
		       "a range that wraps past the top");
	tap_ok(!memmap_holds_tables(&map.view, 0x200000, 36, NULL),
	       "the refusal may be ignored (NULL)");

	map.view.descriptor_size = 32;
	expect_refused(&map, 0x1F000000, 36, 0x1F000000, MEMMAP_NO_MEMORY,
		       "a stride below the descriptor size: nothing is trusted");
	map.view.descriptor_size = STRIDE;

	map.view.size = STRIDE * 3 - 1;
	expect_refused(&map, 0x1F000000, 36, 0x1F000000, MEMMAP_NO_MEMORY,
		       "a cut-off last descriptor is not read");
	map.view.size = 0;
	expect_refused(&map, 0x1F000000, 36, 0x1F000000, MEMMAP_NO_MEMORY,
		       "an empty map vouches for nothing");
	tap_ok(!memmap_holds_tables(NULL, 0x1F000000, 36, NULL), "no map at all");

	map_init(&map);
	add(&map, MEMMAP_ACPI_RECLAIM, 0x1F000000, 2);
	expect_refused(&map, 0x1F001FF0, 0x20, 0x1F002000, MEMMAP_NO_MEMORY,
		       "a table running off ACPI memory into a gap");

	map_init(&map);
	add(&map, MEMMAP_ACPI_RECLAIM, 0x1F000000, 4);
	add(&map, MEMMAP_CONVENTIONAL, 0x1F002000, 1);
	expect_refused(&map, 0x1F002000, 36, 0x1F002000, MEMMAP_CONVENTIONAL,
		       "overlapping descriptors that disagree: refused");
	map_init(&map);
	add(&map, MEMMAP_ACPI_RECLAIM, 0x1F000000, 2);
	add(&map, MEMMAP_ACPI_NVS, 0x1F001000, 4);
	tap_ok(memmap_holds_tables(&map.view, 0x1F000F00, 0x1000, NULL),
	       "overlapping descriptors that agree: the furthest end counts");

	map_init(&map);
	add(&map, MEMMAP_ACPI_RECLAIM, UINT64_MAX - PAGE + 1, UINT64_MAX);
	tap_ok(memmap_holds_tables(&map.view, UINT64_MAX - 100, 36, NULL),
	       "a descriptor whose size overflows ends at the top of the space");
	map_init(&map);
	add(&map, MEMMAP_ACPI_RECLAIM, 0x1F000000, 1ull << 60);
	tap_ok(memmap_holds_tables(&map.view, 0x1F000000, 4 * PAGE, NULL),
	       "a huge page count saturates instead of wrapping");

	tap_is_str(memmap_type_name(MEMMAP_CONVENTIONAL), "conventional memory", "type name");
	tap_is_str(memmap_type_name(MEMMAP_NO_MEMORY), "no memory", "no memory name");
	tap_is_str(memmap_type_name(99), "memory of an unknown type", "unknown type name");
	for (uint32_t type = 0; type <= MEMMAP_UNACCEPTED; type++)
		tap_ok(memmap_type_holds_tables(type) ==
		       (type == MEMMAP_ACPI_RECLAIM || type == MEMMAP_ACPI_NVS ||
			type == MEMMAP_RESERVED || type == MEMMAP_RUNTIME_SERVICES_DATA),
		       "type %u: %s %s", type, memmap_type_name(type),
		       memmap_type_holds_tables(type) ? "may hold tables" : "refused");
	return tap_done();
}
