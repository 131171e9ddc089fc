/*
 * rewrite.c - the new ISO, written as a copy of the old one plus changes
 *
 * Layout of OUT, in 2048-byte sectors:
 *
 *   [0, old_end)            IN, byte for byte, but for the sectors below
 *   [old_end, data_end)     the new boot.wim, the new EFI image, any
 *                           file UDF kept inside its File Entry, the
 *                           added files, then UDF's File Entries and
 *                           directories for them (udfpatch_plan sizes it)
 *   [data_end, tree_end)    the new ISO 9660 and Joliet trees
 *   [tree_end, image_end)   UDF's new reserve descriptors and anchor, or
 *                           zero padding when IN has no UDF
 *
 * and rewritten in place: the primary and Joliet volume descriptors
 * (sector 16 on), the boot catalog's UEFI entry, and UDF's File Entries,
 * partition and integrity descriptors and anchor at sector 256.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "rewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "xxh64.h"
#include "isotree.h"
#include "udfpatch.h"
#include "voldesc.h"
#include "writeback.h"

#define APPEND_CHUNK (1u << 20)
/* The long copies go in pieces this large: between two, the disk is
 * told to start writing the piece just copied, and job->stop is asked. */
#define COPY_PIECE (64ull << 20)
/* Zero sectors after the trees when nothing else follows them
 * (genisoimage's default -pad). */
#define TAIL_PADDING 150u

static uint64_t sectors_of(uint64_t bytes)
{
	return (bytes + ISO_SECTOR - 1) / ISO_SECTOR;
}

struct writer {
	struct rewrite_job *job;
	struct text *err;
	int in;
	int out;
	uint64_t next;               /* the next free sector */
	struct rewrite_placed *placed;       /* every appended file */
	size_t placed_count;
	uint64_t meta_lba;           /* UDF's structures for the added files */
	uint64_t meta_sectors;
	char **add_paths;            /* the adds' paths as the trees get them */
	bool stopped;                /* job->stop said so: err is the caller's */
	struct writeback writeback;  /* OUT's pieces on their way to the disk */
};

static int fail_errno(struct writer *w, const char *what)
{
	text_appendf(w->err, "cannot write %s (%s): %s", w->job->out, what,
		     errno ? strerror(errno) : "short write");
	return -1;
}

static int write_all(struct writer *w, const void *data, size_t size, uint64_t offset,
		     const char *what)
{
	const unsigned char *p = data;

	while (size) {
		ssize_t n = pwrite(w->out, p, size, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail_errno(w, what);
		p += n;
		size -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

/*
 * An appended file's bytes in [offset, offset + size) go to the disk now
 * rather than when the kernel's dirty limit is reached, and stay in the
 * page cache: the read-back hashes them next (writeback.h lets go of
 * IN's copied pieces instead).  Only a hint; the fsync reports any write
 * error.
 */
static void start_writeback(struct writer *w, uint64_t offset, uint64_t size)
{
	(void)sync_file_range(w->out, (off64_t)offset, (off64_t)size, SYNC_FILE_RANGE_WRITE);
}

/* Whether the caller asked the job to stop (rewrite_job.stop). */
static bool stop_asked(struct writer *w)
{
	if (!w->stopped && w->job->stop && w->job->stop(w->job->stop_ctx))
		w->stopped = true;
	return w->stopped;
}

static struct rewrite_placed *place(struct writer *w, const struct iso_file *old, uint64_t size)
{
	struct rewrite_placed *grown = realloc(w->placed, (w->placed_count + 1) * sizeof(*grown));

	if (!grown) {
		text_append(w->err, "out of memory");
		return NULL;
	}
	w->placed = grown;
	grown += w->placed_count++;
	grown->old = old;
	grown->add = NULL;
	grown->extent.lba = w->next;
	grown->extent.length = size;
	w->next += sectors_of(size);
	return grown;
}

/* Appends a disk file through a buffer, hashing the bytes written (a
 * few hundred MiB at most: the kernel copy is kept for IN's gigabytes). */
static int append_disk_file(struct writer *w, const struct iso_file *old, const char *path,
			    size_t *index)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint64_t done = 0, written_back = 0;
	struct rewrite_placed *placed;
	struct xxh64 hash;
	unsigned char *buffer;

	if (fd < 0 || fstat(fd, &st) < 0) {
		text_appendf(w->err, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	placed = place(w, old, (uint64_t)st.st_size);
	if (!placed) {
		close(fd);
		return -1;
	}
	if (index)
		*index = w->placed_count - 1;
	xxh64_init(&hash, 0);
	buffer = malloc(APPEND_CHUNK);
	if (!buffer) {
		close(fd);
		text_append(w->err, "out of memory");
		return -1;
	}
	while (done < (uint64_t)st.st_size) {
		size_t take = (uint64_t)st.st_size - done < APPEND_CHUNK ?
			      (size_t)((uint64_t)st.st_size - done) : APPEND_CHUNK;
		struct rewrite_placed *now = &w->placed[w->placed_count - 1];

		if (stop_asked(w))
			break;
		if (pread_full(fd, buffer, take, done) < 0) {
			text_appendf(w->err, "cannot read %s: %s", path,
				     errno ? strerror(errno) : "it shrank while being read");
			break;
		}
		xxh64_update(&hash, buffer, take);
		if (write_all(w, buffer, take, now->extent.lba * ISO_SECTOR + done, path) < 0)
			break;
		done += take;
		if (done - written_back >= COPY_PIECE || done == (uint64_t)st.st_size) {
			start_writeback(w, now->extent.lba * ISO_SECTOR + written_back,
					done - written_back);
			written_back = done;
		}
	}
	free(buffer);
	close(fd);
	w->placed[w->placed_count - 1].hash = xxh64_digest(&hash);
	return done == (uint64_t)st.st_size ? 0 : -1;
}

/* Appends an add the kernel copies (rewrite_add.source_hash), in pieces
 * like IN's copy. */
static int append_by_kernel(struct writer *w, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	struct rewrite_placed *placed;
	uint64_t done = 0, size, base;

	if (fd < 0 || fstat(fd, &st) < 0) {
		text_appendf(w->err, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	size = (uint64_t)st.st_size;
	placed = place(w, NULL, size);
	if (!placed) {
		close(fd);
		return -1;
	}
	placed->hash = 0;
	base = placed->extent.lba * ISO_SECTOR;
	while (done < size && !stop_asked(w)) {
		uint64_t from = done, piece = size - done < COPY_PIECE ? size - done : COPY_PIECE;

		if (copy_fd_range(fd, from, w->out, base + from, piece, NULL, NULL, &done,
				  size) < 0) {
			/* copy_fd_range says EIO when its source ended early. */
			text_appendf(w->err, "cannot copy %s into %s: %s", path, w->job->out,
				     errno == EIO ? "it shrank while being read" : strerror(errno));
			break;
		}
		start_writeback(w, base + from, piece);
	}
	close(fd);
	return done == size ? 0 : -1;
}

static int copy_in(struct writer *w)
{
	uint64_t done = 0, size = w->job->listing->image_size;

	while (done < size) {
		uint64_t from = done, piece = size - done < COPY_PIECE ? size - done : COPY_PIECE;

		if (stop_asked(w))
			return -1;
		if (copy_fd_range(w->in, from, w->out, from, piece, w->job->on_progress,
				  w->job->ctx, &done, size) < 0)
			return fail_errno(w, "copying the ISO");
		if (writeback_piece(&w->writeback, from, piece) < 0)
			return fail_errno(w, "copying the ISO");
	}
	w->next = sectors_of(size);
	return 0;
}

/* The trees name every file where it now lies. */
static int build_trees(struct writer *w, struct isotree_output *trees)
{
	const struct iso_listing *listing = w->job->listing;
	struct isotree_file *files = calloc(listing->file_count + w->placed_count + 1,
					    sizeof(*files));
	size_t count = listing->file_count;
	struct isotree_input input;
	const char *why = NULL;
	int rc;

	if (!files) {
		text_append(w->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < listing->file_count; i++) {
		const struct iso_file *file = &listing->files[i];

		files[i].path = file->path;
		files[i].size = file->size;
		files[i].extents = file->extents;
		files[i].extent_count = file->extent_count;
		for (size_t j = 0; j < w->placed_count; j++)
			if (w->placed[j].old == file) {
				files[i].size = w->placed[j].extent.length;
				files[i].extents = &w->placed[j].extent;
				files[i].extent_count = files[i].size ? 1 : 0;
			}
	}
	for (size_t j = 0; j < w->placed_count; j++)
		if (w->placed[j].add) {
			files[count].path = w->add_paths[w->placed[j].add - w->job->adds];
			files[count].size = w->placed[j].extent.length;
			files[count].extents = &w->placed[j].extent;
			files[count].extent_count = files[count].size ? 1 : 0;
			count++;
		}
	memset(&input, 0, sizeof(input));
	input.files = files;
	input.file_count = count;
	input.dirs = (const char *const *)listing->dirs;
	input.dir_count = listing->dir_count;
	input.joliet = listing->has_joliet;
	isotree_record_date(listing->created, input.recorded);
	if (w->next > UINT32_MAX) {
		free(files);
		text_append(w->err, "the new ISO would exceed 8 TiB, the most ISO 9660 can "
			    "address");
		return -1;
	}
	rc = isotree_build(&input, (uint32_t)w->next, trees, &why);
	free(files);
	if (rc < 0)
		text_appendf(w->err, "cannot lay out the new ISO 9660 tree%s%s: %s",
			     trees->why_path ? " at " : "", trees->why_path ? trees->why_path : "",
			     why);
	return rc;
}

static int patch_catalog(struct writer *w, const struct rewrite_placed *efi)
{
	const struct iso_listing *listing = w->job->listing;
	const struct eltorito_entry *entry = &w->job->uefi->entry;
	unsigned char catalog[ELTORITO_MAX_CATALOG_SECTORS * ISO_SECTOR];
	uint64_t offset = (uint64_t)listing->catalog_lba * ISO_SECTOR;
	uint64_t load = (efi->extent.length + 511) / 512;
	size_t size = entry->catalog_offset + 32;

	if (size > sizeof(catalog)) {
		text_append(w->err, "the boot catalog is larger than expected");
		return -1;
	}
	if (pread_full(w->out, catalog, size, offset) < 0)
		return fail_errno(w, "reading the boot catalog back");
	/* A sector count that does not fit in 16 bits: firmware then reads
	 * the image's own size from its FAT boot sector, as it does for
	 * Microsoft's entries. */
	if (eltorito_patch_entry(catalog, size, entry, (uint32_t)efi->extent.lba,
				 load > 0xFFFF ? 1 : (uint16_t)load) < 0) {
		text_append(w->err, "cannot change the boot catalog's UEFI entry");
		return -1;
	}
	return write_all(w, catalog, size, offset, "the boot catalog");
}

struct descriptor_patch {
	struct writer *w;
	const struct isotree_output *trees;
	uint64_t image_end;
};

static int patch_descriptor(void *ctx, uint64_t sector, enum voldesc_kind kind,
			    uint8_t descriptor[ISO_SECTOR])
{
	struct descriptor_patch *patch = ctx;

	if (kind == VOLDESC_PRIMARY)
		isotree_patch_descriptor(descriptor, &patch->trees->primary,
					 (uint32_t)patch->image_end);
	else if (kind == VOLDESC_JOLIET)
		isotree_patch_descriptor(descriptor, &patch->trees->joliet,
					 (uint32_t)patch->image_end);
	else
		return 0;
	return write_all(patch->w, descriptor, ISO_SECTOR, sector * ISO_SECTOR,
			 "the volume descriptors") < 0;
}

static int patch_descriptors(struct writer *w, const struct isotree_output *trees,
			     uint64_t image_end)
{
	struct descriptor_patch patch = { .w = w, .trees = trees, .image_end = image_end };

	switch (voldesc_walk(w->out, image_end, patch_descriptor, &patch)) {
	case 0:
		return 0;
	case VOLDESC_UNREADABLE:
		return fail_errno(w, "reading the volume descriptors back");
	default:
		return -1;
	}
}

static int udf_adds(struct writer *w, struct udfpatch_add **adds)
{
	size_t count = 0;

	*adds = calloc(w->placed_count + 1, sizeof(**adds));
	if (!*adds) {
		text_append(w->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < w->placed_count; i++)
		if (w->placed[i].add) {
			(*adds)[count].path = w->placed[i].add->path;
			(*adds)[count].lba = w->placed[i].extent.lba;
			(*adds)[count].size = w->placed[i].extent.length;
			count++;
		}
	return 0;
}

static int udf_files(struct writer *w, struct udfpatch_file **files, size_t *count)
{
	*files = calloc(w->placed_count + 1, sizeof(**files));
	*count = 0;
	if (!*files) {
		text_append(w->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < w->placed_count; i++) {
		if (!w->placed[i].old)
			continue;
		(*files)[*count].path = w->placed[i].old->path;
		(*files)[*count].lba = w->placed[i].extent.lba;
		(*files)[*count].size = w->placed[i].extent.length;
		(*files)[*count].listed = true;
		(*files)[*count].listed_size = w->placed[i].old->size;
		(*files)[*count].listed_extents = w->placed[i].old->extents;
		(*files)[*count].listed_extent_count = w->placed[i].old->extent_count;
		(*count)++;
	}
	return 0;
}

static int write_image(struct writer *w)
{
	struct rewrite_job *job = w->job;
	const struct iso_listing *listing = job->listing;
	struct isotree_output trees = { 0 };
	const struct rewrite_placed *efi;
	uint64_t data_end, image_end;
	int rc = -1;

	if (copy_in(w) < 0 ||
	    append_disk_file(w, job->boot_wim, job->boot_wim_disk, NULL) < 0 ||
	    append_disk_file(w, job->uefi->file, job->efi_image_disk, &job->efi_index) < 0)
		return -1;
	/* Bytes UDF kept in a File Entry get a place of their own, so the
	 * ISO 9660 tree can name them too. */
	for (size_t i = 0; i < listing->file_count; i++) {
		const struct iso_file *file = &listing->files[i];
		struct rewrite_placed *placed;

		if (!file->inline_data)
			continue;
		placed = place(w, file, file->size);
		if (placed) {
			struct xxh64 hash;

			xxh64_init(&hash, 0);
			xxh64_update(&hash, file->inline_data, (size_t)file->size);
			placed->hash = xxh64_digest(&hash);
		}
		if (!placed || write_all(w, file->inline_data, (size_t)file->size,
					 placed->extent.lba * ISO_SECTOR, file->path) < 0)
			return -1;
	}
	for (size_t i = 0; i < job->add_count; i++) {
		if ((job->adds[i].source_hash ? append_by_kernel(w, job->adds[i].disk)
		     : append_disk_file(w, NULL, job->adds[i].disk, NULL)) < 0)
			return -1;
		w->placed[w->placed_count - 1].add = &job->adds[i];
	}
	/* UDF's File Entries and directories for the added files. */
	w->meta_lba = w->next;
	w->next += w->meta_sectors;
	data_end = w->next;
	if (build_trees(w, &trees) < 0)
		return -1;
	if (write_all(w, trees.data, trees.size, data_end * ISO_SECTOR, "the ISO 9660 tree") < 0)
		goto out;
	w->next = data_end + trees.size / ISO_SECTOR;
	/* With no UDF tail after them, the trees would end the image, and
	 * libisofs reads one sector past a directory that ends with zero
	 * padding: on a 16-sector boundary that read fails and xorriso
	 * refuses the whole tree.  Padding, as genisoimage adds by default. */
	image_end = w->next + TAIL_PADDING;
	if (listing->has_udf) {
		struct udfpatch_job udf = { 0 };
		struct udfpatch_file *files;
		struct udfpatch_add *adds;
		enum udfpatch_result result;
		size_t count;

		if (udf_adds(w, &adds) < 0)
			goto out;
		if (udf_files(w, &files, &count) < 0) {
			free(adds);
			goto out;
		}
		udf.adds = adds;
		udf.add_count = job->add_count;
		udf.meta_lba = w->meta_lba;
		udf.meta_sectors = w->meta_sectors;
		udf.fd = w->out;
		udf.files = files;
		udf.file_count = count;
		udf.old_end = (listing->image_size + ISO_SECTOR - 1) / ISO_SECTOR;
		udf.data_end = data_end;
		udf.tail_start = w->next;
		result = udfpatch_apply(&udf, w->err);
		free(files);
		free(adds);
		if (result == UDFPATCH_REFUSED)
			goto out;
		/* The listing read a UDF file system: one the patch cannot
		 * find would be left pointing at IN's old places. */
		if (result == UDFPATCH_NO_ANCHOR) {
			text_appendf(w->err, "%s has a UDF file system that libudfread reads but "
				     "whose anchor the UDF patch cannot find; OUT would lose it",
				     job->in->name);
			goto out;
		}
		image_end = udf.image_end;
	}
	if (image_end > UINT32_MAX) {
		text_append(w->err, "the new ISO would exceed 8 TiB, the most ISO 9660 can "
			    "address");
		goto out;
	}
	if (ftruncate(w->out, (off_t)(image_end * ISO_SECTOR)) < 0) {
		fail_errno(w, "setting its size");
		goto out;
	}
	efi = &w->placed[job->efi_index];
	if (patch_catalog(w, efi) < 0 || patch_descriptors(w, &trees, image_end) < 0)
		goto out;
	job->out_size = image_end * ISO_SECTOR;
	rc = 0;
out:
	isotree_output_free(&trees);
	return rc;
}

static void free_add_paths(struct writer *w)
{
	for (size_t i = 0; w->add_paths && i < w->job->add_count; i++)
		free(w->add_paths[i]);
	free(w->add_paths);
	w->add_paths = NULL;
}

/* Whether a and b name the same path but for ASCII case. */
static bool same_path(const char *a, size_t a_length, const char *b)
{
	return strlen(b) == a_length && strncasecmp(a, b, a_length) == 0;
}

/* The adds against IN's listing and each other, before anything is
 * written: a name IN has, a folder on the way that is a file of IN, a
 * path given twice. */
static int check_adds(const struct rewrite_job *job, struct text *err)
{
	const struct iso_listing *listing = job->listing;

	for (size_t i = 0; i < job->add_count; i++) {
		const char *path = job->adds[i].path;
		size_t length = strlen(path);

		if (path[0] != '/' || length < 2 || path[length - 1] == '/' || strstr(path, "//") ||
		    strstr(path, "/./") || strstr(path, "/../") || strcmp(path + length - 2, "/.") == 0 ||
		    (length >= 3 && strcmp(path + length - 3, "/..") == 0)) {
			text_appendf(err, "cannot add \"%s\" to the new ISO: a path names a file "
				     "from the root, \"/folder/name\"", path);
			return -1;
		}
		for (size_t k = 0; k < listing->dir_count; k++)
			if (same_path(path, length, listing->dirs[k])) {
				text_appendf(err, "cannot add %s to the new ISO: %s has a folder "
					     "of that name", path, job->in->name);
				return -1;
			}
		for (size_t k = 0; k < listing->file_count; k++) {
			const char *old = listing->files[k].path;
			size_t old_length = strlen(old);

			if (same_path(path, length, old)) {
				text_appendf(err, "cannot add %s to the new ISO: %s already has "
					     "%s (names are compared but for case); give it "
					     "another name", path, job->in->name, old);
				return -1;
			}
			if (old_length < length && path[old_length] == '/' &&
			    strncasecmp(path, old, old_length) == 0) {
				text_appendf(err, "cannot add %s to the new ISO: %s is a file in "
					     "%s, not a folder", path, old, job->in->name);
				return -1;
			}
		}
		for (size_t k = 0; k < i; k++)
			if (same_path(path, length, job->adds[k].path)) {
				text_appendf(err, "cannot add %s to the new ISO twice (names are "
					     "compared but for case)", path);
				return -1;
			}
	}
	return 0;
}

/*
 * Each add's path with every folder IN or an earlier add has spelled as
 * it is there.  UDF (and Windows) match names but for case, the tree
 * writer exactly: "/SOURCES/x.cab" must go into IN's "/sources", not
 * make a second folder beside it.
 */
static int spell_adds(struct writer *w)
{
	const struct rewrite_job *job = w->job;

	w->add_paths = calloc(job->add_count + 1, sizeof(*w->add_paths));
	if (!w->add_paths) {
		text_append(w->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < job->add_count; i++) {
		char *path = strdup(job->adds[i].path);

		if (!path) {
			text_append(w->err, "out of memory");
			return -1;
		}
		w->add_paths[i] = path;
		for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
			size_t length = (size_t)(slash - path);
			const char *known = NULL;

			for (size_t k = 0; k < job->listing->dir_count && !known; k++)
				if (same_path(path, length, job->listing->dirs[k]))
					known = job->listing->dirs[k];
			for (size_t k = 0; k < i && !known; k++)
				if (strlen(w->add_paths[k]) > length && w->add_paths[k][length] == '/' &&
				    strncasecmp(w->add_paths[k], path, length) == 0)
					known = w->add_paths[k];
			if (known)
				memcpy(path, known, length);
		}
	}
	return 0;
}

/* How many sectors UDF's structures for the adds take, read from IN
 * before OUT exists: a refusal leaves nothing behind. */
static int plan_udf(struct writer *w)
{
	struct udfpatch_job plan = { 0 };
	struct udfpatch_add *adds;
	enum udfpatch_result result;

	if (!w->job->listing->has_udf || w->job->add_count == 0)
		return 0;
	adds = calloc(w->job->add_count, sizeof(*adds));
	if (!adds) {
		text_append(w->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < w->job->add_count; i++)
		adds[i].path = w->job->adds[i].path;
	plan.fd = w->in;
	plan.adds = adds;
	plan.add_count = w->job->add_count;
	plan.old_end = sectors_of(w->job->listing->image_size);
	result = udfpatch_plan(&plan, w->err);
	free(adds);
	if (result == UDFPATCH_NO_ANCHOR)
		text_appendf(w->err, "%s has a UDF file system that libudfread reads but whose "
			     "anchor the UDF patch cannot find", w->job->in->name);
	if (result != UDFPATCH_PATCHED)
		return -1;
	w->meta_sectors = plan.meta_sectors;
	return 0;
}

int rewrite_iso(struct rewrite_job *job, struct text *err)
{
	struct writer w = { .job = job, .err = err, .in = -1, .out = -1 };
	int rc;

	w.in = job->in->fd;
	if (check_adds(job, err) < 0 || spell_adds(&w) < 0 || plan_udf(&w) < 0) {
		free_add_paths(&w);
		return -1;
	}
	w.out = open(job->out, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (w.out < 0) {
		text_appendf(err, "cannot create %s: %s", job->out, strerror(errno));
		return -1;
	}
	writeback_init(&w.writeback, w.out);
	rc = write_image(&w);
	job->stopped = w.stopped;
	if (close(w.out) < 0 && rc == 0)
		rc = fail_errno(&w, "closing it");
	free_add_paths(&w);
	if (rc == 0) {
		job->placed = w.placed;
		job->placed_count = w.placed_count;
	} else {
		free(w.placed);
	}
	return rc;
}
