/*
 * test-fix-races.c - the Linux backend when the tree changes under it
 *
 * backend.h promises never to follow a link out of a volume.  Checking
 * each directory on the way and then using the path text again is not
 * enough: between the check and the use, a directory can be swapped for
 * a link to somewhere else.  Here that swap happens at the worst moment,
 * deterministically: the backend's after_resolve hook (posix.h) runs it
 * after the walk and before the read, write, rename or hive access.
 * Nothing outside the volume may be read or written; the operation goes
 * to the directory that was checked, or fails.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "posix/posix.h"
#include "tap.h"

/* One swap of a directory for a link, when the backend resolves when. */
struct swap {
	const struct tree *tree;
	const char *when;   /* the engine's path that triggers it */
	const char *dir;    /* tree-relative: the directory swapped away ... */
	const char *moved;  /* ... to this name ... */
	const char *target; /* ... and replaced by a link to this one */
	bool done;
};

static bool swap_now(const struct swap *swap)
{
	char dir[PATH_MAX], moved[PATH_MAX], target[PATH_MAX];

	tree_path(swap->tree, swap->dir, dir);
	tree_path(swap->tree, swap->moved, moved);
	tree_path(swap->tree, swap->target, target);
	return rename(dir, moved) == 0 && symlink(target, dir) == 0;
}

static void swap_hook(void *ctx, enum fix_volume volume, const char *path)
{
	struct swap *swap = ctx;

	(void)volume;
	if (swap->done || strcmp(path, swap->when) != 0)
		return;
	swap->done = true;
	if (!swap_now(swap))
		tap_diag("the swap of %s failed", swap->dir);
}

struct world {
	struct tree tree;
	struct posix_fix backend;
	struct snapshot outside;
	struct fix_error err;
};

/* A volume pair and outside/ beside them, with files (tree-relative
 * name, text) in it; then the snapshot of outside/ to compare with. */
static bool world_new(struct world *w, const char *const files[][2], size_t count)
{
	char path[PATH_MAX];
	bool ok;

	memset(w, 0, sizeof(*w));
	ok = tree_new(&w->tree) && file_write(tree_path(&w->tree, "outside/.keep", path), "", 0);
	for (size_t i = 0; ok && i < count; i++)
		ok = file_write(tree_path(&w->tree, files[i][0], path), files[i][1],
				strlen(files[i][1]));
	ok = ok && posix_fix_init(&w->backend, w->tree.windows, w->tree.esp, &w->err) == FIX_OK;
	return ok && snapshot_take(tree_path(&w->tree, "outside", path), &w->outside);
}

static bool outside_untouched(struct world *w, char *why, size_t size)
{
	struct snapshot now;
	char path[PATH_MAX];
	bool same;

	if (!snapshot_take(tree_path(&w->tree, "outside", path), &now)) {
		snprintf(why, size, "(outside/ cannot be read)");
		return false;
	}
	same = snapshot_same(&w->outside, &now, why, size);
	snapshot_free(&now);
	return same;
}

static void world_free(struct world *w)
{
	snapshot_free(&w->outside);
	tree_remove(&w->tree);
}

static bool has_text(struct world *w, const char *relative, const char *text)
{
	char path[PATH_MAX];

	return file_equals(tree_path(&w->tree, relative, path), text, strlen(text));
}

static void test_write(void)
{
	static const char *const files[][2] = {
		{ "esp/EFI/Boot/bootx64.efi", "the loader" },
		{ "outside/bootx64.efi", "a file outside the ESP" },
	};
	struct world w;
	struct swap swap = { &w.tree, "EFI\\Boot\\bootx64.efi", "esp/EFI/Boot",
			     "esp/EFI/Boot.moved", "outside", false };
	char why[PATH_MAX + 64] = "";
	enum fix_status status;

	if (!tap_ok(world_new(&w, files, 2), "setup: an ESP, and a file outside it"))
		return;
	w.backend.after_resolve = swap_hook;
	w.backend.hook_ctx = &swap;
	status = posix_fix_backend.write_file(&w.backend, FIX_VOLUME_ESP, "EFI\\Boot\\bootx64.efi",
					      "the payload", 11, FIX_WRITE_REPLACE, &w.err);
	tap_ok(swap.done, "setup: \\EFI\\Boot became a link out of the ESP after it was checked");
	tap_ok(outside_untouched(&w, why, sizeof(why)),
	       "writing a file there writes nothing outside the ESP %s", why);
	tap_ok(status == FIX_OK && has_text(&w, "esp/EFI/Boot.moved/bootx64.efi", "the payload"),
	       "the file is written in the directory that was checked %s", w.err.message);
	world_free(&w);
}

static void test_read(void)
{
	static const char *const files[][2] = {
		{ "esp/EFI/Boot/bootx64.efi", "the loader" },
		{ "outside/bootx64.efi", "a file outside the ESP" },
	};
	struct world w;
	struct swap swap = { &w.tree, "EFI\\Boot\\bootx64.efi", "esp/EFI/Boot",
			     "esp/EFI/Boot.moved", "outside", false };
	struct fix_bytes bytes = { NULL, 0 };
	enum fix_status status;

	if (!tap_ok(world_new(&w, files, 2), "setup: an ESP, and a file outside it"))
		return;
	w.backend.after_resolve = swap_hook;
	w.backend.hook_ctx = &swap;
	status = posix_fix_backend.read_file(&w.backend, FIX_VOLUME_ESP, "EFI\\Boot\\bootx64.efi",
					     1024, &bytes, &w.err);
	tap_ok(swap.done && status == FIX_OK && bytes.size == 10 &&
	       memcmp(bytes.data, "the loader", 10) == 0,
	       "reading through a directory swapped for a link reads the file that was "
	       "checked, not the one outside %s", w.err.message);
	free(bytes.data);
	world_free(&w);
}

static void test_read_leaf_link(void)
{
	static const char *const files[][2] = {
		{ "esp/EFI/Boot/bootx64.efi", "the loader" },
		{ "outside/secret", "a file outside the ESP" },
	};
	struct world w;
	/* The file itself becomes a link (a "directory" of one file). */
	struct swap swap = { &w.tree, "EFI\\Boot\\bootx64.efi", "esp/EFI/Boot/bootx64.efi",
			     "esp/EFI/Boot/bootx64.moved", "outside/secret", false };
	struct fix_bytes bytes = { NULL, 0 };
	enum fix_status status;

	if (!tap_ok(world_new(&w, files, 2), "setup: an ESP, and a file outside it"))
		return;
	w.backend.after_resolve = swap_hook;
	w.backend.hook_ctx = &swap;
	status = posix_fix_backend.read_file(&w.backend, FIX_VOLUME_ESP, "EFI\\Boot\\bootx64.efi",
					     1024, &bytes, &w.err);
	tap_ok(swap.done && status == FIX_ERROR && !bytes.data &&
	       strstr(w.err.message, "does not follow links"),
	       "a file swapped for a link is refused, saying why: %s", w.err.message);
	free(bytes.data);
	world_free(&w);
}

static void test_rename(void)
{
	static const char *const files[][2] = {
		{ "esp/EFI/Boot/bootx64.efi", "the loader" },
		{ "outside/bootx64.efi", "a file outside the ESP" },
	};
	struct world w;
	struct swap swap = { &w.tree, "EFI\\Boot\\bootx64.original.efi", "esp/EFI/Boot",
			     "esp/EFI/Boot.moved", "outside", false };
	char why[PATH_MAX + 64] = "";
	enum fix_status status;

	if (!tap_ok(world_new(&w, files, 2), "setup: an ESP, and a file outside it"))
		return;
	w.backend.after_resolve = swap_hook;
	w.backend.hook_ctx = &swap;
	status = posix_fix_backend.rename_file(&w.backend, FIX_VOLUME_ESP, "EFI\\Boot\\bootx64.efi",
					       "EFI\\Boot\\bootx64.original.efi", &w.err);
	tap_ok(swap.done && outside_untouched(&w, why, sizeof(why)),
	       "a rename after the swap renames nothing outside the ESP %s", why);
	tap_ok(status == FIX_OK &&
	       has_text(&w, "esp/EFI/Boot.moved/bootx64.original.efi", "the loader"),
	       "it renames in the directory that was checked %s", w.err.message);

	/* Swapped between the two names' walks: the second walk meets the
	 * link and refuses it. */
	world_free(&w);
	if (!tap_ok(world_new(&w, files, 2), "setup: the same again"))
		return;
	swap = (struct swap){ &w.tree, "EFI\\Boot\\bootx64.efi", "esp/EFI/Boot",
			      "esp/EFI/Boot.moved", "outside", false };
	w.backend.after_resolve = swap_hook;
	w.backend.hook_ctx = &swap;
	why[0] = '\0';
	status = posix_fix_backend.rename_file(&w.backend, FIX_VOLUME_ESP, "EFI\\Boot\\bootx64.efi",
					       "EFI\\Boot\\bootx64.original.efi", &w.err);
	tap_ok(swap.done && status == FIX_ERROR && strstr(w.err.message, "does not follow links") &&
	       outside_untouched(&w, why, sizeof(why)) &&
	       has_text(&w, "esp/EFI/Boot.moved/bootx64.efi", "the loader"),
	       "swapped between the two names, it is refused and nothing moves: %s %s",
	       w.err.message, why);
	world_free(&w);
}

#define HIVE_PATH "Windows\\System32\\config\\SYSTEM"
#define SERVICE "ControlSet001\\Services\\vmbus"

/* A SYSTEM hive with vmbus' Start = start at tree-relative path. */
static bool make_hive(struct world *w, const char *relative, uint32_t start)
{
	char path[PATH_MAX];
	hive_h *h = hive_new();

	return h && hive_set_dword(h, SERVICE, "Start", start) &&
	       hive_save(h, tree_path(&w->tree, relative, path));
}

static bool start_is(struct world *w, const char *relative, uint32_t want)
{
	char path[PATH_MAX];
	uint32_t start = 0;

	return hive_get_dword(tree_path(&w->tree, relative, path), SERVICE, "Start", &start) &&
	       start == want;
}

static void test_hive_open(void)
{
	struct world w;
	struct swap swap = { &w.tree, HIVE_PATH, "win/Windows/System32/config",
			     "win/Windows/System32/config.moved", "outside", false };
	struct fix_hive *hive = NULL;
	struct fix_reg_value value = { 0, NULL, 0 };
	enum fix_status status;
	bool ok;

	memset(&w, 0, sizeof(w));
	ok = tree_new(&w.tree) && make_hive(&w, "win/Windows/System32/config/SYSTEM", 3) &&
	     make_hive(&w, "outside/SYSTEM", 7) &&
	     posix_fix_init(&w.backend, w.tree.windows, w.tree.esp, &w.err) == FIX_OK;
	if (!tap_ok(ok, "setup: a SYSTEM hive (Start 3), and another outside (Start 7)"))
		return;
	w.backend.after_resolve = swap_hook;
	w.backend.hook_ctx = &swap;
	status = posix_fix_backend.hive_open(&w.backend, FIX_VOLUME_WINDOWS, HIVE_PATH, false,
					     &hive, &w.err);
	if (status == FIX_OK)
		status = posix_fix_backend.hive_get(hive, SERVICE, "Start", &value, &w.err);
	tap_ok(swap.done && status == FIX_OK && value.size == 4 && value.data[0] == 3,
	       "a hive opened after its folder was swapped for a link is the one checked %s",
	       w.err.message);
	free(value.data);
	posix_fix_backend.hive_close(hive);
	tree_remove(&w.tree);
}

static void test_hive_commit(void)
{
	struct world w;
	struct fix_hive *hive = NULL;
	uint8_t boot_start[4] = { 0, 0, 0, 0 };
	char why[PATH_MAX + 64] = "";
	enum fix_status status;
	bool ok;

	memset(&w, 0, sizeof(w));
	ok = tree_new(&w.tree) && make_hive(&w, "win/Windows/System32/config/SYSTEM", 3) &&
	     make_hive(&w, "outside/SYSTEM", 7) &&
	     posix_fix_init(&w.backend, w.tree.windows, w.tree.esp, &w.err) == FIX_OK;
	ok = ok && posix_fix_backend.hive_open(&w.backend, FIX_VOLUME_WINDOWS, HIVE_PATH, true,
					       &hive, &w.err) == FIX_OK &&
	     posix_fix_backend.hive_set(hive, SERVICE, "Start", FIX_REG_DWORD, boot_start, 4,
					&w.err) == FIX_OK;
	{
		char path[PATH_MAX];

		ok = ok && snapshot_take(tree_path(&w.tree, "outside", path), &w.outside);
	}
	if (!tap_ok(ok, "setup: a hive open for writing, a value set %s", w.err.message))
		return;
	{
		struct swap swap = { &w.tree, "", "win/Windows/System32/config",
				     "win/Windows/System32/config.moved", "outside", false };

		tap_ok(swap_now(&swap), "setup: its folder is swapped for a link before the commit");
	}
	status = posix_fix_backend.hive_commit(hive, &w.err);
	posix_fix_backend.hive_close(hive);
	tap_ok(outside_untouched(&w, why, sizeof(why)),
	       "the commit writes nothing outside the volume %s", why);
	tap_ok(status == FIX_OK && start_is(&w, "win/Windows/System32/config.moved/SYSTEM", 0),
	       "the new hive replaces the one that was opened %s", w.err.message);
	world_free(&w);
}

int main(void)
{
	test_write();
	test_read();
	test_read_leaf_link();
	test_rename();
	test_hive_open();
	test_hive_commit();
	return tap_done();
}
