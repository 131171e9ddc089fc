/*
 * convert_hive.c - the registry hives win7gen2 convert reads and writes
 *
 * hivex on copies held in memory: the SYSTEM hive (the Windows check,
 * MountedDevices).  The layouts and where they come from are in
 * fixengine/convert.h; the UEFI BCD is written by the engine
 * (fixengine/convert_bcd.c) through a fix backend.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert_hive.h"

hive_h *convert_hive_open(const uint8_t *data, size_t size, int *fd, int flags)
{
	char path[64];
	hive_h *hive;

	*fd = memfd_create("win7gen2-hive", MFD_CLOEXEC);
	if (*fd < 0)
		return NULL;
	for (size_t done = 0; done < size;) {
		ssize_t put = write(*fd, data + done, size - done);

		if (put <= 0) {
			close(*fd);
			*fd = -1;
			return NULL;
		}
		done += (size_t)put;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", *fd);
	hive = hivex_open(path, flags);
	if (!hive) {
		close(*fd);
		*fd = -1;
	}
	return hive;
}

char *convert_hive_string(hive_h *hive, const char *key, const char *name)
{
	hive_node_h node = hivex_root(hive);
	char *copy = strdup(key), *part, *save = NULL;
	hive_value_h value;
	char *result = NULL;

	if (!copy)
		return NULL;
	for (part = strtok_r(copy, "\\", &save); part && node;
	     part = strtok_r(NULL, "\\", &save))
		node = hivex_node_get_child(hive, node, part);
	if (node && (value = hivex_node_get_value(hive, node, name)) != 0)
		result = hivex_value_string(hive, value);
	free(copy);
	return result;
}

int32_t convert_hive_dword(hive_h *hive, const char *key, const char *name)
{
	hive_node_h node = hivex_root(hive);
	char *copy = strdup(key), *part, *save = NULL;
	hive_value_h value;
	int32_t result = -1;

	if (!copy)
		return -1;
	for (part = strtok_r(copy, "\\", &save); part && node;
	     part = strtok_r(NULL, "\\", &save))
		node = hivex_node_get_child(hive, node, part);
	if (node && (value = hivex_node_get_value(hive, node, name)) != 0)
		result = hivex_value_dword(hive, value);
	if (result < 0)
		errno = 0;
	free(copy);
	return result;
}

int convert_hive_bytes(hive_h *hive, int fd, uint8_t **out, size_t *size, const char *what,
		       struct text *err)
{
	struct stat st;

	*out = NULL;
	if (hivex_commit(hive, NULL, 0) < 0 || fstat(fd, &st) < 0) {
		text_appendf(err, "%s: the changed hive was not written (%s)", what, strerror(errno));
		return -1;
	}
	*size = (size_t)st.st_size;
	*out = malloc(*size ? *size : 1);
	if (!*out || pread(fd, *out, *size, 0) != (ssize_t)*size) {
		free(*out);
		*out = NULL;
		text_appendf(err, "%s: the changed hive does not read back", what);
		return -1;
	}
	return 0;
}

/* A disk has four MBR partitions, each with a drive letter and a volume
 * name: more entries than this would not be Windows' own. */
#define MOUNTED_MAX 64

int convert_mounted_devices(uint8_t **hive_bytes, size_t *hive_size,
			    const struct convert_layout *layout, unsigned *changed,
			    struct text *err)
{
	uint8_t *data = NULL;
	size_t size;
	hive_h *hive = NULL;
	hive_node_h node;
	hive_value_h *values = NULL;
	int hive_fd = -1, rc = -1;
	hive_set_value sets[MOUNTED_MAX];

	*changed = 0;
	hive = convert_hive_open(*hive_bytes, *hive_size, &hive_fd, HIVEX_OPEN_WRITE);
	if (!hive) {
		text_append(err, "\\Windows\\System32\\config\\SYSTEM does not open for writing");
		goto out;
	}
	node = hivex_node_get_child(hive, hivex_root(hive), "MountedDevices");
	values = node ? hivex_node_values(hive, node) : NULL;
	/* Every change is decided before the first is made: setting a value
	 * rewrites the key's value list, which the handles point into. */
	for (size_t i = 0; values && values[i]; i++) {
		char *key = hivex_value_key(hive, values[i]);
		hive_type type;
		size_t length;
		char *value = hivex_value_value(hive, values[i], &type, &length);
		uint8_t gpt_form[CONVERT_MOUNTED_GPT_SIZE];

		if (key && value && type == hive_t_REG_BINARY &&
		    convert_mounted_device(layout, (const uint8_t *)value, length, gpt_form) &&
		    *changed < MOUNTED_MAX) {
			sets[*changed].key = key;
			sets[*changed].t = hive_t_REG_BINARY;
			sets[*changed].len = sizeof(gpt_form);
			sets[*changed].value = malloc(sizeof(gpt_form));
			if (!sets[*changed].value) {
				free(key);
				free(value);
				text_append(err, "out of memory");
				goto out;
			}
			memcpy(sets[*changed].value, gpt_form, sizeof(gpt_form));
			(*changed)++;
		} else
			free(key);
		free(value);
	}
	for (unsigned i = 0; i < *changed; i++)
		if (hivex_node_set_value(hive, node, &sets[i], 0) < 0) {
			text_appendf(err, "MountedDevices\\%s: setting it failed (%s)", sets[i].key,
				     strerror(errno));
			goto out;
		}
	if (*changed == 0) {
		rc = 0;
		goto out;
	}
	if (convert_hive_bytes(hive, hive_fd, &data, &size, "SYSTEM", err) < 0)
		goto out;
	free(*hive_bytes);
	*hive_bytes = data;
	*hive_size = size;
	data = NULL;
	rc = 0;
out:
	for (unsigned i = 0; i < *changed; i++) {
		free(sets[i].key);
		free(sets[i].value);
	}
	free(values);
	free(data);
	if (hive)
		hivex_close(hive);
	if (hive_fd >= 0)
		close(hive_fd);
	return rc;
}

