/*
 * acpi-fixtures.h - real Hyper-V Gen2 ACPI tables in a fake physical
 * address space, for the ACPI fixer's tests
 *
 * The tables in tests/fixtures/gen2-acpi are laid out in a fake physical
 * address space (a buffer with a base address) behind an RSDP and XSDT
 * built here, then fixed the way the payload fixes them.  Expected values
 * come from the brief and from reading the fixtures independently of the
 * code under test, byte by byte.
 *
 * Header-only, static inline as tests/tap.h is: each test program is one
 * translation unit with its own TAP count.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TEST_ACPI_FIXTURES_H
#define WIN7GEN2_TEST_ACPI_FIXTURES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi_fix.h"
#include "tap.h"

#define TIB (1ull << 40)

/* ---------------------------------------------------------------------
 * Little helpers that do not trust the code under test
 * --------------------------------------------------------------------- */

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint8_t sum8(const uint8_t *p, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += p[i];
	return (uint8_t)sum;
}

/* Make a table's checksum valid for the Length in its header. */
static inline void seal(uint8_t *table)
{
	table[9] = 0;
	table[9] = (uint8_t)(0x100 - sum8(table, get32(table + 4)));
}

static inline bool table_sums_to_zero(const uint8_t *table)
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
static inline long diff_outside(const uint8_t *before, const uint8_t *after,
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

static inline bool load(struct blob *blob, const char *name)
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

static inline bool load_fixtures(void)
{
	return load(&fx.xsdt, "xsdt.dat") && load(&fx.facp, "facp.dat") &&
	       load(&fx.apic, "apic.dat") && load(&fx.srat, "srat.dat") &&
	       load(&fx.waet, "waet.dat") && load(&fx.spcr, "spcr.dat") &&
	       load(&fx.bgrt, "bgrt.dat") && load(&fx.fpdt, "fpdt.dat") &&
	       load(&fx.oem0, "oem0.dat");
}

/* The first check of every program: without its fixtures none of the
 * others mean anything. */
static inline bool fixtures_load_checked(void)
{
	return tap_ok(load_fixtures(), "fixtures load (top_srcdir=%s)",
		      getenv("top_srcdir") ? getenv("top_srcdir") : ".");
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

static inline uint8_t *image_map(void *ctx, uint64_t address, uint64_t length)
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

static inline struct acpi_memory image_memory(struct image *image)
{
	struct acpi_memory memory = { .map = image_map, .ctx = image };

	return memory;
}

static inline uint8_t *at(struct image *image, uint64_t address)
{
	return image->bytes + (address - image->base);
}

/* Copy a table in at an odd address (unaligned reads must work). */
static inline uint64_t place(struct image *image, const struct blob *blob)
{
	size_t offset = (image->cursor + 15) / 16 * 16 + 3;

	if (offset + blob->length > SPACE_SIZE)
		abort();
	memcpy(image->bytes + offset, blob->bytes, blob->length);
	image->cursor = offset + blob->length;
	return image->base + offset;
}

static inline void write_root(struct image *image, size_t offset,
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

static inline void write_xsdt(struct image *image, const uint64_t *entries,
			      size_t count)
{
	write_root(image, XSDT_OFFSET, "XSDT", entries, count, 8, "VRTUAL",
		   "MICROSFT");
	image->xsdt = image->base + XSDT_OFFSET;
}

static inline void write_rsdt(struct image *image, const uint64_t *entries,
			      size_t count)
{
	write_root(image, RSDT_OFFSET, "RSDT", entries, count, 4, "BOCHS ",
		   "BXPCRSDT");
	image->rsdt = image->base + RSDT_OFFSET;
}

static inline void write_rsdp(struct image *image, uint8_t revision, uint64_t rsdt,
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
static inline struct image *gen2_image(void)
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
 * What the fixtures say, read here without the code under test
 * --------------------------------------------------------------------- */

struct srat_memory {
	size_t offset;   /* of the subtable in the table */
	uint64_t base;
};

static inline size_t srat_memory_entries(const uint8_t *srat,
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

#endif
