/*
 * replay.c - run a fuzz target over its seed corpus, without libFuzzer
 *
 * Linked with each fuzz target into a normal test program, so `make
 * check` exercises the targets with any compiler (and under the
 * sanitizers in CI) even where clang's libFuzzer is missing.  Speaks TAP:
 * one test point per seed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path)
{
	FILE *file = fopen(path, "rb");
	uint8_t *data = NULL;
	long size;
	int result = -1;

	if (!file)
		return -1;
	if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 &&
	    fseek(file, 0, SEEK_SET) == 0) {
		/* One byte more so an empty seed still gets a real pointer. */
		data = malloc((size_t)size + 1);
		if (data && fread(data, 1, (size_t)size, file) == (size_t)size)
			result = LLVMFuzzerTestOneInput(data, (size_t)size);
	}
	free(data);
	fclose(file);
	return result;
}

int main(int argc, char **argv)
{
	const char *dir_path = argc > 1 ? argv[1] : SEED_DIR;
	char *names[1024];
	size_t count = 0;
	struct dirent *entry;
	DIR *dir;

	dir = opendir(dir_path);
	if (!tap_ok(dir != NULL, "seed directory %s opens", dir_path))
		return tap_done();
	while ((entry = readdir(dir)) && count < sizeof(names) / sizeof(names[0]))
		if (entry->d_name[0] != '.')
			names[count++] = strdup(entry->d_name);
	closedir(dir);
	qsort(names, count, sizeof(names[0]), compare_names);
	tap_ok(count > 0, "%zu seeds found", count);
	for (size_t i = 0; i < count; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir_path, names[i]);
		tap_ok(replay(path) == 0, "seed %s", names[i]);
		free(names[i]);
	}
	return tap_done();
}
