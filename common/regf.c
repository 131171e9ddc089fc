/*
 * regf.c - is a registry hive file complete, from its first block
 *
 * SPDX-License-Identifier: MIT
 */
#include "regf.h"

#include "byteorder.h"

#define REGF_SEQUENCE1 4
#define REGF_SEQUENCE2 8

enum regf_state regf_check(const uint8_t *data, size_t size, uint32_t *seq1, uint32_t *seq2)
{
	*seq1 = *seq2 = 0;
	if (size < REGF_SEQUENCE2 + 4 || data[0] != 'r' || data[1] != 'e' || data[2] != 'g' ||
	    data[3] != 'f')
		return REGF_NOT_REGF;
	*seq1 = get_le32(data + REGF_SEQUENCE1);
	*seq2 = get_le32(data + REGF_SEQUENCE2);
	return *seq1 == *seq2 ? REGF_CLEAN : REGF_DIRTY;
}
