/*
 * marker.c - tell win7gen2.efi from any other EFI loader by its bytes
 *
 * SPDX-License-Identifier: MIT
 */
#include "marker.h"
#include "win7gen2.h"

static bool matches_at(const uint8_t *bytes, size_t size, size_t at, const char *text)
{
	for (size_t i = 0; text[i]; i++)
		if (at + i >= size || bytes[at + i] != (uint8_t)text[i])
			return false;
	return true;
}

/* The version runs to the NUL the compiler put after the string. */
static bool read_version(const uint8_t *bytes, size_t size, size_t at,
			 char version[MARKER_VERSION_MAX])
{
	size_t length;

	for (length = 0; at + length < size && bytes[at + length]; length++) {
		uint8_t c = bytes[at + length];

		if (c < 0x20 || c > 0x7e || length + 1 >= MARKER_VERSION_MAX)
			return false;
	}
	if (at + length >= size || length == 0)
		return false;
	if (version) {
		for (size_t i = 0; i < length; i++)
			version[i] = (char)bytes[at + i];
		version[length] = '\0';
	}
	return true;
}

bool marker_find(const uint8_t *bytes, size_t size, char version[MARKER_VERSION_MAX])
{
	static const char marker[] = WIN7GEN2_PAYLOAD_MARKER;
	const size_t marker_length = sizeof(marker) - 1;

	if (!bytes || size < marker_length)
		return false;
	for (size_t at = 0; at + marker_length <= size; at++)
		if (bytes[at] == (uint8_t)marker[0] && matches_at(bytes, size, at, marker) &&
		    read_version(bytes, size, at + marker_length, version))
			return true;
	return false;
}
