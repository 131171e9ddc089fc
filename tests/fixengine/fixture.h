/*
 * fixture.h - synthetic Windows volumes, ESPs and hives for the engine tests
 *
 * A test gets a fresh directory with win/ (the Windows volume) and esp/
 * beside each other, fills them with fake loaders, a payload and a SYSTEM
 * hive built with hivex from tests/fixtures/registry/empty.hive, runs
 * the engine and reads the result back.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TEST_FIXTURE_H
#define WIN7GEN2_TEST_FIXTURE_H

#include <hivex.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tree {
	char root[PATH_MAX / 2];
	char windows[PATH_MAX]; /* root/win */
	char esp[PATH_MAX];     /* root/esp */
};

bool tree_new(struct tree *tree);
void tree_remove(const struct tree *tree);

/* root-relative path ('/'-separated) in buf. */
const char *tree_path(const struct tree *tree, const char *relative, char buf[PATH_MAX]);

/* Files; parents are created for writes. */
bool file_write(const char *path, const void *data, size_t size);
bool file_read(const char *path, uint8_t **data, size_t *size);
bool file_equals(const char *path, const void *data, size_t size);
bool file_exists(const char *path);
bool file_contains(const char *path, const char *text);

/* An x64 PE image: a stand-in for a Microsoft loader (text identifies it,
 * and it names Microsoft in UTF-16 as theirs do) or, with the marker and
 * version, for win7gen2.efi.  Returns the size. */
#define FAKE_EFI_MAX 512
size_t fake_loader(uint8_t buf[FAKE_EFI_MAX], const char *text);
size_t fake_payload(uint8_t buf[FAKE_EFI_MAX], const char *version, const char *build);

/* Building a hive: start from the empty fixture, set values (keys on the
 * way are created), save to a file. */
hive_h *hive_new(void);
bool hive_set_dword(hive_h *h, const char *key, const char *name, uint32_t value);
bool hive_set_string(hive_h *h, const char *key, const char *name, const char *value,
		     hive_type type);
bool hive_save(hive_h *h, const char *path);

/* Reading a hive file back. */
bool hive_get_dword(const char *path, const char *key, const char *name, uint32_t *value);
bool hive_get_string(const char *path, const char *key, const char *name, char *buf,
		     size_t size);
bool hive_key_present(const char *path, const char *key);

/* Every file below a directory with its bytes and modification time. */
struct snapshot_entry {
	char *path;
	uint8_t *data;
	size_t size;
	long long mtime_ns;
	unsigned mode;
};

struct snapshot {
	struct snapshot_entry *entries;
	size_t count;
};

bool snapshot_take(const char *root, struct snapshot *snapshot);
/* True if equal; else why holds the first difference. */
bool snapshot_same(const struct snapshot *a, const struct snapshot *b, char *why, size_t size);
void snapshot_free(struct snapshot *snapshot);

#endif
