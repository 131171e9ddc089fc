/*
 * convert_hive.c - the registry hives win7gen2 convert reads and writes
 *
 * hivex on copies held in memory: the SYSTEM hive (the Windows check,
 * MountedDevices) and the UEFI BCD made from BCD-Template.  The layouts
 * and where they come from are in fixengine/convert.h.
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

#include "byteorder.h"
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

/* s as REG_SZ data: UTF-16LE with its NUL (ASCII only is ever given). */
static size_t utf16_of(const char *s, uint8_t *out, size_t size)
{
	size_t n = 0;

	for (; *s && 2 * n + 4 <= size; s++, n++) {
		out[2 * n] = (uint8_t)*s;
		out[2 * n + 1] = 0;
	}
	out[2 * n] = out[2 * n + 1] = 0;
	return 2 * n + 2;
}

struct bcd_writer {
	hive_h *hive;
	hive_node_h objects;
	struct text *err;
	int failed;
};

static hive_node_h child_or_add(struct bcd_writer *w, hive_node_h parent, const char *name)
{
	hive_node_h node = w->failed ? 0 : hivex_node_get_child(w->hive, parent, name);

	if (!node && !w->failed)
		node = hivex_node_add_child(w->hive, parent, name);
	if (!node && !w->failed) {
		text_appendf(w->err, "BCD: making key %s failed (%s)", name, strerror(errno));
		w->failed = 1;
	}
	return node;
}

static void set_value(struct bcd_writer *w, hive_node_h node, const char *name,
		      hive_type type, const void *data, size_t size)
{
	hive_set_value value = { (char *)name, type, size, (char *)(uintptr_t)data };

	if (!w->failed && hivex_node_set_value(w->hive, node, &value, 0) < 0) {
		text_appendf(w->err, "BCD: setting %s failed (%s)", name, strerror(errno));
		w->failed = 1;
	}
}

/* Objects\{guid} with its type; its Elements key. */
static hive_node_h bcd_object(struct bcd_writer *w, const char *guid, uint32_t type)
{
	hive_node_h object, description;
	uint8_t dword[4];

	if (w->failed || !(object = child_or_add(w, w->objects, guid)) ||
	    !(description = child_or_add(w, object, "Description")))
		return 0;
	put_le32(dword, type);
	set_value(w, description, "Type", hive_t_REG_DWORD, dword, sizeof(dword));
	return w->failed ? 0 : child_or_add(w, object, "Elements");
}

static void bcd_element(struct bcd_writer *w, hive_node_h elements, uint32_t type,
			hive_type reg_type, const void *data, size_t size)
{
	char name[16];
	hive_node_h element;

	if (w->failed || !elements)
		return;
	snprintf(name, sizeof(name), "%08X", (unsigned)type);
	element = child_or_add(w, elements, name);
	if (element)
		set_value(w, element, "Element", reg_type, data, size);
}

static void bcd_string(struct bcd_writer *w, hive_node_h elements, uint32_t type,
		       const char *text)
{
	uint8_t data[512];

	bcd_element(w, elements, type, hive_t_REG_SZ, data, utf16_of(text, data, sizeof(data)));
}

/* An object list of one: REG_MULTI_SZ, the string and an empty one. */
static void bcd_list(struct bcd_writer *w, hive_node_h elements, uint32_t type,
		     const char *guid)
{
	uint8_t data[128];
	size_t size = utf16_of(guid, data, sizeof(data) - 2);

	data[size] = data[size + 1] = 0;
	bcd_element(w, elements, type, hive_t_REG_MULTI_SZ, data, size + 2);
}

static void bcd_integer(struct bcd_writer *w, hive_node_h elements, uint32_t type,
			uint64_t value)
{
	uint8_t data[8];

	put_le(data, value, 8);
	bcd_element(w, elements, type, hive_t_REG_BINARY, data, sizeof(data));
}

int convert_make_bcd(const uint8_t *template, size_t size, const struct convert_layout *layout,
		     const uint8_t new_guids[32], uint8_t **out, size_t *out_size,
		     struct text *err)
{
	const struct convert_partition *esp = &layout->partition[layout->esp];
	const struct convert_partition *windows = &layout->partition[layout->windows];
	uint8_t esp_device[CONVERT_BCD_DEVICE_SIZE];
	uint8_t windows_device[CONVERT_BCD_DEVICE_SIZE], guid[16];
	char loader[39], resume[39];
	struct bcd_writer w = { NULL, 0, err, 0 };
	hive_node_h elements;
	int hive_fd = -1, rc = -1;

	*out = NULL;
	w.hive = convert_hive_open(template, size, &hive_fd, HIVEX_OPEN_WRITE);
	if (!w.hive) {
		text_append(err, "\\Windows\\System32\\config\\BCD-Template is not a hive hivex "
			    "can read");
		return -1;
	}
	memcpy(guid, new_guids, 16);
	guid[7] = (uint8_t)((guid[7] & 0x0f) | 0x40);
	guid[8] = (uint8_t)((guid[8] & 0x3f) | 0x80);
	convert_bcd_guid_text(guid, loader);
	memcpy(guid, new_guids + 16, 16);
	guid[7] = (uint8_t)((guid[7] & 0x0f) | 0x40);
	guid[8] = (uint8_t)((guid[8] & 0x3f) | 0x80);
	convert_bcd_guid_text(guid, resume);
	convert_bcd_device_gpt(layout->disk_guid, esp->guid, esp_device);
	convert_bcd_device_gpt(layout->disk_guid, windows->guid, windows_device);

	w.objects = child_or_add(&w, hivex_root(w.hive), "Objects");

	elements = bcd_object(&w, CONVERT_BCD_BOOTMGR, CONVERT_BCD_TYPE_BOOTMGR);
	bcd_element(&w, elements, CONVERT_BCD_APPLICATION_DEVICE, hive_t_REG_BINARY, esp_device,
		    sizeof(esp_device));
	bcd_string(&w, elements, CONVERT_BCD_APPLICATION_PATH, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
	bcd_string(&w, elements, CONVERT_BCD_DESCRIPTION, "Windows Boot Manager");
	bcd_string(&w, elements, CONVERT_BCD_LOCALE, "en-US");
	bcd_list(&w, elements, CONVERT_BCD_INHERIT, CONVERT_BCD_GLOBALSETTINGS);
	bcd_string(&w, elements, CONVERT_BCD_DEFAULT, loader);
	bcd_string(&w, elements, CONVERT_BCD_BOOTMGR_RESUME, resume);
	bcd_list(&w, elements, CONVERT_BCD_DISPLAY_ORDER, loader);
	bcd_integer(&w, elements, CONVERT_BCD_TIMEOUT, 30);

	elements = bcd_object(&w, loader, CONVERT_BCD_TYPE_OSLOADER);
	bcd_element(&w, elements, CONVERT_BCD_APPLICATION_DEVICE, hive_t_REG_BINARY,
		    windows_device, sizeof(windows_device));
	bcd_string(&w, elements, CONVERT_BCD_APPLICATION_PATH, "\\Windows\\system32\\winload.efi");
	bcd_string(&w, elements, CONVERT_BCD_DESCRIPTION, "Windows 7");
	bcd_string(&w, elements, CONVERT_BCD_LOCALE, "en-US");
	bcd_list(&w, elements, CONVERT_BCD_INHERIT, CONVERT_BCD_BOOTLOADERSETTINGS);
	bcd_element(&w, elements, CONVERT_BCD_OS_DEVICE, hive_t_REG_BINARY, windows_device,
		    sizeof(windows_device));
	bcd_string(&w, elements, CONVERT_BCD_SYSTEM_ROOT, "\\Windows");
	bcd_string(&w, elements, CONVERT_BCD_LOADER_RESUME, resume);
	bcd_integer(&w, elements, CONVERT_BCD_NX_POLICY, 0);

	elements = bcd_object(&w, resume, CONVERT_BCD_TYPE_RESUME);
	bcd_element(&w, elements, CONVERT_BCD_APPLICATION_DEVICE, hive_t_REG_BINARY,
		    windows_device, sizeof(windows_device));
	bcd_string(&w, elements, CONVERT_BCD_APPLICATION_PATH, "\\Windows\\system32\\winresume.efi");
	bcd_string(&w, elements, CONVERT_BCD_DESCRIPTION, "Windows Resume Application");
	bcd_string(&w, elements, CONVERT_BCD_LOCALE, "en-US");
	bcd_list(&w, elements, CONVERT_BCD_INHERIT, CONVERT_BCD_RESUMELOADERSETTINGS);
	bcd_element(&w, elements, CONVERT_BCD_HIBERFILE_DEVICE, hive_t_REG_BINARY, windows_device,
		    sizeof(windows_device));
	bcd_string(&w, elements, CONVERT_BCD_HIBERFILE_PATH, "\\hiberfil.sys");

	if (!w.failed)
		rc = convert_hive_bytes(w.hive, hive_fd, out, out_size, "BCD", err);

	hivex_close(w.hive);
	close(hive_fd);
	return rc;
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

