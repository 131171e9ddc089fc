/*
 * test-fix-wrap.c - the fix engine over every case of tests/wrap-cases.h
 *
 * For each case an ESP tree holds the case's files, the engine runs on
 * it with the Linux backend, and every loader path, original and
 * previous original must then hold what the wrap rule's decision says
 * (wrap_case_after), with a problem reported exactly where the rule sees
 * one.  tests/firmware/t0165-rescue-table.sh runs the same table through
 * the payload's rescue in OVMF: both sides follow one rule.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "posix/posix.h"
#include "fixture.h"
#include "tap.h"
#include "win7gen2.h"
#include "wrap-cases.h"

#define HIVE_FILE "win/Windows/System32/config/SYSTEM"

/* The bytes the test puts at a path for each symbol of the table. */
struct files {
	uint8_t *data[CF_COUNT];
	size_t size[CF_COUNT];
	uint8_t small[CF_COUNT][FAKE_EFI_MAX];
};

static bool files_new(struct files *files)
{
	static const char text[] = "menu = on\n";

	memset(files, 0, sizeof(*files));
	files->size[CF_LOADER_A] = fake_loader(files->small[CF_LOADER_A], "boot manager A");
	files->size[CF_LOADER_B] = fake_loader(files->small[CF_LOADER_B], "boot manager B");
	files->size[CF_GIVEN] = fake_payload(files->small[CF_GIVEN], WRAP_CASE_GIVEN_VERSION,
					     "build 1");
	files->size[CF_REBUILT] = fake_payload(files->small[CF_REBUILT],
					       WRAP_CASE_GIVEN_VERSION, "build 2");
	files->size[CF_OLDER] = fake_payload(files->small[CF_OLDER], WRAP_CASE_OLDER_VERSION,
					     "build 1");
	files->size[CF_NEWER] = fake_payload(files->small[CF_NEWER], WRAP_CASE_NEWER_VERSION,
					     "build 1");
	memcpy(files->small[CF_TEXT], text, sizeof(text) - 1);
	files->size[CF_TEXT] = sizeof(text) - 1;
	for (unsigned f = 0; f < CF_COUNT; f++)
		files->data[f] = files->small[f];
	/* A loader one byte over the limit: the engine must not read it. */
	files->size[CF_BIG] = WIN7GEN2_LOADER_MAX_SIZE + 1;
	files->data[CF_BIG] = calloc(1, files->size[CF_BIG]);
	if (!files->data[CF_BIG])
		return false;
	memcpy(files->data[CF_BIG], files->small[CF_LOADER_A], files->size[CF_LOADER_A]);
	return true;
}

static void files_free(struct files *files)
{
	free(files->data[CF_BIG]);
}

/* "esp/EFI/Boot/bootx64.original.efi" for slot of loader i. */
static void esp_path(unsigned i, unsigned slot, char *buf, size_t size)
{
	const struct wrap_loader *loader = &wrap_loaders[i];
	size_t at;

	snprintf(buf, size, "esp%s%s%s", loader->dir, loader->stem, wrap_case_suffix(slot));
	for (at = 0; buf[at]; at++)
		if (buf[at] == '\\')
			buf[at] = '/';
}

/* A Windows volume the engine accepts; its registry is not looked at
 * here (test-fix-engine.c does that). */
static bool windows_new(const struct tree *tree)
{
	char path[PATH_MAX];
	hive_h *h = hive_new();
	bool ok;

	if (!h)
		return false;
	ok = hive_set_dword(h, "Select", "Current", 1) &&
	     hive_set_dword(h, "ControlSet001\\Services\\vmbus", "Start", 0);
	ok = hive_save(h, tree_path(tree, HIVE_FILE, path)) && ok;
	return ok;
}

static bool esp_new(const struct tree *tree, const struct wrap_case *c,
		    const struct files *files)
{
	char relative[128], path[PATH_MAX];

	for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
		for (unsigned slot = WC_LOADER; slot <= WC_ORIGINAL; slot++) {
			enum wrap_case_file file = c->file[i][slot];

			if (file == CF_NONE)
				continue;
			esp_path(i, slot, relative, sizeof(relative));
			if (!file_write(tree_path(tree, relative, path), files->data[file],
					files->size[file]))
				return false;
		}
	return true;
}

static enum fix_status run_engine(const struct tree *tree, const struct files *files,
				  struct text *report, struct fix_error *err)
{
	struct fix_options options = {
		.payload = files->data[CF_GIVEN],
		.payload_size = files->size[CF_GIVEN],
		.payload_name = "test payload",
		.tool_version = "test",
		.timestamp = "2026-01-01 00:00:00 UTC",
		.where = "test",
		.layout = { .known = true, .esp_partition = 1, .windows_partition = 2,
			    .how = "given by the test" },
	};
	struct posix_fix backend;
	struct fix_plan *plan = NULL;
	enum fix_status status;

	status = posix_fix_init(&backend, tree->windows, tree->esp, err);
	if (status == FIX_OK)
		status = fix_make_plan(&posix_fix_backend, &backend, &options, &plan, err);
	if (status != FIX_OK)
		return status;
	fix_report(plan, FIX_VERBOSE, report); /* the plan: problems are listed here */
	fix_execute(plan);
	fix_report(plan, FIX_VERBOSE, report);
	fix_plan_free(plan);
	return FIX_OK;
}

/* Every slot holds what the decision leaves there. */
static bool files_as_decided(const struct tree *tree, const struct wrap_case *c,
			     const struct files *files)
{
	char relative[128], path[PATH_MAX];
	bool ok = true;

	for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
		for (unsigned slot = 0; slot < WC_SLOTS; slot++) {
			enum wrap_case_file want = wrap_case_after(c, i, slot);
			bool right;

			esp_path(i, slot, relative, sizeof(relative));
			tree_path(tree, relative, path);
			right = want == CF_NONE ? !file_exists(path) :
						  file_equals(path, files->data[want],
							      files->size[want]);
			if (!right)
				tap_diag("%s: not %s", relative, wrap_case_file_name(want));
			ok = ok && right;
		}
	return ok;
}

static bool esp_problem_reported(const struct text *report)
{
	return strstr(text_string(report), "problem  \\EFI\\") != NULL;
}

static void show_report(const struct text *report)
{
	for (const char *line = text_string(report); *line;) {
		const char *end = strchr(line, '\n');
		int n = end ? (int)(end - line) : (int)strlen(line);

		printf("#   %.*s\n", n, line);
		line += n + (end ? 1 : 0);
	}
}

static void test_case(const struct wrap_case *c, const struct files *files)
{
	struct text report = TEXT_INIT;
	struct fix_error err;
	struct tree tree;
	enum fix_status status;
	bool problem = false, ok;

	for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
		problem = problem || wrap_is_problem(&c->want[i]);
	ok = tree_new(&tree) && windows_new(&tree) && esp_new(&tree, c, files);
	if (!ok) {
		tap_ok(false, "engine: %s (setup failed)", c->name);
		tree_remove(&tree);
		return;
	}
	status = run_engine(&tree, files, &report, &err);
	if (status != FIX_OK) {
		/* Nothing at any loader path is no ESP of this Windows: the
		 * engine refuses to start, which changes nothing either. */
		bool empty = true;

		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
			empty = empty && c->want[i].action == WRAP_NONE;
		tap_ok(empty && files_as_decided(&tree, c, files),
		       "engine: %s (refused: %s)", c->name, err.message);
		tree_remove(&tree);
		return;
	}
	ok = files_as_decided(&tree, c, files);
	if (esp_problem_reported(&report) != problem) {
		tap_diag("a problem on the ESP is %sreported", problem ? "not " : "");
		ok = false;
	}
	if (strstr(text_string(&report), "FAILED")) {
		tap_diag("a step failed");
		ok = false;
	}
	if (!tap_ok(ok, "engine: %s", c->name))
		show_report(&report);
	text_free(&report);
	tree_remove(&tree);
}

int main(void)
{
	struct files files;

	if (!files_new(&files)) {
		tap_ok(false, "setup: out of memory");
		return tap_done();
	}
	for (size_t n = 0; n < WRAP_CASE_COUNT; n++)
		test_case(&wrap_cases[n], &files);
	files_free(&files);
	return tap_done();
}
