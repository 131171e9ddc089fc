/*
 * acpi.c - the firmware's ACPI tables, as the table fixer sees them
 *
 * The tables sit in firmware-reserved memory that stays writable until
 * ExitBootServices(); fixing them in place means Windows' loader later
 * hands the fixed bytes to the kernel without knowing we were here.
 *
 * Boot services run identity mapped (physical == virtual), so any
 * address could be dereferenced; but the addresses come from the tables
 * themselves, and a wrong one would have us read, and then write, free
 * memory, another program's data or device registers.  So a range is
 * only handed to the fixer when the firmware's memory map says it is
 * memory the firmware keeps for itself (memmap.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "acpi.h"
#include "memory_map.h"

static uint8_t *checked_map(void *ctx, uint64_t address, uint64_t length)
{
	struct acpi_tables *tables = ctx;
	struct memmap_refusal refusal;

	if (!memmap_holds_tables(&tables->map, address, length, &refusal)) {
		log_print(tables->log, LOG_INFO,
			  L"win7gen2: 0x%lx (%ld bytes) not read: the memory map has %a at 0x%lx\n",
			  address, length, memmap_type_name(refusal.type), refusal.address);
		return NULL;
	}
	return (uint8_t *)(UINTN)address;
}

EFI_STATUS acpi_tables_open(struct acpi_tables *tables, struct log *log)
{
	tables->log = log;
	tables->memory.map = checked_map;
	tables->memory.ctx = tables;
	return memory_map_read(&tables->map);
}

void acpi_tables_close(struct acpi_tables *tables)
{
	memory_map_free(&tables->map);
}

static BOOLEAN same_guid(const EFI_GUID *a, const EFI_GUID *b)
{
	return CompareMem(a, b, sizeof(*a)) == 0;
}

UINT64 acpi_find_rsdp(EFI_SYSTEM_TABLE *system_table)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	EFI_GUID acpi10 = ACPI_TABLE_GUID;
	UINT64 rsdp = 0;

	for (UINTN i = 0; i < system_table->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *entry = &system_table->ConfigurationTable[i];

		if (same_guid(&entry->VendorGuid, &acpi20))
			return (UINT64)(UINTN)entry->VendorTable;
		if (same_guid(&entry->VendorGuid, &acpi10))
			rsdp = (UINT64)(UINTN)entry->VendorTable;
	}
	return rsdp;
}

static void report_event(void *ctx, const struct acpi_fix_event *event)
{
	struct log *log = ctx;

	switch (event->status) {
	case ACPI_FIX_APPLIED:
		log_print(log, LOG_INFO, L"  %a %a: applied 0x%lx -> 0x%lx\n",
			  event->table, event->field, event->old_value, event->new_value);
		break;
	case ACPI_FIX_ALREADY_CORRECT:
		log_print(log, LOG_DEBUG, L"  %a %a: already correct (0x%lx)\n",
			  event->table, event->field, event->old_value);
		break;
	case ACPI_FIX_SKIPPED:
		/* The address tells two copies of a table apart, and names
		 * the table a refused XSDT/RSDT entry points at. */
		log_print(log, LOG_INFO, L"  %a %a: skipped, %a (at 0x%lx)\n", event->table,
			  event->field ? event->field : "table",
			  event->reason ? event->reason : "no reason given", event->address);
		break;
	}
}

int acpi_fix_and_report(struct acpi_tables *tables, UINT64 rsdp_address,
			const struct acpi_fix_options *options,
			struct acpi_fix_summary *summary)
{
	struct acpi_fix_options reporting = *options;

	reporting.report = report_event;
	reporting.report_ctx = tables->log;
	return acpi_fix_all(&tables->memory, rsdp_address, &reporting, summary);
}
