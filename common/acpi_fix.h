/*
 * acpi_fix.h - repair the ACPI tables that Windows 7 misreads on Hyper-V Gen2
 *
 * Plain C with no firmware types, so the same code runs inside
 * win7gen2.efi and in the host test suite.  It needs no C library: the
 * payload is freestanding.
 *
 * Tables are reached through a caller-supplied address space, because
 * the pointers inside RSDP/XSDT/RSDT are physical addresses: the payload
 * maps them 1:1 where the firmware's memory map keeps tables (memmap.h),
 * the host tests map them into a buffer.  Every byte read or written goes
 * through a window that the address space vouched for, so garbage
 * pointers and lengths are refused, never followed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ACPI_FIX_H
#define WIN7GEN2_ACPI_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A table is refused if its header claims more than this. */
#define ACPI_MAX_TABLE_LENGTH (4u * 1024 * 1024)

/* The SRAT limit proven on real Hyper-V: hot-plug ranges from 2 TiB up go. */
#define ACPI_SRAT_DEFAULT_LIMIT (2ull << 40)

/* Distinct tables remembered per run, so a copy listed in both XSDT and
 * RSDT is fixed and reported once. */
#define ACPI_MAX_VISITED 64

/*
 * Map [address, address + length) for reading and writing.  Returns NULL
 * when any part of the range is not backed; the caller treats that as
 * "not there".  Ranges of length 0 are never asked for.
 */
typedef uint8_t *(*acpi_map_fn)(void *ctx, uint64_t address, uint64_t length);

struct acpi_memory {
	acpi_map_fn map;
	void *ctx;
};

enum acpi_fix_status {
	ACPI_FIX_APPLIED,        /* the field was changed: old -> new */
	ACPI_FIX_ALREADY_CORRECT,/* nothing needed */
	ACPI_FIX_SKIPPED,        /* not changed; reason says why */
};

/*
 * One line of the report.  table is the 4-character signature (not NUL
 * terminated in ACPI, NUL terminated here), field a short stable name
 * such as "PM1a_EVT_BLK" or "Flags.PCAT_COMPAT" or "MemAffinity[5].Flags",
 * reason a constant string (never NULL for SKIPPED, may be NULL otherwise).
 * address is where the table lives, so two copies can be told apart.
 * The strings are valid only during the report callback: copy, don't keep.
 */
struct acpi_fix_event {
	char table[5];
	const char *field;
	enum acpi_fix_status status;
	uint64_t old_value;
	uint64_t new_value;
	const char *reason;
	uint64_t address;
};

typedef void (*acpi_report_fn)(void *ctx, const struct acpi_fix_event *event);

struct acpi_fix_options {
	bool fix_madt;          /* MADT Flags.PCAT_COMPAT */
	bool fix_fadt;          /* FADT legacy PM/GPE block fields */
	bool fix_srat;          /* SRAT hot-plug ranges */
	uint64_t srat_limit;    /* disable Memory Affinity with base >= this */
	acpi_report_fn report;  /* may be NULL */
	void *report_ctx;
};

struct acpi_fix_summary {
	unsigned tables_seen;    /* distinct tables looked at */
	unsigned tables_written; /* tables whose bytes changed */
	unsigned applied;
	unsigned already_correct;
	unsigned skipped;
};

/* Every fix on, SRAT limit 2 TiB, no report callback. */
void acpi_fix_default_options(struct acpi_fix_options *options);

/*
 * Walk RSDP -> XSDT (revision >= 2) and RSDT, and fix every MADT, FADT
 * and SRAT found in either.  A table whose signature, length or checksum
 * is wrong is reported as skipped and left byte-for-byte alone.  After a
 * write the table checksum is recomputed.  Running twice changes nothing
 * the second time.
 *
 * Returns 0 when the RSDP and at least one root table could be read (even
 * if nothing needed fixing), -1 when the RSDP itself is unusable.
 */
int acpi_fix_all(const struct acpi_memory *memory, uint64_t rsdp_address,
		 const struct acpi_fix_options *options,
		 struct acpi_fix_summary *summary);

/*
 * The single-table fixers.  table points at the table header, available
 * says how many bytes at that address are mapped.  They check signature,
 * length (header Length within available and within bounds) and checksum
 * before anything else.  address is only used for the report.
 * Return true if the table bytes changed.
 */
bool acpi_fix_madt(uint8_t *table, uint64_t available, uint64_t address,
		   const struct acpi_fix_options *options,
		   struct acpi_fix_summary *summary);
bool acpi_fix_fadt(uint8_t *table, uint64_t available, uint64_t address,
		   const struct acpi_fix_options *options,
		   struct acpi_fix_summary *summary);
bool acpi_fix_srat(uint8_t *table, uint64_t available, uint64_t address,
		   const struct acpi_fix_options *options,
		   struct acpi_fix_summary *summary);

/*
 * Copy the OEM ID and OEM table ID of the root table (XSDT, else RSDT)
 * into NUL-terminated buffers; Hyper-V Gen2 says "VRTUAL"/"MICROSFT".
 * Returns false when the RSDP or root table cannot be read.
 */
bool acpi_root_ids(const struct acpi_memory *memory, uint64_t rsdp_address,
		   char oem_id[7], char oem_table_id[9]);

/* Sum of bytes mod 256; a valid table sums to 0. */
uint8_t acpi_checksum(const uint8_t *bytes, uint64_t length);

/* Human name of a status: "applied", "already correct", "skipped". */
const char *acpi_fix_status_name(enum acpi_fix_status status);

#endif
