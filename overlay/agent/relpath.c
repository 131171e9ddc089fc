/*
 * relpath.c - the fix engine's relative paths as Win32 paths
 *
 * SPDX-License-Identifier: MIT
 */
#include "relpath.h"

#include <stdio.h>
#include <string.h>

#include "ascii.h"

#define COMPONENT_MAX 255 /* NTFS and FAT long names */

/* Names Win32 maps to devices in any directory, with any extension. */
static bool is_device_name(const char *name, size_t length)
{
	static const char *const devices[] = { "CON", "PRN", "AUX", "NUL" };
	char base[5];
	size_t n = 0;

	while (n < length && name[n] != '.' && n < sizeof(base) - 1) {
		base[n] = name[n];
		n++;
	}
	if (n < length && name[n] != '.')
		return false; /* longer than any device name */
	base[n] = '\0';
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (ascii_casecmp(base, devices[i]) == 0)
			return true;
	if (n == 4 && base[3] >= '1' && base[3] <= '9') {
		base[3] = '\0';
		return ascii_casecmp(base, "COM") == 0 || ascii_casecmp(base, "LPT") == 0;
	}
	return false;
}

static bool component_valid(const char *name, size_t length)
{
	if (length == 0 || length > COMPONENT_MAX)
		return false;
	if (name[length - 1] == '.' || name[length - 1] == ' ')
		return false; /* covers "." and ".." too */
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || strchr("<>:\"/|?*", c))
			return false;
	}
	return !is_device_name(name, length);
}

bool relpath_valid(const char *path)
{
	const char *rest = path;

	if (!*path)
		return true;
	for (;;) {
		const char *end = strchr(rest, '\\');
		size_t length = end ? (size_t)(end - rest) : strlen(rest);

		if (!component_valid(rest, length))
			return false;
		if (!end)
			return true;
		rest = end + 1;
	}
}

bool relpath_root(const char *given, char *out, size_t size)
{
	size_t n = strlen(given);

	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i <= n; i++)
		out[i] = given[i] == '/' ? '\\' : given[i];
	while (n > 1 && out[n - 1] == '\\')
		out[--n] = '\0';
	/* "\" alone would join to "\\EFI", a network name. */
	return !(n == 1 && out[0] == '\\');
}

static bool is_bare_drive(const char *root)
{
	return ascii_is_alpha(root[0]) && root[1] == ':' && root[2] == '\0';
}

bool relpath_join(const char *root, const char *path, char *out, size_t size)
{
	int n;

	if (!relpath_valid(path))
		return false;
	if (*path)
		n = snprintf(out, size, "%s\\%s", root, path);
	else
		n = snprintf(out, size, "%s%s", root, is_bare_drive(root) ? "\\" : "");
	return n > 0 && (size_t)n < size;
}
