/*
 * fuzz-udfpatch.c - libFuzzer target for udfpatch, the UDF descriptor
 * rewriter
 *
 * udfpatch reads the anchor, the main volume descriptor sequence, the
 * partition, logical volume and integrity descriptors and the File
 * Entries out of the user's ISO, and walks its directories (udfwalk)
 * from the file set descriptor down to each file's File Entry.  The
 * input becomes a small image in a memfd, which udfpatch reads and
 * writes through job.fd.
 *
 * The input is an 8-byte header, then 2048-byte sectors laid where
 * genisoimage -udf and pycdlib (the seeds' writers) and Microsoft's
 * media keep what is read, so that a seed is only the sectors that
 * matter (about 16, not the 300 from sector 0 to the partition's
 * metadata):
 *
 *   input sector 0        image sector 256      the anchor
 *   input sectors 1-6     image sectors 32-37   the main sequence
 *   input sectors 7-8     image sectors 64-65   the integrity sequence
 *   input sectors 9-72    image sectors 257-320 the partition: file set
 *                         descriptor, directories, File Entries
 *
 * Every other sector is zero, a short last sector is padded with zeros
 * (the seeds drop their trailing zero bytes), and the old image ends
 * after the last partition sector given (or sector 256), plus the
 * header's padding.  The pointers in the descriptors stay
 * the input's to change: pointed elsewhere they find zeros, another
 * mapped sector or the image's end.
 *
 * The header sets up the job as build does: the new data appended after
 * the old image's end (it is not written: udfpatch never reads it), the
 * tail after the data.
 *
 *   0     flags: 1 RESEAL, each mapped sector's descriptor tag gets its
 *         checksum and CRC (not its location) computed anew, so that a
 *         change inside a descriptor gets past the CRC to the checks
 *         behind it; 2 SECOND, a second file, efisys.bin's path and
 *         size, after the first; 4 SECOND_SAME, that second path is the
 *         first file's in other case; 8 OLD_END_UNSET, job.old_end 0;
 *         16 FOLD, the first path in upper case with backslashes;
 *         32 END_ANCHOR, a copy of the anchor sealed for the old image's
 *         last sector, put there (udfpatch must clear it); 64
 *         ONLY_END_ANCHOR, with END_ANCHOR: sector 256 then left blank,
 *         as writers that keep only the end anchor do; 128 ADD, two
 *         files added (udfpatch_plan first, as build calls it, then the
 *         adds' File Entries and directories after their data):
 *         /win7gen2/packages/Windows6.1-KB4490628-x64.cab, a new folder
 *         pair, and /sources/Extra.txt, into a folder the seeds have
 *   1     free sectors between the old image's end and the new data
 *   2     free sectors between the data's end and the tail
 *   3     zero sectors after the last one given (the seeds make the old
 *         image end where their partition ends)
 *   4-7   the first file's size in units of 2 bytes (up to 8 GiB: more
 *         than one allocation descriptor past 1 GiB)
 *
 * What must hold: udfpatch_apply returns one of its three results, and
 * says why exactly when it refuses; unless it patched, the image is as
 * it was, bytes and size.  Patched, the image
 * ends at job.image_end and holds nothing between the old end and the
 * tail; every old sector that changed is, with a sound tag, a File Entry
 * (at most one per file), the partition or integrity descriptor or the
 * anchor at 256, or an old anchor cleared to zeros, and no anchor is
 * left in the 257 sectors before the old end; the tail holds sound
 * descriptors at their own location and zeros, closed by an anchor that
 * names it as the reserve sequence; each File Entry changed points at
 * exactly one file's new data, in contiguous extents, and the partition
 * reaches past the data.  With ADD, a refused plan writes nothing; a
 * patched image has a File Entry for each added file that udfwalk finds
 * by its path, of its size at its data, directories changed point into
 * the new structures' sectors, and nothing else lies there.  Only the
 * memfd's data extents (SEEK_DATA) are
 * read back, so an 8 GiB file costs nothing.
 *
 * tests/fuzz/make-udfpatch-seeds.py makes the seeds; tests/fuzz/replay.c
 * runs them in `make check`.  Built with -DFUZZ_UDFPATCH_TRACE, each run
 * prints udfpatch's result and message.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "text.h"
#include "udfpatch.h"
#include "udfwalk.h"

#define SECTOR 2048u
#define HEADER 8u
#define ANCHOR_SECTOR 256u
#define MAX_EXTENT 0x3FFFF800u
#define MIN_RESERVE 16u
#define MAX_SEQUENCE 256u

#define F_RESEAL 0x01u
#define F_SECOND 0x02u
#define F_SECOND_SAME 0x04u
#define F_OLD_END_UNSET 0x08u
#define F_FOLD 0x10u
#define F_END_ANCHOR 0x20u
#define F_ONLY_END_ANCHOR 0x40u
#define F_ADD 0x80u

#define SECOND_SIZE 1474560u
#define ADD_BIG_SIZE 3000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct window {
	unsigned first_input;        /* input sector */
	unsigned count;
	unsigned image_sector;
};

static const struct window windows[] = {
	{ 0, 1, ANCHOR_SECTOR },
	{ 1, 6, 32 },
	{ 7, 2, 64 },
	{ 9, 64, ANCHOR_SECTOR + 1 },
};
#define INPUT_SECTORS 73u
#define PARTITION_WINDOW 3u

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t value = 0;

	for (unsigned i = bytes; i-- > 0;)
		value = value << 8 | p[i];
	return value;
}

static void put_le(uint8_t *p, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++, value >>= 8)
		p[i] = (uint8_t)value;
}

static uint16_t crc_ccitt(const uint8_t *p, size_t n)
{
	uint16_t crc = 0;

	while (n--) {
		crc ^= (uint16_t)(*p++ << 8);
		for (int bit = 0; bit < 8; bit++)
			crc = crc & 0x8000 ? (uint16_t)(crc << 1 ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

static uint8_t tag_checksum(const uint8_t *tag)
{
	unsigned sum = 0;

	for (unsigned i = 0; i < 16; i++)
		if (i != 4)
			sum += tag[i];
	return (uint8_t)sum;
}

static bool is_tag_id(unsigned id)
{
	return (id >= 1 && id <= 9) || (id >= 256 && id <= 266);
}

/* A descriptor tag whose checksum and CRC hold (its location aside). */
static bool sound_tag(const uint8_t *block)
{
	size_t crc_length = (size_t)get_le(block + 10, 2);

	return is_tag_id((unsigned)get_le(block, 2)) && tag_checksum(block) == block[4] &&
	       crc_length <= SECTOR - 16 &&
	       crc_ccitt(block + 16, crc_length) == get_le(block + 8, 2);
}

static void seal(uint8_t *block)
{
	size_t crc_length = (size_t)get_le(block + 10, 2);

	if (!is_tag_id((unsigned)get_le(block, 2)) || crc_length > SECTOR - 16)
		return;
	put_le(block + 8, crc_ccitt(block + 16, crc_length), 2);
	block[4] = tag_checksum(block);
}

/* A whole sector of zeros (memcmp: a byte loop, instrumented, is slow). */
static bool all_zero(const uint8_t *p)
{
	static const uint8_t zero[SECTOR];

	return memcmp(p, zero, SECTOR) == 0;
}

static bool read_at(int fd, uint64_t sector, uint8_t *out)
{
	size_t done = 0;

	memset(out, 0, SECTOR);
	while (done < SECTOR) {
		ssize_t n = pread(fd, out + done, SECTOR - done, (off_t)(sector * SECTOR + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return true;
}

static bool write_all(int fd, const uint8_t *p, size_t n, off_t at)
{
	while (n > 0) {
		ssize_t done = pwrite(fd, p, n, at);

		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		p += done;
		n -= (size_t)done;
		at += done;
	}
	return true;
}

static off_t file_size(int fd)
{
	off_t end = lseek(fd, 0, SEEK_END);

	if (end < 0)
		abort();
	return end;
}

struct run {
	const struct udfpatch_job *job;
	const uint8_t *image;        /* before: old_sectors sectors */
	uint64_t old_sectors;
	enum udfpatch_result result;
	/* Filled in while the tail is checked (patched). */
	uint64_t part_start, part_length;
	bool have_partition;
	unsigned entries_changed, pd_changed, lvid_changed;
};

/* A File Entry udfpatch rewrote: its extents are exactly one file's. */
static void check_entry(const struct run *run, const uint8_t *fe)
{
	const struct udfpatch_job *job = run->job;
	bool extended = get_le(fe, 2) == 266;
	unsigned base = extended ? 216 : 176;
	uint64_t l_ea = get_le(fe + base - 8, 4), l_ad = get_le(fe + base - 4, 4);
	unsigned kind = (unsigned)get_le(fe + 34, 2) & 7;
	unsigned ad_size = kind == 1 ? 16 : 8;
	uint64_t info = get_le(fe + 56, 8);
	uint64_t blocks = get_le(fe + (extended ? 72 : 64), 8);
	uint64_t total = 0, first = 0, next = 0;
	bool matched = false;

	if (kind > 1 || l_ea > SECTOR - base || l_ad > SECTOR - base - l_ea || l_ad % ad_size)
		abort();
	if (get_le(fe + 10, 2) != base + l_ea + l_ad - 16)
		abort();
	for (uint64_t at = 0; at < l_ad; at += ad_size) {
		const uint8_t *ad = fe + base + l_ea + at;
		uint32_t length = (uint32_t)get_le(ad, 4);
		uint32_t position = (uint32_t)get_le(ad + 4, 4);

		if (length == 0 || length > MAX_EXTENT)
			abort();    /* also: extent type 0, recorded */
		if (at == 0)
			first = position;
		else if (position != next)
			abort();
		if (at + ad_size < l_ad && length != MAX_EXTENT)
			abort();    /* only the last piece is short */
		next = position + (uint64_t)length / SECTOR;
		total += length;
	}
	if (total != info || blocks != (info + SECTOR - 1) / SECTOR)
		abort();
	if (!run->have_partition)
		abort();
	if (fe[27] == 4) {
		/* A directory an add went into: its stream is in the new
		 * structures' sectors. */
		if (job->add_count == 0 || info == 0 || run->part_start + first < job->meta_lba ||
		    run->part_start + next > job->meta_lba + job->meta_sectors)
			abort();
		return;
	}
	for (size_t i = 0; i < job->file_count; i++)
		if (job->files[i].size == info &&
		    (info == 0 || job->files[i].lba == run->part_start + first))
			matched = true;
	if (!matched)
		abort();
}

/* An old sector (below the old end) after a successful run. */
static void check_old_sector(struct run *run, uint64_t sector, const uint8_t *now)
{
	const uint8_t *was = run->image + sector * SECTOR;
	unsigned id = (unsigned)get_le(now, 2);

	if (memcmp(was, now, SECTOR) == 0)
		return;
	if (all_zero(now)) {
		/* An old anchor cleared: it was one, at its place, near the end. */
		if (get_le(was, 2) != 2 || !sound_tag(was) || get_le(was + 12, 4) != sector ||
		    sector <= ANCHOR_SECTOR)
			abort();
		return;
	}
	if (!sound_tag(now) ||
	    (get_le(was, 2) != id && !(sector == ANCHOR_SECTOR && id == 2 && all_zero(was))))
		abort();    /* whatever changed is still the same kind of descriptor */
	switch (id) {
	case 2:
		if (sector != ANCHOR_SECTOR)
			abort();
		break;
	case 5:
		run->pd_changed++;
		break;
	case 9:
		run->lvid_changed++;
		break;
	case 261:
	case 266:
		run->entries_changed++;
		check_entry(run, now);
		break;
	default:
		abort();
	}
	/* A File Entry names its block in the partition, the rest their sector. */
	if (get_le(now + 12, 4) != (id == 261 || id == 266 ? sector - run->part_start : sector))
		abort();
}

/* The tail after a successful run: the reserve sequence and the anchor. */
static void check_tail(struct run *run, int fd)
{
	const struct udfpatch_job *job = run->job;
	uint8_t block[SECTOR], anchor[SECTOR];
	uint64_t reserve;

	if (job->image_end <= job->tail_start + MIN_RESERVE ||
	    job->image_end > job->tail_start + MAX_SEQUENCE + 1)
		abort();
	if ((uint64_t)file_size(fd) != job->image_end * SECTOR)
		abort();
	reserve = job->image_end - 1 - job->tail_start;
	if (!read_at(fd, job->image_end - 1, anchor) || get_le(anchor, 2) != 2 ||
	    !sound_tag(anchor) || get_le(anchor + 12, 4) != job->image_end - 1 ||
	    get_le(anchor + 24, 4) != reserve * SECTOR || get_le(anchor + 28, 4) != job->tail_start)
		abort();
	/* Always at 256 too: an image whose anchor is only near its end
	 * and whose sector 256 holds data is refused. */
	if (!read_at(fd, ANCHOR_SECTOR, block) || get_le(block, 2) != 2 || !sound_tag(block) ||
	    get_le(block + 12, 4) != ANCHOR_SECTOR || memcmp(block + 16, anchor + 16, SECTOR - 16))
		abort();
	for (uint64_t i = 0; i < reserve; i++) {
		uint64_t sector = job->tail_start + i;

		if (!read_at(fd, sector, block))
			abort();
		if (all_zero(block))
			continue;
		if (!sound_tag(block) || get_le(block + 12, 4) != sector)
			abort();
		if (get_le(block, 2) == 5) {
			run->part_start = get_le(block + 188, 4);
			run->part_length = get_le(block + 192, 4);
			run->have_partition = true;
		}
	}
	if (!run->have_partition || run->part_start + run->part_length < job->data_end)
		abort();
}

/* After a successful run no anchor is left in the last 257 sectors
 * before the old end (where the files' data does not lie): a reader
 * would take it for the closing one. */
static void check_no_old_anchor(const struct run *run, int fd)
{
	const struct udfpatch_job *job = run->job;
	uint64_t old_end = job->old_end, first;
	uint8_t block[SECTOR];

	if (old_end == 0) {
		old_end = UINT64_MAX;
		for (size_t i = 0; i < job->file_count; i++)
			if (job->files[i].lba < old_end)
				old_end = job->files[i].lba;
	}
	if (old_end > run->old_sectors)
		old_end = run->old_sectors;
	first = old_end > ANCHOR_SECTOR + 257 ? old_end - 257 : ANCHOR_SECTOR + 1;
	for (uint64_t sector = first; sector < old_end; sector++)
		if (!read_at(fd, sector, block) ||
		    (get_le(block, 2) == 2 && sound_tag(block) && get_le(block + 12, 4) == sector))
			abort();
}

/*
 * Every data extent of the memfd, sector by sector: below the old end
 * the image as it was (or, after a successful run, what udfpatch may
 * change there), in the tail what check_tail read, zeros elsewhere.
 */
static void check_image(struct run *run, int fd)
{
	const struct udfpatch_job *job = run->job;
	uint8_t block[SECTOR];
	off_t at = 0;

	for (;;) {
		off_t data = lseek(fd, at, SEEK_DATA), hole;

		if (data < 0 && errno == ENXIO)
			break;
		if (data < 0)
			abort();
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < data)
			abort();
		for (uint64_t sector = (uint64_t)data / SECTOR;
		     sector < ((uint64_t)hole + SECTOR - 1) / SECTOR; sector++) {
			if (!read_at(fd, sector, block))
				abort();
			if (sector < run->old_sectors) {
				if (run->result == UDFPATCH_PATCHED)
					check_old_sector(run, sector, block);
				else if (memcmp(block, run->image + sector * SECTOR, SECTOR))
					abort();
			} else if (run->result == UDFPATCH_PATCHED && sector >= job->meta_lba &&
				   sector < job->meta_lba + job->meta_sectors) {
				continue;   /* the new structures: walked in check_adds */
			} else if (run->result != UDFPATCH_PATCHED || sector < job->tail_start ||
				   sector >= job->image_end) {
				if (!all_zero(block))
					abort();
			}
		}
		at = hole;
	}
	if (run->result == UDFPATCH_PATCHED && (run->entries_changed > job->file_count +
						job->add_count || run->pd_changed > 1 ||
			     run->lvid_changed > 1))
		abort();
}

/* After a successful run with adds: each added path is found, of its
 * size, at its data, by the walk that finds the files to patch. */
static void check_adds(const struct run *run, int fd)
{
	const struct udfpatch_job *job = run->job;
	struct udfwalk_partition part = { .fd = fd, .start = (uint32_t)run->part_start,
					  .length = (uint32_t)run->part_length };
	uint8_t lvd[SECTOR];
	uint32_t fsd = 0;

	/* The file set descriptor, from the reserve's logical volume
	 * descriptor (the main one is where it was). */
	for (uint64_t s = job->tail_start; s < job->image_end; s++) {
		if (!read_at(fd, s, lvd))
			abort();
		if (get_le(lvd, 2) == 6)
			fsd = (uint32_t)get_le(lvd + 252, 4);
	}
	for (size_t i = 0; i < job->add_count; i++) {
		struct udfwalk_file file;
		struct text err = TEXT_INIT;

		if (udfwalk_find(&part, fsd, job->adds[i].path, &file, &err) < 0)
			abort();
		if (file.size != job->adds[i].size || file.embedded ||
		    (file.size && (file.extent_count != 1 ||
				   file.extents[0].lba != job->adds[i].lba)))
			abort();
		udfwalk_file_free(&file);
		text_free(&err);
	}
}

/* The old image from the input: the header's padding, the anchor copy,
 * and with RESEAL every mapped descriptor sealed anew. */
static uint8_t *make_image(const uint8_t *data, size_t size, unsigned flags, unsigned padding,
			   uint64_t *sectors)
{
	size_t input_sectors = (size + SECTOR - 1) / SECTOR;
	uint64_t count = ANCHOR_SECTOR + 1;
	uint8_t *image;

	if (input_sectors > INPUT_SECTORS)
		input_sectors = INPUT_SECTORS;
	if (input_sectors > windows[PARTITION_WINDOW].first_input)
		count += input_sectors - windows[PARTITION_WINDOW].first_input;
	count += padding + (flags & F_END_ANCHOR ? 1 : 0);
	image = calloc(count, SECTOR);
	if (!image)
		abort();
	for (size_t w = 0; w < sizeof(windows) / sizeof(windows[0]); w++)
		for (unsigned i = 0; i < windows[w].count; i++) {
			size_t from = (size_t)(windows[w].first_input + i) * SECTOR;
			uint8_t *to = image + (size_t)(windows[w].image_sector + i) * SECTOR;

			if (from >= size)
				break;
			memcpy(to, data + from, size - from < SECTOR ? size - from : SECTOR);
			if (flags & F_RESEAL)
				seal(to);
		}
	if (flags & F_END_ANCHOR) {
		uint8_t *last = image + (count - 1) * SECTOR;

		memcpy(last, image + ANCHOR_SECTOR * SECTOR, SECTOR);
		put_le(last + 12, count - 1, 4);
		seal(last);
		if (flags & F_ONLY_END_ANCHOR)
			memset(image + ANCHOR_SECTOR * SECTOR, 0, SECTOR);
	}
	*sectors = count;
	return image;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct udfpatch_file files[2] = { { 0 } };
	struct udfpatch_add adds[2] = { { 0 } };
	struct udfpatch_job job;
	struct text err = TEXT_INIT;
	struct run run;
	unsigned flags;
	uint64_t old_sectors, first_blocks;
	uint8_t *image;
	int fd;

	if (size < HEADER)
		return 0;
	flags = data[0];
	image = make_image(data + HEADER, size - HEADER, flags, data[3], &old_sectors);

	fd = memfd_create("fuzz-udfpatch", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	/* Only the sectors that hold something: the rest stay holes. */
	for (uint64_t s = 0; s < old_sectors; s++)
		if (!all_zero(image + s * SECTOR) &&
		    !write_all(fd, image + s * SECTOR, SECTOR, (off_t)(s * SECTOR)))
			abort();
	if (ftruncate(fd, (off_t)(old_sectors * SECTOR)) < 0)
		abort();

	files[0].path = flags & F_FOLD ? "\\SOURCES\\BOOT.WIM" : "/sources/boot.wim";
	files[0].lba = old_sectors + data[1];
	files[0].size = get_le(data + 4, 4) * 2;
	first_blocks = (files[0].size + SECTOR - 1) / SECTOR;
	files[1].path = flags & F_SECOND_SAME ? "sources/Boot.wim"
					      : "/efi/microsoft/boot/efisys.bin";
	files[1].lba = files[0].lba + first_blocks;
	files[1].size = SECOND_SIZE;
	memset(&job, 0, sizeof(job));
	job.fd = fd;
	job.files = files;
	job.file_count = flags & F_SECOND ? 2 : 1;
	job.data_end = flags & F_SECOND ? files[1].lba + (SECOND_SIZE + SECTOR - 1) / SECTOR
					: files[0].lba + first_blocks;
	job.old_end = flags & F_OLD_END_UNSET ? 0 : old_sectors;

	memset(&run, 0, sizeof(run));
	run.job = &job;
	run.image = image;
	run.old_sectors = old_sectors;
	run.result = UDFPATCH_PATCHED;
	if (flags & F_ADD) {
		adds[0].path = "/win7gen2/packages/Windows6.1-KB4490628-x64.cab";
		adds[0].lba = job.data_end;
		adds[0].size = ADD_BIG_SIZE;
		adds[1].path = "/sources/Extra.txt";
		adds[1].lba = adds[0].lba + (ADD_BIG_SIZE + SECTOR - 1) / SECTOR;
		adds[1].size = 1;
		job.adds = adds;
		job.add_count = 2;
		run.result = udfpatch_plan(&job, &err);
		job.meta_lba = adds[1].lba + 1;
		job.data_end = job.meta_lba + job.meta_sectors;
	}
	job.tail_start = job.data_end + data[2];
	if (run.result == UDFPATCH_PATCHED)
		run.result = udfpatch_apply(&job, &err);

	if ((run.result != UDFPATCH_PATCHED && run.result != UDFPATCH_NO_ANCHOR &&
	     run.result != UDFPATCH_REFUSED) || text_failed(&err) ||
	    strlen(text_string(&err)) != err.length)
		abort();
	if ((run.result == UDFPATCH_REFUSED) != (err.length > 0))
		abort();
#ifdef FUZZ_UDFPATCH_TRACE
	fprintf(stderr, "udfpatch_apply: %d %s\n", (int)run.result, text_string(&err));
#endif
	if (run.result == UDFPATCH_PATCHED) {
		check_tail(&run, fd);
		check_no_old_anchor(&run, fd);
		if (job.add_count)
			check_adds(&run, fd);
	} else if ((uint64_t)file_size(fd) != old_sectors * SECTOR)
		abort();
	check_image(&run, fd);

	close(fd);
	text_free(&err);
	free(image);
	return 0;
}
