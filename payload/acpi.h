/*
 * acpi.h - the firmware's ACPI tables, as the table fixer sees them
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PAYLOAD_ACPI_H
#define WIN7GEN2_PAYLOAD_ACPI_H

#include <efi.h>

#include "acpi_fix.h"
#include "log.h"
#include "memmap.h"

/*
 * The tables as far as the firmware's memory map vouches for them: the
 * fixer reads and writes through memory, which maps a range only when
 * the map says it is table memory (memmap.h) and says on the log why
 * it refused one.  memory.ctx points at this struct: do not copy it.
 */
struct acpi_tables {
	struct memmap_view map;
	struct log *log;
	struct acpi_memory memory;
};

/* Read the memory map.  On failure no table may be read: the caller
 * leaves the tables alone and says so. */
EFI_STATUS acpi_tables_open(struct acpi_tables *tables, struct log *log);
void acpi_tables_close(struct acpi_tables *tables);

/* The RSDP from the configuration table (ACPI 2.0 entry first), or 0. */
UINT64 acpi_find_rsdp(EFI_SYSTEM_TABLE *system_table);

/* Run the fixer, one log line per fix.  Returns acpi_fix_all()'s result. */
int acpi_fix_and_report(struct acpi_tables *tables, UINT64 rsdp_address,
			const struct acpi_fix_options *options,
			struct acpi_fix_summary *summary);

#endif
