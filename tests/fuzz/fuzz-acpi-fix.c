/*
 * fuzz-acpi-fix.c - libFuzzer target for the ACPI fixer
 *
 * The input is a physical memory image starting at address 0x1000 with
 * the RSDP at its first byte.  acpi_fix_all() walks it as the payload
 * would walk real firmware memory; the single-table fixers get the raw
 * input as a table.  Beyond "no crash, no out-of-bounds access", the
 * target checks properties the code promises:
 *
 *  - the map callback is never asked for 0 bytes;
 *  - every byte that changed lies in a window the code mapped;
 *  - -1 from acpi_fix_all() means nothing was written;
 *  - one report event per summary count, SKIPPED always has a reason;
 *  - true from a fixer exactly when bytes changed;
 *  - run twice, every fixer and acpi_fix_all() change nothing the second
 *    time, for any input.  For acpi_fix_all() that holds only because it
 *    refuses tables that overlap another table, a root table or the
 *    RSDP: a fix to one of two overlapping tables rewrites bytes (flags,
 *    checksum) of the other, which can make a table that failed its
 *    checksum in the first run valid and in need of a fix in the
 *    second.  seeds/acpi-fix/overlap.bin is such a case.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi_fix.h"

#define IMAGE_BASE 0x1000u
#define MAX_WINDOWS 1024

struct window {
	uint64_t offset, length;
};

struct image {
	uint8_t *bytes;
	size_t size;
	struct window windows[MAX_WINDOWS];
	unsigned count;
	bool too_many;
};

struct tally {
	unsigned events[3];
	size_t string_bytes;  /* so the strlen() calls cannot be dropped */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *image_map(void *ctx, uint64_t address, uint64_t length)
{
	struct image *image = ctx;
	uint64_t offset;

	if (length == 0)
		abort();  /* the header promises this never happens */
	if (address < IMAGE_BASE)
		return NULL;
	offset = address - IMAGE_BASE;
	if (offset > image->size || length > image->size - offset)
		return NULL;
	if (image->count < MAX_WINDOWS)
		image->windows[image->count++] =
			(struct window){ .offset = offset, .length = length };
	else
		image->too_many = true;
	return image->bytes + offset;
}

static void touch_event(void *ctx, const struct acpi_fix_event *event)
{
	struct tally *tally = ctx;

	if (event->table[4] != '\0' || !event->field)
		abort();
	if ((unsigned)event->status > ACPI_FIX_SKIPPED)
		abort();
	if (event->status == ACPI_FIX_SKIPPED && !event->reason)
		abort();
	if (event->status != ACPI_FIX_APPLIED &&
	    event->old_value != event->new_value)
		abort();
	tally->string_bytes += strlen(event->table) + strlen(event->field) +
		strlen(acpi_fix_status_name(event->status)) +
		(event->reason ? strlen(event->reason) : 0);
	tally->events[event->status]++;
}

static void check_tally(const struct tally *tally,
			const struct acpi_fix_summary *summary)
{
	const unsigned *events = tally->events;

	if (events[ACPI_FIX_APPLIED] != summary->applied ||
	    events[ACPI_FIX_ALREADY_CORRECT] != summary->already_correct ||
	    events[ACPI_FIX_SKIPPED] != summary->skipped)
		abort();
	if (summary->tables_written > summary->tables_seen)
		abort();
}

/* Options steered by the last input byte, so every switch gets explored. */
static void fuzz_options(const uint8_t *data, size_t size,
			 struct acpi_fix_options *options, struct tally *tally)
{
	uint8_t knob = size ? data[size - 1] : 0;

	acpi_fix_default_options(options);
	if ((knob & 0xC0) == 0xC0) {
		options->fix_madt = knob & 1;
		options->fix_fadt = knob & 2;
		options->fix_srat = knob & 4;
		options->srat_limit = (uint64_t)(knob & 0x38) << 37;
	}
	memset(tally, 0, sizeof(*tally));
	options->report = touch_event;
	options->report_ctx = tally;
}

static bool changed_outside_windows(const struct image *image,
				    const uint8_t *before)
{
	for (size_t i = 0; i < image->size; i++) {
		bool inside = false;

		if (image->bytes[i] == before[i])
			continue;
		for (unsigned w = 0; w < image->count && !inside; w++)
			inside = i >= image->windows[w].offset &&
				 i - image->windows[w].offset <
					 image->windows[w].length;
		if (!inside)
			return true;
	}
	return false;
}

static void fuzz_fix_all(const uint8_t *data, size_t size)
{
	struct image *image = calloc(1, sizeof(*image));
	uint8_t *before = malloc(size ? size : 1);
	struct acpi_memory memory = { .map = image_map, .ctx = image };
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct tally tally;
	char oem_id[7], oem_table_id[9];
	bool changed;
	int rc;

	if (!image || !before)
		abort();
	image->size = size;
	image->bytes = malloc(size ? size : 1);
	if (!image->bytes)
		abort();
	memcpy(image->bytes, data, size);
	memcpy(before, data, size);

	fuzz_options(data, size, &options, &tally);
	rc = acpi_fix_all(&memory, IMAGE_BASE, &options, &summary);
	check_tally(&tally, &summary);
	if (!image->too_many && changed_outside_windows(image, before))
		abort();
	changed = memcmp(image->bytes, before, size) != 0;
	if (rc == -1 && changed)
		abort();
	if (changed != (summary.tables_written != 0))
		abort();

	/* Second run: same walk, nothing left to do. */
	memcpy(before, image->bytes, size);
	image->count = 0;
	fuzz_options(data, size, &options, &tally);
	if (acpi_fix_all(&memory, IMAGE_BASE, &options, &summary) != rc)
		abort();
	check_tally(&tally, &summary);
	if (summary.applied != 0 || summary.tables_written != 0 ||
	    memcmp(image->bytes, before, size) != 0)
		abort();

	/* Without report or summary, and the ID reader on the result. */
	acpi_fix_all(&memory, IMAGE_BASE, NULL, NULL);
	if (acpi_root_ids(&memory, IMAGE_BASE, oem_id, oem_table_id) &&
	    (strlen(oem_id) > 6 || strlen(oem_table_id) > 8))
		abort();

	free(image->bytes);
	free(image);
	free(before);
}

typedef bool (*single_fixer)(uint8_t *, uint64_t, uint64_t,
			     const struct acpi_fix_options *,
			     struct acpi_fix_summary *);

/* A single table never overlaps another, so twice must equal once. */
static void fuzz_single(single_fixer fixer, const uint8_t *data, size_t size)
{
	uint8_t *table = malloc(size ? size : 1);
	uint8_t *once = malloc(size ? size : 1);
	struct acpi_fix_options options;
	struct acpi_fix_summary summary = { 0 };
	struct tally tally;
	bool changed;

	if (!table || !once)
		abort();
	memcpy(table, data, size);
	fuzz_options(data, size, &options, &tally);
	changed = fixer(size ? table : NULL, size, 0x2000, &options, &summary);
	check_tally(&tally, &summary);
	if (changed != (memcmp(table, data, size) != 0))
		abort();
	if (changed != (summary.tables_written == 1))
		abort();

	memcpy(once, table, size);
	memset(&summary, 0, sizeof(summary));
	fuzz_options(data, size, &options, &tally);
	if (fixer(size ? table : NULL, size, 0x2000, &options, &summary) ||
	    summary.applied != 0 || memcmp(table, once, size) != 0)
		abort();
	check_tally(&tally, &summary);

	free(table);
	free(once);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!data || !size) {  /* a replay of an empty file may pass NULL */
		data = (const uint8_t *)"";
		size = 0;
	}
	fuzz_fix_all(data, size);
	fuzz_single(acpi_fix_madt, data, size);
	fuzz_single(acpi_fix_fadt, data, size);
	fuzz_single(acpi_fix_srat, data, size);
	return 0;
}
