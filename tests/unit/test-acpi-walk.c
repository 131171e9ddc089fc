/*
 * test-acpi-walk.c - the ACPI fixer's walk over Hyper-V Gen2's
 * tables: RSDP, XSDT and RSDT found and checked, every table fixed once
 * and a second run finding nothing to do, switches, overlaps and
 * refusals of broken roots (acpi-fixtures.h describes the fixtures)
 *
 * SPDX-License-Identifier: MIT
 */
#include "acpi-expect.h"
#include "acpi-fixtures.h"

static void test_fixtures_as_described(void)
{
	struct srat_memory mem[32];
	size_t n = srat_memory_entries(fx.srat.bytes, mem, 32), high = 0;

	tap_is_u64(fx.facp.length, 276, "fixture: FADT is 276 bytes");
	tap_is_u64(fx.apic.length, 104, "fixture: MADT is 104 bytes");
	tap_is_u64(fx.srat.length, 752, "fixture: SRAT is 752 bytes");
	tap_is_u64(get32(fx.apic.bytes + 0x28), 0, "fixture: MADT flags 0");
	tap_is_u64(get32(fx.facp.bytes + 0x4C), 0, "fixture: PM_TMR_BLK 0");
	tap_is_u64(get64(fx.facp.bytes + 0xD0 + 4), 0x408,
		   "fixture: X_PM_TMR_BLK 0x408");
	tap_is_u64(n, 16, "fixture: 16 SRAT memory affinity entries");
	for (size_t i = 0; i < n; i++)
		if (mem[i].base >= 2 * TIB)
			high++;
	tap_is_u64(high, 11, "fixture: 11 of them at or above 2 TiB");
	tap_is_u64(mem[5].base, 2 * TIB, "fixture: entry 5 starts at 2 TiB");
	tap_is_u64(mem[15].base, 2048 * TIB, "fixture: entry 15 at 2 PiB");
}

static void test_helpers(void)
{
	struct acpi_fix_options options;
	const uint8_t bytes[4] = { 0x80, 0x80, 0x01, 0xFF };

	tap_is_u64(acpi_checksum(bytes, 4), 0x00,
		   "acpi_checksum wraps mod 256");
	tap_is_u64(acpi_checksum(bytes, 3), 0x01, "acpi_checksum partial");
	tap_is_u64(acpi_checksum(fx.srat.bytes, fx.srat.length), 0,
		   "acpi_checksum of a real table is 0");
	tap_is_str(acpi_fix_status_name(ACPI_FIX_APPLIED), "applied",
		   "status name applied");
	tap_is_str(acpi_fix_status_name(ACPI_FIX_ALREADY_CORRECT),
		   "already correct", "status name already correct");
	tap_is_str(acpi_fix_status_name(ACPI_FIX_SKIPPED), "skipped",
		   "status name skipped");
	memset(&options, 0xA5, sizeof(options));
	acpi_fix_default_options(&options);
	tap_ok(options.fix_madt && options.fix_fadt && options.fix_srat,
	       "default options: every fix on");
	tap_is_u64(options.srat_limit, 2 * TIB, "default options: 2 TiB");
	tap_ok(options.report == NULL && options.report_ctx == NULL,
	       "default options: no report");
}

static void test_gen2_run(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct log *log = calloc(1, sizeof(*log));
	uint8_t *after_first = malloc(SPACE_SIZE);
	uint8_t rsdp_xsdt[0x200];
	const struct record *r;
	const char *what = "gen2";

	memcpy(rsdp_xsdt, image->bytes, sizeof(rsdp_xsdt));
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "%s: acpi_fix_all returns 0", what);

	check_gen2_madt(image, what);
	check_gen2_fadt(image, what);
	check_gen2_srat(image, 2 * TIB, 11, what);
	check_untouched(image, image->waet, &fx.waet, what, "WAET");
	check_untouched(image, image->spcr, &fx.spcr, what, "SPCR");
	check_untouched(image, image->bgrt, &fx.bgrt, what, "BGRT");
	check_untouched(image, image->fpdt, &fx.fpdt, what, "FPDT");
	check_untouched(image, image->oem0, &fx.oem0, what, "OEM0");
	tap_ok(!memcmp(image->bytes, rsdp_xsdt, sizeof(rsdp_xsdt)),
	       "%s: RSDP and XSDT untouched", what);

	/* 1 MADT + 4 FADT + 11 SRAT applied, 4 empty FADT blocks. */
	expect_summary(&summary, what, 8, 3, 16, 4, 0);
	expect_log_sound(log, &summary, what);
	tap_is_u64(image->zero_maps, 0, "%s: never maps 0 bytes", what);

	expect_event(log, what, "APIC", "Flags.PCAT_COMPAT", ACPI_FIX_APPLIED,
		     0, 1, NULL);
	expect_event(log, what, "FACP", "PM1a_EVT_BLK", ACPI_FIX_APPLIED, 0,
		     0x400, NULL);
	expect_event(log, what, "FACP", "PM1a_CNT_BLK", ACPI_FIX_APPLIED, 0,
		     0x404, NULL);
	expect_event(log, what, "FACP", "PM_TMR_BLK", ACPI_FIX_APPLIED, 0,
		     0x408, NULL);
	expect_event(log, what, "FACP", "GPE0_BLK", ACPI_FIX_APPLIED, 0,
		     0x40C, NULL);
	expect_event(log, what, "FACP", "PM1b_EVT_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0, 0, "no block");
	expect_event(log, what, "FACP", "PM1b_CNT_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0, 0, "no block");
	expect_event(log, what, "FACP", "PM2_CNT_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0, 0, "no block");
	expect_event(log, what, "FACP", "GPE1_BLK", ACPI_FIX_ALREADY_CORRECT,
		     0, 0, "no block");
	expect_event(log, what, "SRAT", "MemAffinity[5].Flags",
		     ACPI_FIX_APPLIED, 3, 0, NULL);
	expect_event(log, what, "SRAT", "MemAffinity[15].Flags",
		     ACPI_FIX_APPLIED, 3, 0, NULL);
	tap_ok(find(log, "SRAT", "MemAffinity[4].Flags") == NULL,
	       "%s: 1 TiB entry below the limit not reported", what);
	tap_is_u64(count_events(log, "SRAT", NULL), 11,
		   "%s: 11 SRAT events", what);
	tap_is_u64(count_events(log, "FACP", NULL), 8,
		   "%s: one event per FADT block", what);
	r = find(log, "APIC", "Flags.PCAT_COMPAT");
	tap_is_u64(r ? r->address : 0, image->apic,
		   "%s: MADT event carries the table address", what);
	r = find(log, "SRAT", "MemAffinity[9].Flags");
	tap_is_u64(r ? r->address : 0, image->srat,
		   "%s: SRAT event carries the table address", what);

	/* Second run: nothing left to do, nothing written. */
	memcpy(after_first, image->bytes, SPACE_SIZE);
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "gen2 again: returns 0");
	expect_summary(&summary, "gen2 again", 8, 0, 0, 20, 0);
	expect_log_sound(log, &summary, "gen2 again");
	tap_ok(!memcmp(after_first, image->bytes, SPACE_SIZE),
	       "gen2 again: memory image byte-identical");
	expect_event(log, "gen2 again", "APIC", "Flags.PCAT_COMPAT",
		     ACPI_FIX_ALREADY_CORRECT, 1, 1, NULL);
	expect_event(log, "gen2 again", "FACP", "PM_TMR_BLK",
		     ACPI_FIX_ALREADY_CORRECT, 0x408, 0x408, NULL);
	expect_event(log, "gen2 again", "SRAT", "MemAffinity[5].Flags",
		     ACPI_FIX_ALREADY_CORRECT, 0, 0, NULL);

	/* And with summary and report both absent. */
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, NULL, NULL), 0,
		   "gen2 again: NULL options and summary accepted");
	tap_ok(!memcmp(after_first, image->bytes, SPACE_SIZE),
	       "gen2 again: still byte-identical");

	free(after_first);
	free(log);
	free(image);
}

/*
 * The same run through a stricter address space: every map returns a
 * fresh heap copy of exactly the asked window, so AddressSanitizer
 * catches any read or write past what was mapped.  Copies go back in
 * the order they were made, so the result must equal the plain run.
 */
struct strict_window {
	uint8_t *copy;
	uint64_t offset, length;
};

struct strict_space {
	struct image *image;
	struct strict_window windows[512];
	unsigned count;
	bool overflow;
};

static uint8_t *strict_map(void *ctx, uint64_t address, uint64_t length)
{
	struct strict_space *s = ctx;
	uint8_t *inside = image_map(s->image, address, length);
	struct strict_window *w;

	if (!inside)
		return NULL;
	if (s->count == sizeof(s->windows) / sizeof(s->windows[0])) {
		s->overflow = true;
		return NULL;
	}
	w = &s->windows[s->count++];
	w->copy = malloc(length);
	if (!w->copy)
		abort();
	memcpy(w->copy, inside, length);
	w->offset = address - s->image->base;
	w->length = length;
	return w->copy;
}

static void strict_write_back(struct strict_space *s)
{
	for (unsigned i = 0; i < s->count; i++) {
		memcpy(s->image->bytes + s->windows[i].offset,
		       s->windows[i].copy, s->windows[i].length);
		free(s->windows[i].copy);
	}
	s->count = 0;
}

static void test_strict_windows(void)
{
	struct image *plain = gen2_image();
	struct strict_space *s = calloc(1, sizeof(*s));
	struct acpi_memory plain_memory = image_memory(plain);
	struct acpi_memory memory = { .map = strict_map, .ctx = s };
	struct acpi_fix_summary summary;
	char oem_id[7], oem_table_id[9];

	s->image = gen2_image();
	tap_is_u64(acpi_fix_all(&memory, s->image->rsdp, NULL, &summary), 0,
		   "strict windows: acpi_fix_all returns 0");
	tap_ok(!s->overflow, "strict windows: bounded number of maps");
	strict_write_back(s);
	tap_is_u64(acpi_fix_all(&plain_memory, plain->rsdp, NULL, NULL), 0,
		   "strict windows: plain run returns 0");
	tap_ok(!memcmp(plain->bytes, s->image->bytes, SPACE_SIZE),
	       "strict windows: same result as the plain run");
	tap_ok(acpi_root_ids(&memory, s->image->rsdp, oem_id, oem_table_id),
	       "strict windows: acpi_root_ids");
	strict_write_back(s);
	free(plain);
	free(s->image);
	free(s);
}

static void test_switches(void)
{
	static const char *const names[] = {
		"fix_madt", "fix_fadt", "fix_srat",
	};

	for (int which = 0; which < 3; which++) {
		struct image *image = gen2_image();
		struct acpi_memory memory = image_memory(image);
		struct acpi_fix_options options;
		struct log *log = calloc(1, sizeof(*log));
		struct acpi_fix_summary summary;
		char what[32];

		snprintf(what, sizeof(what), "%s off", names[which]);
		log_options(&options, log);
		options.fix_madt = which != 0;
		options.fix_fadt = which != 1;
		options.fix_srat = which != 2;
		tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options,
					&summary), 0, "%s: returns 0", what);
		if (which == 0) {
			check_untouched(image, image->apic, &fx.apic, what,
					"MADT");
			expect_event(log, what, "APIC", "Table",
				     ACPI_FIX_SKIPPED, 0, 0,
				     "disabled by configuration");
			tap_is_u64(count_events(log, "APIC", NULL), 1,
				   "%s: one MADT event", what);
		} else {
			check_gen2_madt(image, what);
		}
		if (which == 1) {
			check_untouched(image, image->facp, &fx.facp, what,
					"FADT");
			expect_event(log, what, "FACP", "Table",
				     ACPI_FIX_SKIPPED, 0, 0,
				     "disabled by configuration");
			tap_is_u64(count_events(log, "FACP", NULL), 1,
				   "%s: one FADT event", what);
		} else {
			check_gen2_fadt(image, what);
		}
		if (which == 2) {
			check_untouched(image, image->srat, &fx.srat, what,
					"SRAT");
			expect_event(log, what, "SRAT", "Table",
				     ACPI_FIX_SKIPPED, 0, 0,
				     "disabled by configuration");
			tap_is_u64(count_events(log, "SRAT", NULL), 1,
				   "%s: one SRAT event", what);
		} else {
			check_gen2_srat(image, 2 * TIB, 11, what);
		}
		tap_is_u64(summary.tables_written, 2, "%s: two tables written",
			   what);
		tap_is_u64(summary.skipped, 1, "%s: one skip", what);
		expect_log_sound(log, &summary, what);
		free(log);
		free(image);
	}
}

static void test_both_roots_same_tables(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct log *log = calloc(1, sizeof(*log));
	uint64_t entries[4] = { image->srat, image->apic, 0, image->facp };
	const char *what = "XSDT+RSDT same tables";

	write_rsdt(image, entries, 4);
	write_rsdp(image, 2, image->rsdt, image->xsdt);
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "%s: returns 0", what);
	check_gen2_madt(image, what);
	check_gen2_fadt(image, what);
	check_gen2_srat(image, 2 * TIB, 11, what);
	expect_summary(&summary, what, 8, 3, 16, 4, 0);
	tap_is_u64(count_events(log, "APIC", NULL), 1, "%s: MADT reported once",
		   what);
	tap_is_u64(count_events(log, "FACP", "PM_TMR_BLK"), 1,
		   "%s: PM_TMR_BLK reported once", what);
	expect_log_sound(log, &summary, what);
	free(log);
	free(image);
}

static void test_roots_with_two_madts(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct log *log = calloc(1, sizeof(*log));
	uint64_t second = place(image, &fx.apic);
	uint64_t entries[2] = { image->facp, second };
	unsigned applied_first = 0, applied_second = 0;
	const char *what = "two MADT copies";

	write_rsdt(image, entries, 2);
	write_rsdp(image, 2, image->rsdt, image->xsdt);
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "%s: returns 0", what);
	check_gen2_madt(image, "two MADT copies, XSDT's");
	tap_is_u64(get32(at(image, second) + 0x28), 1,
		   "%s: RSDT's copy flags 0 -> 1", what);
	tap_ok(table_sums_to_zero(at(image, second)),
	       "%s: RSDT's copy checksum valid", what);
	for (unsigned i = 0; i < log->count; i++) {
		const struct record *r = &log->records[i];

		if (strcmp(r->table, "APIC") || r->status != ACPI_FIX_APPLIED)
			continue;
		if (r->address == image->apic)
			applied_first++;
		if (r->address == second)
			applied_second++;
	}
	tap_is_u64(applied_first, 1, "%s: first copy reported once", what);
	tap_is_u64(applied_second, 1, "%s: second copy reported once", what);
	expect_summary(&summary, what, 9, 4, 17, 4, 0);
	free(log);
	free(image);
}

/*
 * Tables that share bytes are refused: a fix to one would rewrite the
 * other, and a second run could then find new work (or new garbage).
 */
static void test_overlapping_tables(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct log *log = calloc(1, sizeof(*log));
	uint8_t *before = malloc(SPACE_SIZE);
	uint64_t late, inside_waet, entries[4];
	const char *what = "overlap";

	/* A second MADT 64 bytes into the first, and one inside WAET. */
	late = image->apic + 64;
	memcpy(at(image, late), fx.apic.bytes, fx.apic.length);
	inside_waet = image->waet + 20;
	memcpy(at(image, inside_waet), fx.apic.bytes, fx.apic.length);
	entries[0] = image->apic;
	entries[1] = late;
	entries[2] = image->waet;
	entries[3] = inside_waet;
	write_xsdt(image, entries, 4);
	write_rsdp(image, 2, 0, image->xsdt);
	memcpy(before, image->bytes, SPACE_SIZE);

	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "%s: returns 0", what);
	tap_ok(!memcmp(before, image->bytes, SPACE_SIZE),
	       "%s: nothing written", what);
	expect_summary(&summary, what, 4, 0, 0, 0, 3);
	expect_log_sound(log, &summary, what);
	tap_is_u64(log->count, 3, "%s: three refusals", what);
	for (unsigned i = 0; i < log->count && i < 3; i++) {
		static const unsigned which[3] = { 0, 1, 3 };
		const uint64_t other[4] = { late, image->apic, 0, image->waet };

		tap_is_str(log->records[i].reason, "overlaps another table",
			   "%s: MADT %u refused", what, i);
		tap_is_u64(log->records[i].address, entries[which[i]],
			   "%s: MADT %u address", what, i);
		tap_is_u64(log->records[i].old_value, other[which[i]],
			   "%s: MADT %u names what it overlaps", what, i);
	}

	/* A MADT whose Length (104) reaches into the RSDT listing it, 64
	 * bytes on, is refused the same way. */
	free(image);
	image = gen2_image();
	memory = image_memory(image);
	entries[0] = image->base + RSDT_OFFSET - 64;
	memcpy(at(image, entries[0]), fx.apic.bytes, 64);
	write_rsdt(image, entries, 1);
	write_rsdp(image, 0, image->rsdt, 0);
	memcpy(before, image->bytes, SPACE_SIZE);
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "MADT into RSDT: returns 0");
	expect_event(log, "MADT into RSDT", "APIC", "Table", ACPI_FIX_SKIPPED,
		     image->rsdt, image->rsdt, "overlaps another table");
	tap_ok(!memcmp(before, image->bytes, SPACE_SIZE),
	       "MADT into RSDT: nothing written");

	/* Tables that only touch (one ends where the next starts) are
	 * fine: both fixed. */
	free(image);
	image = gen2_image();
	memory = image_memory(image);
	entries[0] = image->facp;
	entries[1] = image->facp + fx.facp.length;
	memcpy(at(image, entries[1]), fx.apic.bytes, fx.apic.length);
	write_xsdt(image, entries, 2);
	write_rsdp(image, 2, 0, image->xsdt);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, NULL, &summary), 0,
		   "adjacent tables: returns 0");
	expect_summary(&summary, "adjacent tables", 2, 2, 5, 4, 0);
	tap_is_u64(get32(at(image, entries[1]) + 0x28), 1,
		   "adjacent tables: MADT fixed");
	tap_is_u64(get32(at(image, image->facp) + 0x4C), 0x408,
		   "adjacent tables: FADT fixed");

	free(before);
	free(log);
	free(image);
}

static void test_rsdt_only(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_summary summary;
	uint64_t entries[3] = { image->facp, image->apic, image->srat };
	char oem_id[7], oem_table_id[9];

	write_rsdt(image, entries, 3);
	/* Revision 0: bytes 20..35 are not part of the RSDP and the XSDT
	 * at 0x40 must not be used even though it is intact. */
	write_rsdp(image, 0, image->rsdt, 0);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, NULL, &summary), 0,
		   "RSDT only: returns 0");
	expect_summary(&summary, "RSDT only", 3, 3, 16, 4, 0);
	check_gen2_madt(image, "RSDT only");
	tap_ok(acpi_root_ids(&memory, image->rsdp, oem_id, oem_table_id),
	       "RSDT only: acpi_root_ids");
	tap_is_str(oem_id, "BOCHS ", "RSDT only: OEM ID from the RSDT");
	tap_is_str(oem_table_id, "BXPCRSDT",
		   "RSDT only: OEM table ID from the RSDT");
	free(image);
}

/*
 * Revision 1 is ACPI 1.0: the RSDP is 20 bytes and whatever follows is
 * not an XSDT pointer, however convincing it looks.
 */
static void test_rsdp_revision_1(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_summary summary;
	uint64_t entries[1] = { image->facp };
	uint8_t *p = image->bytes + RSDP_OFFSET;

	write_rsdt(image, entries, 1);
	write_rsdp(image, 2, image->rsdt, image->xsdt);
	p[15] = 1;
	p[8] = 0;
	p[8] = (uint8_t)(0x100 - sum8(p, 20));
	p[32] = 0;
	p[32] = (uint8_t)(0x100 - sum8(p, 36));
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, NULL, &summary), 0,
		   "RSDP rev 1: returns 0");
	expect_summary(&summary, "RSDP rev 1", 1, 1, 4, 4, 0);
	check_gen2_fadt(image, "RSDP rev 1");
	check_untouched(image, image->apic, &fx.apic, "RSDP rev 1",
			"MADT only in the XSDT");
	free(image);
}

static void test_root_ids(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	char oem_id[7] = "junk", oem_table_id[9] = "junk";
	uint64_t entries[1] = { image->apic };

	tap_ok(acpi_root_ids(&memory, image->rsdp, oem_id, oem_table_id),
	       "root ids: Gen2 readable");
	tap_is_str(oem_id, "VRTUAL", "root ids: Gen2 OEM ID");
	tap_is_str(oem_table_id, "MICROSFT", "root ids: Gen2 OEM table ID");

	/* XSDT preferred over RSDT. */
	write_rsdt(image, entries, 1);
	write_rsdp(image, 2, image->rsdt, image->xsdt);
	tap_ok(acpi_root_ids(&memory, image->rsdp, oem_id, oem_table_id),
	       "root ids: both roots");
	tap_is_str(oem_id, "VRTUAL", "root ids: XSDT preferred");

	/* A broken XSDT falls back to the RSDT. */
	at(image, image->xsdt)[40] ^= 0xFF;
	tap_ok(acpi_root_ids(&memory, image->rsdp, oem_id, oem_table_id),
	       "root ids: XSDT bad, RSDT good");
	tap_is_str(oem_id, "BOCHS ", "root ids: RSDT used");
	tap_is_str(oem_table_id, "BXPCRSDT", "root ids: RSDT table ID");

	/* Both broken: nothing. */
	at(image, image->rsdt)[36] ^= 0xFF;
	tap_ok(!acpi_root_ids(&memory, image->rsdp, oem_id, oem_table_id),
	       "root ids: no usable root");
	tap_is_str(oem_id, "", "root ids: OEM ID empty on failure");

	tap_ok(!acpi_root_ids(&memory, image->base + 0x10000, oem_id,
			      oem_table_id), "root ids: unmapped RSDP");
	tap_ok(!acpi_root_ids(NULL, image->rsdp, oem_id, oem_table_id),
	       "root ids: no memory");
	free(image);
}

static void test_bad_rsdp(void)
{
	static const struct {
		const char *what;
		size_t offset;       /* byte to spoil */
		const char *field;
		const char *reason;
	} cases[] = {
		{ "RSDP bad checksum", 0x10, "Checksum", "bad checksum" },
		{ "RSDP bad signature", 0x00, "Signature", "wrong signature" },
		{ "RSDP bad extended checksum", 0x1C, "ExtendedChecksum",
		  "bad checksum" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct image *image = gen2_image();
		struct acpi_memory memory = image_memory(image);
		struct acpi_fix_options options;
		struct acpi_fix_summary summary;
		struct log *log = calloc(1, sizeof(*log));
		uint8_t *before = malloc(SPACE_SIZE);
		const char *what = cases[i].what;

		image->bytes[RSDP_OFFSET + cases[i].offset] ^= 0x40;
		memcpy(before, image->bytes, SPACE_SIZE);
		log_options(&options, log);
		tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options,
					&summary), -1, "%s: returns -1", what);
		tap_ok(!memcmp(before, image->bytes, SPACE_SIZE),
		       "%s: nothing written", what);
		tap_is_u64(log->count, 1, "%s: one event", what);
		if (log->count == 1) {
			tap_is_str(log->records[0].table, "RSDP",
				   "%s: event names the RSDP", what);
			tap_is_str(log->records[0].field, cases[i].field,
				   "%s: event field", what);
			tap_is_str(log->records[0].reason, cases[i].reason,
				   "%s: event reason", what);
		}
		expect_summary(&summary, what, 0, 0, 0, 0, 1);
		free(before);
		free(log);
		free(image);
	}

	{
		struct image *image = gen2_image();
		struct acpi_memory memory = image_memory(image);

		tap_is_u64(acpi_fix_all(&memory, image->base + SPACE_SIZE - 10,
					NULL, NULL), -1, "unmapped RSDP: -1");
		tap_is_u64(acpi_fix_all(&memory, 0, NULL, NULL), -1,
			   "RSDP at 0: -1");
		tap_is_u64(acpi_fix_all(NULL, image->rsdp, NULL, NULL), -1,
			   "no memory: -1");
		check_untouched(image, image->apic, &fx.apic, "bad RSDPs",
				"MADT");
		free(image);
	}
}

/* Revision-2 RSDP whose Length is wrong, or runs off mapped memory. */
static void test_bad_rsdp_length(void)
{
	static const struct {
		const char *what;
		size_t at;          /* offset of the RSDP in the space */
		uint32_t length;
		const char *reason;
	} cases[] = {
		{ "RSDP Length 20", RSDP_OFFSET, 20, "length too short" },
		{ "RSDP Length 5000", RSDP_OFFSET, 5000, "length too large" },
		{ "RSDP v2 part unmapped", SPACE_SIZE - 30, 36,
		  "length exceeds mapped memory" },
		{ "RSDP Length past the end", SPACE_SIZE - 40, 64,
		  "length exceeds mapped memory" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct image *image = gen2_image();
		struct acpi_memory memory = image_memory(image);
		struct acpi_fix_options options;
		struct acpi_fix_summary summary;
		struct log *log = calloc(1, sizeof(*log));
		uint8_t rsdp[36], *p = image->bytes + cases[i].at;
		size_t room = SPACE_SIZE - cases[i].at;
		const char *what = cases[i].what;

		memcpy(rsdp, image->bytes + RSDP_OFFSET, 36);
		put32(rsdp + 20, cases[i].length);
		rsdp[32] = 0;
		rsdp[32] = (uint8_t)(0x100 - sum8(rsdp, 36));
		memcpy(p, rsdp, room < 36 ? room : 36);
		log_options(&options, log);
		tap_is_u64(acpi_fix_all(&memory, image->base + cases[i].at,
					&options, &summary), -1,
			   "%s: returns -1", what);
		expect_event(log, what, "RSDP", "Length", ACPI_FIX_SKIPPED,
			     cases[i].length, cases[i].length, cases[i].reason);
		check_untouched(image, image->apic, &fx.apic, what, "MADT");
		free(log);
		free(image);
	}
}

/* More distinct tables than ACPI_MAX_VISITED: the rest are refused. */
static void test_too_many_tables(void)
{
	enum { COUNT = ACPI_MAX_VISITED + 6, AT = 0x2000 };
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct log *log = calloc(1, sizeof(*log));
	uint64_t entries[COUNT];
	const struct record *r;

	entries[0] = image->apic;
	for (size_t i = 1; i < COUNT; i++)
		entries[i] = 0x100000000ull + i * 0x1000;  /* unmapped */
	write_root(image, AT, "XSDT", entries, COUNT, 8, "VRTUAL",
		   "MICROSFT");
	write_rsdp(image, 2, 0, image->base + AT);
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "too many tables: returns 0");
	check_gen2_madt(image, "too many tables");
	tap_is_u64(count_events(log, "XSDT", "Entry"), COUNT - 1,
		   "too many tables: every unmapped entry reported");
	r = &log->records[ACPI_MAX_VISITED - 1];
	tap_is_str(log->count >= ACPI_MAX_VISITED ? r->reason : NULL,
		   "too many tables", "too many tables: entry 65 refused");
	tap_is_u64(log->count >= ACPI_MAX_VISITED ? r->address : 0,
		   entries[ACPI_MAX_VISITED],
		   "too many tables: refused entry address");
	expect_summary(&summary, "too many tables", 1, 1, 1, 0, COUNT - 1);
	free(log);
	free(image);
}

static void test_bad_roots(void)
{
	struct image *image = gen2_image();
	struct acpi_memory memory = image_memory(image);
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct log *log = calloc(1, sizeof(*log));
	uint64_t entries[3] = { image->facp, image->apic, image->srat };
	uint8_t *before = malloc(SPACE_SIZE);

	/* XSDT checksum broken, RSDT good: fixed through the RSDT. */
	write_rsdt(image, entries, 3);
	write_rsdp(image, 2, image->rsdt, image->xsdt);
	at(image, image->xsdt)[36] ^= 0x01;
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "bad XSDT: returns 0 with a good RSDT");
	expect_event(log, "bad XSDT", "XSDT", "Checksum", ACPI_FIX_SKIPPED,
		     at(image, image->xsdt)[9], at(image, image->xsdt)[9],
		     "bad checksum");
	check_gen2_madt(image, "bad XSDT");
	expect_summary(&summary, "bad XSDT", 3, 3, 16, 4, 1);

	/* Both roots broken: -1 and nothing written. */
	free(image);
	image = gen2_image();
	memory = image_memory(image);
	write_rsdt(image, entries, 3);
	write_rsdp(image, 2, image->rsdt, image->xsdt);
	memcpy(at(image, image->xsdt), "XSDX", 4);
	put32(at(image, image->rsdt) + 4, 30);
	memcpy(before, image->bytes, SPACE_SIZE);
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), -1,
		   "bad roots: returns -1");
	tap_ok(!memcmp(before, image->bytes, SPACE_SIZE),
	       "bad roots: nothing written");
	expect_event(log, "bad roots", "XSDT", "Signature", ACPI_FIX_SKIPPED,
		     0x58445358, 0x58445358, "wrong signature");
	expect_event(log, "bad roots", "RSDT", "Length", ACPI_FIX_SKIPPED, 30,
		     30, "length too short");

	/* Entries that are empty or point outside memory. */
	free(image);
	image = gen2_image();
	memory = image_memory(image);
	{
		uint64_t odd[5] = { 0, image->apic, 0xDEAD0000ull, 0,
				    0xFFFFFFFFFFFFFFF0ull };

		write_xsdt(image, odd, 5);
		write_rsdp(image, 2, 0, image->xsdt);
	}
	log_options(&options, log);
	tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options, &summary), 0,
		   "odd entries: returns 0");
	check_gen2_madt(image, "odd entries");
	expect_event(log, "odd entries", "XSDT", "Entry", ACPI_FIX_SKIPPED,
		     0xDEAD0000ull, 0xDEAD0000ull, "table not mapped");
	tap_is_u64(count_events(log, "XSDT", "Entry"), 2,
		   "odd entries: two unmapped entries reported, zeros not");
	expect_summary(&summary, "odd entries", 1, 1, 1, 0, 2);

	/* A listed MADT that claims more than is mapped or too much. */
	free(image);
	image = gen2_image();
	memory = image_memory(image);
	{
		struct blob cut = fx.apic;
		uint64_t near_end, huge, entries2[2];
		uint8_t *t;

		image->cursor = SPACE_SIZE - 60 - 16;
		cut.length = 60;
		near_end = place(image, &cut);   /* Length says 104 */
		image->cursor = TABLES_OFFSET + 0x1000;
		huge = place(image, &fx.apic);
		t = at(image, huge);
		put32(t + 4, ACPI_MAX_TABLE_LENGTH + 4);
		entries2[0] = near_end;
		entries2[1] = huge;
		write_xsdt(image, entries2, 2);
		write_rsdp(image, 2, 0, image->xsdt);
		memcpy(before, image->bytes, SPACE_SIZE);
		log_options(&options, log);
		tap_is_u64(acpi_fix_all(&memory, image->rsdp, &options,
					&summary), 0, "cut tables: returns 0");
		tap_ok(!memcmp(before, image->bytes, SPACE_SIZE),
		       "cut tables: nothing written");
		tap_is_u64(log->count, 2, "cut tables: two events");
		tap_is_u64(image->largest_map, 104,
			   "cut tables: an oversized Length is never mapped");
		if (log->count == 2) {
			tap_is_str(log->records[0].reason,
				   "length exceeds mapped memory",
				   "cut tables: truncated MADT refused");
			tap_is_u64(log->records[0].address, near_end,
				   "cut tables: truncated MADT address");
			tap_is_str(log->records[1].reason, "length too large",
				   "cut tables: oversized MADT refused");
		}
	}
	free(before);
	free(log);
	free(image);
}

int main(void)
{
	if (!fixtures_load_checked())
		return tap_done();

	test_fixtures_as_described();
	test_helpers();
	test_gen2_run();
	test_strict_windows();
	test_switches();
	test_both_roots_same_tables();
	test_roots_with_two_madts();
	test_overlapping_tables();
	test_rsdt_only();
	test_rsdp_revision_1();
	test_root_ids();
	test_bad_rsdp();
	test_bad_rsdp_length();
	test_too_many_tables();
	test_bad_roots();
	return tap_done();
}
