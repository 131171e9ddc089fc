/*
 * test-regf.c - is a registry hive complete, from its base block
 *
 * SPDX-License-Identifier: MIT
 */
#include "regf.h"
#include "tap.h"

int main(void)
{
	uint8_t block[REGF_BASE_BLOCK_SIZE] = { 'r', 'e', 'g', 'f', 7, 0, 0, 0, 7, 0, 0, 0 };
	uint32_t a = 1, b = 1;

	tap_ok(regf_check(block, sizeof(block), &a, &b) == REGF_CLEAN && a == 7 && b == 7,
	       "equal sequence numbers: complete");
	block[8] = 6;
	tap_ok(regf_check(block, sizeof(block), &a, &b) == REGF_DIRTY && a == 7 && b == 6,
	       "different numbers: the newest changes are in the logs");
	block[4] = 0x01;
	block[5] = 0x02;
	block[6] = 0x03;
	block[7] = 0x84;
	tap_ok(regf_check(block, sizeof(block), &a, &b) == REGF_DIRTY && a == 0x84030201u,
	       "the numbers are little-endian, all 32 bits");
	tap_ok(regf_check(block, 12, &a, &b) == REGF_DIRTY, "12 bytes are enough to tell");
	tap_ok(regf_check(block, 11, &a, &b) == REGF_NOT_REGF && a == 0 && b == 0,
	       "too short to tell; the numbers read 0");
	block[3] = 'F';
	tap_ok(regf_check(block, sizeof(block), &a, &b) == REGF_NOT_REGF,
	       "the signature is case-sensitive");
	tap_ok(regf_check((const uint8_t *)"WINE REGISTRY Version 2", 23, &a, &b) ==
	       REGF_NOT_REGF, "another format is not judged");
	return tap_done();
}
