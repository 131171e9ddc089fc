/*
 * xxh64.c - XXH64, a fast 64-bit hash, for telling written bytes again
 *
 * SPDX-License-Identifier: MIT
 */
#include "xxh64.h"

#include <string.h>

#include "byteorder.h"

#define P1 UINT64_C(0x9E3779B185EBCA87)
#define P2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define P3 UINT64_C(0x165667B19E3779F9)
#define P4 UINT64_C(0x85EBCA77C2B2AE63)
#define P5 UINT64_C(0x27D4EB2F165667C5)

static uint64_t rotl(uint64_t x, unsigned r)
{
	return x << r | x >> (64 - r);
}

static uint64_t round64(uint64_t acc, uint64_t input)
{
	return rotl(acc + input * P2, 31) * P1;
}

static uint64_t merge(uint64_t acc, uint64_t lane)
{
	return (acc ^ round64(0, lane)) * P1 + P4;
}

/* count stripes of 32 bytes.  The lanes stay in locals: stored through
 * state after every stripe, the compiler must assume p's bytes may
 * change them, and the hash ran at a third of its speed. */
static void stripes(struct xxh64 *state, const uint8_t *p, size_t count)
{
	uint64_t a = state->lane[0], b = state->lane[1], c = state->lane[2], d = state->lane[3];

	for (; count; count--, p += 32) {
		a = round64(a, get_le64(p));
		b = round64(b, get_le64(p + 8));
		c = round64(c, get_le64(p + 16));
		d = round64(d, get_le64(p + 24));
	}
	state->lane[0] = a;
	state->lane[1] = b;
	state->lane[2] = c;
	state->lane[3] = d;
}

void xxh64_init(struct xxh64 *state, uint64_t seed)
{
	memset(state, 0, sizeof(*state));
	state->lane[0] = seed + P1 + P2;
	state->lane[1] = seed + P2;
	state->lane[2] = seed;
	state->lane[3] = seed - P1;
}

void xxh64_update(struct xxh64 *state, const void *data, size_t size)
{
	const uint8_t *p = data;

	state->total += size;
	if (state->pending_size) {
		size_t take = 32 - state->pending_size < size ? 32 - state->pending_size : size;

		memcpy(state->pending + state->pending_size, p, take);
		state->pending_size += take;
		p += take;
		size -= take;
		if (state->pending_size < 32)
			return;
		stripes(state, state->pending, 1);
		state->pending_size = 0;
	}
	stripes(state, p, size / 32);
	p += size / 32 * 32;
	size %= 32;
	memcpy(state->pending, p, size);
	state->pending_size = size;
}

uint64_t xxh64_digest(const struct xxh64 *state)
{
	const uint8_t *p = state->pending;
	size_t left = state->pending_size;
	uint64_t h;

	if (state->total >= 32) {
		h = rotl(state->lane[0], 1) + rotl(state->lane[1], 7) + rotl(state->lane[2], 12) +
		    rotl(state->lane[3], 18);
		for (unsigned i = 0; i < 4; i++)
			h = merge(h, state->lane[i]);
	} else {
		h = state->lane[2] + P5;    /* the seed */
	}
	h += state->total;
	for (; left >= 8; p += 8, left -= 8)
		h = rotl(h ^ round64(0, get_le64(p)), 27) * P1 + P4;
	if (left >= 4) {
		h = rotl(h ^ (uint64_t)get_le32(p) * P1, 23) * P2 + P3;
		p += 4;
		left -= 4;
	}
	for (; left; p++, left--)
		h = rotl(h ^ *p * P5, 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}
