/*
 * acpi-expect.h - what the ACPI fixer's tests expect: its report
 * recorded and checked event by event, and each Gen2 table as it must
 * be after the fix
 *
 * Header-only, static inline as tests/tap.h is (acpi-fixtures.h says
 * why).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TEST_ACPI_EXPECT_H
#define WIN7GEN2_TEST_ACPI_EXPECT_H

#include "acpi-fixtures.h"

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

static inline void copy_string(char *out, size_t size, const char *in)
{
	snprintf(out, size, "%s", in ? in : "");
}

static inline void record_event(void *ctx, const struct acpi_fix_event *event)
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

static inline void log_options(struct acpi_fix_options *options, struct log *log)
{
	acpi_fix_default_options(options);
	memset(log, 0, sizeof(*log));
	options->report = record_event;
	options->report_ctx = log;
}

static inline const struct record *find(const struct log *log, const char *table,
					const char *field)
{
	for (unsigned i = 0; i < log->count; i++)
		if (!strcmp(log->records[i].table, table) &&
		    !strcmp(log->records[i].field, field))
			return &log->records[i];
	return NULL;
}

static inline unsigned count_events(const struct log *log, const char *table,
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
static inline void expect_event(const struct log *log, const char *what,
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

static inline void expect_summary(const struct acpi_fix_summary *s, const char *what,
				  unsigned seen, unsigned written, unsigned applied,
				  unsigned correct, unsigned skipped)
{
	tap_is_u64(s->tables_seen, seen, "%s: tables_seen", what);
	tap_is_u64(s->tables_written, written, "%s: tables_written", what);
	tap_is_u64(s->applied, applied, "%s: applied", what);
	tap_is_u64(s->already_correct, correct, "%s: already_correct", what);
	tap_is_u64(s->skipped, skipped, "%s: skipped", what);
}

static inline void expect_log_sound(const struct log *log,
				    const struct acpi_fix_summary *s, const char *what)
{
	tap_is_u64(log->broken, 0,
		   "%s: every event keeps the header's promises", what);
	tap_is_u64(log->count, s->applied + s->already_correct + s->skipped,
		   "%s: one event per counted outcome", what);
}

/* ---------------------------------------------------------------------
 * The Gen2 tables as the fix must leave them
 * --------------------------------------------------------------------- */

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

static inline void check_gen2_madt(struct image *image, const char *what)
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

static inline void check_gen2_fadt(struct image *image, const char *what)
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

static inline void check_gen2_srat(struct image *image, uint64_t limit,
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

static inline void check_untouched(struct image *image, uint64_t address,
				   const struct blob *blob, const char *what,
				   const char *name)
{
	tap_ok(!memcmp(at(image, address), blob->bytes, blob->length),
	       "%s: %s byte-identical", what, name);
}

/* One refusal: exactly one SKIPPED event, no byte written. */
static inline void expect_refused(bool (*fixer)(uint8_t *, uint64_t, uint64_t,
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

#endif
