/*
 * fnv1a.h - the 64-bit FNV-1a hash, for telling written bytes again
 *
 * `build` hashes the files it appends to OUT while it writes them, and
 * hashes what a reader of OUT finds at their extents before OUT gets its
 * name.  That guards against a wrong place or a lost write, not against
 * an adversary, and nothing the builder links offers a hash: FNV-1a
 * (Fowler, Noll, Vo) is a few lines, well known, and fast enough beside
 * the disk.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FNV1A_H
#define WIN7GEN2_FNV1A_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A_INIT UINT64_C(0xcbf29ce484222325)

static inline uint64_t fnv1a(uint64_t hash, const void *data, size_t size)
{
	const unsigned char *p = data;

	while (size--) {
		hash ^= *p++;
		hash *= UINT64_C(0x100000001b3);
	}
	return hash;
}
#endif
