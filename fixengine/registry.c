/*
 * registry.c - plan the SYSTEM hive: what a Gen2 boot of Windows 7 needs
 *
 * Every ControlSet00N is checked, not only the current one: Windows
 * falls back to another set (LastKnownGood) after a failed boot, and a
 * set without the fix would fail the same way.  The values come from
 * registry_table.c (with the boot disk wait the caller chose);
 * FirmwareBootDevice and SystemBootDevice from the disk (below).
 * Nothing is written here: changes become plan items.
 *
 * A hive that does not open or parse becomes a problem in the plan and
 * is never written.  Before the first write ever, execute.c copies the
 * hive to SYSTEM.win7gen2-backup, which is never replaced afterwards.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcname.h"
#include "ascii.h"
#include "plan.h"
#include "registry_table.h"
#include "regvalue.h"

#define MAX_CONTROL_SETS 32
#define CONTROL_SET_NAME_MAX 16  /* "ControlSet001" and the NUL */
#define KEY_MAX 256
#define WINDOWS_PATH_MAX 300
#define HIVE_LABEL "SYSTEM "     /* how registry items start in reports */

struct control_sets {
	char name[MAX_CONTROL_SETS][CONTROL_SET_NAME_MAX];
	unsigned count;
	bool too_many;
};

static bool is_control_set_name(const char *name)
{
	static const char prefix[] = "ControlSet";
	size_t n = sizeof(prefix) - 1;
	char head[sizeof(prefix)];

	if (strlen(name) != n + 3)
		return false;
	memcpy(head, name, n);
	head[n] = '\0';
	return ascii_casecmp(head, prefix) == 0 && ascii_is_digit(name[n]) &&
	       ascii_is_digit(name[n + 1]) && ascii_is_digit(name[n + 2]);
}

static bool collect_control_set(void *ctx, const char *name)
{
	struct control_sets *sets = ctx;

	if (!is_control_set_name(name))
		return true;
	if (sets->count == MAX_CONTROL_SETS) {
		sets->too_many = true;
		return false;
	}
	strcpy(sets->name[sets->count++], name);
	return true;
}

static int compare_set_names(const void *a, const void *b)
{
	return ascii_casecmp(a, b);
}

static bool join_key(char *buf, const char *set, const char *key)
{
	int n = snprintf(buf, KEY_MAX, "%s\\%s", set, key);

	return n > 0 && n < KEY_MAX;
}

/* ------------------------------------------------------------------ */
/* Services: installed, of the right type, with their driver file.     */

static const char *type_name(uint32_t type)
{
	switch (type) {
	case 1:
		return "kernel driver";
	case 2:
		return "file system driver";
	default:
		return "not a driver";
	}
}

/*
 * Where ImagePath points on the Windows volume.  Driver image paths are
 * relative to the Windows directory ("system32\DRIVERS\vmbus.sys") or
 * start with \SystemRoot\ or %SystemRoot%\; a drive-letter or other
 * absolute path cannot be mapped to the volume from here (false).
 */
static bool image_path_on_volume(const char *image_path, char *out, size_t size)
{
	static const char *const prefixes[] = { "\\SystemRoot\\", "%SystemRoot%\\",
						"%windir%\\" };
	char path[WINDOWS_PATH_MAX];
	const char *rest = path;
	size_t n = strlen(image_path);
	int written;

	if (n == 0 || n >= sizeof(path))
		return false;
	for (size_t i = 0; i <= n; i++)
		path[i] = image_path[i] == '/' ? '\\' : image_path[i];
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t p = strlen(prefixes[i]);
		char head[16];

		if (n <= p)
			continue;
		memcpy(head, path, p);
		head[p] = '\0';
		if (ascii_casecmp(head, prefixes[i]) == 0) {
			rest = path + p;
			break;
		}
	}
	if (rest == path && (path[0] == '\\' || strchr(path, ':')))
		return false;
	/* Only plain components: nothing empty, no "." or "..". */
	for (const char *c = rest; *c;) {
		const char *end = strchr(c, '\\');
		size_t length = end ? (size_t)(end - c) : strlen(c);

		if (length == 0 || (c[0] == '.' && (length == 1 || (length == 2 && c[1] == '.'))))
			return false;
		c += length + (end ? 1 : 0);
	}
	written = snprintf(out, size, "Windows\\%s", rest);
	return written > 0 && (size_t)written < size;
}

/* False (with a problem in the plan) when nothing may be set for it. */
static bool check_service(struct fix_plan *plan, struct fix_hive *hive, const char *set,
			  const struct registry_service *service)
{
	const struct fix_backend *backend = plan->backend;
	struct fix_reg_value value = { 0, NULL, 0 };
	char key[KEY_MAX], services[KEY_MAX], file[WINDOWS_PATH_MAX], text[WINDOWS_PATH_MAX];
	struct fix_error err;
	struct fix_item *item;
	enum fix_status status;
	uint32_t type;

	snprintf(services, sizeof(services), "Services\\%s", service->name);
	if (!join_key(key, set, services)) {
		plan->out_of_memory = true;
		return false;
	}
	status = backend->hive_key_exists(hive, key, &err);
	if (status != FIX_OK) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM, HIVE_LABEL "%s", key);
		if (status == FIX_NOT_FOUND) {
			item_before(plan, item, "not installed");
			item_detail(plan, item,
				    "%s is needed: install it in this Windows; win7gen2 "
				    "does not create services", service->package);
		} else {
			item_before(plan, item, "cannot be read: %s", err.message);
		}
		return false;
	}

	status = backend->hive_get(hive, key, "Type", &value, &err);
	if (status == FIX_ERROR || !regvalue_dword(&value, &type) || type != service->type) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM, HIVE_LABEL "%s: Type", key);
		if (status == FIX_ERROR) {
			item_before(plan, item, "cannot be read: %s", err.message);
		} else if (status == FIX_NOT_FOUND) {
			item_before(plan, item, "missing");
		} else {
			regvalue_describe(&value, text, sizeof(text));
			item_before(plan, item, "%s", text);
		}
		item_after(plan, item, "%lu (%s)", (unsigned long)service->type,
			   type_name(service->type));
		item_detail(plan, item, "not the %s this service should be; left alone: "
			    "reinstall %s", type_name(service->type), service->package);
		regvalue_free(&value);
		return false;
	}
	regvalue_free(&value);

	status = backend->hive_get(hive, key, "ImagePath", &value, &err);
	if (status == FIX_ERROR) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM,
				HIVE_LABEL "%s: ImagePath", key);
		item_before(plan, item, "cannot be read: %s", err.message);
		return false;
	}
	if (status == FIX_NOT_FOUND) {
		snprintf(file, sizeof(file), "Windows\\System32\\drivers\\%s", service->driver);
	} else {
		bool ascii = (value.type == FIX_REG_SZ || value.type == FIX_REG_EXPAND_SZ) &&
			     regvalue_ascii(&value, text, sizeof(text));

		if (!ascii)
			regvalue_describe(&value, text, sizeof(text));
		regvalue_free(&value);
		if (!ascii || !image_path_on_volume(text, file, sizeof(file))) {
			item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_NOTE,
					HIVE_LABEL "%s: ImagePath", key);
			item_before(plan, item, ascii ? "\"%s\"" : "%s", text);
			item_detail(plan, item, "not a path on this volume: the driver file "
				    "was not checked");
			return true;
		}
	}
	status = backend->file_exists(plan->backend_ctx, FIX_VOLUME_WINDOWS, file, &err);
	if (status == FIX_OK)
		return true;
	item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM, HIVE_LABEL "%s", key);
	if (status == FIX_NOT_FOUND) {
		item_before(plan, item, "installed, but its driver \\%s is missing", file);
		item_detail(plan, item, "a boot-start driver that is not there stops the boot: "
			    "reinstall %s; left alone", service->package);
	} else {
		item_before(plan, item, "its driver \\%s cannot be checked: %s", file,
			    err.message);
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Settings from the table.                                            */

static const char *start_name(uint32_t start)
{
	static const char *const names[] = { "boot start", "system start", "automatic",
					     "demand start", "disabled" };

	return start < sizeof(names) / sizeof(names[0]) ? names[start] : "unknown";
}

static void describe_value(const struct registry_setting *setting,
			   const struct fix_reg_value *value, char *buf, size_t size)
{
	char text[REGVALUE_TEXT_MAX];
	uint32_t dword;

	regvalue_describe(value, text, sizeof(text));
	if (ascii_casecmp(setting->value, "Start") == 0 && regvalue_dword(value, &dword))
		snprintf(buf, size, "%s (%s)", text, start_name(dword));
	else if (setting->source == REGISTRY_BOOT_WAIT_MS && regvalue_dword(value, &dword))
		snprintf(buf, size, "%s (%lu.%lu s)", text, (unsigned long)dword / 1000,
			 (unsigned long)dword % 1000 / 100);
	else
		snprintf(buf, size, "%s", text);
}

static bool setting_matches(const struct registry_setting *setting,
			    const struct fix_reg_value *value)
{
	char text[KEY_MAX];
	uint32_t dword;

	if (setting->type == FIX_REG_DWORD)
		return regvalue_dword(value, &dword) && dword == setting->dword;
	return value->type == FIX_REG_SZ && regvalue_ascii(value, text, sizeof(text)) &&
	       ascii_casecmp(text, setting->string) == 0;
}

/* The table's entry with the value the caller chose, where it may. */
static struct registry_setting resolve_setting(const struct fix_plan *plan,
					       const struct registry_setting *setting)
{
	struct registry_setting resolved = *setting;

	if (setting->source == REGISTRY_BOOT_WAIT_MS)
		resolved.dword = plan->options.boot_wait_ms;
	return resolved;
}

static void plan_setting(struct fix_plan *plan, struct fix_hive *hive, const char *set,
			 const struct registry_setting *table_entry, unsigned group)
{
	const struct registry_setting resolved = resolve_setting(plan, table_entry);
	const struct registry_setting *setting = &resolved;
	struct fix_reg_value found = { 0, NULL, 0 }, wanted = { setting->type, NULL, 0 };
	char key[KEY_MAX], was[REGVALUE_TEXT_MAX + 40], will[REGVALUE_TEXT_MAX + 40];
	struct fix_error err;
	struct fix_item *item;
	enum fix_status status;

	if (!join_key(key, set, setting->key)) {
		plan->out_of_memory = true;
		return;
	}
	status = plan->backend->hive_get(hive, key, setting->value, &found, &err);
	if (status == FIX_ERROR) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM, HIVE_LABEL "%s: %s",
				key, setting->value);
		item_before(plan, item, "cannot be read: %s", err.message);
		return;
	}
	if (status == FIX_OK && setting_matches(setting, &found)) {
		describe_value(setting, &found, was, sizeof(was));
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_RIGHT, HIVE_LABEL "%s: %s",
				key, setting->value);
		item_before(plan, item, "%s", was);
		regvalue_free(&found);
		return;
	}

	if (setting->type == FIX_REG_DWORD) {
		wanted.data = malloc(4);
		wanted.size = 4;
		if (wanted.data)
			regvalue_encode_dword(setting->dword, wanted.data);
	} else if (!regvalue_encode_ascii(setting->string, &wanted.data, &wanted.size)) {
		wanted.data = NULL;
	}
	if (!wanted.data) {
		plan->out_of_memory = true;
		regvalue_free(&found);
		return;
	}
	if (status == FIX_NOT_FOUND)
		snprintf(was, sizeof(was), "missing");
	else
		describe_value(setting, &found, was, sizeof(was));
	describe_value(setting, &wanted, will, sizeof(will));
	regvalue_free(&found);

	item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_CHANGE, HIVE_LABEL "%s: %s", key,
			setting->value);
	item_before(plan, item, "%s", was);
	item_after(plan, item, "%s", will);
	item_detail(plan, item, "%s", setting->why);
	if (item)
		item->group = group;
	item_set_value(plan, item, key, setting->value, setting->type, wanted.data,
		       wanted.size);
}

/* ------------------------------------------------------------------ */
/* FirmwareBootDevice and SystemBootDevice.                            */

/*
 * Control\FirmwareBootDevice names the system partition (on UEFI the
 * ESP) and Control\SystemBootDevice the partition holding \Windows, as
 * ARC names ("multi(0)disk(0)rdisk(0)partition(3)").  Windows records
 * SystemBootDevice at each boot from what the loader booted from
 * (ReactOS' CmpSetSystemValues, modelled on NT, writes it from the
 * loader block); the research behind this project found a stale
 * FirmwareBootDevice on a disk moved from Gen1 (BRIEF.md section 1).
 *
 * What can be known offline: the partition numbers, when the backend or
 * the user can tell them (struct fix_disk_layout); the disk (rdisk) only
 * from the values themselves.  So:
 *   - layout known: both get their partition number; the disk number is
 *     taken from SystemBootDevice (the one Windows refreshes), else from
 *     FirmwareBootDevice; with neither readable, nothing is guessed.
 *   - layout unknown: nothing is written; values that cannot be right
 *     are reported (on different disks; the ESP named as the Windows
 *     partition, which a BIOS install does but a UEFI one cannot).
 * Missing values are left alone: Windows writes them at its next boot.
 */
struct boot_device {
	const char *name;         /* the value's name */
	enum fix_status status;
	struct fix_error error;
	bool string;              /* a REG_SZ of printable ASCII */
	char text[ARC_NAME_MAX_TEXT];
	bool parsed;
	struct arc_name arc;
};

static void read_boot_device(struct fix_plan *plan, struct fix_hive *hive, const char *key,
			     struct boot_device *device)
{
	struct fix_reg_value value = { 0, NULL, 0 };

	device->status = plan->backend->hive_get(hive, key, device->name, &value,
						 &device->error);
	if (device->status != FIX_OK)
		return;
	device->string = value.type == FIX_REG_SZ &&
			 regvalue_ascii(&value, device->text, sizeof(device->text));
	if (!device->string)
		regvalue_describe(&value, device->text, sizeof(device->text));
	device->parsed = device->string && arc_name_parse(device->text, &device->arc) &&
			 arc_name_find(&device->arc, "rdisk") &&
			 arc_name_find(&device->arc, "partition");
	regvalue_free(&value);
}

static void boot_device_problem(struct fix_plan *plan, const char *key,
				const struct boot_device *device, const char *why)
{
	struct fix_item *item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM,
					 HIVE_LABEL "%s: %s", key, device->name);

	if (device->status == FIX_ERROR)
		item_before(plan, item, "cannot be read: %s", device->error.message);
	else
		item_before(plan, item, device->string ? "\"%s\"" : "%s", device->text);
	item_detail(plan, item, "%s", why);
}

static void plan_boot_device(struct fix_plan *plan, const char *key,
			     const struct boot_device *device, const struct arc_name *template,
			     unsigned long rdisk, unsigned partition, const char *role,
			     unsigned group)
{
	struct arc_name arc = *template;
	char wanted[ARC_NAME_MAX_TEXT];
	struct fix_item *item;
	uint8_t *data;
	size_t size;

	arc_name_find(&arc, "rdisk")->number = rdisk;
	arc_name_find(&arc, "partition")->number = partition;
	if (!arc_name_format(&arc, wanted, sizeof(wanted))) {
		boot_device_problem(plan, key, device, "the corrected name does not fit");
		return;
	}
	if (device->parsed && ascii_casecmp(device->text, wanted) == 0) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_RIGHT, HIVE_LABEL "%s: %s",
				key, device->name);
		item_before(plan, item, "\"%s\" (%s)", device->text, role);
		return;
	}
	if (!regvalue_encode_ascii(wanted, &data, &size)) {
		plan->out_of_memory = true;
		return;
	}
	item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_CHANGE, HIVE_LABEL "%s: %s", key,
			device->name);
	if (device->status == FIX_NOT_FOUND)
		item_before(plan, item, "missing");
	else
		item_before(plan, item, device->string ? "\"%s\"" : "%s", device->text);
	item_after(plan, item, "\"%s\" (%s)", wanted, role);
	item_detail(plan, item, "from the disk layout: %s", plan->layout.how);
	if (item)
		item->group = group;
	item_set_value(plan, item, key, device->name, FIX_REG_SZ, data, size);
}

static void plan_boot_devices(struct fix_plan *plan, struct fix_hive *hive, const char *set,
			      unsigned group)
{
	struct boot_device firmware = { .name = "FirmwareBootDevice" };
	struct boot_device system = { .name = "SystemBootDevice" };
	const struct fix_disk_layout *layout = &plan->layout;
	const struct boot_device *source;
	unsigned long rdisk_firmware, rdisk_system, rdisk;
	char key[KEY_MAX];
	struct fix_item *item;

	if (!join_key(key, set, "Control")) {
		plan->out_of_memory = true;
		return;
	}
	read_boot_device(plan, hive, key, &firmware);
	read_boot_device(plan, hive, key, &system);

	if (firmware.status == FIX_NOT_FOUND && system.status == FIX_NOT_FOUND) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_NOTE,
				HIVE_LABEL "%s: FirmwareBootDevice, SystemBootDevice", key);
		item_before(plan, item, "not set");
		item_detail(plan, item, "Windows records them when it boots");
		return;
	}
	if (firmware.status == FIX_ERROR || system.status == FIX_ERROR) {
		const struct boot_device *bad = firmware.status == FIX_ERROR ? &firmware : &system;

		boot_device_problem(plan, key, bad, "left alone");
		return;
	}

	if (layout->known) {
		source = system.parsed ? &system : firmware.parsed ? &firmware : NULL;
		if (!source) {
			boot_device_problem(plan, key, firmware.status == FIX_OK ? &firmware : &system,
					    "not a disk partition's ARC name, so the disk cannot "
					    "be told from it; left alone (Windows rewrites "
					    "SystemBootDevice when it boots)");
			return;
		}
		struct arc_name arc = source->arc;

		rdisk = arc_name_find(&arc, "rdisk")->number;
		plan_boot_device(plan, key, &firmware, firmware.parsed ? &firmware.arc : &source->arc,
				 rdisk, layout->esp_partition, "the ESP", group);
		plan_boot_device(plan, key, &system, system.parsed ? &system.arc : &source->arc,
				 rdisk, layout->windows_partition, "the Windows partition", group);
		return;
	}

	/* Layout unknown: check, never write. */
	for (int i = 0; i < 2; i++) {
		const struct boot_device *device = i ? &system : &firmware;

		if (device->status == FIX_OK && !device->parsed) {
			boot_device_problem(plan, key, device,
					    "not a disk partition's ARC name; give --esp-partition "
					    "and --windows-partition to set it");
			return;
		}
	}
	if (!firmware.parsed || !system.parsed) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_NOTE,
				HIVE_LABEL "%s: %s", key,
				firmware.parsed ? "SystemBootDevice" : "FirmwareBootDevice");
		item_before(plan, item, "not set");
		item_detail(plan, item, "Windows records it when it boots");
		return;
	}
	rdisk_firmware = arc_name_find(&firmware.arc, "rdisk")->number;
	rdisk_system = arc_name_find(&system.arc, "rdisk")->number;
	if (rdisk_firmware != rdisk_system) {
		boot_device_problem(plan, key, &firmware,
				    "names another disk than SystemBootDevice, but a Gen2 VM boots "
				    "Windows and its ESP from one disk; give --esp-partition and "
				    "--windows-partition to set both");
		return;
	}
	if (arc_name_find(&firmware.arc, "partition")->number ==
	    arc_name_find(&system.arc, "partition")->number) {
		boot_device_problem(plan, key, &firmware,
				    "names the Windows partition, as after a BIOS install; on "
				    "UEFI it must name the ESP: give --esp-partition and "
				    "--windows-partition to set it");
		return;
	}
	item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_NOTE,
			HIVE_LABEL "%s: FirmwareBootDevice, SystemBootDevice", key);
	item_before(plan, item, "\"%s\", \"%s\"", firmware.text, system.text);
	item_detail(plan, item, "on one disk; their partition numbers were not checked (%s)",
		    layout->how[0] ? layout->how : "disk layout unknown");
}

/* ------------------------------------------------------------------ */

static void plan_control_set(struct fix_plan *plan, struct fix_hive *hive, const char *set,
			     unsigned group)
{
	bool *usable = calloc(registry_service_count, sizeof(*usable));

	if (!usable) {
		plan->out_of_memory = true;
		return;
	}
	for (size_t i = 0; i < registry_service_count; i++)
		usable[i] = check_service(plan, hive, set, &registry_services[i]);
	for (size_t i = 0; i < registry_setting_count; i++) {
		const struct registry_setting *setting = &registry_settings[i];
		const struct registry_service *service =
			setting->service ? registry_service_find(setting->service) : NULL;

		if (service && !usable[service - registry_services])
			continue;
		plan_setting(plan, hive, set, setting, group);
	}
	free(usable);
	plan_boot_devices(plan, hive, set, group);
}

/* The backup is made once, before the first change win7gen2 ever makes to
 * this hive, and is never replaced: it is the hive as it was before. */
static void plan_backup(struct fix_plan *plan, size_t first_item, unsigned group)
{
	static const char backup[] = FIX_HIVE_PATH FIX_HIVE_BACKUP_SUFFIX;
	struct fix_error err;
	struct fix_item *item;
	enum fix_status status;
	bool changes = false;

	for (size_t i = first_item; i < plan->count; i++)
		changes = changes || plan->items[i].state == FIX_ITEM_CHANGE;
	if (!changes)
		return;
	status = plan->backend->file_exists(plan->backend_ctx, FIX_VOLUME_WINDOWS, backup, &err);
	if (status == FIX_OK) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_RIGHT, "\\%s", backup);
		item_before(plan, item, "the backup from win7gen2's first change; kept");
	} else if (status == FIX_NOT_FOUND) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_CHANGE, "\\%s", backup);
		item_before(plan, item, "missing");
		item_after(plan, item, "a copy of SYSTEM as it is now, made before it changes");
		if (item)
			item->group = group;
		item_action(plan, item, FIX_ACTION_BACKUP_FILE, FIX_VOLUME_WINDOWS, backup,
			    FIX_HIVE_PATH, NULL, 0, NULL);
	} else {
		/* Without a backup the hive is not touched: every registry
		 * change becomes a problem. */
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM, "\\%s", backup);
		item_before(plan, item, "cannot be checked: %s", err.message);
		item_detail(plan, item, "no backup, no change: the registry is left as it is");
		for (size_t i = first_item; i < plan->count; i++)
			if (plan->items[i].state == FIX_ITEM_CHANGE)
				plan->items[i].state = FIX_ITEM_PROBLEM;
	}
	if (item)
		plan_move_last_to(plan, first_item);
}

void plan_registry(struct fix_plan *plan)
{
	const struct fix_backend *backend = plan->backend;
	struct control_sets sets = { .count = 0 };
	struct fix_hive *hive = NULL;
	struct fix_error err;
	struct fix_item *item;
	enum fix_status status;
	size_t first_item = plan->count;
	unsigned group = plan_new_group(plan);

	status = backend->hive_open(plan->backend_ctx, FIX_VOLUME_WINDOWS, FIX_HIVE_PATH, false,
				    &hive, &err);
	if (status != FIX_OK) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM, "\\%s", FIX_HIVE_PATH);
		item_before(plan, item, "%s", status == FIX_NOT_FOUND ? "missing" : err.message);
		item_detail(plan, item, "the hive is left untouched; nothing in the registry "
			    "is checked or changed");
		return;
	}
	status = backend->hive_subkeys(hive, "", collect_control_set, &sets, &err);
	if (status != FIX_OK || sets.count == 0 || sets.too_many) {
		item = plan_add(plan, FIX_AREA_REGISTRY, FIX_ITEM_PROBLEM, "\\%s", FIX_HIVE_PATH);
		if (status != FIX_OK)
			item_before(plan, item, "cannot be read: %s", err.message);
		else if (sets.too_many)
			item_before(plan, item, "more than %d ControlSet keys", MAX_CONTROL_SETS);
		else
			item_before(plan, item, "no ControlSet001 (or any ControlSetNNN) key");
		item_detail(plan, item, "not a Windows SYSTEM hive win7gen2 understands; "
			    "left untouched");
		backend->hive_close(hive);
		return;
	}
	qsort(sets.name, sets.count, sizeof(sets.name[0]), compare_set_names);
	for (unsigned i = 0; i < sets.count; i++)
		plan_control_set(plan, hive, sets.name[i], group);
	backend->hive_close(hive);
	plan_backup(plan, first_item, group);
}
