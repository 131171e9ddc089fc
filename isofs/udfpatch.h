/*
 * udfpatch.h - point a UDF file system at files appended to the image
 *
 * `build` keeps the source's UDF file system (Microsoft's media hold
 * every file in UDF only, and Windows Setup reads install.wim through
 * it), and appends the changed files (boot.wim, the EFI boot image)
 * after the old image's end.  This rewrites, in the copy, what UDF needs
 * to find them: each changed file's File Entry (its allocation
 * descriptors and length), the partition's length (so the new data lie
 * inside it), the integrity descriptor's size table, a fresh reserve
 * volume descriptor sequence and the anchors.  Files the source lacks
 * (update packages) are added: a File Entry for each and for each folder
 * on its path that is missing, and each directory they go into gets its
 * whole identifier stream rewritten in appended sectors, its File Entry
 * pointed there.  No library in Debian
 * writes UDF: udfwalk finds the File Entries, each checked against what
 * the listing (libudfread) read for the file, and OUT is read back by
 * libudfread before it is published.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_UDFPATCH_H
#define WIN7GEN2_UDFPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isotree.h"
#include "text.h"

struct udfpatch_file {
	/* In the UDF tree: "/sources/boot.wim" ('/' or '\\' between names,
	 * the leading one optional).  Each name matches the first entry of
	 * its directory equal to it but for case, as Windows and the
	 * listing match names. */
	const char *path;
	uint64_t lba;               /* absolute 2048-byte sector of the new data */
	uint64_t size;              /* bytes; contiguous from lba */
	/* What the listing read for the file before the patch, when listed
	 * is true: its File Entry must say the same size and extents
	 * (absolute sectors, the listing's form), or nothing is written. */
	bool listed;
	uint64_t listed_size;
	const struct iso_extent *listed_extents;
	size_t listed_extent_count;
};

/* A file the image did not have: its data already written, contiguous
 * from lba (any lba when size is 0). */
struct udfpatch_add {
	const char *path;           /* "/win7gen2/packages/x.cab", like a file's */
	uint64_t lba;
	uint64_t size;
};

struct udfpatch_job {
	int fd;                     /* the image, open read-write */
	const struct udfpatch_file *files;
	size_t file_count;
	/*
	 * Files to add, in this order, and the folders on their paths that
	 * the tree lacks.  Their File Entries and the new identifier streams
	 * of the directories they go into (each directory's whole stream is
	 * rewritten there, its File Entry pointed at it) take meta_sectors
	 * sectors from meta_lba on, below data_end: udfpatch_plan says how
	 * many, before anything is laid out.
	 */
	const struct udfpatch_add *adds;
	size_t add_count;
	uint64_t meta_lba;
	uint64_t meta_sectors;      /* set by udfpatch_plan */
	/* The partition is extended to end at data_end (exclusive, sectors):
	 * every new file lies below it. */
	uint64_t data_end;
	/* Free space for the reserve volume descriptor sequence and the
	 * closing anchor starts here (sectors, >= data_end); the image ends
	 * where the job says. */
	uint64_t tail_start;
	uint64_t image_end;         /* out: the image's new size in sectors */
	/* The source image's size in sectors: where the copy ended before
	 * anything was appended.  Anchors the source had near its end
	 * (sectors old_end - 257 to old_end - 1: writers put one at the last
	 * sector, some at N - 256 too, genisoimage fills its padding with
	 * them) now lie inside the image and are cleared.  0 means the
	 * lowest new file's sector, which is old_end when the files are
	 * appended right after the copy. */
	uint64_t old_end;
};

/*
 * The anchor is looked for where readers look: sector 256, then the
 * source's last sector and 256 sectors before it (old_end).  The new
 * image gets one at sector 256 and one at its last sector; an image
 * whose anchor is only near its end and whose sector 256 holds data is
 * refused.
 *
 * Whether an image has a UDF file system is the listing's to say
 * (iso_list's has_udf); this is called for those that have one, and
 * UDFPATCH_NO_ANCHOR means the two disagree, which the caller must not
 * pass over.  Everything is read and checked before the first write,
 * so a refusal leaves the image as it was; only an I/O error can stop
 * it half way.  Writes only inside the
 * image at fd, and at most up to image_end.
 *
 * A file UDF kept inside its File Entry (embedded data) becomes an
 * ordinary file pointing at its new extent: the caller has written the
 * same bytes there, and the ISO 9660 tree needs an extent anyway.
 */
enum udfpatch_result {
	UDFPATCH_PATCHED,           /* done; job->image_end set */
	UDFPATCH_NO_ANCHOR,         /* no anchor (a descriptor tagged 2 with a
				     * good checksum) where readers look:
				     * nothing written, err untouched */
	UDFPATCH_REFUSED,           /* err says why: a file not found, a
				     * descriptor of a kind not handled, damage,
				     * the readers disagreeing, an I/O error */
};

enum udfpatch_result udfpatch_apply(struct udfpatch_job *job, struct text *err);

/*
 * Reads the volume and the directories the adds go into (from fd, which
 * may be the source image, read-only; old_end must be set) and sets
 * job->meta_sectors; nothing is written.  Refuses (UDFPATCH_REFUSED, err
 * says why) an added path whose name the tree already has (compared as
 * the walk compares: but for case), one given twice, one whose folder is
 * a file, a name UDF cannot hold, a volume without an integrity
 * descriptor (it keeps the next unique ID).  udfpatch_apply plans again
 * the same way and refuses a job whose meta_sectors is not what it needs.
 */
enum udfpatch_result udfpatch_plan(struct udfpatch_job *job, struct text *err);
#endif
