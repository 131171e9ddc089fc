/*
 * outcheck.c - OUT read back before it gets its name
 *
 * SPDX-License-Identifier: MIT
 */
#include "outcheck.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eltorito.h"
#include "files.h"
#include "udflist.h"
#include "xxh64.h"
#include "voldesc.h"

#define HASH_CHUNK (1u << 20)

struct check {
	const struct rewrite_job *job;
	struct text *err;
	struct iso_source out;       /* OUT, opened here */
	uint64_t sectors;            /* OUT's size */
};

static int failed(struct check *c, const char *reader, const char *what)
{
	text_appendf(c->err, "OUT check failed: %s %s", reader, what);
	return -1;
}

/* Where the file of IN should lie in OUT: its own extents, or the one
 * it was given when it was appended. */
static void expected(const struct rewrite_job *job, const struct iso_file *file,
		     const struct iso_extent **extents, size_t *count, uint64_t *size)
{
	*extents = file->extents;
	*count = file->extent_count;
	*size = file->size;
	for (size_t i = 0; i < job->placed_count; i++)
		if (job->placed[i].old == file) {
			*extents = &job->placed[i].extent;
			*count = job->placed[i].extent.length ? 1 : 0;
			*size = job->placed[i].extent.length;
		}
}

/*
 * The next run of bytes from extents[*at] on: extents that follow each
 * other on the disc are one run.  A file over 4 GiB is the same bytes
 * cut in different places by each reader: ISO 9660 records below 4 GiB,
 * UDF allocation descriptors below 1 GiB.
 */
static void next_run(const struct iso_extent *extents, size_t count, size_t *at,
		     uint64_t *lba, uint64_t *length)
{
	*lba = extents[*at].lba;
	*length = extents[*at].length;
	for ((*at)++; *at < count && *length % ISO_SECTOR == 0 &&
	     extents[*at].lba == *lba + *length / ISO_SECTOR; (*at)++)
		*length += extents[*at].length;
}

static bool same_extents(const struct iso_file *got, const struct iso_extent *extents,
			 size_t count, uint64_t size)
{
	size_t at_got = 0, at = 0;

	if (got->inline_data || got->size != size)
		return false;
	while (at_got < got->extent_count && at < count) {
		uint64_t got_lba, got_length, lba, length;

		next_run(got->extents, got->extent_count, &at_got, &got_lba, &got_length);
		next_run(extents, count, &at, &lba, &length);
		if (got_lba != lba || got_length != length)
			return false;
	}
	return at_got == got->extent_count && at == count;
}

static void describe(struct text *out, const struct iso_extent *extents, size_t count,
		     uint64_t size)
{
	if (count)
		text_appendf(out, "sector %" PRIu64 "%s, %" PRIu64 " bytes", extents[0].lba,
			     count > 1 ? " on" : "", size);
	else
		text_appendf(out, "no sector, %" PRIu64 " bytes", size);
}

static int mismatch(struct check *c, const char *reader, const struct iso_file *file,
		    const struct iso_file *got, const struct iso_extent *extents, size_t count,
		    uint64_t size)
{
	struct text what = TEXT_INIT;
	int rc;

	text_appendf(&what, "names %s at ", file->path);
	if (got->inline_data)
		text_appendf(&what, "no sector (its %" PRIu64 " bytes in its File Entry)",
			     got->size);
	else
		describe(&what, got->extents, got->extent_count, got->size);
	text_append(&what, "; expected ");
	describe(&what, extents, count, size);
	rc = failed(c, reader, text_failed(&what) ? "(out of memory)" : text_string(&what));
	text_free(&what);
	return rc;
}

static int count_mismatch(struct check *c, const char *reader, size_t got)
{
	struct text what = TEXT_INIT;
	int rc;

	text_appendf(&what, "names %zu files; %s has %zu", got, c->job->in->name,
		     c->job->listing->file_count);
	if (c->job->add_count)
		text_appendf(&what, " and %zu are added", c->job->add_count);
	rc = failed(c, reader, text_failed(&what) ? "(out of memory)" : text_string(&what));
	text_free(&what);
	return rc;
}

static int not_named(struct check *c, const char *reader, const char *path)
{
	struct text what = TEXT_INIT;
	int rc;

	text_appendf(&what, "does not name %s", path);
	rc = failed(c, reader, text_failed(&what) ? "(out of memory)" : text_string(&what));
	text_free(&what);
	return rc;
}

/* IN's files and the added ones. */
static size_t expected_count(const struct check *c)
{
	return c->job->listing->file_count + c->job->add_count;
}

/* UDF and Joliet keep IN's names and the added ones as given: each file
 * is looked up by its name. */
static int compare_by_name(struct check *c, const char *reader, const struct iso_listing *got)
{
	const struct iso_listing *in = c->job->listing;

	for (size_t i = 0; i < in->file_count; i++) {
		const struct iso_file *file = &in->files[i];
		const struct iso_file *found = iso_find(got, file->path);
		const struct iso_extent *extents;
		size_t count;
		uint64_t size;

		expected(c->job, file, &extents, &count, &size);
		if (!found)
			return not_named(c, reader, file->path);
		if (!same_extents(found, extents, count, size))
			return mismatch(c, reader, file, found, extents, count, size);
	}
	for (size_t i = 0; i < c->job->placed_count; i++) {
		const struct rewrite_placed *placed = &c->job->placed[i];
		const struct iso_file *found;
		struct iso_file want = { 0 };

		if (!placed->add)
			continue;
		want.path = (char *)placed->add->path;
		found = iso_find(got, placed->add->path);
		if (!found)
			return not_named(c, reader, placed->add->path);
		if (!same_extents(found, &placed->extent, placed->extent.length ? 1 : 0,
				  placed->extent.length))
			return mismatch(c, reader, &want, found, &placed->extent,
					placed->extent.length ? 1 : 0, placed->extent.length);
	}
	return got->file_count == expected_count(c) ? 0 : count_mismatch(c, reader, got->file_count);
}

/*
 * The primary tree's names are IN's mapped to d-characters (isotree.c
 * decides how, and whether a suffix tells two apart): matching them here
 * would repeat the writer's own rules.  Its files are matched by where
 * they lie instead: each file of IN with bytes must have a record at
 * exactly its extents with its size, and the count must agree.
 */
static int compare_by_place(struct check *c, const char *reader, const struct iso_listing *got)
{
	const struct iso_listing *in = c->job->listing;

	for (size_t i = 0; i < in->file_count; i++) {
		const struct iso_file *file = &in->files[i];
		const struct iso_extent *extents;
		size_t count;
		uint64_t size;
		bool found = false;

		expected(c->job, file, &extents, &count, &size);
		if (count == 0)
			continue;
		for (size_t j = 0; j < got->file_count && !found; j++)
			found = same_extents(&got->files[j], extents, count, size);
		if (!found) {
			struct text what = TEXT_INIT;
			int rc;

			text_append(&what, "names no file at ");
			describe(&what, extents, count, size);
			text_appendf(&what, "; expected %s there", file->path);
			rc = failed(c, reader, text_failed(&what) ? "(out of memory)"
								  : text_string(&what));
			text_free(&what);
			return rc;
		}
	}
	for (size_t i = 0; i < c->job->placed_count; i++) {
		const struct rewrite_placed *placed = &c->job->placed[i];
		bool found = false;

		if (!placed->add || placed->extent.length == 0)
			continue;
		for (size_t j = 0; j < got->file_count && !found; j++)
			found = same_extents(&got->files[j], &placed->extent, 1,
					     placed->extent.length);
		if (!found) {
			struct text what = TEXT_INIT;
			int rc;

			text_append(&what, "names no file at ");
			describe(&what, &placed->extent, 1, placed->extent.length);
			text_appendf(&what, "; expected the added %s there", placed->add->path);
			rc = failed(c, reader, text_failed(&what) ? "(out of memory)"
								  : text_string(&what));
			text_free(&what);
			return rc;
		}
	}
	return got->file_count == expected_count(c) ? 0 : count_mismatch(c, reader, got->file_count);
}

static int check_udf(struct check *c)
{
	static const char reader[] = "UDF (libudfread)";
	struct iso_listing got;
	struct text err = TEXT_INIT;
	int rc;

	memset(&got, 0, sizeof(got));
	rc = udf_list(&c->out, &got, &err);
	if (rc != UDF_LIST_LISTED) {
		if (rc == UDF_LIST_NO_UDF)
			text_appendf(c->err, "OUT check failed: %s finds no UDF file system in "
				     "it", reader);
		else
			text_appendf(c->err, "OUT check failed: %s: %s", reader,
				     text_string(&err));
		text_free(&err);
		iso_listing_free(&got);
		return -1;
	}
	text_free(&err);
	rc = compare_by_name(c, reader, &got);
	iso_listing_free(&got);
	return rc;
}

static int check_tree(struct check *c, enum iso_tree tree)
{
	const char *reader = tree == ISO_TREE_JOLIET ? "Joliet (xorriso)" : "ISO 9660 (xorriso)";
	struct iso_listing got;
	struct text err = TEXT_INIT;
	int rc;

	if (iso_list_tree(&c->out, tree, &got, &err) < 0) {
		text_appendf(c->err, "OUT check failed: %s: %s", reader, text_string(&err));
		text_free(&err);
		return -1;
	}
	text_free(&err);
	rc = tree == ISO_TREE_JOLIET ? compare_by_name(c, reader, &got)
				     : compare_by_place(c, reader, &got);
	iso_listing_free(&got);
	return rc;
}

/* The boot catalog of OUT, read from its boot record as iso.c reads
 * IN's: the same entries as IN's, the UEFI one at the new EFI image. */

/* The El Torito boot record among OUT's volume descriptors: its catalog
 * sector, or why the record is damaged. */
struct boot_record_search {
	uint64_t sectors;
	uint32_t catalog_lba;       /* 0 until found */
	const char *why;
};

static int find_boot_record(void *ctx, uint64_t sector, enum voldesc_kind kind,
			    uint8_t descriptor[ISO_SECTOR])
{
	struct boot_record_search *search = ctx;

	(void)sector;
	if (kind != VOLDESC_BOOT_RECORD)
		return 0;
	if (eltorito_parse_boot_record(descriptor, ISO_SECTOR, search->sectors,
				       &search->catalog_lba, &search->why) < 0)
		return -1;
	return search->catalog_lba != 0;
}

static int check_catalog(struct check *c)
{
	static const char reader[] = "El Torito (boot catalog)";
	const struct iso_listing *in = c->job->listing;
	const struct rewrite_placed *efi = &c->job->placed[c->job->efi_index];
	struct boot_record_search search = { .sectors = c->sectors };
	struct eltorito_catalog got;
	uint8_t *catalog;
	uint32_t catalog_lba;
	const char *why = NULL;
	size_t size;
	int rc = 0;

	if (voldesc_walk(c->out.fd, c->sectors, find_boot_record, &search) < 0)
		return failed(c, reader, search.why ? search.why :
					 "cannot read OUT's volume descriptors");
	catalog_lba = search.catalog_lba;
	if (catalog_lba != in->catalog_lba)
		return failed(c, reader, "finds no boot catalog where IN's was");
	size = ELTORITO_MAX_CATALOG_SECTORS * ISO_SECTOR;
	if ((c->sectors - catalog_lba) * ISO_SECTOR < size)
		size = (size_t)(c->sectors - catalog_lba) * ISO_SECTOR;
	catalog = malloc(size);
	if (!catalog) {
		text_append(c->err, "out of memory");
		return -1;
	}
	if (pread_full(c->out.fd, catalog, size, (uint64_t)catalog_lba * ISO_SECTOR) < 0)
		rc = failed(c, reader, "cannot read the boot catalog");
	else if (eltorito_parse_catalog(catalog, size, c->sectors, &got, &why) < 0)
		rc = failed(c, reader, why);
	free(catalog);
	if (rc < 0)
		return -1;
	if (got.entry_count != in->boot_count)
		return failed(c, reader, "lists another number of boot images than IN's catalog");
	for (size_t i = 0; i < got.entry_count; i++) {
		const struct eltorito_entry *was = &in->boot[i].entry, *now = &got.entries[i];
		bool uefi = was->number == c->job->uefi->entry.number;
		uint64_t want = uefi ? efi->extent.lba : was->lba;

		if (now->platform_id != was->platform_id || now->lba != want) {
			struct text what = TEXT_INIT;

			text_appendf(&what, "entry %u points at sector %" PRIu32 "; expected %"
				     PRIu64 " (%s)", now->number, now->lba, want,
				     uefi ? "the new EFI boot image" : "IN's boot image");
			rc = failed(c, reader, text_failed(&what) ? "(out of memory)"
								  : text_string(&what));
			text_free(&what);
			return rc;
		}
	}
	return 0;
}

/* What a reader finds at an appended file's extent. */
enum found { FOUND_SAME, FOUND_OTHER_BYTES, FOUND_UNREADABLE };

static enum found hash_placed(int fd, const struct rewrite_placed *placed,
			      unsigned char *buffer)
{
	/* What the writer hashed, or the caller from the source. */
	uint64_t want = placed->add && placed->add->source_hash ?
			*placed->add->source_hash : placed->hash;
	struct xxh64 hash;
	uint64_t done = 0;

	xxh64_init(&hash, 0);
	while (done < placed->extent.length) {
		size_t take = placed->extent.length - done < HASH_CHUNK ?
			      (size_t)(placed->extent.length - done) : HASH_CHUNK;

		if (pread_full(fd, buffer, take, placed->extent.lba * ISO_SECTOR + done) < 0)
			return FOUND_UNREADABLE;
		xxh64_update(&hash, buffer, take);
		done += take;
	}
	return xxh64_digest(&hash) == want ? FOUND_SAME : FOUND_OTHER_BYTES;
}

/*
 * The appended files are a gigabyte or more with update packages, and
 * the second core is idle while the fsync waits for the disk: a helper
 * thread hashes the files marked for it, the caller the others.  Each
 * writes only its files' found[] entries; they are read after the join.
 */
struct hash_share {
	const struct rewrite_job *job;
	int fd;
	const bool *helpers;         /* [i]: the helper's file */
	bool mine;                   /* which side this share hashes */
	enum found *found;
	bool no_memory;
};

static void *hash_share(void *arg)
{
	struct hash_share *share = arg;
	unsigned char *buffer = malloc(HASH_CHUNK);

	if (!buffer) {
		share->no_memory = true;
		return NULL;
	}
	for (size_t i = 0; i < share->job->placed_count; i++)
		if (share->helpers[i] == share->mine)
			share->found[i] = hash_placed(share->fd, &share->job->placed[i], buffer);
	free(buffer);
	return NULL;
}

/* The appended files hold the bytes written there. */
static int check_appended(struct check *c)
{
	size_t count = c->job->placed_count;
	enum found *found = calloc(count + 1, sizeof(*found));
	bool *helpers = calloc(count + 1, sizeof(*helpers));
	struct hash_share helper = { .job = c->job, .fd = c->out.fd, .helpers = helpers,
				     .mine = true, .found = found };
	struct hash_share caller = helper;
	uint64_t bytes[2] = { 0, 0 };
	pthread_t thread;
	bool helped;
	int rc = 0;

	if (!found || !helpers) {
		free(found);
		free(helpers);
		text_append(c->err, "out of memory");
		return -1;
	}
	/* Each file to the side with fewer bytes so far. */
	for (size_t i = 0; i < count; i++) {
		helpers[i] = bytes[1] < bytes[0];
		bytes[helpers[i]] += c->job->placed[i].extent.length;
	}
	caller.mine = false;
	helped = pthread_create(&thread, NULL, hash_share, &helper) == 0;
	hash_share(&caller);
	if (helped)
		pthread_join(thread, NULL);
	else
		hash_share(&helper);    /* no thread: the helper's files here too */
	if (helper.no_memory || caller.no_memory) {
		text_append(c->err, "out of memory");
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < count; i++) {
		const struct rewrite_placed *placed = &c->job->placed[i];
		const char *name = placed->old ? placed->old->path :
				   placed->add ? placed->add->path : "the EFI boot image";

		if (found[i] == FOUND_SAME)
			continue;
		text_appendf(c->err, "OUT check failed: the %" PRIu64 " bytes at sector %"
			     PRIu64 " are not those of %s written there (%s)",
			     placed->extent.length, placed->extent.lba, name,
			     found[i] == FOUND_OTHER_BYTES ? "XXH64 hash differs"
							   : "cannot read them");
		rc = -1;
	}
	free(helpers);
	free(found);
	return rc;
}

int outcheck_run(const struct rewrite_job *job, struct text *err)
{
	struct check c = { .job = job, .err = err };
	off_t end;
	int rc = -1;

	if (iso_source_open(&c.out, job->out, err) < 0)
		return -1;
	end = lseek(c.out.fd, 0, SEEK_END);
	if (end < 0 || (uint64_t)end != job->out_size) {
		text_appendf(err, "OUT check failed: it is %jd bytes, not the %" PRIu64 " written",
			     (intmax_t)end, job->out_size);
		goto out;
	}
	c.sectors = (uint64_t)end / ISO_SECTOR;
	if (check_appended(&c) < 0 || check_catalog(&c) < 0 ||
	    (job->listing->has_udf && check_udf(&c) < 0) ||
	    check_tree(&c, ISO_TREE_PRIMARY) < 0 ||
	    (job->listing->has_joliet && check_tree(&c, ISO_TREE_JOLIET) < 0))
		goto out;
	rc = 0;
out:
	iso_source_close(&c.out);
	return rc;
}
