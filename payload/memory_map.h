/*
 * memory_map.h - the firmware's memory map, read once
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PAYLOAD_MEMORY_MAP_H
#define WIN7GEN2_PAYLOAD_MEMORY_MAP_H

#include <efi.h>

#include "memmap.h"

/*
 * Read the map with BS->GetMemoryMap() into pool memory that view then
 * points at.  On failure nothing is allocated and view is empty: it
 * vouches for no address.
 */
EFI_STATUS memory_map_read(struct memmap_view *view);

/* Free what memory_map_read() allocated; view is empty afterwards. */
void memory_map_free(struct memmap_view *view);

#endif
