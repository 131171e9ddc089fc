/*
 * efi_image.c - tell our payload from a Microsoft loader, by its bytes
 *
 * SPDX-License-Identifier: MIT
 */
#include "efi_image.h"

#include <stdbool.h>
#include <string.h>

#include "marker.h"

#define MZ_LFANEW_OFFSET 0x3c
#define PE_SIGNATURE_SIZE 4
#define PE_FILE_HEADER_SIZE 20
#define PE_MACHINE_X64 0x8664

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* An MZ stub pointing at a PE header for x86-64.  The firmware checks
 * more, but this is enough to know a loader from a text file or junk. */
static bool is_x64_pe(const uint8_t *data, size_t size)
{
	uint32_t pe;

	if (size < MZ_LFANEW_OFFSET + 4 || data[0] != 'M' || data[1] != 'Z')
		return false;
	pe = le32(data + MZ_LFANEW_OFFSET);
	if (pe > size || size - pe < PE_SIGNATURE_SIZE + PE_FILE_HEADER_SIZE)
		return false;
	if (memcmp(data + pe, "PE\0\0", PE_SIGNATURE_SIZE) != 0)
		return false;
	return le16(data + pe + PE_SIGNATURE_SIZE) == PE_MACHINE_X64;
}

static bool has_utf16_microsoft(const uint8_t *data, size_t size)
{
	static const uint8_t word[] = { 'M', 0, 'i', 0, 'c', 0, 'r', 0, 'o', 0,
					's', 0, 'o', 0, 'f', 0, 't', 0 };

	for (size_t at = 0; size >= sizeof(word) && at <= size - sizeof(word); at++)
		if (data[at] == 'M' && memcmp(data + at, word, sizeof(word)) == 0)
			return true;
	return false;
}

void efi_image_identify(const uint8_t *data, size_t size, struct efi_image_id *id)
{
	bool x64 = data && is_x64_pe(data, size);

	memset(id, 0, sizeof(*id));
	id->has_marker = marker_find(data, size, id->version);
	id->microsoft = data && has_utf16_microsoft(data, size);
	if (!x64)
		id->kind = EFI_IMAGE_NOT_X64;
	else if (id->has_marker)
		id->kind = EFI_IMAGE_PAYLOAD;
	else
		id->kind = EFI_IMAGE_FOREIGN;
}

const char *efi_image_name(const struct efi_image_id *id)
{
	switch (id->kind) {
	case EFI_IMAGE_PAYLOAD:
		return "win7gen2 payload";
	case EFI_IMAGE_FOREIGN:
		return id->microsoft ? "Microsoft loader" : "x64 EFI loader (not Microsoft's)";
	case EFI_IMAGE_NOT_X64:
		break;
	}
	return "not an x64 EFI application";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Compare the digit runs at *a and *b as numbers and step over them. */
static int compare_numbers(const char **a, const char **b)
{
	const char *x = *a, *y = *b;
	size_t nx = 0, ny = 0;
	int order;

	while (*x == '0' && is_digit(x[1]))
		x++;
	while (*y == '0' && is_digit(y[1]))
		y++;
	while (is_digit(x[nx]))
		nx++;
	while (is_digit(y[ny]))
		ny++;
	*a = x + nx;
	*b = y + ny;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	order = memcmp(x, y, nx);
	return order < 0 ? -1 : order > 0;
}

int efi_image_version_compare(const char *a, const char *b)
{
	while (*a && *b) {
		if (is_digit(*a) && is_digit(*b)) {
			int order = compare_numbers(&a, &b);

			if (order)
				return order;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	if (!*a && !*b)
		return 0;
	if (!*a)
		return *b == '-' ? 1 : -1;
	return *a == '-' ? -1 : 1;
}
