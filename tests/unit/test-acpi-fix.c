/*
 * test-acpi-fix.c - the ACPI fixer against real Hyper-V Gen2 tables
 *
 * The tables in tests/fixtures/gen2-acpi are laid out in a fake physical
 * address space (a buffer with a base address) behind an RSDP and XSDT
 * built here, then fixed the way the payload fixes them.  Expected values
 * come from the brief and from reading the fixtures independently of the
 * code under test, byte by byte.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>

#include "acpi_fix.h"
#include "tap.h"

#define TIB (1ull << 40)

/* ---------------------------------------------------------------------
 * Little helpers that do not trust the code under test
 * --------------------------------------------------------------------- */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += p[i];
	return (uint8_t)sum;
}

/* Make a table's checksum valid for the Length in its header. */
static void seal(uint8_t *table)
{
	table[9] = 0;
	table[9] = (uint8_t)(0x100 - sum8(table, get32(table + 4)));
}

static bool table_sums_to_zero(const uint8_t *table)
{
	return sum8(table, get32(table + 4)) == 0;
}

struct range {
	size_t start, length;
};

/*
 * Offset of the first byte that differs outside the allowed ranges, or
 * -1 when every difference is allowed.
 */
static long diff_outside(const uint8_t *before, const uint8_t *after,
			 size_t n, const struct range *allowed, size_t nallowed)
{
	for (size_t i = 0; i < n; i++) {
		bool ok = false;

		if (before[i] == after[i])
			continue;
		for (size_t r = 0; r < nallowed; r++)
			if (i >= allowed[r].start &&
			    i < allowed[r].start + allowed[r].length)
				ok = true;
		if (!ok)
			return (long)i;
	}
	return -1;
}

/* ---------------------------------------------------------------------
 * Fixtures
 * --------------------------------------------------------------------- */

struct blob {
	uint8_t *bytes;
	size_t length;
};

static struct fixtures {
	struct blob xsdt, facp, apic, srat, waet, spcr, bgrt, fpdt, oem0;
} fx;

static bool load(struct blob *blob, const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/tests/fixtures/gen2-acpi/%s",
		 top && *top ? top : ".", name);
	f = fopen(path, "rb");
	if (!f) {
		tap_diag("cannot open %s", path);
		return false;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return false;
	}
	blob->length = (size_t)size;
	blob->bytes = malloc(blob->length);
	if (!blob->bytes ||
	    fread(blob->bytes, 1, blob->length, f) != blob->length) {
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

static bool load_fixtures(void)
{
	return load(&fx.xsdt, "xsdt.dat") && load(&fx.facp, "facp.dat") &&
	       load(&fx.apic, "apic.dat") && load(&fx.srat, "srat.dat") &&
	       load(&fx.waet, "waet.dat") && load(&fx.spcr, "spcr.dat") &&
	       load(&fx.bgrt, "bgrt.dat") && load(&fx.fpdt, "fpdt.dat") &&
	       load(&fx.oem0, "oem0.dat");
}

/* ---------------------------------------------------------------------
 * A fake physical address space
 * --------------------------------------------------------------------- */

#define SPACE_BASE 0xF7FF0000ull
#define SPACE_SIZE 0x4000u
#define RSDP_OFFSET 0x000u
#define XSDT_OFFSET 0x040u
#define RSDT_OFFSET 0x0C0u
#define TABLES_OFFSET 0x200u

struct image {
	uint64_t base;
	uint8_t bytes[SPACE_SIZE];
	size_t cursor;          /* where the next table goes */
	unsigned zero_maps;     /* map calls with length 0 (forbidden) */
	uint64_t largest_map;   /* longest window ever asked for */
	uint64_t rsdp, xsdt, rsdt;
	uint64_t facp, apic, srat, waet, spcr, bgrt, fpdt, oem0;
};

static uint8_t *image_map(void *ctx, uint64_t address, uint64_t length)
{
	struct image *image = ctx;
	uint64_t offset;

	if (length == 0) {
		image->zero_maps++;
		return NULL;
	}
	if (length > image->largest_map)
		image->largest_map = length;
	if (address < image->base)
		return NULL;
	offset = address - image->base;
	if (offset > SPACE_SIZE || length > SPACE_SIZE - offset)
		return NULL;
	return image->bytes + offset;
}

static struct acpi_memory image_memory(struct image *image)
{
	struct acpi_memory memory = { .map = image_map, .ctx = image };

	return memory;
}

static uint8_t *at(struct image *image, uint64_t address)
{
	return image->bytes + (address - image->base);
}

/* Copy a table in at an odd address (unaligned reads must work). */
static uint64_t place(struct image *image, const struct blob *blob)
{
	size_t offset = (image->cursor + 15) / 16 * 16 + 3;

	if (offset + blob->length > SPACE_SIZE)
		abort();
	memcpy(image->bytes + offset, blob->bytes, blob->length);
	image->cursor = offset + blob->length;
	return image->base + offset;
}

static void write_root(struct image *image, size_t offset,
		       const char *signature, const uint64_t *entries,
		       size_t count, size_t entry_size, const char *oem_id,
		       const char *oem_table_id)
{
	uint8_t *t = image->bytes + offset;
	size_t length = 36 + count * entry_size;

	memcpy(t, fx.xsdt.bytes, 36);   /* Gen2 header: revision, creator */
	memcpy(t, signature, 4);
	put32(t + 4, (uint32_t)length);
	memcpy(t + 10, oem_id, 6);
	memcpy(t + 16, oem_table_id, 8);
	for (size_t i = 0; i < count; i++) {
		if (entry_size == 8)
			put64(t + 36 + i * 8, entries[i]);
		else
			put32(t + 36 + i * 4, (uint32_t)entries[i]);
	}
	seal(t);
}

static void write_xsdt(struct image *image, const uint64_t *entries,
		       size_t count)
{
	write_root(image, XSDT_OFFSET, "XSDT", entries, count, 8, "VRTUAL",
		   "MICROSFT");
	image->xsdt = image->base + XSDT_OFFSET;
}

static void write_rsdt(struct image *image, const uint64_t *entries,
		       size_t count)
{
	write_root(image, RSDT_OFFSET, "RSDT", entries, count, 4, "BOCHS ",
		   "BXPCRSDT");
	image->rsdt = image->base + RSDT_OFFSET;
}

static void write_rsdp(struct image *image, uint8_t revision, uint64_t rsdt,
		       uint64_t xsdt)
{
	uint8_t *p = image->bytes + RSDP_OFFSET;

	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "VRTUAL", 6);
	p[15] = revision;
	put32(p + 16, (uint32_t)rsdt);
	p[8] = (uint8_t)(0x100 - sum8(p, 20));
	if (revision >= 2) {
		put32(p + 20, 36);
		put64(p + 24, xsdt);
		/* Bytes 0..19 already sum to 0; the extended checksum at
		 * 32 makes all 36 do so. */
		p[32] = (uint8_t)(0x100 - sum8(p, 36));
	}
	image->rsdp = image->base + RSDP_OFFSET;
}

/* The Gen2 machine: RSDP rev 2 -> XSDT -> the eight tables. */
static struct image *gen2_image(void)
{
	struct image *image = calloc(1, sizeof(*image));
	uint64_t entries[8];

	if (!image)
		abort();
	image->base = SPACE_BASE;
	image->cursor = TABLES_OFFSET;
	image->facp = place(image, &fx.facp);
	image->apic = place(image, &fx.apic);
	image->srat = place(image, &fx.srat);
	image->waet = place(image, &fx.waet);
	image->spcr = place(image, &fx.spcr);
	image->bgrt = place(image, &fx.bgrt);
	image->fpdt = place(image, &fx.fpdt);
	image->oem0 = place(image, &fx.oem0);
	entries[0] = image->facp;
	entries[1] = image->apic;
	entries[2] = image->srat;
	entries[3] = image->waet;
	entries[4] = image->spcr;
	entries[5] = image->bgrt;
	entries[6] = image->fpdt;
	entries[7] = image->oem0;
	write_xsdt(image, entries, 8);
	write_rsdp(image, 2, 0, image->xsdt);
	return image;
}

/* ---------------------------------------------------------------------
 * Recording the report
 * --------------------------------------------------------------------- */

struct record {
	char table[5];
	char field[40];
	enum acpi_fix_status status;
	uint64_t old_value, new_value;
	char reason[64];
	bool has_reason;
	uint64_t address;
};

struct log {
	struct record records[256];
	unsigned count;
	unsigned broken;  /* events that break the header's promises */
};

static void copy_string(char *out, size_t size, const char *in)
{
	snprintf(out, size, "%s", in ? in : "");
}

static void record_event(void *ctx, const struct acpi_fix_event *event)
{
	struct log *log = ctx;
	struct record *r;

	if (event->table[4] != '\0' || !event->field ||
	    (event->status == ACPI_FIX_SKIPPED && !event->reason) ||
	    (event->status != ACPI_FIX_APPLIED &&
	     event->old_value != event->new_value))
		log->broken++;
	if (log->count == sizeof(log->records) / sizeof(log->records[0])) {
		log->broken++;
		return;
	}
	r = &log->records[log->count++];
	memcpy(r->table, event->table, 5);
	r->table[4] = '\0';
	copy_string(r->field, sizeof(r->field), event->field);
	r->status = event->status;
	r->old_value = event->old_value;
	r->new_value = event->new_value;
	copy_string(r->reason, sizeof(r->reason), event->reason);
	r->has_reason = event->reason != NULL;
	r->address = event->address;
}

static void log_options(struct acpi_fix_options *options, struct log *log)
{
	acpi_fix_default_options(options);
	memset(log, 0, sizeof(*log));
	options->report = record_event;
	options->report_ctx = log;
}

static const struct record *find(const struct log *log, const char *table,
				 const char *field)
{
	for (unsigned i = 0; i < log->count; i++)
		if (!strcmp(log->records[i].table, table) &&
		    !strcmp(log->records[i].field, field))
			return &log->records[i];
	return NULL;
}

static unsigned count_events(const struct log *log, const char *table,
			     const char *field)
{
	unsigned n = 0;

	for (unsigned i = 0; i < log->count; i++)
		if ((!table || !strcmp(log->records[i].table, table)) &&
		    (!field || !strcmp(log->records[i].field, field)))
			n++;
	return n;
}

/* Assert one event exactly; reason NULL means "no reason given". */
static void expect_event(const struct log *log, const char *what,
			 const char *table, const char *field,
			 enum acpi_fix_status status, uint64_t old_value,
			 uint64_t new_value, const char *reason)
{
	const struct record *r = find(log, table, field);

	if (!tap_ok(r != NULL, "%s: %s %s reported", what, table, field))
		return;
	tap_is_str(acpi_fix_status_name(r->status),
		   acpi_fix_status_name(status), "%s: %s %s status", what,
		   table, field);
	tap_is_u64(r->old_value, old_value, "%s: %s %s old value", what,
		   table, field);
	tap_is_u64(r->new_value, new_value, "%s: %s %s new value", what,
		   table, field);
	tap_is_str(r->has_reason ? r->reason : NULL, reason,
		   "%s: %s %s reason", what, table, field);
}

static void expect_summary(const struct acpi_fix_summary *s, const char *what,
			   unsigned seen, unsigned written, unsigned applied,
			   unsigned correct, unsigned skipped)
{
	tap_is_u64(s->tables_seen, seen, "%s: tables_seen", what);
	tap_is_u64(s->tables_written, written, "%s: tables_written", what);
	tap_is_u64(s->applied, applied, "%s: applied", what);
	tap_is_u64(s->already_correct, correct, "%s: already_correct", what);
	tap_is_u64(s->skipped, skipped, "%s: skipped", what);
}

static void expect_log_sound(const struct log *log,
			     const struct acpi_fix_summary *s, const char *what)
{
	tap_is_u64(log->broken, 0,
		   "%s: every event keeps the header's promises", what);
	tap_is_u64(log->count, s->applied + s->already_correct + s->skipped,
		   "%s: one event per counted outcome", what);
}

/* ---------------------------------------------------------------------
 * What the fixtures say, read here without the code under test
 * --------------------------------------------------------------------- */

struct srat_memory {
	size_t offset;   /* of the subtable in the table */
	uint64_t base;
};

static size_t srat_memory_entries(const uint8_t *srat,
				  struct srat_memory *out, size_t max)
{
	size_t n = 0, length = get32(srat + 4);

	for (size_t off = 48; off + 2 <= length && srat[off + 1] >= 2;
	     off += srat[off + 1]) {
		if (srat[off] == 1 && n < max) {
			out[n].offset = off;
			out[n].base = get64(srat + off + 8);
			n++;
		}
	}
	return n;
}

/* ---------------------------------------------------------------------
 * The tests
 * --------------------------------------------------------------------- */

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

/* FADT legacy field offsets and what Gen2 needs in them. */
static const struct {
	const char *name;
	size_t legacy;
	uint32_t want;   /* 0 = stays empty */
} fadt_expect[] = {
	{ "PM1a_EVT_BLK", 0x38, 0x400 },
	{ "PM1b_EVT_BLK", 0x3C, 0 },
	{ "PM1a_CNT_BLK", 0x40, 0x404 },
	{ "PM1b_CNT_BLK", 0x44, 0 },
	{ "PM2_CNT_BLK",  0x48, 0 },
	{ "PM_TMR_BLK",   0x4C, 0x408 },
	{ "GPE0_BLK",     0x50, 0x40C },
	{ "GPE1_BLK",     0x54, 0 },
};

static void check_gen2_madt(struct image *image, const char *what)
{
	const uint8_t *t = at(image, image->apic);
	const struct range allowed[] = { { 9, 1 }, { 0x28, 1 } };

	tap_is_u64(get32(t + 0x28), 1, "%s: MADT flags 0 -> 1", what);
	tap_ok(table_sums_to_zero(t), "%s: MADT checksum valid", what);
	tap_is_u64(t[9], (uint8_t)(fx.apic.bytes[9] - 1),
		   "%s: MADT checksum byte down by one", what);
	tap_is_u64(diff_outside(fx.apic.bytes, t, fx.apic.length, allowed, 2),
		   -1, "%s: MADT only bytes 0x28 and 9 changed", what);
}

static void check_gen2_fadt(struct image *image, const char *what)
{
	const uint8_t *t = at(image, image->facp);
	struct range allowed[9] = { { 9, 1 } };
	size_t n = 1;

	for (size_t i = 0; i < 8; i++) {
		size_t legacy = fadt_expect[i].legacy;

		tap_is_u64(get32(t + legacy), fadt_expect[i].want,
			   "%s: FADT %s", what, fadt_expect[i].name);
		if (fadt_expect[i].want)
			allowed[n++] = (struct range){ legacy, 4 };
	}
	tap_ok(table_sums_to_zero(t), "%s: FADT checksum valid", what);
	tap_is_u64(diff_outside(fx.facp.bytes, t, fx.facp.length, allowed, n),
		   -1, "%s: FADT only filled fields and checksum changed",
		   what);
	tap_ok(!memcmp(t + 0x58, fx.facp.bytes + 0x58, 6),
	       "%s: FADT block lengths 0x58..0x5D untouched", what);
}

static void check_gen2_srat(struct image *image, uint64_t limit,
			    unsigned want_disabled, const char *what)
{
	const uint8_t *t = at(image, image->srat);
	struct srat_memory mem[32];
	struct range allowed[33] = { { 9, 1 } };
	size_t n = srat_memory_entries(fx.srat.bytes, mem, 32), nallowed = 1;
	unsigned disabled = 0, kept = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t before = get32(fx.srat.bytes + mem[i].offset + 28);
		uint32_t after = get32(t + mem[i].offset + 28);

		if (mem[i].base >= limit) {
			if (after == 0 && before != 0)
				disabled++;
			allowed[nallowed++] =
				(struct range){ mem[i].offset + 28, 4 };
		} else if (after == before) {
			kept++;
		}
	}
	tap_is_u64(disabled, want_disabled,
		   "%s: SRAT entries at/above limit disabled", what);
	tap_is_u64(kept, n - want_disabled,
		   "%s: SRAT entries below limit keep their flags", what);
	tap_ok(table_sums_to_zero(t), "%s: SRAT checksum valid", what);
	tap_is_u64(diff_outside(fx.srat.bytes, t, fx.srat.length, allowed,
				nallowed),
		   -1, "%s: SRAT only disabled flags and checksum changed",
		   what);
}

static void check_untouched(struct image *image, uint64_t address,
			    const struct blob *blob, const char *what,
			    const char *name)
{
	tap_ok(!memcmp(at(image, address), blob->bytes, blob->length),
	       "%s: %s byte-identical", what, name);
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

/* One refusal: exactly one SKIPPED event, no byte written. */
static void expect_refused(bool (*fixer)(uint8_t *, uint64_t, uint64_t,
					 const struct acpi_fix_options *,
					 struct acpi_fix_summary *),
			   uint8_t *table, size_t size, uint64_t available,
			   const char *what, const char *signature,
			   const char *field, uint64_t value,
			   const char *reason)
{
	struct acpi_fix_options options;
	struct acpi_fix_summary summary = { 0 };
	struct log *log = calloc(1, sizeof(*log));
	uint8_t *before = malloc(size ? size : 1);

	if (size)
		memcpy(before, table, size);
	log_options(&options, log);
	tap_ok(!fixer(table, available, 0x4000, &options, &summary),
	       "%s: refused", what);
	tap_ok(!size || !memcmp(before, table, size), "%s: no byte written",
	       what);
	tap_is_u64(log->count, 1, "%s: exactly one event", what);
	expect_event(log, what, signature, field, ACPI_FIX_SKIPPED, value,
		     value, reason);
	expect_summary(&summary, what, 1, 0, 0, 0, 1);
	free(before);
	free(log);
}

static void test_refusals(void)
{
	uint8_t apic[104], srat[752];
	struct srat_memory mem[32];
	size_t offset;

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

	{
		uint8_t facp[276];

		memcpy(facp, fx.facp.bytes, sizeof(facp));
		expect_refused(acpi_fix_madt, facp, sizeof(facp), sizeof(facp),
			       "FADT given to the MADT fixer", "APIC",
			       "Signature", 0x50434146 /* "FACP" */,
			       "wrong signature");
		memcpy(apic, fx.apic.bytes, sizeof(apic));
		expect_refused(acpi_fix_srat, apic, sizeof(apic), sizeof(apic),
			       "MADT given to the SRAT fixer", "SRAT",
			       "Signature", 0x43495041 /* "APIC" */,
			       "wrong signature");
		expect_refused(acpi_fix_fadt, apic, sizeof(apic), sizeof(apic),
			       "MADT given to the FADT fixer", "FACP",
			       "Signature", 0x43495041, "wrong signature");
	}

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

static void test_single_fixers(void)
{
	uint8_t apic[104], srat[752];
	struct acpi_fix_summary summary = { 0 };
	struct acpi_fix_options options;
	struct log *log = calloc(1, sizeof(*log));

	/* available may exceed Length; NULL options mean the defaults. */
	memcpy(apic, fx.apic.bytes, sizeof(apic));
	tap_ok(acpi_fix_madt(apic, 4096, 0, NULL, &summary),
	       "single MADT: NULL options fix it");
	tap_is_u64(get32(apic + 0x28), 1, "single MADT: flags set");
	tap_ok(!acpi_fix_madt(apic, sizeof(apic), 0, NULL, &summary),
	       "single MADT: second call changes nothing");
	expect_summary(&summary, "single fixers add up", 2, 1, 1, 1, 0);

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

int main(void)
{
	if (!tap_ok(load_fixtures(), "fixtures load (top_srcdir=%s)",
		    getenv("top_srcdir") ? getenv("top_srcdir") : "."))
		return tap_done();

	test_fixtures_as_described();
	test_helpers();
	test_gen2_run();
	test_strict_windows();
	test_srat_limit();
	test_switches();
	test_qemu_fadt();
	test_fadt_rules();
	test_refusals();
	test_single_fixers();
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
