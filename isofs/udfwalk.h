/*
 * udfwalk.h - find a file's File Entry in a UDF file system
 *
 * The UDF patch rewrites File Entries, so it finds them itself: from the
 * file set descriptor through the root directory's File Identifier
 * Descriptors down to the file, every descriptor checked (tag checksum,
 * CRC, location) and every length and offset kept inside what holds it.
 * Names match as Windows matches them: the first name in directory
 * order equal to the wanted one but for case, the rule the listing
 * (libudfread) follows, so the File Entry patched is the one listed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_UDFWALK_H
#define WIN7GEN2_UDFWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isotree.h"
#include "text.h"
#include "udf_format.h"

/* One Type 1 partition of 2048-byte blocks, in an image open at fd. */
struct udfwalk_partition {
	int fd;
	uint32_t start;             /* the sector of block 0 */
	uint32_t length;            /* blocks */
};

struct udfwalk_file {
	uint32_t block;             /* its File Entry, a block of the partition */
	uint16_t part_ref;          /* the partition map its directory entry names */
	uint64_t size;              /* the File Entry's information length */
	bool embedded;              /* the data are inside the File Entry */
	/* Where the data are, as absolute sectors: consecutive blocks run
	 * together, every extent whole sectors but the last, which ends
	 * with the file (the listing's form). */
	struct iso_extent *extents;
	size_t extent_count;
};

/*
 * The file at path ('/' or '\\' between names, the leading one optional)
 * below the root directory that the file set descriptor at fsd_block
 * names.  0: found (file filled in; free it with udfwalk_file_free);
 * -1: not found, not a plain file, or a descriptor on the way is
 * damaged or of a kind not handled (err names the file, the descriptor
 * and its sector).
 */
int udfwalk_find(const struct udfwalk_partition *part, uint32_t fsd_block, const char *path,
		 struct udfwalk_file *file, struct text *err);
void udfwalk_file_free(struct udfwalk_file *file);

/*
 * Directories, for adding files (udfpatch): the root, a directory's
 * File Identifier Descriptors, and a name looked up in them.
 */
struct udfwalk_dir {
	uint32_t block;             /* its File Entry */
	uint8_t *data;              /* its identifiers, size bytes */
	uint64_t size;
	uint32_t *blocks;           /* the block each sector was read from; NULL:
				     * embedded in the File Entry at block */
};

/* The root directory's File Entry block.  0 or -1 (err says why). */
int udfwalk_root(const struct udfwalk_partition *part, uint32_t fsd_block, uint32_t *block,
		 struct text *err);
/* Reads the directory whose File Entry is at block (path names it in
 * messages).  0, or -1 (err says why); free it with udfwalk_dir_free. */
int udfwalk_dir_read(const struct udfwalk_partition *part, uint32_t block, const char *path,
		     struct udfwalk_dir *dir, struct text *err);
void udfwalk_dir_free(struct udfwalk_dir *dir);
/* The first entry of dir named name (length bytes of UTF-8) but for
 * case.  1: found (*block, *directory set); 0: none; -1: a damaged
 * identifier or one in another partition (err says which). */
int udfwalk_dir_lookup(const struct udfwalk_partition *part, const struct udfwalk_dir *dir,
		       const char *path, const char *name, size_t length, uint32_t *block,
		       bool *directory, struct text *err);
/*
 * The directory's identifiers recorded from block first on: each checked
 * (tag, CRC, location, length) and sealed for the block it now starts
 * in; the last one padded to 4 bytes.  out holds at least
 * udfwalk_dir_moved_size(dir) bytes.  0, or -1 (err says which is
 * damaged, out is then undefined).
 */
uint64_t udfwalk_dir_moved_size(const struct udfwalk_dir *dir);
int udfwalk_dir_move(const struct udfwalk_partition *part, const struct udfwalk_dir *dir,
		     const char *path, uint32_t first, uint8_t *out, struct text *err);

/*
 * A name (length bytes of UTF-8) as a UDF d-string body (OSTA
 * compressed Unicode): compression id 8 when every character fits in 8
 * bits, else 16 (big-endian UCS-2).  The bytes written, at most 255; 0
 * when it cannot be one (empty, too long, a character past U+FFFF or a
 * byte that is not UTF-8).
 */
size_t udfwalk_name_encode(const char *name, size_t length, uint8_t out[255]);
/* Whether two UTF-8 names are equal but for case, as lookups compare. */
bool udfwalk_names_equal(const char *a, size_t a_length, const char *b, size_t b_length);

/*
 * The descriptor tag (ECMA-167 3/7.2) at desc, of which avail bytes may
 * be read.  1: a sound descriptor with this id at this location; 0: not
 * this descriptor at all (another id, or a checksum that fails, as in
 * file data or an unrecorded sector); -1: it claims to be one but its
 * CRC, CRC length or location is wrong (*why says which).
 */
int udf_tag_check(const uint8_t *desc, size_t avail, uint16_t id, uint64_t location,
		  const char **why);
/* Location, CRC and checksum after a change, over the CRC length recorded
 * (which must lie inside the sector). */
void udf_tag_seal(uint8_t *desc, uint32_t location);
#endif
