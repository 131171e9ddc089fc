/*
 * xxh64.h - XXH64, a fast 64-bit hash, for telling written bytes again
 *
 * `build` hashes the files it appends to OUT while it writes them, and
 * hashes what a reader of OUT finds at their extents before OUT gets its
 * name.  That guards against a wrong place or a lost write, not against
 * an adversary, so a non-cryptographic hash will do; it must keep pace
 * with the disk (the build stays within 1.3 x cp: FNV-1a, byte by byte,
 * took a second more for a 200 MiB boot.wim).  Nothing the builder links
 * offers such a hash, and libxxhash would be a new dependency for these
 * few lines: XXH64 is written here from Yann Collet's specification
 * (xxHash, doc/xxhash_spec.md), checked against its published vectors
 * (tests/builder/test-xxh64.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_XXH64_H
#define WIN7GEN2_XXH64_H

#include <stddef.h>
#include <stdint.h>

struct xxh64 {
	uint64_t lane[4];
	uint64_t total;             /* bytes given so far */
	uint8_t pending[32];        /* the bytes of a stripe not yet whole */
	size_t pending_size;
};

void xxh64_init(struct xxh64 *state, uint64_t seed);
void xxh64_update(struct xxh64 *state, const void *data, size_t size);
uint64_t xxh64_digest(const struct xxh64 *state);
#endif
