/*
 * acpi.c - the firmware's ACPI tables, as the table fixer sees them
 *
 * The tables sit in firmware-reserved memory that stays writable until
 * ExitBootServices(); fixing them in place means Windows' loader later
 * hands the fixed bytes to the kernel without knowing we were here.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "acpi.h"

static uint8_t *identity_map(void *ctx, uint64_t address, uint64_t length)
{
	(void)ctx;
	if (address == 0 || address + length < address)
		return NULL;
	return (uint8_t *)(UINTN)address;
}

const struct acpi_memory acpi_identity_memory = { identity_map, NULL };

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
		log_print(log, LOG_INFO, L"  %a %a: skipped, %a\n", event->table,
			  event->field ? event->field : "table",
			  event->reason ? event->reason : "no reason given");
		break;
	}
}

int acpi_fix_and_report(UINT64 rsdp_address, const struct acpi_fix_options *options,
			struct log *log, struct acpi_fix_summary *summary)
{
	struct acpi_fix_options reporting = *options;

	reporting.report = report_event;
	reporting.report_ctx = log;
	return acpi_fix_all(&acpi_identity_memory, rsdp_address, &reporting, summary);
}
