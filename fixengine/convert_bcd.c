/*
 * convert_bcd.c - the UEFI boot store of a converted disk, through a fix
 * backend (see convert_bcd.h; the formats are convert.h's)
 *
 * SPDX-License-Identifier: MIT
 */
#include "convert_bcd.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The message cut to fit: a long path must not lose the whole reason. */
static void say(struct fix_error *err, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct fix_error *err, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(err->message, sizeof(err->message), format, ap);
	va_end(ap);
}

struct bcd_writer {
	const struct fix_backend *backend;
	struct fix_hive *hive;
	const char *shown; /* the hive as the user sees it, for messages */
	struct fix_error *err;
	bool failed;
};

/* s as REG_SZ data: UTF-16LE with its NUL (only ASCII is ever given). */
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

static void put_le(uint8_t *out, uint64_t value, size_t size)
{
	for (size_t i = 0; i < size; i++)
		out[i] = (uint8_t)(value >> (8 * i));
}

static void set_value(struct bcd_writer *w, const char *key, const char *name, uint32_t type,
		      const void *data, size_t size)
{
	struct fix_error why;

	if (w->failed)
		return;
	memset(&why, 0, sizeof(why));
	if (w->backend->hive_set(w->hive, key, name, type, data, size, &why) != FIX_OK) {
		say(w->err, "%s: setting %s\\%s failed: %s",
			 w->shown, key, name, why.message);
		w->failed = true;
	}
}

/* Objects\{guid}\Description\Type; the elements follow under Elements. */
static void bcd_object(struct bcd_writer *w, const char *guid, uint32_t type)
{
	char key[96];
	uint8_t dword[4];

	snprintf(key, sizeof(key), "Objects\\%s\\Description", guid);
	put_le(dword, type, sizeof(dword));
	set_value(w, key, "Type", FIX_REG_DWORD, dword, sizeof(dword));
}

static void bcd_element(struct bcd_writer *w, const char *guid, uint32_t type,
			uint32_t reg_type, const void *data, size_t size)
{
	char key[96];

	snprintf(key, sizeof(key), "Objects\\%s\\Elements\\%08X", guid, (unsigned)type);
	set_value(w, key, "Element", reg_type, data, size);
}

static void bcd_string(struct bcd_writer *w, const char *guid, uint32_t type, const char *text)
{
	uint8_t data[512];

	bcd_element(w, guid, type, FIX_REG_SZ, data, utf16_of(text, data, sizeof(data)));
}

/* An object list of one: REG_MULTI_SZ, the string and an empty one. */
static void bcd_list(struct bcd_writer *w, const char *guid, uint32_t type, const char *member)
{
	uint8_t data[128];
	size_t size = utf16_of(member, data, sizeof(data) - 2);

	data[size] = data[size + 1] = 0;
	bcd_element(w, guid, type, FIX_REG_MULTI_SZ, data, size + 2);
}

static void bcd_integer(struct bcd_writer *w, const char *guid, uint32_t type, uint64_t value)
{
	uint8_t data[8];

	put_le(data, value, sizeof(data));
	bcd_element(w, guid, type, FIX_REG_BINARY, data, sizeof(data));
}

/* What every application object carries: its type, the device and path
 * of its program, a description, the locale, and the settings object it
 * inherits from. */
static void bcd_application(struct bcd_writer *w, const char *guid, uint32_t type,
			    const uint8_t device[CONVERT_BCD_DEVICE_SIZE], const char *path,
			    const char *description, const char *inherits)
{
	bcd_object(w, guid, type);
	bcd_element(w, guid, CONVERT_BCD_APPLICATION_DEVICE, FIX_REG_BINARY, device,
		    CONVERT_BCD_DEVICE_SIZE);
	bcd_string(w, guid, CONVERT_BCD_APPLICATION_PATH, path);
	bcd_string(w, guid, CONVERT_BCD_DESCRIPTION, description);
	bcd_string(w, guid, CONVERT_BCD_LOCALE, "en-US");
	bcd_list(w, guid, CONVERT_BCD_INHERIT, inherits);
}

/* A random GUID (RFC 4122 version 4) from 16 random bytes, as BCD names it. */
static void object_name(const uint8_t random[16], char out[39])
{
	uint8_t guid[16];

	memcpy(guid, random, sizeof(guid));
	guid[7] = (uint8_t)((guid[7] & 0x0f) | 0x40);
	guid[8] = (uint8_t)((guid[8] & 0x3f) | 0x80);
	convert_bcd_guid_text(guid, out);
}

enum fix_status convert_bcd_fill(const struct fix_backend *backend, void *ctx,
				 enum fix_volume volume, const char *path,
				 const struct convert_layout *layout, const uint8_t new_guids[32],
				 struct fix_error *err)
{
	const struct convert_partition *esp = &layout->partition[layout->esp];
	const struct convert_partition *windows = &layout->partition[layout->windows];
	uint8_t esp_device[CONVERT_BCD_DEVICE_SIZE], windows_device[CONVERT_BCD_DEVICE_SIZE];
	char loader[39], resume[39], shown[FIX_ERROR_MAX / 2];
	struct bcd_writer w = { backend, NULL, shown, err, false };
	struct fix_error why;

	backend->display_path(ctx, volume, path, shown, sizeof(shown));
	memset(&why, 0, sizeof(why));
	if (backend->hive_open(ctx, volume, path, true, &w.hive, &why) != FIX_OK) {
		say(err, "%s (a copy of BCD-Template) does not "
			 "open as a hive: %s", shown, why.message);
		return FIX_ERROR;
	}
	object_name(new_guids, loader);
	object_name(new_guids + 16, resume);
	convert_bcd_device_gpt(layout->disk_guid, esp->guid, esp_device);
	convert_bcd_device_gpt(layout->disk_guid, windows->guid, windows_device);

	bcd_application(&w, CONVERT_BCD_BOOTMGR, CONVERT_BCD_TYPE_BOOTMGR, esp_device,
			"\\EFI\\Microsoft\\Boot\\bootmgfw.efi", "Windows Boot Manager",
			CONVERT_BCD_GLOBALSETTINGS);
	bcd_string(&w, CONVERT_BCD_BOOTMGR, CONVERT_BCD_DEFAULT, loader);
	bcd_string(&w, CONVERT_BCD_BOOTMGR, CONVERT_BCD_BOOTMGR_RESUME, resume);
	bcd_list(&w, CONVERT_BCD_BOOTMGR, CONVERT_BCD_DISPLAY_ORDER, loader);
	bcd_integer(&w, CONVERT_BCD_BOOTMGR, CONVERT_BCD_TIMEOUT, 30);

	bcd_application(&w, loader, CONVERT_BCD_TYPE_OSLOADER, windows_device,
			"\\Windows\\system32\\winload.efi", "Windows 7",
			CONVERT_BCD_BOOTLOADERSETTINGS);
	bcd_element(&w, loader, CONVERT_BCD_OS_DEVICE, FIX_REG_BINARY, windows_device,
		    sizeof(windows_device));
	bcd_string(&w, loader, CONVERT_BCD_SYSTEM_ROOT, "\\Windows");
	bcd_string(&w, loader, CONVERT_BCD_LOADER_RESUME, resume);
	bcd_integer(&w, loader, CONVERT_BCD_NX_POLICY, 0);

	bcd_application(&w, resume, CONVERT_BCD_TYPE_RESUME, windows_device,
			"\\Windows\\system32\\winresume.efi", "Windows Resume Application",
			CONVERT_BCD_RESUMELOADERSETTINGS);
	bcd_element(&w, resume, CONVERT_BCD_HIBERFILE_DEVICE, FIX_REG_BINARY, windows_device,
		    sizeof(windows_device));
	bcd_string(&w, resume, CONVERT_BCD_HIBERFILE_PATH, "\\hiberfil.sys");

	if (!w.failed && backend->hive_commit(w.hive, &why) != FIX_OK) {
		say(err, "%s: the boot store was not written: %s",
			 shown, why.message);
		w.failed = true;
	}
	backend->hive_close(w.hive);
	return w.failed ? FIX_ERROR : FIX_OK;
}
