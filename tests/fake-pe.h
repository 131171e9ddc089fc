/*
 * fake-pe.h - the smallest file taken for an x64 EFI image, for tests
 *
 * What tells a loader from other files (fixengine/efi_image.c,
 * common/pe_header.h): "MZ", the PE header's offset at 0x3c pointing at
 * "PE\0\0" and machine 0x8664 at 0x40.  Text - a payload marker, a
 * version resource's maker - follows at 0x80.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TESTS_FAKE_PE_H
#define WIN7GEN2_TESTS_FAKE_PE_H

#include <stdint.h>
#include <string.h>

#define FAKE_PE_TEXT_OFFSET 0x80

/* Fills image (capacity bytes, more than FAKE_PE_TEXT_OFFSET) and
 * returns the image's length; text that does not fit is cut. */
static inline size_t fake_pe_image(uint8_t *image, size_t capacity, const void *text,
				   size_t length)
{
	memset(image, 0, capacity);
	image[0] = 'M';
	image[1] = 'Z';
	image[0x3c] = 0x40;
	memcpy(image + 0x40, "PE\0\0", 4);
	image[0x44] = 0x64;
	image[0x45] = 0x86;
	if (length > capacity - FAKE_PE_TEXT_OFFSET)
		length = capacity - FAKE_PE_TEXT_OFFSET;
	memcpy(image + FAKE_PE_TEXT_OFFSET, text, length);
	return FAKE_PE_TEXT_OFFSET + length;
}

#endif
