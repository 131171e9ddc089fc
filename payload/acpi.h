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

/* Boot services memory is identity mapped: physical == virtual. */
extern const struct acpi_memory acpi_identity_memory;

/* The RSDP from the configuration table (ACPI 2.0 entry first), or 0. */
UINT64 acpi_find_rsdp(EFI_SYSTEM_TABLE *system_table);

/* Run the fixer, one log line per fix.  Returns acpi_fix_all()'s result. */
int acpi_fix_and_report(UINT64 rsdp_address, const struct acpi_fix_options *options,
			struct log *log, struct acpi_fix_summary *summary);

#endif
