/*
 * test-acpi-fadt.c - the FADT fix: Gen2's empty legacy blocks filled
 * from their X_ twins, a QEMU FADT left alone, each rule on its own
 * (acpi-fixtures.h describes the fixtures)
 *
 * SPDX-License-Identifier: MIT
 */
#include "acpi-expect.h"
#include "acpi-fixtures.h"

/* A FADT as QEMU/OVMF makes it: legacy fields and X_ twins both set. */
static void test_qemu_fadt(void)
{
	static const struct {
		size_t legacy, gas;
		uint32_t port;
		uint8_t bits;
	} filled[] = {
		{ 0x38, 0x94, 0x600, 32 },  /* PM1a_EVT */
		{ 0x40, 0xAC, 0x604, 16 },  /* PM1a_CNT */
		{ 0x4C, 0xD0, 0x608, 32 },  /* PM_TMR */
		{ 0x50, 0xDC, 0x620, 128 }, /* GPE0 */
	};
	uint8_t fadt[276], before[276];
	struct acpi_fix_options options;
	struct acpi_fix_summary summary = { 0 };
	struct log *log = calloc(1, sizeof(*log));
	const char *what = "QEMU FADT";

	memcpy(fadt, fx.facp.bytes, sizeof(fadt));
	memset(fadt + 0x94, 0, 0xF4 - 0x94);
	for (size_t i = 0; i < 4; i++) {
		put32(fadt + filled[i].legacy, filled[i].port);
		fadt[filled[i].gas] = 1;
		fadt[filled[i].gas + 1] = filled[i].bits;
		fadt[filled[i].gas + 3] = 1;
		put64(fadt + filled[i].gas + 4, filled[i].port);
	}
	memcpy(fadt + 10, "BOCHS BXPCFACP", 14);
	seal(fadt);
	memcpy(before, fadt, sizeof(fadt));

	log_options(&options, log);
	tap_ok(!acpi_fix_fadt(fadt, sizeof(fadt), 0x7FFE0000, &options,
			      &summary), "%s: reports no change", what);
	tap_ok(!memcmp(fadt, before, sizeof(fadt)), "%s: byte-identical", what);
	expect_summary(&summary, what, 1, 0, 0, 8, 0);
	expect_event(log, what, "FACP", "PM1a_EVT_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0x600, 0x600, NULL);
	expect_event(log, what, "FACP", "PM_TMR_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0x608, 0x608, NULL);
	expect_event(log, what, "FACP", "GPE1_BLK", ACPI_FIX_ALREADY_CORRECT,
		     0, 0, "no block");
	expect_log_sound(log, &summary, what);
	free(log);
}

/* The FADT rules one by one, on a doctored Gen2 FADT. */
static void test_fadt_rules(void)
{
	uint8_t fadt[276], before[276];
	struct acpi_fix_options options;
	struct acpi_fix_summary summary = { 0 };
	struct log *log = calloc(1, sizeof(*log));
	const char *what = "FADT rules";

	memcpy(fadt, fx.facp.bytes, sizeof(fadt));
	put32(fadt + 0x38, 0x1234);           /* PM1a_EVT has a value */
	fadt[0xAC] = 0;                       /* X_PM1a_CNT in memory space */
	put64(fadt + 0xDC + 4, 0x10000040Cull); /* X_GPE0 above 4 GiB */
	seal(fadt);
	memcpy(before, fadt, sizeof(fadt));

	log_options(&options, log);
	tap_ok(acpi_fix_fadt(fadt, sizeof(fadt), 0x1000, &options, &summary),
	       "%s: changed", what);
	expect_event(log, what, "FACP", "PM1a_EVT_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0x1234, 0x1234, NULL);
	expect_event(log, what, "FACP", "PM1a_CNT_BLK", ACPI_FIX_SKIPPED, 0,
		     0, "X_ block not in SystemIO space");
	expect_event(log, what, "FACP", "GPE0_BLK", ACPI_FIX_SKIPPED, 0, 0,
		     "X_ address above 4 GiB");
	expect_event(log, what, "FACP", "PM_TMR_BLK", ACPI_FIX_APPLIED, 0,
		     0x408, NULL);
	tap_is_u64(get32(fadt + 0x38), 0x1234, "%s: PM1a_EVT kept", what);
	tap_is_u64(get32(fadt + 0x40), 0, "%s: PM1a_CNT still 0", what);
	tap_is_u64(get32(fadt + 0x50), 0, "%s: GPE0 still 0", what);
	tap_is_u64(get32(fadt + 0x4C), 0x408, "%s: PM_TMR filled", what);
	tap_ok(table_sums_to_zero(fadt), "%s: checksum valid", what);
	expect_summary(&summary, what, 1, 1, 1, 5, 2);
	expect_log_sound(log, &summary, what);

	/* A FADT that ends inside the X_ blocks: those beyond are skipped. */
	memcpy(fadt, fx.facp.bytes, sizeof(fadt));
	put32(fadt + 4, 0xB8);
	seal(fadt);
	memcpy(before, fadt, sizeof(fadt));
	log_options(&options, log);
	memset(&summary, 0, sizeof(summary));
	tap_ok(acpi_fix_fadt(fadt, sizeof(fadt), 0x1000, &options, &summary),
	       "short FADT: changed");
	expect_event(log, "short FADT", "FACP", "PM1a_EVT_BLK",
		     ACPI_FIX_APPLIED, 0, 0x400, NULL);
	expect_event(log, "short FADT", "FACP", "PM1b_EVT_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0, 0, "no block");
	expect_event(log, "short FADT", "FACP", "PM1a_CNT_BLK",
		     ACPI_FIX_APPLIED, 0, 0x404, NULL);
	expect_event(log, "short FADT", "FACP", "PM_TMR_BLK",
		     ACPI_FIX_SKIPPED, 0, 0, "FADT too short for X_ field");
	expect_summary(&summary, "short FADT", 1, 1, 2, 1, 5);
	tap_ok(table_sums_to_zero(fadt), "short FADT: checksum valid");
	tap_is_u64(get32(fadt + 0x4C), 0, "short FADT: PM_TMR still 0");
	tap_ok(!memcmp(fadt + 0xB8, before + 0xB8, sizeof(fadt) - 0xB8),
	       "short FADT: bytes past Length untouched");

	/* Below 0x58 not even the legacy fields exist. */
	memcpy(fadt, fx.facp.bytes, sizeof(fadt));
	put32(fadt + 4, 0x57);
	seal(fadt);
	memcpy(before, fadt, sizeof(fadt));
	log_options(&options, log);
	tap_ok(!acpi_fix_fadt(fadt, sizeof(fadt), 0x1000, &options, NULL),
	       "tiny FADT: refused");
	expect_event(log, "tiny FADT", "FACP", "Length", ACPI_FIX_SKIPPED,
		     0x57, 0x57, "length too short");
	tap_ok(!memcmp(fadt, before, sizeof(fadt)), "tiny FADT: untouched");
	free(log);
}

static void test_fadt_refusals(void)
{
	uint8_t apic[104];

	memcpy(apic, fx.apic.bytes, sizeof(apic));
	expect_refused(acpi_fix_fadt, apic, sizeof(apic), sizeof(apic),
		       "MADT given to the FADT fixer", "FACP",
		       "Signature", 0x43495041, "wrong signature");
}

int main(void)
{
	if (!fixtures_load_checked())
		return tap_done();

	test_qemu_fadt();
	test_fadt_rules();
	test_fadt_refusals();
	return tap_done();
}
