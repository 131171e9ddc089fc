/*
 * fixture.c - synthetic Windows volumes, ESPs and hives for the engine tests
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */

#include "fixture.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "win7gen2.h"
#include "fake-pe.h"

bool tree_new(struct tree *tree)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(tree->root, sizeof(tree->root), "%s/win7gen2-fix-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tree->root))
		return false;
	snprintf(tree->windows, sizeof(tree->windows), "%s/win", tree->root);
	snprintf(tree->esp, sizeof(tree->esp), "%s/esp", tree->root);
	return mkdir(tree->windows, 0755) == 0 && mkdir(tree->esp, 0755) == 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tree_remove(const struct tree *tree)
{
	nftw(tree->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *tree_path(const struct tree *tree, const char *relative, char buf[PATH_MAX])
{
	snprintf(buf, PATH_MAX, "%s/%s", tree->root, relative);
	return buf;
}

static bool make_parents(const char *path)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return false;
		*slash = '/';
	}
	return true;
}

bool file_write(const char *path, const void *data, size_t size)
{
	FILE *file;
	bool ok;

	if (!make_parents(path) || !(file = fopen(path, "wb")))
		return false;
	ok = fwrite(data, 1, size, file) == size;
	return fclose(file) == 0 && ok;
}

bool file_read(const char *path, uint8_t **data, size_t *size)
{
	FILE *file = fopen(path, "rb");
	uint8_t *buffer = NULL;
	size_t used = 0, capacity = 0, n;

	if (!file)
		return false;
	do {
		if (used == capacity) {
			uint8_t *bigger = realloc(buffer, capacity ? capacity * 2 : 4096);

			if (!bigger) {
				free(buffer);
				fclose(file);
				return false;
			}
			buffer = bigger;
			capacity = capacity ? capacity * 2 : 4096;
		}
		n = fread(buffer + used, 1, capacity - used, file);
		used += n;
	} while (n > 0);
	fclose(file);
	*data = buffer;
	*size = used;
	return true;
}

bool file_equals(const char *path, const void *data, size_t size)
{
	uint8_t *found;
	size_t found_size;
	bool same;

	if (!file_read(path, &found, &found_size))
		return false;
	same = found_size == size && memcmp(found, data, size) == 0;
	free(found);
	return same;
}

bool file_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

bool file_contains(const char *path, const char *text)
{
	uint8_t *data;
	size_t size;
	bool found = false;
	size_t n = strlen(text);

	if (!file_read(path, &data, &size))
		return false;
	for (size_t i = 0; n <= size && i <= size - n && !found; i++)
		found = memcmp(data + i, text, n) == 0;
	free(data);
	return found;
}

static size_t fake_pe(uint8_t buf[FAKE_EFI_MAX], const char *text, size_t text_size)
{
	return fake_pe_image(buf, FAKE_EFI_MAX, text, text_size);
}

/* Microsoft's images name their maker in a UTF-16 version resource. */
size_t fake_loader(uint8_t buf[FAKE_EFI_MAX], const char *text)
{
	static const char company[] = "Microsoft Corporation";
	char with_company[300];
	size_t n = strlen(text) + 1;

	if (n + 2 * sizeof(company) > sizeof(with_company))
		n = sizeof(with_company) - 2 * sizeof(company);
	memcpy(with_company, text, n);
	for (size_t i = 0; i < sizeof(company); i++) {
		with_company[n + 2 * i] = company[i];
		with_company[n + 2 * i + 1] = '\0';
	}
	return fake_pe(buf, with_company, n + 2 * sizeof(company));
}

size_t fake_payload(uint8_t buf[FAKE_EFI_MAX], const char *version, const char *build)
{
	char text[200];
	int n = snprintf(text, sizeof(text), "%s%s%c%s", WIN7GEN2_PAYLOAD_MARKER, version, '\0',
			 build);

	return fake_pe(buf, text, (size_t)n + 1);
}

hive_h *hive_new(void)
{
	return hivex_open(EMPTY_HIVE, HIVEX_OPEN_WRITE);
}

static hive_node_h node_at(hive_h *h, const char *key, bool create)
{
	hive_node_h node = hivex_root(h);
	char copy[512], *saveptr = NULL;

	snprintf(copy, sizeof(copy), "%s", key);
	for (char *name = strtok_r(copy, "\\", &saveptr); name && node;
	     name = strtok_r(NULL, "\\", &saveptr)) {
		hive_node_h child = hivex_node_get_child(h, node, name);

		if (!child && create)
			child = hivex_node_add_child(h, node, name);
		node = child;
	}
	return node;
}

static bool set_value(hive_h *h, const char *key, const char *name, hive_type type,
		      const void *data, size_t size)
{
	hive_node_h node = node_at(h, key, true);
	hive_set_value value;
	char name_copy[256];
	char *data_copy = malloc(size ? size : 1);
	bool ok;

	if (!node || !data_copy) {
		free(data_copy);
		return false;
	}
	snprintf(name_copy, sizeof(name_copy), "%s", name);
	memcpy(data_copy, data, size);
	value.key = name_copy;
	value.t = type;
	value.len = size;
	value.value = data_copy;
	ok = hivex_node_set_value(h, node, &value, 0) == 0;
	free(data_copy);
	return ok;
}

bool hive_set_dword(hive_h *h, const char *key, const char *name, uint32_t value)
{
	uint8_t data[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16),
			    (uint8_t)(value >> 24) };

	return set_value(h, key, name, hive_t_REG_DWORD, data, 4);
}

bool hive_set_string(hive_h *h, const char *key, const char *name, const char *value,
		     hive_type type)
{
	size_t n = strlen(value);
	uint8_t data[1024];

	if ((n + 1) * 2 > sizeof(data))
		return false;
	for (size_t i = 0; i <= n; i++) {
		data[2 * i] = (uint8_t)value[i];
		data[2 * i + 1] = 0;
	}
	return set_value(h, key, name, type, data, (n + 1) * 2);
}

bool hive_save(hive_h *h, const char *path)
{
	bool ok = make_parents(path) && hivex_commit(h, path, 0) == 0;

	hivex_close(h);
	return ok;
}

static hive_value_h value_at(hive_h *h, const char *key, const char *name)
{
	hive_node_h node = node_at(h, key, false);

	return node ? hivex_node_get_value(h, node, name) : 0;
}

bool hive_get_dword(const char *path, const char *key, const char *name, uint32_t *value)
{
	hive_h *h = hivex_open(path, 0);
	hive_value_h v;
	hive_type type;
	size_t length;
	bool ok = false;

	if (!h)
		return false;
	v = value_at(h, key, name);
	if (v && hivex_value_type(h, v, &type, &length) == 0 && type == hive_t_REG_DWORD &&
	    length == 4) {
		*value = (uint32_t)hivex_value_dword(h, v);
		ok = true;
	}
	hivex_close(h);
	return ok;
}

bool hive_get_string(const char *path, const char *key, const char *name, char *buf,
		     size_t size)
{
	hive_h *h = hivex_open(path, 0);
	hive_value_h v;
	char *text;
	bool ok = false;

	if (!h)
		return false;
	v = value_at(h, key, name);
	if (v && (text = hivex_value_string(h, v)) != NULL) {
		snprintf(buf, size, "%s", text);
		free(text);
		ok = true;
	}
	hivex_close(h);
	return ok;
}

bool hive_key_present(const char *path, const char *key)
{
	hive_h *h = hivex_open(path, 0);
	bool found;

	if (!h)
		return false;
	found = node_at(h, key, false) != 0;
	hivex_close(h);
	return found;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct snapshot_entry *)a)->path,
		      ((const struct snapshot_entry *)b)->path);
}

static bool snapshot_dir(const char *dir, struct snapshot *snapshot)
{
	DIR *handle = opendir(dir);
	struct dirent *entry;
	bool ok = true;

	if (!handle)
		return false;
	while (ok && (entry = readdir(handle)) != NULL) {
		struct snapshot_entry *e, *grown;
		char path[PATH_MAX];
		struct stat st;

		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		if (lstat(path, &st) != 0) {
			ok = false;
			break;
		}
		grown = realloc(snapshot->entries, (snapshot->count + 1) * sizeof(*grown));
		if (!grown) {
			ok = false;
			break;
		}
		snapshot->entries = grown;
		e = &snapshot->entries[snapshot->count++];
		memset(e, 0, sizeof(*e));
		e->path = strdup(path);
		e->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		e->mode = (unsigned)st.st_mode;
		if (S_ISREG(st.st_mode))
			ok = file_read(path, &e->data, &e->size);
		else if (S_ISDIR(st.st_mode))
			ok = snapshot_dir(path, snapshot);
	}
	closedir(handle);
	return ok;
}

bool snapshot_take(const char *root, struct snapshot *snapshot)
{
	snapshot->entries = NULL;
	snapshot->count = 0;
	if (!snapshot_dir(root, snapshot))
		return false;
	qsort(snapshot->entries, snapshot->count, sizeof(snapshot->entries[0]), compare_entries);
	return true;
}

bool snapshot_same(const struct snapshot *a, const struct snapshot *b, char *why, size_t size)
{
	size_t i;

	for (i = 0; i < a->count && i < b->count; i++) {
		const struct snapshot_entry *x = &a->entries[i], *y = &b->entries[i];

		if (strcmp(x->path, y->path) != 0) {
			snprintf(why, size, "%s / %s", x->path, y->path);
			return false;
		}
		if (x->mode != y->mode || x->size != y->size ||
		    (x->size && memcmp(x->data, y->data, x->size) != 0)) {
			snprintf(why, size, "%s: content or mode changed", x->path);
			return false;
		}
		if (x->mtime_ns != y->mtime_ns) {
			snprintf(why, size, "%s: modification time changed", x->path);
			return false;
		}
	}
	if (a->count != b->count) {
		snprintf(why, size, "%s appeared or went away",
			 i < a->count ? a->entries[i].path : b->entries[i].path);
		return false;
	}
	return true;
}

void snapshot_free(struct snapshot *snapshot)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		free(snapshot->entries[i].path);
		free(snapshot->entries[i].data);
	}
	free(snapshot->entries);
	snapshot->entries = NULL;
	snapshot->count = 0;
}
