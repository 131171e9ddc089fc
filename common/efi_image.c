/*
 * efi_image.c - tell our payload from a Microsoft loader, by its bytes
 *
 * SPDX-License-Identifier: MIT
 */
#include "efi_image.h"

#include <stdbool.h>

#include "marker.h"
#include "pe_header.h"

/* Plain C without a C library (the payload links this too). */
static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static bool has_utf16_microsoft(const uint8_t *data, size_t size)
{
	static const uint8_t word[] = { 'M', 0, 'i', 0, 'c', 0, 'r', 0, 'o', 0,
					's', 0, 'o', 0, 'f', 0, 't', 0 };

	for (size_t at = 0; size >= sizeof(word) && at <= size - sizeof(word); at++)
		if (data[at] == 'M' && same_bytes(data + at, word, sizeof(word)))
			return true;
	return false;
}

void efi_image_identify(const uint8_t *data, size_t size, struct efi_image_id *id)
{
	bool x64 = data && pe_is_x64(data, size);

	id->version[0] = '\0'; /* marker_find writes it only when it finds one */
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
	for (size_t i = 0; i < nx; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
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
