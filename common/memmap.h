/*
 * memmap.h - may firmware tables live at this address?
 *
 * The pointers in RSDP, XSDT and RSDT are only the firmware's word.  Before
 * the payload reads a byte behind one, the firmware's own memory map must
 * say the range is memory the firmware set aside for itself: ACPI reclaim,
 * ACPI NVS, reserved, or runtime services data.  Free (conventional)
 * memory, boot-time memory, memory-mapped I/O and addresses no descriptor
 * covers are refused: a table "there" is garbage or someone else's data,
 * and the fixer writes to what it reads.
 *
 * Plain C over the raw UEFI descriptors (the layout is fixed by the UEFI
 * specification), so the host tests can hand it any map.  No C library.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MEMMAP_H
#define WIN7GEN2_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* UEFI EFI_MEMORY_DESCRIPTOR: Type (u32) at 0, PhysicalStart (u64) at 8,
 * NumberOfPages (u64, 4 KiB pages) at 24; 40 bytes, firmware may use a
 * larger stride (GetMemoryMap's DescriptorSize). */
#define MEMMAP_DESCRIPTOR_MIN_SIZE 40
#define MEMMAP_PAGE_SIZE 4096u

/* The UEFI memory types named here (EFI_MEMORY_TYPE). */
enum memmap_type {
	MEMMAP_RESERVED = 0,
	MEMMAP_LOADER_CODE = 1,
	MEMMAP_LOADER_DATA = 2,
	MEMMAP_BOOT_SERVICES_CODE = 3,
	MEMMAP_BOOT_SERVICES_DATA = 4,
	MEMMAP_RUNTIME_SERVICES_CODE = 5,
	MEMMAP_RUNTIME_SERVICES_DATA = 6,
	MEMMAP_CONVENTIONAL = 7,
	MEMMAP_UNUSABLE = 8,
	MEMMAP_ACPI_RECLAIM = 9,
	MEMMAP_ACPI_NVS = 10,
	MEMMAP_MMIO = 11,
	MEMMAP_MMIO_PORT_SPACE = 12,
	MEMMAP_PAL_CODE = 13,
	MEMMAP_PERSISTENT = 14,
	MEMMAP_UNACCEPTED = 15,
};

/* Not a UEFI type: no descriptor covers the address at all. */
#define MEMMAP_NO_MEMORY 0xFFFFFFFFu

/* A memory map as GetMemoryMap() returned it. */
struct memmap_view {
	const uint8_t *descriptors;
	size_t size;             /* bytes of descriptors */
	size_t descriptor_size;  /* stride; below MEMMAP_DESCRIPTOR_MIN_SIZE
				    the map is unusable and refuses all */
};

/* Why a range was refused: the first address of it that is not table
 * memory, and what the map says is there (a UEFI type or
 * MEMMAP_NO_MEMORY). */
struct memmap_refusal {
	uint64_t address;
	uint32_t type;
};

/* Whether firmware tables may live in memory of this UEFI type. */
bool memmap_type_holds_tables(uint32_t type);

/*
 * True when every byte of [address, address + length) lies in descriptors
 * of table types (adjacent descriptors may share a table).  Otherwise
 * false, and *refusal (may be NULL) says where and why.  A range of
 * length 0, one that wraps past the top of the address space, and any
 * byte that two descriptors claim with different verdicts are refused.
 */
bool memmap_holds_tables(const struct memmap_view *map, uint64_t address,
			 uint64_t length, struct memmap_refusal *refusal);

/* "conventional memory", "ACPI reclaim memory", "no memory", ... */
const char *memmap_type_name(uint32_t type);

#endif
