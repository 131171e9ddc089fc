/*
 * iso.c - what the builder reads from a Windows ISO, and how
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "iso.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "byteorder.h"
#include "files.h"
#include "run.h"
#include "udflist.h"
#include "voldesc.h"

/* A FAT image's own size, when a nameless UEFI image's catalog entry
 * loads only its first sector (a 1.44 MB floppy image at most, in
 * practice; never more than this). */
#define MAX_BOOT_IMAGE (64u << 20)

enum iso9660_probe iso_is_iso9660(const struct iso_source *src, char volume_id[33],
				  struct text *err)
{
	unsigned char pvd[ISO_SECTOR];
	ssize_t n;
	int i;

	n = pread(src->fd, pvd, sizeof(pvd), (off_t)VOLDESC_FIRST_SECTOR * ISO_SECTOR);
	if (n < 0) {
		text_appendf(err, "cannot read %s: %s", src->name, strerror(errno));
		return ISO9660_UNREADABLE;
	}
	/* Type 1 (primary), "CD001", version 1. */
	if (n < (ssize_t)sizeof(pvd) || pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0 ||
	    pvd[6] != 1)
		return ISO9660_NOT_FOUND;
	memcpy(volume_id, pvd + 40, 32);
	for (i = 32; i > 0 && (volume_id[i - 1] == ' ' || volume_id[i - 1] == '\0'); i--)
		;
	volume_id[i] = '\0';
	for (int j = 0; j < i; j++)
		if ((unsigned char)volume_id[j] < 0x20 || (unsigned char)volume_id[j] > 0x7e)
			volume_id[j] = '?';
	return ISO9660_FOUND;
}

/* ---- ISO 9660 through xorriso ---------------------------------------- */

/*
 * Splits a line the way xorriso quotes it for its own input: words
 * separated by blanks, '...' and "..." quoting (xorriso writes a quote
 * inside a name as '"'"').  Returns the word count or -1.
 */
static int split_words(const char *line, char ***words_out)
{
	char **words = NULL;
	size_t count = 0;
	struct text word = TEXT_INIT;
	const char *p = line;

	while (*p) {
		bool have_word = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		text_reset(&word);
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				char quote = *p++;
				const char *end = strchr(p, quote);

				if (!end)
					goto fail;
				text_append_bytes(&word, p, (size_t)(end - p));
				p = end + 1;
			} else {
				text_append_bytes(&word, p++, 1);
			}
			have_word = true;
		}
		if (have_word) {
			char **grown = realloc(words, (count + 2) * sizeof(*words));

			if (!grown)
				goto fail;
			words = grown;
			words[count] = strdup(text_string(&word));
			if (!words[count])
				goto fail;
			words[++count] = NULL;
		}
	}
	text_free(&word);
	*words_out = words;
	return (int)count;
fail:
	text_free(&word);
	for (size_t i = 0; i < count; i++)
		free(words[i]);
	free(words);
	return -1;
}

static void free_words(char **words, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(words[i]);
	free(words);
}

/*
 * "File data lba:  0 ,      759 ,        1 ,       41 , '/boot/bcd'":
 * extent, sector, blocks, and the size of that extent (report_sections;
 * report_lba would give the whole file's size on each line).
 */
static int parse_file_line(struct iso_listing *listing, const char *rest)
{
	unsigned extent;
	uint64_t lba, blocks, size;
	const char *quote;
	char **words = NULL;
	struct iso_file *file;
	int count, rc = -1;

	if (sscanf(rest, " %u , %" SCNu64 " , %" SCNu64 " , %" SCNu64 " ,",
		   &extent, &lba, &blocks, &size) != 4)
		return -1;
	quote = strchr(rest, '\'');
	if (!quote)
		return -1;
	count = split_words(quote, &words);
	if (count != 1)
		goto out;
	/* A file over 4 GiB comes as one line per extent. */
	if (listing->file_count &&
	    strcmp(listing->files[listing->file_count - 1].path, words[0]) == 0) {
		file = &listing->files[listing->file_count - 1];
		if (size > UINT64_MAX - file->size)
			goto out;
		file->size += size;
	} else {
		file = iso_listing_add_file(listing, words[0], size);
		if (!file)
			goto out;
	}
	rc = size ? iso_file_add_extent(file, lba, size) : 0;
out:
	free_words(words, count > 0 ? (size_t)count : 0);
	return rc;
}

static int parse_report(struct iso_listing *listing, char *text)
{
	static const char file_tag[] = "File data lba:";

	for (char *line = text, *next; line && *line; line = next) {
		int rc = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, file_tag, sizeof(file_tag) - 1) == 0) {
			rc = parse_file_line(listing, line + sizeof(file_tag) - 1);
		} else if (line[0] == '\'') {
			/* -find -type d prints each folder as one quoted word. */
			char **words;
			int count = split_words(line, &words);

			rc = count == 1 ? iso_listing_add_dir(listing, words[0]) : -1;
			free_words(words, count > 0 ? (size_t)count : 0);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* read_fs: xorriso's -read_fs ("any", "norock", "ecma119"); why: what
 * an unreadable tree means to the user. */
static int iso9660_list(const struct iso_source *src, const char *read_fs, const char *why,
			struct iso_listing *listing, struct text *err)
{
	/* xorriso reads the image through our descriptor, not by its name:
	 * /proc/PID/fd/N opens the very file held open here. */
	char held[64];
	const char *argv[] = {
		"xorriso", "-abort_on", "FAILURE", "-read_fs", read_fs, "-indev", held,
		"-find", "/", "-type", "f", "-exec", "report_sections", "--",
		"-find", "/", "-type", "d", NULL
	};
	struct run run = { .argv = argv, .capture_stdout = true };
	const char *iso = src->name;
	int rc;

	snprintf(held, sizeof(held), "/proc/%ld/fd/%d", (long)getpid(), src->fd);
	if (run_tool(&run) < 0) {
		/* The user's problem first, xorriso's words as detail. */
		text_appendf(err, "the file tree of %s cannot be read: %s\n  detail: ", iso, why);
		run_explain(&run, err);
		run_free(&run);
		return -1;
	}
	rc = parse_report(listing, run.out.data ? run.out.data : (char *)"");
	run_free(&run);
	if (rc < 0)
		text_appendf(err, "cannot understand xorriso's report on %s", iso);
	return rc;
}

/* ---- volume descriptors and the boot catalog ------------------------ */

/* What the listing takes from the volume descriptors; err says why a
 * visit stopped the walk. */
struct descriptor_reader {
	const char *iso;
	struct iso_listing *listing;
	struct text *err;
};

static int read_descriptor(void *ctx, uint64_t sector, enum voldesc_kind kind,
			   uint8_t descriptor[ISO_SECTOR])
{
	struct descriptor_reader *reader = ctx;
	struct iso_listing *listing = reader->listing;
	uint64_t sectors = listing->image_size / ISO_SECTOR;

	(void)sector;
	if (kind == VOLDESC_PRIMARY) {
		/* Volume space size (LE at 80) in logical blocks (LE at 128): a
		 * copy that stopped early is shorter. */
		uint64_t declared = (uint64_t)get_le32(descriptor + 80) * get_le16(descriptor + 128);

		if (declared > listing->image_size) {
			text_appendf(reader->err, "%s is truncated: its volume descriptor gives it "
				     "%" PRIu64 " bytes, but the file holds only %" PRIu64 "; copy "
				     "or download it again", reader->iso, declared,
				     listing->image_size);
			return 1;
		}
		memcpy(listing->created, descriptor + 813, sizeof(listing->created));
	} else if (kind == VOLDESC_JOLIET) {
		listing->has_joliet = true;
	} else if (kind == VOLDESC_BOOT_RECORD) {
		const char *why = NULL;
		uint32_t catalog;
		int rc = eltorito_parse_boot_record(descriptor, ISO_SECTOR, sectors, &catalog, &why);

		if (rc < 0) {
			text_appendf(reader->err, "%s is damaged: %s", reader->iso, why);
			return 1;
		}
		if (rc == 1)
			listing->catalog_lba = catalog;
	}
	return 0;
}

static int read_descriptors(int fd, const char *iso, struct iso_listing *listing,
			    struct text *err)
{
	struct descriptor_reader reader = { .iso = iso, .listing = listing, .err = err };

	switch (voldesc_walk(fd, listing->image_size / ISO_SECTOR, read_descriptor, &reader)) {
	case 0:
		return 0;
	case VOLDESC_UNREADABLE:
		text_appendf(err, "cannot read the volume descriptors of %s: %s", iso,
			     errno ? strerror(errno) : "the image ends early");
		return -1;
	default:
		return -1;
	}
}

static int read_catalog(int fd, const char *iso, struct iso_listing *listing, struct text *err)
{
	uint64_t sectors = listing->image_size / ISO_SECTOR;
	uint64_t available = sectors - listing->catalog_lba;
	size_t size = ELTORITO_MAX_CATALOG_SECTORS * ISO_SECTOR;
	unsigned char *catalog;
	struct eltorito_catalog parsed;
	const char *why = NULL;
	int rc;

	if (available * ISO_SECTOR < size)
		size = (size_t)available * ISO_SECTOR;
	catalog = malloc(size);
	if (!catalog) {
		text_append(err, "out of memory");
		return -1;
	}
	if (pread_full(fd, catalog, size, (uint64_t)listing->catalog_lba * ISO_SECTOR) < 0) {
		text_appendf(err, "cannot read the boot catalog of %s: %s", iso, strerror(errno));
		free(catalog);
		return -1;
	}
	rc = eltorito_parse_catalog(catalog, size, sectors, &parsed, &why);
	free(catalog);
	if (rc < 0) {
		text_appendf(err, "%s is damaged: %s", iso, why);
		return -1;
	}
	for (size_t i = 0; i < parsed.entry_count; i++)
		listing->boot[i].entry = parsed.entries[i];
	listing->boot_count = parsed.entry_count;
	return 0;
}

/* The boot images' files: the one whose data start at the image's LBA. */
static void match_boot_images(struct iso_listing *listing)
{
	for (size_t i = 0; i < listing->boot_count; i++) {
		struct iso_boot_image *image = &listing->boot[i];

		image->file = NULL;
		for (size_t j = 0; j < listing->file_count && !image->file; j++)
			if (listing->files[j].extent_count &&
			    listing->files[j].extents[0].lba == image->entry.lba)
				image->file = &listing->files[j];
	}
}

static int check_extents(const char *iso, const struct iso_listing *listing, struct text *err)
{
	for (size_t i = 0; i < listing->file_count; i++) {
		const struct iso_file *file = &listing->files[i];

		for (size_t j = 0; j < file->extent_count; j++) {
			const struct iso_extent *extent = &file->extents[j];

			if (extent->lba > listing->image_size / ISO_SECTOR ||
			    extent->length > listing->image_size - extent->lba * ISO_SECTOR) {
				text_appendf(err, "%s is truncated or damaged: %s lies at bytes "
					     "%" PRIu64 "-%" PRIu64 ", but the ISO holds only "
					     "%" PRIu64 " bytes; copy or download it again",
					     iso, file->path,
					     extent->lba * ISO_SECTOR,
					     extent->lba * ISO_SECTOR + extent->length,
					     listing->image_size);
				return -1;
			}
		}
	}
	return 0;
}

int iso_list(const struct iso_source *src, struct iso_listing *listing, struct text *err)
{
	const char *iso = src->name;
	struct stat st;
	int fd = src->fd, rc;

	memset(listing, 0, sizeof(*listing));
	switch (iso_is_iso9660(src, listing->volume_id, err)) {
	case ISO9660_FOUND:
		break;
	case ISO9660_NOT_FOUND:
		text_appendf(err, "%s is not an ISO 9660 image (no CD001 volume descriptor)", iso);
		return -1;
	case ISO9660_UNREADABLE:
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		text_appendf(err, "cannot read %s: %s", iso, strerror(errno));
		return -1;
	}
	listing->image_size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		listing->image_size = end > 0 ? (uint64_t)end : 0;
	}
	rc = read_descriptors(fd, iso, listing, err);
	if (rc == 0 && listing->catalog_lba)
		rc = read_catalog(fd, iso, listing, err);
	if (rc == 0) {
		switch (udf_list(src, listing, err)) {
		case UDF_LIST_LISTED:
			listing->has_udf = true;
			listing->source = ISO_FROM_UDF;
			break;
		case UDF_LIST_NO_UDF:
			listing->source = ISO_FROM_ISO9660;
			rc = iso9660_list(src, "any", "the ISO is damaged or truncated; copy or "
					  "download it again", listing, err);
			break;
		case UDF_LIST_FAILED:
			rc = -1;
			break;
		}
	}
	if (rc == 0)
		rc = check_extents(iso, listing, err);
	if (rc < 0) {
		iso_listing_free(listing);
		return -1;
	}
	match_boot_images(listing);
	return 0;
}

int iso_list_tree(const struct iso_source *src, enum iso_tree tree,
		  struct iso_listing *listing, struct text *err)
{
	memset(listing, 0, sizeof(*listing));
	listing->source = ISO_FROM_ISO9660;
	if (iso9660_list(src, tree == ISO_TREE_JOLIET ? "norock" : "ecma119",
			 "xorriso refuses it", listing, err) < 0) {
		iso_listing_free(listing);
		return -1;
	}
	return 0;
}

/* ---- reading files by their extents --------------------------------- */

int iso_pread(const struct iso_source *src, const struct iso_file *file, uint64_t offset,
	      void *data, size_t count, struct text *err)
{
	const char *iso = src->name;
	unsigned char *out = data;
	uint64_t start = 0;

	if (offset > file->size || count > file->size - offset) {
		text_appendf(err, "%s in %s: bytes %" PRIu64 "-%" PRIu64 " lie beyond its end (%"
			     PRIu64 " bytes)", file->path, iso, offset, offset + count, file->size);
		return -1;
	}
	if (file->inline_data) {
		memcpy(out, file->inline_data + offset, count);
		return 0;
	}
	for (size_t i = 0; i < file->extent_count && count; i++) {
		const struct iso_extent *extent = &file->extents[i];
		uint64_t end = start + extent->length;

		if (offset < end) {
			uint64_t skip = offset - start;
			size_t take = extent->length - skip < count ? (size_t)(extent->length - skip)
								    : count;

			if (pread_full(src->fd, out, take, extent->lba * ISO_SECTOR + skip) < 0) {
				text_appendf(err, "cannot read %s from %s: %s", file->path, iso,
					     errno ? strerror(errno) : "the ISO ends early (truncated?)");
				return -1;
			}
			out += take;
			count -= take;
			offset += take;
		}
		start = end;
	}
	return 0;
}

int iso_copy_out(const struct iso_source *src, const struct iso_file *file,
		 const char *disk_path,
		 void (*on_progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		 struct text *err)
{
	const char *iso = src->name;
	uint64_t done = 0;
	int in = src->fd, out, rc = 0;

	out = open(disk_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		text_appendf(err, "cannot create %s: %s", disk_path, strerror(errno));
		return -1;
	}
	if (file->inline_data) {
		if (pwrite(out, file->inline_data, file->size, 0) != (ssize_t)file->size)
			rc = -1;
	} else {
		for (size_t i = 0; i < file->extent_count && rc == 0; i++)
			rc = copy_fd_range(in, file->extents[i].lba * ISO_SECTOR, out, done,
					   file->extents[i].length, on_progress, ctx, &done,
					   file->size);
	}
	if (rc < 0)
		text_appendf(err, "cannot copy %s out of %s to %s: %s", file->path, iso, disk_path,
			     strerror(errno));
	if (close(out) < 0 && rc == 0) {
		text_appendf(err, "cannot write %s: %s", disk_path, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* Size of a FAT image from its boot sector, or 0. */
static uint64_t fat_image_size(const unsigned char *boot)
{
	unsigned bytes_per_sector = get_le16(boot + 11);
	uint32_t total = get_le16(boot + 19);

	if (boot[510] != 0x55 || boot[511] != 0xAA)
		return 0;
	if (bytes_per_sector != 512 && bytes_per_sector != 1024 && bytes_per_sector != 2048 &&
	    bytes_per_sector != 4096)
		return 0;
	if (total == 0)
		total = get_le32(boot + 32);
	return (uint64_t)total * bytes_per_sector;
}

int iso_copy_boot_image(const struct iso_source *src, const struct iso_boot_image *image,
			const char *disk_path, uint64_t *size, struct text *err)
{
	const char *iso = src->name;
	struct iso_file bytes = { 0 };
	struct iso_extent extent;
	unsigned char boot[512];
	uint64_t image_size;
	int rc;

	if (image->file) {
		*size = image->file->size;
		return iso_copy_out(src, image->file, disk_path, NULL, NULL, err);
	}
	rc = pread_full(src->fd, boot, sizeof(boot), (uint64_t)image->entry.lba * ISO_SECTOR);
	if (rc < 0) {
		text_appendf(err, "cannot read the boot image at sector %" PRIu32 " of %s",
			     image->entry.lba, iso);
		return -1;
	}
	image_size = fat_image_size(boot);
	if (image_size < (uint64_t)image->entry.sector_count * 512)
		image_size = (uint64_t)image->entry.sector_count * 512;
	if (image_size == 0 || image_size > MAX_BOOT_IMAGE) {
		text_appendf(err, "cannot tell the size of the boot image at sector %" PRIu32
			     " of %s: it is in no file and is no FAT image", image->entry.lba, iso);
		return -1;
	}
	extent.lba = image->entry.lba;
	extent.length = image_size;
	bytes.path = (char *)"(boot image)";
	bytes.size = image_size;
	bytes.extents = &extent;
	bytes.extent_count = 1;
	*size = image_size;
	return iso_copy_out(src, &bytes, disk_path, NULL, NULL, err);
}
