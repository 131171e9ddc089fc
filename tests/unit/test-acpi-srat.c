/*
 * test-acpi-srat.c - the SRAT fix: memory at and above the limit
 * disabled on Gen2's SRAT, and every malformed SRAT refused whole
 * (acpi-fixtures.h describes the fixtures)
 *
 * SPDX-License-Identifier: MIT
 */
#include "acpi-expect.h"
#include "acpi-fixtures.h"

static void test_srat_limit(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_options options;
	struct log *log = calloc(1, sizeof(*log));
	struct acpi_fix_summary summary;

	log_options(&options, log);
	options.srat_limit = 1 * TIB;
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "limit 1 TiB: returns 0");
	check_gen2_srat(image, 1 * TIB, 12, "limit 1 TiB");
	expect_event(log, "limit 1 TiB", "SRAT", "MemAffinity[4].Flags",
		     ACPI_FIX_APPLIED, 3, 0, NULL);
	tap_ok(find(log, "SRAT", "MemAffinity[3].Flags") == NULL,
	       "limit 1 TiB: 64 GiB entry not reported");
	tap_is_u64(count_events(log, "SRAT", NULL), 12,
		   "limit 1 TiB: 12 SRAT events");
	free(log);
	free(image);
}

static void test_srat_refusals(void)
{
	uint8_t apic[104], srat[752];
	struct srat_memory mem[32];
	size_t offset;

	memcpy(apic, fx.apic.bytes, sizeof(apic));
	expect_refused(acpi_fix_srat, apic, sizeof(apic), sizeof(apic),
		       "MADT given to the SRAT fixer", "SRAT",
		       "Signature", 0x43495041 /* "APIC" */,
		       "wrong signature");

	/* SRAT: one broken subtable anywhere and nothing is written, not
	 * even the entries before it that would need fixing. */
	srat_memory_entries(fx.srat.bytes, mem, 32);
	memcpy(srat, fx.srat.bytes, sizeof(srat));
	offset = mem[14].offset;
	srat[offset + 1] = 0;
	seal(srat);
	expect_refused(acpi_fix_srat, srat, sizeof(srat), sizeof(srat),
		       "SRAT zero-length subtable", "SRAT", "Subtables",
		       offset, "malformed subtable");

	memcpy(srat, fx.srat.bytes, sizeof(srat));
	offset = mem[15].offset;
	srat[offset + 1] = 48;   /* runs 8 bytes past the end */
	seal(srat);
	expect_refused(acpi_fix_srat, srat, sizeof(srat), sizeof(srat),
		       "SRAT subtable past the end", "SRAT", "Subtables",
		       offset, "malformed subtable");

	/* A Memory Affinity entry is 40 bytes or of a layout we do not
	 * know: a processor entry relabelled type 1 is refused. */
	memcpy(srat, fx.srat.bytes, sizeof(srat));
	srat[48] = 1;
	seal(srat);
	expect_refused(acpi_fix_srat, srat, sizeof(srat), sizeof(srat),
		       "SRAT 16-byte memory entry", "SRAT", "Subtables", 48,
		       "malformed subtable");

	memcpy(srat, fx.srat.bytes, sizeof(srat));
	put32(srat + 4, 751);    /* last subtable now runs past the end */
	seal(srat);
	expect_refused(acpi_fix_srat, srat, sizeof(srat), sizeof(srat),
		       "SRAT one byte short", "SRAT", "Subtables",
		       mem[15].offset, "malformed subtable");

	{
		/* One byte after the last subtable: not even a header. */
		uint8_t longer[753];

		memcpy(longer, fx.srat.bytes, sizeof(srat));
		longer[752] = 0;
		put32(longer + 4, sizeof(longer));
		seal(longer);
		expect_refused(acpi_fix_srat, longer, sizeof(longer),
			       sizeof(longer), "SRAT stray last byte", "SRAT",
			       "Subtables", 752, "malformed subtable");
	}

	memcpy(srat, fx.srat.bytes, sizeof(srat));
	put32(srat + 4, 40);
	seal(srat);
	expect_refused(acpi_fix_srat, srat, sizeof(srat), sizeof(srat),
		       "SRAT Length 40", "SRAT", "Length", 40,
		       "length too short");
}

static void test_single_srat(void)
{
	uint8_t srat[752];
	struct acpi_fix_options options;
	struct log *log = calloc(1, sizeof(*log));

	memcpy(srat, fx.srat.bytes, sizeof(srat));
	log_options(&options, log);
	options.fix_srat = false;
	tap_ok(!acpi_fix_srat(srat, sizeof(srat), 0, &options, NULL),
	       "single SRAT switched off: no change");
	tap_ok(!memcmp(srat, fx.srat.bytes, sizeof(srat)),
	       "single SRAT switched off: untouched");
	options.fix_srat = true;
	options.srat_limit = UINT64_MAX;
	tap_ok(!acpi_fix_srat(srat, sizeof(srat), 0, &options, NULL),
	       "single SRAT limit 2^64-1: no change");
	tap_ok(!memcmp(srat, fx.srat.bytes, sizeof(srat)),
	       "single SRAT limit 2^64-1: untouched");
	log_options(&options, log);
	options.srat_limit = 0;
	tap_ok(acpi_fix_srat(srat, sizeof(srat), 0, &options, NULL),
	       "single SRAT limit 0: changed");
	tap_is_u64(log->count, 16, "single SRAT limit 0: all 16 reported");
	expect_event(log, "single SRAT limit 0", "SRAT",
		     "MemAffinity[0].Flags", ACPI_FIX_APPLIED, 3, 0, NULL);
	tap_ok(table_sums_to_zero(srat), "single SRAT limit 0: checksum valid");
	free(log);
}

int main(void)
{
	if (!fixtures_load_checked())
		return tap_done();

	test_srat_limit();
	test_srat_refusals();
	test_single_srat();
	return tap_done();
}
