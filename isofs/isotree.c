/*
 * isotree.c - ISO 9660 and Joliet directory trees for data already in place
 *
 * The files come as paths and extents; the folders they imply are made
 * here, each tree's names are mapped and made unique, then both trees
 * are laid out in whole sectors:
 *     primary L path table, primary M path table, primary folders,
 *     Joliet L path table, Joliet M path table, Joliet folders
 * each path table starting on a sector of its own, folders in path
 * table order.  One function walks a folder's records both to measure
 * it and to write it, so what is laid out and what is written cannot
 * disagree.
 *
 * The rules followed (ECMA-119, Joliet), and where this departs from them
 * on purpose:
 *   - Primary names keep their full length (up to ISOTREE_MAX_ID bytes),
 *     not level 1's 8.3 or levels 2/3's 30 characters: Windows boot code
 *     reads the primary tree and does not find "MICROSOF" when it looks
 *     for "microsoft" (docs/BRIEF.md §3).  Folder names keep one '.' as
 *     xorriso and genisoimage write them ("SUB_DIR.X").
 *   - No 8-level depth limit: no reader of these media (Windows CDFS,
 *     Linux isofs, libisofs) enforces it, and relocating folders would
 *     move the files Windows boot looks for.
 *   - Joliet names carry no ";1", as xorriso and genisoimage write them.
 *     A Joliet name longer than ISOTREE_JOLIET_MAX characters is cut (as
 *     xorriso -joliet-long does), keeping its extension: Windows reads
 *     the primary tree to boot, and a name that long is not on any
 *     Windows medium.
 *
 * SPDX-License-Identifier: MIT
 */
#include "isotree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"

#define SECTOR 2048u
#define RECORD_FIXED 33u            /* directory record bytes before the name */
#define PATH_RECORD_FIXED 8u        /* path table record bytes before the name */
#define FLAG_DIRECTORY 0x02
#define FLAG_MULTI_EXTENT 0x80

enum { PRIMARY, JOLIET, TREES };

/* One directory record's worth of a file: at most ISOTREE_MAX_PIECE bytes. */
struct piece {
	uint32_t lba;
	uint32_t length;
};

struct node {
	char *name;                 /* the component as given (UTF-8), NULL for the root */
	const char *origin;         /* the input path that made it, for *why_path */
	struct node *parent;
	bool is_dir;
	struct piece *pieces;       /* files only; none for an empty file */
	size_t piece_count;
	struct node **children;     /* in input order, then by name */
	size_t child_count, child_cap;
	struct node **sorted[TREES];    /* children in each tree's ECMA-119 9.3 order */
	uint16_t *id[TREES];        /* identifier: ASCII (primary) or UCS-2 code units */
	size_t id_len[TREES];
	uint16_t *key;              /* what must differ between siblings, this tree */
	size_t key_len;
	size_t order;               /* rank among its siblings by name, for collisions */
	uint32_t number[TREES];     /* 1-based path table number (folders) */
	uint64_t offset[TREES];     /* of its records in output->data (folders) */
	uint64_t size[TREES];       /* of its records, whole sectors (folders) */
};

struct build {
	const struct isotree_input *input;
	struct node *root;
	struct node **all;          /* every node, for freeing; folders found from here */
	size_t all_count, all_cap;
	struct node **dirs[TREES];  /* folders in path table order */
	size_t dir_count;
	const char *why_path;
};

static void put_be(uint8_t *p, uint64_t value, unsigned bytes)
{
	for (unsigned i = bytes; i-- > 0; value >>= 8)
		p[i] = (uint8_t)value;
}

/* ECMA-119 7.2.3 / 7.3.3: little-endian then big-endian. */
static void put_both16(uint8_t *p, uint16_t value)
{
	put_le(p, value, 2);
	put_be(p + 2, value, 2);
}

static void put_both32(uint8_t *p, uint32_t value)
{
	put_le(p, value, 4);
	put_be(p + 4, value, 4);
}

static uint64_t round_up(uint64_t value)
{
	return (value + SECTOR - 1) / SECTOR * SECTOR;
}

/* ---------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------ */

#define BAD_CHAR 0xffffffffu

/*
 * UTF-8 to code points; each byte of a malformed sequence (overlong,
 * surrogate, past U+10FFFF, cut short) becomes BAD_CHAR, which both
 * trees map to '_'.  Returns the count; cp has room for strlen(s).
 */
static size_t decode_utf8(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		uint32_t c = *p, min;
		unsigned more;

		if (c < 0x80) {
			cp[n++] = c;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1, c &= 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2, c &= 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3, c &= 0x07, min = 0x10000;
		} else {
			cp[n++] = BAD_CHAR;
			p++;
			continue;
		}
		unsigned i;
		for (i = 1; i <= more; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			c = c << 6 | (p[i] & 0x3f);
		}
		if (i <= more || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
			cp[n++] = BAD_CHAR;
			p++;
			continue;
		}
		cp[n++] = c;
		p += more + 1;
	}
	return n;
}

/* ECMA-119 7.4.1 d-characters, with a-z raised: anything else is '_'. */
static uint16_t primary_char(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return (uint16_t)(c - 'a' + 'A');
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
		return (uint16_t)c;
	return '_';
}

/* Joliet forbids controls and * / : ; ? \ ; UCS-2 holds the BMP only. */
static uint16_t joliet_char(uint32_t c)
{
	if (c < 0x20 || c > 0xffff || (c >= 0xd800 && c <= 0xdfff) ||
	    (c < 0x80 && strchr("*/:;?\\", (int)c) != NULL))
		return '_';
	return (uint16_t)c;
}

/*
 * The identifier of a name in one tree, "_N" after its base when
 * counter > 0.  The last '.' followed by something separates base and
 * extension (xorriso's rule: "foo." is "FOO_.;1", ".x" is ".X;1"); in
 * the primary tree every other '.' becomes '_'.  Too long: primary
 * names are refused unless a counter is being fitted in (the base is
 * cut then), Joliet names are cut, base first.
 */
static int map_name(int tree, const char *name, bool is_dir, unsigned counter,
		    uint16_t **out, size_t *out_len, const char **why)
{
	size_t bytes = strlen(name), n, dot, base_len, ext_len, suffix_len = 0;
	size_t limit = tree == PRIMARY ? ISOTREE_MAX_ID : ISOTREE_JOLIET_MAX;
	bool primary_file = tree == PRIMARY && !is_dir;
	char suffix[24] = "";
	uint32_t *cp;
	uint16_t *id;
	size_t len = 0;

	cp = malloc((bytes + 1) * sizeof(*cp));
	if (!cp) {
		*why = "out of memory";
		return -1;
	}
	n = decode_utf8(name, cp);
	for (dot = n; dot > 0 && cp[dot - 1] != '.'; dot--)
		;
	if (dot > 0 && dot < n) {
		base_len = dot - 1;
		ext_len = n - dot;
	} else {
		base_len = n;
		ext_len = 0;
		dot = n + 1;
	}
	if (counter > 0)
		suffix_len = (size_t)snprintf(suffix, sizeof(suffix), "_%u", counter);
	/* Whole identifier length: base, suffix, "." + extension (always
	 * the "." for primary files, ISO 9660 7.5.1 needs the separator), ";1". */
#define ID_LENGTH() (base_len + suffix_len + (ext_len || primary_file ? 1 + ext_len : 0) + \
		     (primary_file ? 2 : 0))
	_Static_assert(ISOTREE_MAX_ID == 200, "the message below names the limit");
	if (ID_LENGTH() > limit && tree == PRIMARY && counter == 0) {
		free(cp);
		*why = "a name longer than 200 characters in the ISO 9660 tree";
		return -1;
	}
	while (ID_LENGTH() > limit && base_len > 0)
		base_len--;
	while (ID_LENGTH() > limit && ext_len > 0)
		ext_len--;
#undef ID_LENGTH
	id = malloc((limit + 1) * sizeof(*id));
	if (!id) {
		free(cp);
		*why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < base_len && len < limit; i++)
		id[len++] = tree == PRIMARY ? primary_char(cp[i]) : joliet_char(cp[i]);
	for (size_t i = 0; i < suffix_len && len < limit; i++)
		id[len++] = (uint16_t)suffix[i];
	if (ext_len || primary_file)
		id[len++] = '.';
	for (size_t i = 0; i < ext_len && len < limit; i++)
		id[len++] = tree == PRIMARY ? primary_char(cp[dot + i]) : joliet_char(cp[dot + i]);
	if (primary_file) {
		id[len++] = ';';
		id[len++] = '1';
	}
	free(cp);
	*out = id;
	*out_len = len;
	return 0;
}

/*
 * What two siblings must not share.  Primary: the identifier without
 * ";1" and a trailing '.', as readers compare names (a folder README and
 * a file README.;1 would both be "README").  Joliet: ASCII folded to
 * upper case, as Windows looks names up without regard to case.
 */
static int make_key(int tree, struct node *node, const char **why)
{
	size_t len = node->id_len[tree];
	const uint16_t *id = node->id[tree];

	free(node->key);
	node->key = malloc((len + 1) * sizeof(*node->key));
	if (!node->key) {
		*why = "out of memory";
		return -1;
	}
	if (tree == PRIMARY) {
		if (len >= 2 && id[len - 2] == ';')
			len -= 2;
		if (len >= 2 && id[len - 1] == '.')
			len--;
	}
	for (size_t i = 0; i < len; i++)
		node->key[i] = tree == JOLIET && id[i] >= 'a' && id[i] <= 'z' ?
			(uint16_t)(id[i] - 'a' + 'A') : id[i];
	node->key_len = len;
	return 0;
}

static int compare_units(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
	for (size_t i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

/* ECMA-119 9.3: the shorter is compared as if padded with spaces. */
static int compare_padded(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
	for (size_t i = 0; i < alen || i < blen; i++) {
		uint16_t ca = i < alen ? a[i] : 0x20, cb = i < blen ? b[i] : 0x20;

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return 0;
}

/* Where the name ends (the last '.' before any ';') and the extension. */
static void split_id(const uint16_t *id, size_t len, size_t *name_len, size_t *ext_start,
		     size_t *ext_len)
{
	size_t end = 0, dot;

	while (end < len && id[end] != ';')
		end++;
	for (dot = end; dot > 0 && id[dot - 1] != '.'; dot--)
		;
	if (dot == 0) {
		*name_len = end;
		*ext_start = end;
		*ext_len = 0;
	} else {
		*name_len = dot - 1;
		*ext_start = dot;
		*ext_len = end - dot;
	}
}

/*
 * ECMA-119 9.3: by file name, then extension, each padded; then version
 * (every version here is 1).  Joliet follows the same rule over UCS-2
 * code units.  Identifiers equal under padding ("A" and "A ", Joliet
 * only) fall back to a plain comparison, so the order is total.
 */
static int compare_ids(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
	size_t an, aes, ael, bn, bes, bel;
	int c;

	split_id(a, alen, &an, &aes, &ael);
	split_id(b, blen, &bn, &bes, &bel);
	c = compare_padded(a, an, b, bn);
	if (!c)
		c = compare_padded(a + aes, ael, b + bes, bel);
	if (!c)
		c = compare_units(a, alen, b, blen);
	return c;
}

static int by_primary_id(const void *pa, const void *pb)
{
	const struct node *a = *(struct node *const *)pa, *b = *(struct node *const *)pb;

	return compare_ids(a->id[PRIMARY], a->id_len[PRIMARY], b->id[PRIMARY], b->id_len[PRIMARY]);
}

static int by_joliet_id(const void *pa, const void *pb)
{
	const struct node *a = *(struct node *const *)pa, *b = *(struct node *const *)pb;

	return compare_ids(a->id[JOLIET], a->id_len[JOLIET], b->id[JOLIET], b->id_len[JOLIET]);
}

static int by_name(const void *pa, const void *pb)
{
	const struct node *a = *(struct node *const *)pa, *b = *(struct node *const *)pb;

	return strcmp(a->name, b->name);
}

/* Equal keys together, the first by name first. */
static int by_key(const void *pa, const void *pb)
{
	const struct node *a = *(struct node *const *)pa, *b = *(struct node *const *)pb;
	int c = compare_units(a->key, a->key_len, b->key, b->key_len);

	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Whether a sibling has the key: a winner (sorted by key) or one renamed. */
static bool key_taken(struct node *const *winners, size_t count, struct node *const *renamed,
		      size_t renamed_count, const uint16_t *key, size_t key_len)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = compare_units(winners[mid]->key, winners[mid]->key_len, key, key_len);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < renamed_count; i++)
		if (compare_units(renamed[i]->key, renamed[i]->key_len, key, key_len) == 0)
			return true;
	return false;
}

/*
 * Names a folder's children in one tree and sorts them.  Collisions are
 * settled deterministically: among children whose names map to the same
 * key, the first by original name (byte order) keeps it; the others, in
 * that order, get "_1", "_2", ... after the base name, skipping any key
 * a sibling already has (its own, or one given out here).
 */
static int name_children(struct build *b, struct node *dir, int tree, const char **why)
{
	size_t n = dir->child_count, winner_count = 0, loser_count = 0, renamed_count = 0;
	struct node **by_keys, **winners, **losers, **renamed;
	bool *same_group = NULL;    /* losers[i] collides with losers[i - 1]'s name */
	unsigned counter = 0;
	int rc = -1;

	if (n == 0)
		return 0;
	by_keys = malloc(4 * n * sizeof(*by_keys));
	same_group = malloc(n * sizeof(*same_group));
	dir->sorted[tree] = malloc(n * sizeof(*dir->sorted[tree]));
	if (!by_keys || !same_group || !dir->sorted[tree]) {
		*why = "out of memory";
		goto out;
	}
	winners = by_keys + n;
	losers = winners + n;
	renamed = losers + n;
	for (size_t i = 0; i < n; i++) {
		struct node *child = dir->children[i];

		if (map_name(tree, child->name, child->is_dir, 0, &child->id[tree],
			     &child->id_len[tree], why) < 0 ||
		    make_key(tree, child, why) < 0) {
			b->why_path = child->origin;
			goto out;
		}
		by_keys[i] = child;
	}
	qsort(by_keys, n, sizeof(*by_keys), by_key);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && compare_units(by_keys[i - 1]->key, by_keys[i - 1]->key_len,
					   by_keys[i]->key, by_keys[i]->key_len) == 0) {
			same_group[loser_count] = loser_count > 0 &&
				losers[loser_count - 1] == by_keys[i - 1];
			losers[loser_count++] = by_keys[i];
		} else {
			winners[winner_count++] = by_keys[i];
		}
	}
	for (size_t i = 0; i < loser_count; i++) {
		struct node *child = losers[i];

		/* A group's losers are together and in name order: each takes
		 * the next free counter after the one before it. */
		if (!same_group[i])
			counter = 0;
		do {
			if (counter == 0xffffffffu) {
				*why = "cannot make a name unique";
				b->why_path = child->origin;
				goto out;
			}
			counter++;
			free(child->id[tree]);
			child->id[tree] = NULL;
			if (map_name(tree, child->name, child->is_dir, counter, &child->id[tree],
				     &child->id_len[tree], why) < 0 ||
			    make_key(tree, child, why) < 0) {
				b->why_path = child->origin;
				goto out;
			}
		} while (key_taken(winners, winner_count, renamed, renamed_count,
				   child->key, child->key_len));
		renamed[renamed_count++] = child;
	}
	memcpy(dir->sorted[tree], dir->children, n * sizeof(*dir->children));
	qsort(dir->sorted[tree], n, sizeof(*dir->sorted[tree]),
	      tree == PRIMARY ? by_primary_id : by_joliet_id);
	rc = 0;
out:
	free(by_keys);
	free(same_group);
	return rc;
}

/* ---------------------------------------------------------------------
 * The tree of nodes
 * ------------------------------------------------------------------ */

static struct node *new_node(struct build *b, struct node *parent, const char *name,
			     size_t name_len, bool is_dir, const char *origin)
{
	struct node *node = calloc(1, sizeof(*node));

	if (!node)
		return NULL;
	if (b->all_count == b->all_cap) {
		size_t cap = b->all_cap ? b->all_cap * 2 : 64;
		struct node **all = realloc(b->all, cap * sizeof(*all));

		if (!all) {
			free(node);
			return NULL;
		}
		b->all = all;
		b->all_cap = cap;
	}
	if (name) {
		node->name = malloc(name_len + 1);
		if (!node->name) {
			free(node);
			return NULL;
		}
		memcpy(node->name, name, name_len);
		node->name[name_len] = '\0';
	}
	if (parent && parent->child_count == parent->child_cap) {
		size_t cap = parent->child_cap ? parent->child_cap * 2 : 8;
		struct node **children = realloc(parent->children, cap * sizeof(*children));

		if (!children) {
			free(node->name);
			free(node);
			return NULL;
		}
		parent->children = children;
		parent->child_cap = cap;
	}
	node->parent = parent;
	node->is_dir = is_dir;
	node->origin = origin;
	b->all[b->all_count++] = node;
	if (parent)
		parent->children[parent->child_count++] = node;
	return node;
}

static void free_node(struct node *node)
{
	free(node->name);
	free(node->pieces);
	free(node->children);
	for (int t = 0; t < TREES; t++) {
		free(node->sorted[t]);
		free(node->id[t]);
	}
	free(node->key);
	free(node);
}

static struct node *find_child(struct node *dir, const char *name, size_t len)
{
	for (size_t i = 0; i < dir->child_count; i++) {
		struct node *child = dir->children[i];

		if (strncmp(child->name, name, len) == 0 && child->name[len] == '\0')
			return child;
	}
	return NULL;
}

/*
 * Adds a path's folders and, for a file, the file itself; returns the
 * last node.  Empty components (a leading '/', "//") are skipped; "."
 * and ".." are refused: the caller's paths are a listing, not something
 * to resolve.
 */
static struct node *add_path(struct build *b, const char *path, bool is_dir, const char **why)
{
	struct node *dir = b->root, *node = b->root;
	const char *p = path;

	b->why_path = path;
	while (*p) {
		const char *end, *rest;
		size_t len;
		bool last;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		rest = end;
		while (*rest == '/')
			rest++;
		last = *rest == '\0';
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
			*why = "a path with \".\" or \"..\" in it";
			return NULL;
		}
		node = find_child(dir, p, len);
		if (node && !node->is_dir && (!last || is_dir)) {
			*why = "a file's path is also used as a folder's";
			return NULL;
		}
		if (node && last && !is_dir) {
			*why = node->is_dir ? "a folder's path is also given as a file's" :
				"a file is listed twice";
			return NULL;
		}
		if (!node) {
			node = new_node(b, dir, p, len, is_dir || !last, path);
			if (!node) {
				*why = "out of memory";
				return NULL;
			}
		}
		dir = node;
		p = end;
	}
	if (node == b->root && !is_dir) {
		*why = "a file path with no name in it";
		return NULL;
	}
	b->why_path = NULL;
	return node;
}

/*
 * A file's extents as directory record pieces: each extent in order,
 * cut into ISOTREE_MAX_PIECE bytes (a whole number of sectors) so every
 * piece's length fits the record's 32 bits; an empty extent adds
 * nothing.
 */
static int add_pieces(struct node *node, const struct isotree_file *file, const char **why)
{
	uint64_t total = 0, count = 0;
	bool partial = false;

	for (size_t i = 0; i < file->extent_count; i++) {
		const struct iso_extent *e = &file->extents[i];

		if (e->length == 0)
			continue;
		/* Readers take a piece's data to run on at the next piece:
		 * only the last may end inside a sector. */
		if (partial) {
			*why = "an extent other than a file's last is not a whole number of sectors";
			return -1;
		}
		partial = e->length % SECTOR != 0;
		if (e->length > UINT64_MAX - total) {
			*why = "a file's extents add up to more than 64 bits can count";
			return -1;
		}
		total += e->length;
		count += (e->length + ISOTREE_MAX_PIECE - 1) / ISOTREE_MAX_PIECE;
	}
	if (total != file->size) {
		*why = "a file's size is not the sum of its extents";
		return -1;
	}
	if (count == 0)
		return 0;
	if (count > SIZE_MAX / sizeof(*node->pieces)) {
		*why = "out of memory";
		return -1;
	}
	node->pieces = malloc((size_t)count * sizeof(*node->pieces));
	if (!node->pieces) {
		*why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < file->extent_count; i++) {
		uint64_t lba = file->extents[i].lba, left = file->extents[i].length;

		while (left > 0) {
			uint64_t length = left < ISOTREE_MAX_PIECE ? left : ISOTREE_MAX_PIECE;

			if (lba > UINT32_MAX) {
				*why = "a file lies past the 32-bit sector numbers ISO 9660 records";
				return -1;
			}
			node->pieces[node->piece_count].lba = (uint32_t)lba;
			node->pieces[node->piece_count].length = (uint32_t)length;
			node->piece_count++;
			lba += length / SECTOR;
			left -= length;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Layout and records
 * ------------------------------------------------------------------ */

static size_t id_bytes(int tree, size_t units)
{
	return tree == PRIMARY ? units : units * 2;
}

static void put_id(int tree, uint8_t *p, const uint16_t *id, size_t units)
{
	for (size_t i = 0; i < units; i++) {
		if (tree == PRIMARY)
			p[i] = (uint8_t)id[i];
		else
			put_be(p + 2 * i, id[i], 2);
	}
}

/* ECMA-119 9.1: the name is padded to make the record's length even. */
static size_t record_length(size_t name_bytes)
{
	return RECORD_FIXED + name_bytes + (name_bytes % 2 == 0);
}

struct writer {
	uint8_t *out;               /* NULL: measure only */
	uint64_t off;
	const uint8_t *recorded;
	int tree;
};

/*
 * One directory record (ECMA-119 9.1).  A record may not cross a sector
 * (6.8.1.1): the rest of the sector stays zero, which readers take as
 * "continue at the next sector".
 */
static void put_record(struct writer *w, uint32_t lba, uint32_t length, uint8_t flags,
		       const uint16_t *id, size_t units, uint8_t special)
{
	size_t name_bytes = id ? id_bytes(w->tree, units) : 1;
	size_t len = record_length(name_bytes);
	uint8_t *r;

	if (w->off % SECTOR + len > SECTOR)
		w->off = round_up(w->off);
	if (w->out) {
		r = w->out + w->off;
		r[0] = (uint8_t)len;
		r[1] = 0;                       /* extended attribute record length */
		put_both32(r + 2, lba);
		put_both32(r + 10, length);
		memcpy(r + 18, w->recorded, 7);
		r[25] = flags;
		r[26] = 0;                      /* file unit size */
		r[27] = 0;                      /* interleave gap size */
		put_both16(r + 28, 1);          /* volume sequence number */
		r[32] = (uint8_t)name_bytes;
		if (id)
			put_id(w->tree, r + 33, id, units);
		else
			r[33] = special;
	}
	w->off += len;
}

static uint32_t dir_lba(uint32_t start_lba, const struct node *dir, int tree)
{
	return start_lba + (uint32_t)(dir->offset[tree] / SECTOR);
}

/*
 * A folder's records: ".", "..", then its children in order, a file
 * with one record per piece.  Returns the size in whole sectors' bytes;
 * with out NULL nothing is written (dir's own offset and size may not
 * be known yet: only lengths count then).
 */
static uint64_t walk_dir(const struct node *dir, int tree, uint32_t start_lba,
			 const uint8_t *recorded, uint8_t *out)
{
	struct writer w = { .out = out ? out + dir->offset[tree] : NULL, .off = 0,
			    .recorded = recorded, .tree = tree };
	const struct node *parent = dir->parent ? dir->parent : dir;

	put_record(&w, dir_lba(start_lba, dir, tree), (uint32_t)dir->size[tree],
		   FLAG_DIRECTORY, NULL, 0, 0x00);
	put_record(&w, dir_lba(start_lba, parent, tree), (uint32_t)parent->size[tree],
		   FLAG_DIRECTORY, NULL, 0, 0x01);
	for (size_t i = 0; i < dir->child_count; i++) {
		const struct node *child = dir->sorted[tree][i];
		const uint16_t *id = child->id[tree];
		size_t units = child->id_len[tree];

		if (child->is_dir) {
			put_record(&w, dir_lba(start_lba, child, tree), (uint32_t)child->size[tree],
				   FLAG_DIRECTORY, id, units, 0);
		} else if (child->piece_count == 0) {
			put_record(&w, 0, 0, 0, id, units, 0);
		} else {
			for (size_t k = 0; k < child->piece_count; k++)
				put_record(&w, child->pieces[k].lba, child->pieces[k].length,
					   k + 1 < child->piece_count ? FLAG_MULTI_EXTENT : 0,
					   id, units, 0);
		}
	}
	return round_up(w.off);
}

static size_t path_record_length(size_t name_bytes)
{
	return PATH_RECORD_FIXED + name_bytes + name_bytes % 2;
}

/* ECMA-119 9.4: the L (little-endian) or M (big-endian) path table. */
static void put_path_table(const struct build *b, int tree, uint32_t start_lba,
			   bool big_endian, uint8_t *out)
{
	void (*put)(uint8_t *, uint64_t, unsigned) = big_endian ? put_be : put_le;
	size_t off = 0;

	for (size_t i = 0; i < b->dir_count; i++) {
		const struct node *dir = b->dirs[tree][i];
		const struct node *parent = dir->parent ? dir->parent : dir;
		size_t name_bytes = dir->parent ? id_bytes(tree, dir->id_len[tree]) : 1;
		uint8_t *r = out + off;

		r[0] = (uint8_t)name_bytes;
		r[1] = 0;
		put(r + 2, dir_lba(start_lba, dir, tree), 4);
		put(r + 6, parent->number[tree], 2);
		if (dir->parent)
			put_id(tree, r + 8, dir->id[tree], dir->id_len[tree]);
		else
			r[8] = 0x00;
		off += path_record_length(name_bytes);
	}
}

/*
 * Folders in path table order (ECMA-119 6.9.1: by level, then parent
 * number, then identifier): breadth first over children already sorted.
 */
static int order_dirs(struct build *b, int tree, const char **why)
{
	struct node **dirs = malloc(b->dir_count * sizeof(*dirs));
	size_t count = 0;

	if (!dirs) {
		*why = "out of memory";
		return -1;
	}
	dirs[count++] = b->root;
	for (size_t i = 0; i < count; i++) {
		struct node *dir = dirs[i];

		dir->number[tree] = (uint32_t)(i + 1);
		for (size_t k = 0; k < dir->child_count; k++)
			if (dir->sorted[tree][k]->is_dir)
				dirs[count++] = dir->sorted[tree][k];
	}
	b->dirs[tree] = dirs;
	return 0;
}

static void free_build(struct build *b)
{
	for (size_t i = 0; i < b->all_count; i++)
		free_node(b->all[i]);
	free(b->all);
	for (int t = 0; t < TREES; t++)
		free(b->dirs[t]);
}

static int collect(struct build *b, const char **why)
{
	const struct isotree_input *in = b->input;

	b->root = new_node(b, NULL, NULL, 0, true, "/");
	if (!b->root) {
		*why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < in->dir_count; i++)
		if (!add_path(b, in->dirs[i], true, why))
			return -1;
	for (size_t i = 0; i < in->file_count; i++) {
		struct node *node = add_path(b, in->files[i].path, false, why);

		if (!node)
			return -1;
		if (add_pieces(node, &in->files[i], why) < 0) {
			b->why_path = in->files[i].path;
			return -1;
		}
	}
	b->dir_count = 0;
	for (size_t i = 0; i < b->all_count; i++) {
		struct node *node = b->all[i];

		if (!node->is_dir)
			continue;
		b->dir_count++;
		if (node->child_count == 0)
			continue;
		qsort(node->children, node->child_count, sizeof(*node->children), by_name);
		for (size_t k = 0; k < node->child_count; k++)
			node->children[k]->order = k;
	}
	/* Path table parent numbers are 16 bits (ECMA-119 9.4.6). */
	if (b->dir_count > 65535) {
		*why = "more than 65535 folders, which ISO 9660 path tables cannot number";
		return -1;
	}
	return 0;
}

int isotree_build(const struct isotree_input *input, uint32_t start_lba,
		  struct isotree_output *output, const char **why)
{
	struct build b = { .input = input };
	int trees = input->joliet ? TREES : 1;
	uint64_t limit, off = 0;
	struct isotree_tree *desc[TREES] = { &output->primary, &output->joliet };
	uint64_t table_off[TREES], table_bytes[TREES];

	memset(output, 0, sizeof(*output));
	if (collect(&b, why) < 0)
		goto fail;
	for (int t = 0; t < trees; t++) {
		for (size_t i = 0; i < b.all_count; i++)
			if (b.all[i]->is_dir && name_children(&b, b.all[i], t, why) < 0)
				goto fail;
		if (order_dirs(&b, t, why) < 0)
			goto fail;
	}

	/* Everything must lie at sectors ISO 9660's 32 bits can name, and
	 * in memory this process can allocate. */
	limit = ((uint64_t)UINT32_MAX - start_lba + 1) * SECTOR;
	if (limit > SIZE_MAX)
		limit = SIZE_MAX / SECTOR * SECTOR;
	for (int t = 0; t < trees; t++) {
		uint64_t bytes = 0;

		for (size_t i = 0; i < b.dir_count; i++) {
			const struct node *dir = b.dirs[t][i];

			bytes += path_record_length(dir->parent ?
						    id_bytes(t, dir->id_len[t]) : 1);
		}
		if (bytes > UINT32_MAX) {
			*why = "a path table larger than ISO 9660's 32-bit size field";
			goto fail;
		}
		table_bytes[t] = bytes;
		table_off[t] = off;
		/* Each path table starts on a sector of its own. */
		off += 2 * round_up(bytes);
		for (size_t i = 0; i < b.dir_count; i++) {
			struct node *dir = b.dirs[t][i];

			dir->offset[t] = off;
			dir->size[t] = walk_dir(dir, t, 0, input->recorded, NULL);
			if (dir->size[t] > UINT32_MAX - (SECTOR - 1)) {
				b.why_path = dir->origin;
				*why = "a folder whose records exceed ISO 9660's 32-bit size field";
				goto fail;
			}
			if (dir->size[t] > limit - off) {
				*why = "the directory trees would lie past ISO 9660's 32-bit sector numbers";
				goto fail;
			}
			off += dir->size[t];
		}
		if (off > limit) {
			*why = "the directory trees would lie past ISO 9660's 32-bit sector numbers";
			goto fail;
		}
	}

	output->data = calloc(1, (size_t)off);
	if (!output->data) {
		*why = "out of memory";
		goto fail;
	}
	output->size = (size_t)off;
	for (int t = 0; t < trees; t++) {
		struct writer w = { .out = desc[t]->root_record, .off = 0,
				    .recorded = input->recorded, .tree = t };

		desc[t]->path_table_size = (uint32_t)table_bytes[t];
		desc[t]->l_path_table_lba = start_lba + (uint32_t)(table_off[t] / SECTOR);
		desc[t]->m_path_table_lba = desc[t]->l_path_table_lba +
			(uint32_t)(round_up(table_bytes[t]) / SECTOR);
		put_path_table(&b, t, start_lba, false,
			       output->data + table_off[t]);
		put_path_table(&b, t, start_lba, true,
			       output->data + table_off[t] + round_up(table_bytes[t]));
		for (size_t i = 0; i < b.dir_count; i++)
			walk_dir(b.dirs[t][i], t, start_lba, input->recorded, output->data);
		/* The root's record in a volume descriptor is the "." form
		 * (ECMA-119 8.4.18): 34 bytes, name 0x00. */
		put_record(&w, dir_lba(start_lba, b.root, t), (uint32_t)b.root->size[t],
			   FLAG_DIRECTORY, NULL, 0, 0x00);
	}
	free_build(&b);
	return 0;

fail:
	output->why_path = b.why_path;
	free_build(&b);
	free(output->data);
	output->data = NULL;
	output->size = 0;
	return -1;
}

void isotree_output_free(struct isotree_output *output)
{
	free(output->data);
	memset(output, 0, sizeof(*output));
}

void isotree_patch_descriptor(uint8_t *descriptor, const struct isotree_tree *tree,
			      uint32_t volume_sectors)
{
	put_both32(descriptor + 80, volume_sectors);
	put_both32(descriptor + 132, tree->path_table_size);
	put_le(descriptor + 140, tree->l_path_table_lba, 4);
	put_le(descriptor + 144, 0, 4);     /* no optional L path table */
	put_be(descriptor + 148, tree->m_path_table_lba, 4);
	put_be(descriptor + 152, 0, 4);     /* no optional M path table */
	memcpy(descriptor + 156, tree->root_record, sizeof(tree->root_record));
}

static int digits(const uint8_t *p, unsigned count)
{
	int value = 0;

	for (unsigned i = 0; i < count; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		value = value * 10 + (p[i] - '0');
	}
	return value;
}

/*
 * ECMA-119 8.4.26.1 to 9.1.5.  A date that is unset (all '0' digits, or
 * not digits at all) or out of the 7-byte form's range gives zeros,
 * which 9.1.5 reads as "not specified".
 */
void isotree_record_date(const uint8_t *descriptor_date, uint8_t recorded[7])
{
	int year = digits(descriptor_date, 4), month = digits(descriptor_date + 4, 2),
	    day = digits(descriptor_date + 6, 2), hour = digits(descriptor_date + 8, 2),
	    minute = digits(descriptor_date + 10, 2), second = digits(descriptor_date + 12, 2);
	int8_t offset = (int8_t)descriptor_date[16];

	memset(recorded, 0, 7);
	if (year < 1900 || year > 1900 + 255 || month < 1 || month > 12 || day < 1 || day > 31 ||
	    hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 ||
	    offset < -48 || offset > 52)
		return;
	recorded[0] = (uint8_t)(year - 1900);
	recorded[1] = (uint8_t)month;
	recorded[2] = (uint8_t)day;
	recorded[3] = (uint8_t)hour;
	recorded[4] = (uint8_t)minute;
	recorded[5] = (uint8_t)second;
	recorded[6] = (uint8_t)offset;
}
