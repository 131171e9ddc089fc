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

#include "files.h"
#include "win7gen2.h"

/* A payload is a small EFI program; a loader never reaches this either. */
#define PAYLOAD_MAX_SIZE (64u << 20)

char *payload_default_path(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *dir, *path = NULL;

	/* Run from the build tree: the payload built beside it. */
	if (n > 0) {
		self[n] = '\0';
		dir = parent_dir(self);
		path = dir ? path_join(dir, "../payload/win7gen2.efi") : NULL;
		free(dir);
		if (path && access(path, R_OK) == 0)
			return path;
	}
#ifdef WIN7GEN2_PAYLOAD_DEFAULT
	free(path);
	return strdup(WIN7GEN2_PAYLOAD_DEFAULT);
#else
	return path ? path : strdup("win7gen2.efi");
#endif
}

int payload_recognize_bytes(const unsigned char *data, size_t size, char *version,
			    size_t version_size)
{
	static const char marker[] = WIN7GEN2_PAYLOAD_MARKER;
	const unsigned char *hit = memmem(data, size, marker, sizeof(marker) - 1);
	size_t n = 0;

	if (version_size)
		version[0] = '\0';
	if (!hit)
		return 0;
	hit += sizeof(marker) - 1;
	while (hit < data + size && *hit > 0x20 && *hit < 0x7f && n + 1 < version_size)
		version[n++] = (char)*hit++;
	if (version_size)
		version[n] = '\0';
	return 1;
}

int payload_recognize(const char *path, char *version, size_t version_size, struct buf *err)
{
	unsigned char *data;
	size_t size;
	int rc;

	if (read_file(path, PAYLOAD_MAX_SIZE, &data, &size, err) < 0)
		return -1;
	rc = payload_recognize_bytes(data, size, version, version_size);
	free(data);
	return rc;
}
