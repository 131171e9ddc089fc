/*
 * payload.c - finding and recognizing win7gen2.efi
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "payload.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdio.h>

#include "files.h"
#include "marker.h"
#include "win7gen2.h"

/* A payload is a small EFI program; a loader never reaches this either. */
#define PAYLOAD_MAX_SIZE WIN7GEN2_LOADER_MAX_SIZE

/*
 * Run from the build tree, a file built beside the program (relative to
 * its folder); installed, the copy the build put at installed (NULL when
 * the build named none).
 */
static char *built_or_installed(const char *relative, const char *installed,
				const char *bare_name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *dir, *path = NULL;

	if (n > 0) {
		self[n] = '\0';
		dir = parent_dir(self);
		path = dir ? path_join(dir, relative) : NULL;
		free(dir);
		if (path && access(path, R_OK) == 0)
			return path;
	}
	if (installed) {
		free(path);
		return strdup(installed);
	}
	return path ? path : strdup(bare_name);
}

#ifndef WIN7GEN2_PAYLOAD_DEFAULT
#define WIN7GEN2_PAYLOAD_DEFAULT NULL
#endif
#ifndef WIN7GEN2_AGENT_DEFAULT
#define WIN7GEN2_AGENT_DEFAULT NULL
#endif

char *payload_default_path(void)
{
	return built_or_installed("../payload/win7gen2.efi", WIN7GEN2_PAYLOAD_DEFAULT,
				  "win7gen2.efi");
}

char *agent_default_path(void)
{
	return built_or_installed("../overlay/agent/win7gen2pe.exe", WIN7GEN2_AGENT_DEFAULT,
				  "win7gen2pe.exe");
}

int payload_read(const char *path, unsigned char **data, size_t *size, struct text *err)
{
	return read_file(path, PAYLOAD_MAX_SIZE, data, size, err);
}

enum recognized payload_recognize_bytes(const unsigned char *data, size_t size, char *version,
					size_t version_size)
{
	char found[MARKER_VERSION_MAX];

	if (version_size)
		version[0] = '\0';
	if (!marker_find(data, size, found))
		return NOT_RECOGNIZED;
	if (version_size)
		snprintf(version, version_size, "%s", found);
	return RECOGNIZED;
}

enum recognized agent_recognize(const char *path, struct text *err)
{
	static const char marker[] = WIN7GEN2_AGENT_MARKER;
	unsigned char *data;
	size_t size;
	bool ours;

	if (read_file(path, PAYLOAD_MAX_SIZE, &data, &size, err) < 0)
		return UNREADABLE;
	ours = size > 2 && data[0] == 'M' && data[1] == 'Z' &&
	       memmem(data, size, marker, sizeof(marker) - 1) != NULL;
	free(data);
	return ours ? RECOGNIZED : NOT_RECOGNIZED;
}

enum recognized payload_recognize(const char *path, char *version, size_t version_size,
				  struct text *err)
{
	unsigned char *data;
	size_t size;
	enum recognized rc;

	if (read_file(path, PAYLOAD_MAX_SIZE, &data, &size, err) < 0)
		return UNREADABLE;
	rc = payload_recognize_bytes(data, size, version, version_size);
	free(data);
	return rc;
}
