/*
 * test-xxh64.c - XXH64 against the vectors xxHash publishes, whole and
 * in pieces of every size
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "tap.h"
#include "xxh64.h"

static uint64_t whole(const void *data, size_t size)
{
	struct xxh64 state;

	xxh64_init(&state, 0);
	xxh64_update(&state, data, size);
	return xxh64_digest(&state);
}

static void test_vectors(void)
{
	static const char nobody[] = "Nobody inspects the spammish repetition";

	tap_is_u64(whole("", 0), UINT64_C(0xEF46DB3751D8E999), "empty input");
	tap_is_u64(whole("a", 1), UINT64_C(0xD24EC4F1A98C6E5B), "\"a\"");
	tap_is_u64(whole("abc", 3), UINT64_C(0x44BC2CF5AD770999), "\"abc\"");
	tap_is_u64(whole(nobody, strlen(nobody)), UINT64_C(0xFBCEA83C8A378BF1),
		   "39 bytes: a whole stripe, then 8-, 4- and 1-byte tails");
}

/* The build hashes in chunks: any cut gives the hash of the whole. */
static void test_pieces(void)
{
	unsigned char data[300];
	uint64_t want;
	bool same = true;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + 7);
	want = whole(data, sizeof(data));
	for (size_t piece = 1; piece <= 70; piece++) {
		struct xxh64 state;

		xxh64_init(&state, 0);
		for (size_t at = 0; at < sizeof(data); at += piece)
			xxh64_update(&state, data + at,
				     sizeof(data) - at < piece ? sizeof(data) - at : piece);
		same = same && xxh64_digest(&state) == want;
	}
	tap_ok(same, "300 bytes in pieces of 1 to 70 bytes hash as one");
	data[299] ^= 1;
	tap_ok(whole(data, sizeof(data)) != want, "one bit changed changes the hash");
}

int main(void)
{
	test_vectors();
	test_pieces();
	return tap_done();
}
