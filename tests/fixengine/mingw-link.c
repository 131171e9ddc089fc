/*
 * mingw-link.c - links the portable fix engine into a Windows program
 *
 * Built by t0310-fix-core-mingw.sh with x86_64-w64-mingw32-gcc: if the
 * engine used anything POSIX, this would not link.  The backend here
 * finds nothing, which is enough to exercise the planning entry point;
 * the Win32 backend of the WinPE agent replaces it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "fix.h"

static enum fix_status no_file(void *ctx, enum fix_volume volume, const char *path,
			       struct fix_error *err)
{
	(void)ctx;
	(void)volume;
	(void)path;
	(void)err;
	return FIX_NOT_FOUND;
}

static void show(void *ctx, enum fix_volume volume, const char *path, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "%s:\\%s", volume == FIX_VOLUME_ESP ? "S" : "C", path);
}

int main(void)
{
	static const unsigned char not_a_payload[] = "MZ";
	struct fix_backend backend = { .file_exists = no_file, .display_path = show };
	struct fix_options options = { .payload = not_a_payload, .payload_size = 2 };
	struct fix_plan *plan = NULL;
	struct fix_error err;

	if (fix_make_plan(&backend, NULL, &options, &plan, &err) == FIX_OK)
		fix_plan_free(plan);
	printf("%s\n", err.message);
	return 0;
}
