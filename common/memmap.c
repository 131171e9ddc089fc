/*
 * memmap.c - may firmware tables live at this address?
 *
 * The map is walked once per step from the start of the range: the
 * descriptors covering the current address decide, and the walk goes on
 * from the end of the covering table memory.  So a table that spans two
 * adjacent descriptors (ACPI reclaim followed by ACPI NVS, say) passes,
 * and a table that runs off its descriptor into a gap or free memory does
 * not.  Maps have a few hundred descriptors and tables are checked a few
 * dozen times per boot, so nothing is sorted or cached.
 *
 * SPDX-License-Identifier: MIT
 */
#include "memmap.h"

#include "byteorder.h"

#define DESCRIPTOR_TYPE   0
#define DESCRIPTOR_START  8
#define DESCRIPTOR_PAGES  24

bool memmap_type_holds_tables(uint32_t type)
{
	switch (type) {
	case MEMMAP_ACPI_RECLAIM:
	case MEMMAP_ACPI_NVS:
	case MEMMAP_RESERVED:
	case MEMMAP_RUNTIME_SERVICES_DATA:
		return true;
	default:
		return false;
	}
}

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case MEMMAP_RESERVED:              return "reserved memory";
	case MEMMAP_LOADER_CODE:           return "loader code";
	case MEMMAP_LOADER_DATA:           return "loader data";
	case MEMMAP_BOOT_SERVICES_CODE:    return "boot services code";
	case MEMMAP_BOOT_SERVICES_DATA:    return "boot services data";
	case MEMMAP_RUNTIME_SERVICES_CODE: return "runtime services code";
	case MEMMAP_RUNTIME_SERVICES_DATA: return "runtime services data";
	case MEMMAP_CONVENTIONAL:          return "conventional memory";
	case MEMMAP_UNUSABLE:              return "unusable memory";
	case MEMMAP_ACPI_RECLAIM:          return "ACPI reclaim memory";
	case MEMMAP_ACPI_NVS:              return "ACPI NVS memory";
	case MEMMAP_MMIO:                  return "memory-mapped I/O";
	case MEMMAP_MMIO_PORT_SPACE:       return "memory-mapped I/O port space";
	case MEMMAP_PAL_CODE:              return "PAL code";
	case MEMMAP_PERSISTENT:            return "persistent memory";
	case MEMMAP_UNACCEPTED:            return "unaccepted memory";
	case MEMMAP_NO_MEMORY:             return "no memory";
	default:                           return "memory of an unknown type";
	}
}

/* One past the descriptor's last byte; a size that would run past the
 * top of the address space ends there. */
static uint64_t descriptor_end(uint64_t start, uint64_t pages)
{
	uint64_t room = UINT64_MAX - start;

	if (pages > room / MEMMAP_PAGE_SIZE)
		return UINT64_MAX;
	return start + pages * MEMMAP_PAGE_SIZE;
}

static bool refuse(struct memmap_refusal *refusal, uint64_t address,
		   uint32_t type)
{
	if (refusal) {
		refusal->address = address;
		refusal->type = type;
	}
	return false;
}

/*
 * Where table memory that holds address ends, or 0 when address is not
 * table memory; *type then says what it is.  Every descriptor covering
 * address must agree: a map that claims one byte twice is not trusted
 * with a table there.
 */
static uint64_t table_memory_end(const struct memmap_view *map,
				 uint64_t address, uint32_t *type)
{
	uint64_t end = 0;

	*type = MEMMAP_NO_MEMORY;
	for (size_t offset = 0; map->size - offset >= map->descriptor_size;
	     offset += map->descriptor_size) {
		const uint8_t *descriptor = map->descriptors + offset;
		uint32_t this_type = get_le32(descriptor + DESCRIPTOR_TYPE);
		uint64_t start = get_le64(descriptor + DESCRIPTOR_START);
		uint64_t stop = descriptor_end(start, get_le64(descriptor + DESCRIPTOR_PAGES));

		if (address < start || address >= stop)
			continue;
		if (!memmap_type_holds_tables(this_type)) {
			*type = this_type;
			return 0;
		}
		*type = this_type;
		if (stop > end)
			end = stop;
	}
	return end;
}

bool memmap_holds_tables(const struct memmap_view *map, uint64_t address,
			 uint64_t length, struct memmap_refusal *refusal)
{
	uint64_t cursor = address;
	uint64_t end;

	if (!map || !map->descriptors ||
	    map->descriptor_size < MEMMAP_DESCRIPTOR_MIN_SIZE ||
	    length == 0 || length > UINT64_MAX - address)
		return refuse(refusal, address, MEMMAP_NO_MEMORY);
	end = address + length;
	while (cursor < end) {
		uint32_t type;
		uint64_t next = table_memory_end(map, cursor, &type);

		if (next == 0)
			return refuse(refusal, cursor, type);
		cursor = next;  /* next > cursor: the descriptor covers cursor */
	}
	return true;
}
