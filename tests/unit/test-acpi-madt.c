/*
 * test-acpi-madt.c - the MADT fix on Hyper-V Gen2's MADT: PCAT_COMPAT
 * set, and every MADT it must not touch refused (acpi-fixtures.h
 * describes the fixtures)
 *
 * SPDX-License-Identifier: MIT
 */
#include "acpi-expect.h"
#include "acpi-fixtures.h"

static void test_madt_refusals(void)
{
	uint8_t apic[104], facp[276];

	memcpy(apic, fx.apic.bytes, sizeof(apic));
	expect_refused(acpi_fix_madt, apic, sizeof(apic), 60, "truncated MADT",
		       "APIC", "Length", 104, "length exceeds mapped memory");
	expect_refused(acpi_fix_madt, apic, sizeof(apic), 20, "MADT header cut",
		       "APIC", "Header", 20, "header exceeds mapped memory");
	expect_refused(acpi_fix_madt, NULL, 0, 0, "NULL MADT",
		       "APIC", "Header", 0, "header exceeds mapped memory");

	/* Refused on Length alone, before a checksum over 4 MiB is tried. */
	put32(apic + 4, ACPI_MAX_TABLE_LENGTH + 1);
	expect_refused(acpi_fix_madt, apic, sizeof(apic), sizeof(apic),
		       "oversized MADT", "APIC", "Length",
		       ACPI_MAX_TABLE_LENGTH + 1, "length too large");

	memcpy(apic, fx.apic.bytes, sizeof(apic));
	put32(apic + 4, 20);
	expect_refused(acpi_fix_madt, apic, sizeof(apic), sizeof(apic),
		       "MADT Length 20", "APIC", "Length", 20,
		       "length too short");

	memcpy(apic, fx.apic.bytes, sizeof(apic));
	put32(apic + 4, 40);  /* a header, but no Flags */
	seal(apic);
	expect_refused(acpi_fix_madt, apic, sizeof(apic), sizeof(apic),
		       "MADT Length 40", "APIC", "Length", 40,
		       "length too short");

	memcpy(apic, fx.apic.bytes, sizeof(apic));
	apic[0x30] ^= 0x01;
	expect_refused(acpi_fix_madt, apic, sizeof(apic), sizeof(apic),
		       "MADT bad checksum", "APIC", "Checksum",
		       fx.apic.bytes[9], "bad checksum");

	memcpy(facp, fx.facp.bytes, sizeof(facp));
	expect_refused(acpi_fix_madt, facp, sizeof(facp), sizeof(facp),
		       "FADT given to the MADT fixer", "APIC",
		       "Signature", 0x50434146 /* "FACP" */,
		       "wrong signature");
}

static void test_single_madt(void)
{
	uint8_t apic[104];
	struct acpi_fix_summary summary = { 0 };

	/* available may exceed Length; NULL options mean the defaults. */
	memcpy(apic, fx.apic.bytes, sizeof(apic));
	tap_ok(acpi_fix_madt(apic, 4096, 0, NULL, &summary),
	       "single MADT: NULL options fix it");
	tap_is_u64(get32(apic + 0x28), 1, "single MADT: flags set");
	tap_ok(!acpi_fix_madt(apic, sizeof(apic), 0, NULL, &summary),
	       "single MADT: second call changes nothing");
	expect_summary(&summary, "single fixers add up", 2, 1, 1, 1, 0);
}

int main(void)
{
	if (!fixtures_load_checked())
		return tap_done();

	test_madt_refusals();
	test_single_madt();
	return tap_done();
}
