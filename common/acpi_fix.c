/*
 * acpi_fix.c - repair the ACPI tables that Windows 7 misreads on Hyper-V Gen2
 *
 * Three fixes, each on a table that must first prove it is what it
 * claims (signature, length, checksum):
 *
 *   MADT  set Flags.PCAT_COMPAT, or the legacy HAL bug checks (0x79);
 *   FADT  fill the zero legacy PM/GPE block fields from their X_ twins,
 *         because the Windows 7 HAL and acpi.sys only read the 32-bit ones;
 *   SRAT  disable hot-pluggable Memory Affinity ranges from a limit up,
 *         so the memory manager does not size its PFN database for 4 PiB.
 *
 * No C library: this file is also built freestanding into win7gen2.efi.
 * Multi-byte values are assembled byte by byte because ACPI tables are
 * packed and firmware puts them at any address.
 *
 * Conventions of this implementation (the header leaves them open):
 *
 *  - summary may be NULL everywhere.  acpi_fix_all() clears *summary and
 *    describes its own run; the single-table fixers add to *summary, so a
 *    caller running several of them gets the total.
 *  - options may be NULL: acpi_fix_default_options() is used.
 *  - Event strings (table, field, reason) are only valid during the
 *    report callback; "MemAffinity[i].Flags" is built on the stack.
 *    Copy them if they must outlive the call.
 *  - For ALREADY_CORRECT and SKIPPED events new_value == old_value: the
 *    value as found.  For a table refused as a whole, field names the
 *    check that failed ("Header", "Signature", "Length", "Checksum",
 *    "Subtables", "Table") and old_value holds what was found there (the
 *    mapped size, the signature as a little-endian u32, the header
 *    Length, the checksum byte, the subtable offset).
 *  - A switched-off fix reports one SKIPPED event for its table
 *    ("disabled by configuration") and reads nothing else.
 *  - acpi_fix_all() refuses (SKIPPED, field "Table", old_value = the
 *    other address, "overlaps another table") a MADT/FADT/SRAT that
 *    shares a byte with another listed table, a root table or the RSDP.
 *    That is what makes "running twice changes nothing" true for any
 *    memory contents; real firmware never overlaps its tables.
 *  - Root table entries that are 0 are empty slots and ignored; entries
 *    that cannot be mapped get a SKIPPED event (table "XSDT"/"RSDT",
 *    field "Entry", address = the entry).
 *  - tables_seen counts the distinct tables acpi_fix_all() found through
 *    XSDT/RSDT (any signature, root tables themselves not included); a
 *    single-table fixer counts the table it was given.
 *  - acpi_fix_all() returns -1 when no root table at all was usable,
 *    since the header promises 0 only when one could be read, and when
 *    an RSDP of revision 2 or later fails its extended checks (the
 *    RSDT pointer of such an RSDP is not trusted either).  RSDP
 *    problems are reported with table "RSDP".
 *
 * SPDX-License-Identifier: MIT
 */
#include "acpi_fix.h"

#include "byteorder.h"

/* System description table header. */
#define HEADER_LENGTH           36
#define HEADER_SIGNATURE        0
#define HEADER_LENGTH_FIELD     4
#define HEADER_CHECKSUM         9
#define HEADER_OEM_ID           10
#define HEADER_OEM_TABLE_ID     16
#define OEM_ID_LENGTH           6
#define OEM_TABLE_ID_LENGTH     8

/* Root System Description Pointer. */
#define RSDP_V1_LENGTH          20
#define RSDP_V2_LENGTH          36
#define RSDP_MAX_LENGTH         1024  /* 36 today; 1 KiB is junk */
#define RSDP_CHECKSUM           8
#define RSDP_REVISION           15
#define RSDP_RSDT_ADDRESS       16
#define RSDP_LENGTH             20
#define RSDP_XSDT_ADDRESS       24
#define RSDP_EXTENDED_CHECKSUM  32

/* MADT. */
#define MADT_FLAGS              0x28
#define MADT_MIN_LENGTH         (MADT_FLAGS + 4)
#define MADT_PCAT_COMPAT        0x1u

/* FADT: the legacy block fields run from 0x38 to 0x57. */
#define FADT_MIN_LENGTH         0x58
#define GAS_LENGTH              12
#define GAS_SPACE_ID            0
#define GAS_ADDRESS             4
#define GAS_SPACE_SYSTEM_IO     1

/* SRAT. */
#define SRAT_SUBTABLES          48    /* header, revision, 8 reserved */
#define SRAT_MIN_LENGTH         SRAT_SUBTABLES
#define SRAT_SUBTABLE_HEADER    2     /* type, length */
#define SRAT_TYPE_MEMORY        1
#define SRAT_MEMORY_LENGTH      40
#define SRAT_MEMORY_BASE        8
#define SRAT_MEMORY_FLAGS       28

#define FIELD_BUFFER_SIZE       32

struct fadt_block {
	const char *name;
	uint32_t legacy;  /* offset of the 32-bit field */
	uint32_t gas;     /* offset of its X_ Generic Address Structure */
};

static const struct fadt_block fadt_blocks[] = {
	{ "PM1a_EVT_BLK", 0x38, 0x94 },
	{ "PM1b_EVT_BLK", 0x3C, 0xA0 },
	{ "PM1a_CNT_BLK", 0x40, 0xAC },
	{ "PM1b_CNT_BLK", 0x44, 0xB8 },
	{ "PM2_CNT_BLK",  0x48, 0xC4 },
	{ "PM_TMR_BLK",   0x4C, 0xD0 },
	{ "GPE0_BLK",     0x50, 0xDC },
	{ "GPE1_BLK",     0x54, 0xE8 },
};

#define FADT_BLOCK_COUNT (sizeof(fadt_blocks) / sizeof(fadt_blocks[0]))

/* One acpi_fix_* call: where events go and what they add up to. */
struct fix_run {
	const struct acpi_fix_options *options;
	struct acpi_fix_summary *summary;   /* never NULL inside */
};

/*
 * A table as the fixers see it.  bytes[0..available) is mapped; length
 * is the header's Length and only trusted after table_usable().
 */
struct table_view {
	const char *signature;  /* what it must be, also the report's name */
	uint8_t *bytes;
	uint64_t available;
	uint64_t address;
	uint32_t length;
};

/* The bytes a decision of ours about one object depends on. */
struct extent {
	uint64_t address;
	uint64_t length;  /* 0: not mapped, occupies nothing we know of */
};

/*
 * What acpi_fix_all() found before writing anything: the RSDP and root
 * tables, and each distinct listed table once (so a table listed in
 * both XSDT and RSDT is fixed and reported once).
 */
struct census {
	struct extent roots[3];  /* RSDP, XSDT, RSDT */
	unsigned root_count;
	struct extent tables[ACPI_MAX_VISITED];
	unsigned table_count;
};

struct rsdp_info {
	uint64_t xsdt;    /* 0 when the revision has none */
	uint32_t rsdt;
	uint32_t length;  /* bytes the checks covered */
};

static bool bytes_match(const uint8_t *bytes, const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++)
		if (bytes[i] != (uint8_t)text[i])
			return false;
	return true;
}

static void copy_id(char *out, const uint8_t *bytes, size_t length)
{
	for (size_t i = 0; i < length; i++)
		out[i] = (char)bytes[i];
	out[length] = '\0';
}

/* Append text to buffer at *pos, always leaving room for the NUL. */
static void append_text(char *buffer, size_t size, size_t *pos,
			const char *text)
{
	while (*text && *pos + 1 < size)
		buffer[(*pos)++] = *text++;
	buffer[*pos] = '\0';
}

static void append_unsigned(char *buffer, size_t size, size_t *pos,
			    unsigned value)
{
	char digits[12];
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n && *pos + 1 < size)
		buffer[(*pos)++] = digits[--n];
	buffer[*pos] = '\0';
}

uint8_t acpi_checksum(const uint8_t *bytes, uint64_t length)
{
	uint8_t sum = 0;

	for (uint64_t i = 0; i < length; i++)
		sum = (uint8_t)(sum + bytes[i]);
	return sum;
}

const char *acpi_fix_status_name(enum acpi_fix_status status)
{
	switch (status) {
	case ACPI_FIX_APPLIED:
		return "applied";
	case ACPI_FIX_ALREADY_CORRECT:
		return "already correct";
	case ACPI_FIX_SKIPPED:
		return "skipped";
	}
	return "unknown";
}

void acpi_fix_default_options(struct acpi_fix_options *options)
{
	options->fix_madt = true;
	options->fix_fadt = true;
	options->fix_srat = true;
	options->srat_limit = ACPI_SRAT_DEFAULT_LIMIT;
	options->report = NULL;
	options->report_ctx = NULL;
}

static void clear_summary(struct acpi_fix_summary *summary)
{
	summary->tables_seen = 0;
	summary->tables_written = 0;
	summary->applied = 0;
	summary->already_correct = 0;
	summary->skipped = 0;
}

static void start_run(struct fix_run *run,
		      const struct acpi_fix_options *options,
		      struct acpi_fix_options *defaults,
		      struct acpi_fix_summary *summary,
		      struct acpi_fix_summary *scratch)
{
	if (!options) {
		acpi_fix_default_options(defaults);
		options = defaults;
	}
	if (!summary) {
		clear_summary(scratch);
		summary = scratch;
	}
	run->options = options;
	run->summary = summary;
}

static void report(struct fix_run *run, const struct table_view *table,
		   const char *field, enum acpi_fix_status status,
		   uint64_t old_value, uint64_t new_value, const char *reason)
{
	struct acpi_fix_event event;

	switch (status) {
	case ACPI_FIX_APPLIED:
		run->summary->applied++;
		break;
	case ACPI_FIX_ALREADY_CORRECT:
		run->summary->already_correct++;
		break;
	case ACPI_FIX_SKIPPED:
		run->summary->skipped++;
		break;
	}
	if (!run->options->report)
		return;

	copy_id(event.table, (const uint8_t *)table->signature, 4);
	event.field = field;
	event.status = status;
	event.old_value = old_value;
	event.new_value = new_value;
	event.reason = reason;
	event.address = table->address;
	run->options->report(run->options->report_ctx, &event);
}

static void report_applied(struct fix_run *run, const struct table_view *table,
			   const char *field, uint64_t old_value,
			   uint64_t new_value)
{
	report(run, table, field, ACPI_FIX_APPLIED, old_value, new_value, NULL);
}

static void report_correct(struct fix_run *run, const struct table_view *table,
			   const char *field, uint64_t value,
			   const char *reason)
{
	report(run, table, field, ACPI_FIX_ALREADY_CORRECT, value, value,
	       reason);
}

static void report_skipped(struct fix_run *run, const struct table_view *table,
			   const char *field, uint64_t value,
			   const char *reason)
{
	report(run, table, field, ACPI_FIX_SKIPPED, value, value, reason);
}

/*
 * Everything a table must pass before one byte of it is trusted, let
 * alone written.  On failure one SKIPPED event says why.
 */
static bool table_usable(struct fix_run *run, struct table_view *table,
			 uint32_t min_length)
{
	const uint8_t *bytes = table->bytes;
	uint32_t length;

	if (!bytes || table->available < HEADER_LENGTH) {
		report_skipped(run, table, "Header",
			       bytes ? table->available : 0,
			       "header exceeds mapped memory");
		return false;
	}
	if (!bytes_match(bytes + HEADER_SIGNATURE, table->signature, 4)) {
		report_skipped(run, table, "Signature",
			       get_le32(bytes + HEADER_SIGNATURE),
			       "wrong signature");
		return false;
	}
	length = get_le32(bytes + HEADER_LENGTH_FIELD);
	if (length < HEADER_LENGTH || length < min_length) {
		report_skipped(run, table, "Length", length,
			       "length too short");
		return false;
	}
	if (length > ACPI_MAX_TABLE_LENGTH) {
		report_skipped(run, table, "Length", length,
			       "length too large");
		return false;
	}
	if (length > table->available) {
		report_skipped(run, table, "Length", length,
			       "length exceeds mapped memory");
		return false;
	}
	if (acpi_checksum(bytes, length) != 0) {
		report_skipped(run, table, "Checksum", bytes[HEADER_CHECKSUM],
			       "bad checksum");
		return false;
	}
	table->length = length;
	return true;
}

/* Only called on a table that was valid before this run's writes. */
static void update_checksum(struct table_view *table)
{
	uint8_t *bytes = table->bytes;

	bytes[HEADER_CHECKSUM] = 0;
	bytes[HEADER_CHECKSUM] = (uint8_t)-acpi_checksum(bytes, table->length);
}

static bool fix_enabled(struct fix_run *run, const struct table_view *table,
			bool enabled)
{
	if (!enabled)
		report_skipped(run, table, "Table", 0,
			       "disabled by configuration");
	return enabled;
}

static bool fix_madt(struct fix_run *run, struct table_view *table)
{
	static const char field[] = "Flags.PCAT_COMPAT";
	uint32_t flags;

	if (!fix_enabled(run, table, run->options->fix_madt) ||
	    !table_usable(run, table, MADT_MIN_LENGTH))
		return false;

	flags = get_le32(table->bytes + MADT_FLAGS);
	if (flags & MADT_PCAT_COMPAT) {
		report_correct(run, table, field, flags, NULL);
		return false;
	}
	put_le32(table->bytes + MADT_FLAGS, flags | MADT_PCAT_COMPAT);
	update_checksum(table);
	report_applied(run, table, field, flags, flags | MADT_PCAT_COMPAT);
	return true;
}

/*
 * One legacy block field.  A field that already has a value is the
 * firmware's choice and is never touched, whatever its X_ twin says.
 */
static bool fix_fadt_block(struct fix_run *run, struct table_view *table,
			   const struct fadt_block *block)
{
	uint8_t *legacy = table->bytes + block->legacy;
	const uint8_t *gas = table->bytes + block->gas;
	uint32_t old_value = get_le32(legacy);
	uint64_t address;

	if (old_value != 0) {
		report_correct(run, table, block->name, old_value, NULL);
		return false;
	}
	if ((uint64_t)block->gas + GAS_LENGTH > table->length) {
		report_skipped(run, table, block->name, 0,
			       "FADT too short for X_ field");
		return false;
	}
	address = get_le64(gas + GAS_ADDRESS);
	if (address == 0) {
		report_correct(run, table, block->name, 0, "no block");
		return false;
	}
	if (gas[GAS_SPACE_ID] != GAS_SPACE_SYSTEM_IO) {
		report_skipped(run, table, block->name, 0,
			       "X_ block not in SystemIO space");
		return false;
	}
	if (address > UINT32_MAX) {
		report_skipped(run, table, block->name, 0,
			       "X_ address above 4 GiB");
		return false;
	}
	put_le32(legacy, (uint32_t)address);
	report_applied(run, table, block->name, 0, address);
	return true;
}

static bool fix_fadt(struct fix_run *run, struct table_view *table)
{
	bool changed = false;

	if (!fix_enabled(run, table, run->options->fix_fadt) ||
	    !table_usable(run, table, FADT_MIN_LENGTH))
		return false;

	for (size_t i = 0; i < FADT_BLOCK_COUNT; i++)
		if (fix_fadt_block(run, table, &fadt_blocks[i]))
			changed = true;
	if (changed)
		update_checksum(table);
	return changed;
}

/*
 * Check the whole subtable list before any write, so a table we do not
 * fully understand is left exactly as the firmware made it.  Returns the
 * offset of the first bad subtable, or 0 when the list is sound.
 */
static uint32_t srat_bad_subtable(const struct table_view *table)
{
	const uint8_t *bytes = table->bytes;
	uint32_t offset = SRAT_SUBTABLES;

	while (offset < table->length) {
		uint32_t type, length;

		if (table->length - offset < SRAT_SUBTABLE_HEADER)
			return offset;
		type = bytes[offset];
		length = bytes[offset + 1];
		if (length < SRAT_SUBTABLE_HEADER ||
		    length > table->length - offset)
			return offset;
		/* Its flags are where we write; any other size is a layout
		 * we do not know. */
		if (type == SRAT_TYPE_MEMORY && length != SRAT_MEMORY_LENGTH)
			return offset;
		offset += length;
	}
	return 0;
}

static void memory_affinity_field(char *buffer, size_t size, unsigned index)
{
	size_t pos = 0;

	buffer[0] = '\0';
	append_text(buffer, size, &pos, "MemAffinity[");
	append_unsigned(buffer, size, &pos, index);
	append_text(buffer, size, &pos, "].Flags");
}

static bool fix_srat_memory(struct fix_run *run, struct table_view *table,
			    uint8_t *entry, unsigned index)
{
	char field[FIELD_BUFFER_SIZE];
	uint32_t flags;

	if (get_le64(entry + SRAT_MEMORY_BASE) < run->options->srat_limit)
		return false;

	memory_affinity_field(field, sizeof(field), index);
	flags = get_le32(entry + SRAT_MEMORY_FLAGS);
	if (flags == 0) {
		report_correct(run, table, field, 0, NULL);
		return false;
	}
	put_le32(entry + SRAT_MEMORY_FLAGS, 0);
	report_applied(run, table, field, flags, 0);
	return true;
}

static bool fix_srat(struct fix_run *run, struct table_view *table)
{
	uint32_t offset, bad;
	unsigned index = 0;
	bool changed = false;

	if (!fix_enabled(run, table, run->options->fix_srat) ||
	    !table_usable(run, table, SRAT_MIN_LENGTH))
		return false;

	bad = srat_bad_subtable(table);
	if (bad) {
		report_skipped(run, table, "Subtables", bad,
			       "malformed subtable");
		return false;
	}
	for (offset = SRAT_SUBTABLES; offset < table->length;
	     offset += table->bytes[offset + 1]) {
		if (table->bytes[offset] != SRAT_TYPE_MEMORY)
			continue;
		if (fix_srat_memory(run, table, table->bytes + offset, index))
			changed = true;
		index++;
	}
	if (changed)
		update_checksum(table);
	return changed;
}

typedef bool (*table_fixer)(struct fix_run *run, struct table_view *table);

static bool fix_one(table_fixer fixer, const char *signature, uint8_t *table,
		    uint64_t available, uint64_t address,
		    const struct acpi_fix_options *options,
		    struct acpi_fix_summary *summary)
{
	struct acpi_fix_options defaults;
	struct acpi_fix_summary scratch;
	struct fix_run run;
	struct table_view view = {
		.signature = signature,
		.bytes = table,
		.available = available,
		.address = address,
		.length = 0,
	};
	bool changed;

	start_run(&run, options, &defaults, summary, &scratch);
	run.summary->tables_seen++;
	changed = fixer(&run, &view);
	if (changed)
		run.summary->tables_written++;
	return changed;
}

bool acpi_fix_madt(uint8_t *table, uint64_t available, uint64_t address,
		   const struct acpi_fix_options *options,
		   struct acpi_fix_summary *summary)
{
	return fix_one(fix_madt, "APIC", table, available, address, options,
		       summary);
}

bool acpi_fix_fadt(uint8_t *table, uint64_t available, uint64_t address,
		   const struct acpi_fix_options *options,
		   struct acpi_fix_summary *summary)
{
	return fix_one(fix_fadt, "FACP", table, available, address, options,
		       summary);
}

bool acpi_fix_srat(uint8_t *table, uint64_t available, uint64_t address,
		   const struct acpi_fix_options *options,
		   struct acpi_fix_summary *summary)
{
	return fix_one(fix_srat, "SRAT", table, available, address, options,
		       summary);
}

static uint8_t *map(const struct acpi_memory *memory, uint64_t address,
		    uint64_t length)
{
	/* A window that wraps around the address space is never real. */
	if (address + length < address)
		return NULL;
	return memory->map(memory->ctx, address, length);
}

/* Map just the header of the table at address; bytes is NULL if absent. */
static void map_header(const struct acpi_memory *memory, uint64_t address,
		       struct table_view *table)
{
	table->address = address;
	table->length = 0;
	table->bytes = map(memory, address, HEADER_LENGTH);
	table->available = table->bytes ? HEADER_LENGTH : 0;
}

/*
 * Widen a mapped header to the Length it claims, if that is sane.  When
 * the wider map fails the view keeps just the header, and table_usable()
 * reports the shortfall.
 */
static void map_whole(const struct acpi_memory *memory,
		      struct table_view *table)
{
	uint32_t length = get_le32(table->bytes + HEADER_LENGTH_FIELD);
	uint8_t *whole;

	if (length <= HEADER_LENGTH || length > ACPI_MAX_TABLE_LENGTH)
		return;
	whole = map(memory, table->address, length);
	if (whole) {
		table->bytes = whole;
		table->available = length;
	}
}

/* Map a root table and check it; reports why when it is unusable. */
static bool map_root(struct fix_run *run, const struct acpi_memory *memory,
		     uint64_t address, const char *signature,
		     struct table_view *root)
{
	map_header(memory, address, root);
	root->signature = signature;
	if (root->bytes)
		map_whole(memory, root);
	return table_usable(run, root, HEADER_LENGTH);
}

static bool read_rsdp(struct fix_run *run, const struct acpi_memory *memory,
		      uint64_t address, struct rsdp_info *rsdp)
{
	struct table_view view = { .signature = "RSDP", .address = address };
	const uint8_t *bytes;
	uint32_t length;

	bytes = map(memory, address, RSDP_V1_LENGTH);
	if (!bytes) {
		report_skipped(run, &view, "Header", 0, "RSDP not mapped");
		return false;
	}
	if (!bytes_match(bytes, "RSD PTR ", 8)) {
		report_skipped(run, &view, "Signature", get_le32(bytes),
			       "wrong signature");
		return false;
	}
	if (acpi_checksum(bytes, RSDP_V1_LENGTH) != 0) {
		report_skipped(run, &view, "Checksum", bytes[RSDP_CHECKSUM],
			       "bad checksum");
		return false;
	}
	rsdp->rsdt = get_le32(bytes + RSDP_RSDT_ADDRESS);
	rsdp->xsdt = 0;
	rsdp->length = RSDP_V1_LENGTH;
	if (bytes[RSDP_REVISION] < 2)
		return true;

	/* ACPI 2.0+: the extended part must be as sound as the first, or
	 * the whole RSDP is suspect, its RSDT pointer included (ACPICA
	 * refuses such an RSDP too). */
	bytes = map(memory, address, RSDP_V2_LENGTH);
	if (!bytes) {
		report_skipped(run, &view, "Length", RSDP_V2_LENGTH,
			       "length exceeds mapped memory");
		return false;
	}
	length = get_le32(bytes + RSDP_LENGTH);
	if (length < RSDP_V2_LENGTH) {
		report_skipped(run, &view, "Length", length,
			       "length too short");
		return false;
	}
	if (length > RSDP_MAX_LENGTH) {
		report_skipped(run, &view, "Length", length,
			       "length too large");
		return false;
	}
	bytes = map(memory, address, length);
	if (!bytes) {
		report_skipped(run, &view, "Length", length,
			       "length exceeds mapped memory");
		return false;
	}
	if (acpi_checksum(bytes, length) != 0) {
		report_skipped(run, &view, "ExtendedChecksum",
			       bytes[RSDP_EXTENDED_CHECKSUM], "bad checksum");
		return false;
	}
	rsdp->xsdt = get_le64(bytes + RSDP_XSDT_ADDRESS);
	rsdp->length = length;
	return true;
}

/*
 * How far a table reaches as far as our checks go: its Length when that
 * is plausible, else just the header its refusal was based on.
 */
static uint64_t extent_length(const uint8_t *header)
{
	uint32_t length = get_le32(header + HEADER_LENGTH_FIELD);

	if (length < HEADER_LENGTH || length > ACPI_MAX_TABLE_LENGTH)
		return HEADER_LENGTH;
	return length;
}

static void add_extent(struct extent *extent, uint64_t address,
		       uint64_t length)
{
	extent->address = address;
	extent->length = length;
}

/* Written without a + b, which can wrap at the top of the space. */
static bool extents_overlap(const struct extent *a, const struct extent *b)
{
	if (a->address <= b->address)
		return b->address - a->address < a->length;
	return a->address - b->address < b->length;
}

/* The first other object that shares a byte with table, or NULL. */
static const struct extent *overlapping(const struct census *census,
					const struct extent *table)
{
	for (unsigned i = 0; i < census->root_count; i++)
		if (extents_overlap(&census->roots[i], table))
			return &census->roots[i];
	for (unsigned i = 0; i < census->table_count; i++)
		if (census->tables[i].address != table->address &&
		    extents_overlap(&census->tables[i], table))
			return &census->tables[i];
	return NULL;
}

static bool census_has(const struct census *census, uint64_t address)
{
	for (unsigned i = 0; i < census->table_count; i++)
		if (census->tables[i].address == address)
			return true;
	return false;
}

/* Record one root table entry; unmapped ones are reported here, once. */
static void census_entry(struct fix_run *run, const struct acpi_memory *memory,
			 const struct table_view *root, uint64_t address,
			 struct census *census)
{
	struct table_view entry = { .signature = root->signature,
				    .address = address };
	struct table_view table;
	struct extent *extent;

	if (address == 0 || census_has(census, address))
		return;
	if (census->table_count == ACPI_MAX_VISITED) {
		/* Without a record it might be fixed twice; refuse. */
		report_skipped(run, &entry, "Entry", address,
			       "too many tables");
		return;
	}
	extent = &census->tables[census->table_count++];
	map_header(memory, address, &table);
	if (!table.bytes) {
		add_extent(extent, address, 0);
		report_skipped(run, &entry, "Entry", address,
			       "table not mapped");
		return;
	}
	add_extent(extent, address, extent_length(table.bytes));
}

/*
 * Take in a root table and the tables it lists.  entry_size is 8 for
 * the XSDT and 4 for the RSDT.  Returns false when the root table itself
 * is unusable.
 */
static bool census_root(struct fix_run *run, const struct acpi_memory *memory,
			uint64_t address, const char *signature,
			uint32_t entry_size, struct census *census)
{
	struct table_view root;
	uint32_t count;
	bool usable = map_root(run, memory, address, signature, &root);

	/* Even a refused root is kept clear of writes: a fix must not
	 * turn it into something that reads differently next time. */
	if (root.bytes)
		add_extent(&census->roots[census->root_count++], address,
			   extent_length(root.bytes));
	if (!usable)
		return false;

	/* A trailing partial entry is ignored: it points nowhere we know. */
	count = (root.length - HEADER_LENGTH) / entry_size;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *slot = root.bytes + HEADER_LENGTH +
				      i * entry_size;
		uint64_t entry = entry_size == 8 ? get_le64(slot)
						 : get_le32(slot);

		census_entry(run, memory, &root, entry, census);
	}
	return true;
}

static table_fixer fixer_for(const uint8_t *header, const char **signature)
{
	if (bytes_match(header, "APIC", 4)) {
		*signature = "APIC";
		return fix_madt;
	}
	if (bytes_match(header, "FACP", 4)) {
		*signature = "FACP";
		return fix_fadt;
	}
	if (bytes_match(header, "SRAT", 4)) {
		*signature = "SRAT";
		return fix_srat;
	}
	return NULL;
}

/*
 * A table that shares bytes with another one, a root table or the RSDP
 * is refused: real firmware never lays tables out like that, and a
 * write there would change what the other object says.
 */
static void fix_listed_table(struct fix_run *run,
			     const struct acpi_memory *memory,
			     const struct census *census,
			     const struct extent *extent)
{
	struct table_view table;
	const struct extent *other;
	table_fixer fixer;

	map_header(memory, extent->address, &table);
	if (!table.bytes)
		return;  /* reported by census_entry() */
	run->summary->tables_seen++;

	fixer = fixer_for(table.bytes, &table.signature);
	if (!fixer)
		return;
	other = overlapping(census, extent);
	if (other) {
		report_skipped(run, &table, "Table", other->address,
			       "overlaps another table");
		return;
	}
	map_whole(memory, &table);
	if (fixer(run, &table))
		run->summary->tables_written++;
}

/*
 * Two passes: first everything is read and checked, then tables are
 * fixed.  So no write can change what the walk itself sees, and with
 * overlapping tables refused a second run finds nothing to do.
 */
int acpi_fix_all(const struct acpi_memory *memory, uint64_t rsdp_address,
		 const struct acpi_fix_options *options,
		 struct acpi_fix_summary *summary)
{
	struct acpi_fix_options defaults;
	struct acpi_fix_summary scratch;
	struct fix_run run;
	struct rsdp_info rsdp;
	struct census census;
	unsigned roots = 0;

	start_run(&run, options, &defaults, summary, &scratch);
	clear_summary(run.summary);
	if (!memory || !memory->map)
		return -1;
	if (!read_rsdp(&run, memory, rsdp_address, &rsdp))
		return -1;

	census.root_count = 0;
	census.table_count = 0;
	add_extent(&census.roots[census.root_count++], rsdp_address,
		   rsdp.length);
	if (rsdp.xsdt &&
	    census_root(&run, memory, rsdp.xsdt, "XSDT", 8, &census))
		roots++;
	if (rsdp.rsdt &&
	    census_root(&run, memory, rsdp.rsdt, "RSDT", 4, &census))
		roots++;
	if (!roots)
		return -1;

	for (unsigned i = 0; i < census.table_count; i++)
		if (census.tables[i].length)
			fix_listed_table(&run, memory, &census,
					 &census.tables[i]);
	return 0;
}

static bool copy_root_ids(const struct acpi_memory *memory, uint64_t address,
			  const char *signature, char oem_id[7],
			  char oem_table_id[9])
{
	struct acpi_fix_options quiet;
	struct acpi_fix_summary scratch;
	struct fix_run run = { .options = &quiet, .summary = &scratch };
	struct table_view root;

	acpi_fix_default_options(&quiet);
	clear_summary(&scratch);
	if (!map_root(&run, memory, address, signature, &root))
		return false;
	copy_id(oem_id, root.bytes + HEADER_OEM_ID, OEM_ID_LENGTH);
	copy_id(oem_table_id, root.bytes + HEADER_OEM_TABLE_ID,
		OEM_TABLE_ID_LENGTH);
	return true;
}

bool acpi_root_ids(const struct acpi_memory *memory, uint64_t rsdp_address,
		   char oem_id[7], char oem_table_id[9])
{
	struct acpi_fix_options quiet;
	struct acpi_fix_summary scratch;
	struct fix_run run = { .options = &quiet, .summary = &scratch };
	struct rsdp_info rsdp;

	oem_id[0] = '\0';
	oem_table_id[0] = '\0';
	if (!memory || !memory->map)
		return false;
	acpi_fix_default_options(&quiet);
	clear_summary(&scratch);
	if (!read_rsdp(&run, memory, rsdp_address, &rsdp))
		return false;
	if (rsdp.xsdt && copy_root_ids(memory, rsdp.xsdt, "XSDT", oem_id,
				       oem_table_id))
		return true;
	return rsdp.rsdt && copy_root_ids(memory, rsdp.rsdt, "RSDT", oem_id,
					  oem_table_id);
}
