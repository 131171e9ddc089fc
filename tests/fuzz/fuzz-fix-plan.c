/*
 * fuzz-fix-plan.c - libFuzzer target: any bytes as the SYSTEM hive
 *
 * `win7gen2 fix` and the WinPE agent open the SYSTEM hive of whatever
 * disk they are pointed at, and rescue mode exists for broken systems:
 * the hive may be anything.  The bytes go to a Windows volume's
 * Windows\System32\config\SYSTEM in a scratch directory (hivex reads
 * files) and through the whole plan computation with the Linux backend,
 * as a dry run.  What must hold whatever the bytes are:
 *   - planning finishes and yields a plan (the ESP beside it is fine);
 *   - the hive file is not changed (planning only ever reads);
 *   - every planned registry change is a well-formed action inside a
 *     ControlSetNNN key, and only changes carry actions.
 * tests/fuzz/replay.c runs the same function over the seeds in `make
 * check`, under the sanitizers in CI.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plan.h"
#include "posix/posix.h"
#include "win7gen2.h"
#include "fake-pe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch disk, made on the first input and reused: libFuzzer calls
 * this function millions of times in one process. */
struct scratch {
	bool ready;
	char root[PATH_MAX / 2];
	char windows[PATH_MAX];
	char esp[PATH_MAX];
	char hive[PATH_MAX];
	uint8_t payload[256];
	size_t payload_size;
};

static struct scratch scratch;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void scratch_remove(void)
{
	if (scratch.root[0])
		nftw(scratch.root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool put(const char *path, const void *data, size_t size)
{
	FILE *file = fopen(path, "wb");
	bool ok;

	if (!file)
		return false;
	ok = fwrite(data, 1, size, file) == size;
	return fclose(file) == 0 && ok;
}

static size_t fake_image(uint8_t image[256], const char *text, size_t length)
{
	return fake_pe_image(image, 256, text, length);
}

static bool scratch_make(struct scratch *s)
{
	static const char *const dirs[] = {
		"win", "win/Windows", "win/Windows/System32", "win/Windows/System32/config",
		"win/Windows/System32/drivers", "esp", "esp/EFI", "esp/EFI/Boot",
	};
	static const char marker[] = WIN7GEN2_PAYLOAD_MARKER "0.1.0";
	const char *tmp = getenv("TMPDIR");
	char *root = s->root, path[PATH_MAX + 64];
	uint8_t loader[256];
	size_t loader_size;

	snprintf(s->root, sizeof(s->root), "%s/win7gen2-fuzz-fix-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->root)) {
		s->root[0] = '\0';
		return false;
	}
	atexit(scratch_remove);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755) != 0)
			return false;
	}
	snprintf(s->windows, sizeof(s->windows), "%s/win", root);
	snprintf(s->esp, sizeof(s->esp), "%s/esp", root);
	snprintf(s->hive, sizeof(s->hive), "%s/win/Windows/System32/config/SYSTEM", root);
	snprintf(path, sizeof(path), "%s/win/Windows/System32/drivers/vmbus.sys", root);
	if (!put(path, "MZ", 2))
		return false;
	loader_size = fake_image(loader, "Windows Boot Manager", 21);
	snprintf(path, sizeof(path), "%s/esp/EFI/Boot/bootx64.efi", root);
	if (!put(path, loader, loader_size))
		return false;
	s->payload_size = fake_image(s->payload, marker, sizeof(marker));
	s->ready = true;
	return true;
}

static bool has_prefix_ci(const char *text, const char *prefix)
{
	for (; *prefix; text++, prefix++)
		if ((*text | 0x20) != (*prefix | 0x20))
			return false;
	return true;
}

static void check_plan(const struct fix_plan *plan)
{
	for (size_t i = 0; i < plan->count; i++) {
		const struct fix_item *item = &plan->items[i];
		const struct fix_action *action = &item->action;

		if (!item->subject)
			abort();
		if (item->state != FIX_ITEM_CHANGE && action->kind != FIX_ACTION_NONE)
			abort();
		if (action->kind != FIX_ACTION_SET_VALUE)
			continue;
		if (!action->path || !has_prefix_ci(action->path, "ControlSet") ||
		    !action->name || !action->name[0] || !action->content ||
		    (action->type != FIX_REG_SZ && action->type != FIX_REG_DWORD))
			abort();
	}
}

static bool hive_unchanged(const char *path, const uint8_t *data, size_t size)
{
	FILE *file = fopen(path, "rb");
	uint8_t buffer[4096];
	size_t done = 0, n;
	bool same = true;

	if (!file)
		return false;
	while (same && (n = fread(buffer, 1, sizeof(buffer), file)) > 0) {
		same = done + n <= size && memcmp(buffer, data + done, n) == 0;
		done += n;
	}
	fclose(file);
	return same && done == size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fix_options options = { 0 };
	struct text report = TEXT_INIT;
	struct posix_fix backend;
	struct fix_plan *plan = NULL;
	struct fix_error err;

	if (!scratch.ready && !scratch_make(&scratch))
		abort();
	if (!put(scratch.hive, data, size))
		abort();
	options.payload = scratch.payload;
	options.payload_size = scratch.payload_size;
	options.payload_name = "fuzz payload";
	options.dry_run = true;
	options.tool_version = "fuzz";
	options.layout.known = size % 2 == 0; /* both ways of the boot-device rules */
	options.layout.esp_partition = 1;
	options.layout.windows_partition = 2;

	if (posix_fix_init(&backend, scratch.windows, scratch.esp, &err) != FIX_OK)
		abort();
	if (fix_make_plan(&posix_fix_backend, &backend, &options, &plan, &err) != FIX_OK)
		abort();
	check_plan(plan);
	fix_execute(plan); /* a dry run: must do nothing */
	fix_report(plan, FIX_VERBOSE, &report);
	if (report.length == 0)
		abort();
	text_free(&report);
	fix_plan_free(plan);
	if (!hive_unchanged(scratch.hive, data, size))
		abort();
	return 0;
}
