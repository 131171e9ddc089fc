/*
 * byteorder.h - little-endian numbers in byte buffers
 *
 * Every on-disk and in-firmware format win7gen2 reads or writes (ACPI,
 * the UEFI memory map, PE, regf, ISO 9660, El Torito, UDF, WIM) stores
 * its numbers little-endian at offsets that need not be aligned: these
 * read and write them byte by byte, on any host.  Plain C, no C library
 * (the payload uses it too).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_BYTEORDER_H
#define WIN7GEN2_BYTEORDER_H

#include <stdint.h>

/* bytes (1 to 8) at p as one number. */
static inline uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t value = 0;

	for (unsigned i = bytes; i-- > 0;)
		value = value << 8 | p[i];
	return value;
}

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* value's low bytes (1 to 8) at p. */
static inline void put_le(uint8_t *p, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++, value >>= 8)
		p[i] = (uint8_t)value;
}

static inline void put_le16(uint8_t *p, uint16_t value)
{
	put_le(p, value, 2);
}

static inline void put_le32(uint8_t *p, uint32_t value)
{
	put_le(p, value, 4);
}

#endif
