/*
 * drivers.c - the VMBus and synthetic SCSI drivers Setup needs on Gen2
 *
 * SPDX-License-Identifier: MIT
 */
#include "drivers.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "files.h"
#include "iso.h"
#include "wimfile.h"

/* Space on top of install.wim's copy, for the driver packages wimlib
 * extracts from it. */
#define SPACE_MARGIN (64u << 20)

static int scan_file(void *ctx, const char *path, uint64_t size)
{
	struct driver_plan *plan = ctx;
	const char *name = strrchr(path, '/');
	size_t len;

	name = name ? name + 1 : path;
	len = strlen(name);
	plan->user_bytes += size;
	if (len > 4 && strcasecmp(name + len - 4, ".inf") == 0)
		plan->user_inf_count++;
	for (size_t i = 0; i < MEDIA_DRIVER_COUNT; i++)
		if (strcasecmp(name, media_gen2_drivers[i].sys_name) == 0)
			plan->user_has[i] = true;
	return 0;
}

int drivers_scan_user(const char *dir, struct driver_plan *plan, struct text *err)
{
	if (!dir)
		return 0;
	if (dir_walk(dir, scan_file, plan, err) < 0)
		return -1;
	if (plan->user_inf_count == 0) {
		text_appendf(err, "--drivers %s holds no .inf file: give a folder of driver "
			     "packages (INF files with their .sys and .cat files)", dir);
		return -1;
	}
	return 0;
}

static int copy_install_wim(struct media *media, const char *copy, struct ui *ui,
			    struct text *err)
{
	uint64_t free_bytes;
	dev_t device;
	int rc;

	if (free_space(media->tempdir, &free_bytes, &device, err) < 0)
		return -1;
	if (free_bytes < media->install_wim->size + SPACE_MARGIN) {
		text_appendf(err, "too little free space in %s to copy install.wim out of the ISO: "
			     "%" PRIu64 " MiB free, %" PRIu64 " MiB needed (boot.wim lacks the "
			     "VMBus/storvsc drivers, which are taken from install.wim; or give "
			     "--drivers DIR)", media->tempdir, free_bytes >> 20,
			     (media->install_wim->size + SPACE_MARGIN) >> 20);
		return -1;
	}
	ui_step(ui, "boot.wim's Setup image lacks the Gen2 drivers: copying install.wim "
		"(%" PRIu64 " MiB) to temporary space to take them from its driver store",
		media->install_wim->size >> 20);
	rc = iso_copy_out(&media->source, media->install_wim, copy, ui_copy_progress, ui, err);
	ui_progress_end(ui);
	return rc;
}

int drivers_gather(struct media *media, unsigned edition, const char *stage_dir,
		   struct driver_plan *plan, struct ui *ui, struct text *err)
{
	bool need[MEDIA_DRIVER_COUNT], any = false;
	char *copy = NULL;
	WIMStruct *install = NULL;
	int rc = -1;

	for (size_t i = 0; i < MEDIA_DRIVER_COUNT; i++) {
		const struct media_driver *driver = &media->drivers[i];

		need[i] = !(driver->sys_in_setup && driver->service_in_setup) && !plan->user_has[i];
		any = any || need[i];
	}
	if (!any)
		return 0;
	copy = path_join(media->tempdir, "install.wim");
	if (!copy) {
		text_append(err, "out of memory");
		return -1;
	}
	if (copy_install_wim(media, copy, ui, err) < 0)
		goto out;
	if (wimfile_open(copy, &install, err) < 0) {
		struct text why = TEXT_INIT;

		text_append(&why, text_string(err));
		text_reset(err);
		text_appendf(err, "sources/install.wim is not a usable WIM: %s", text_string(&why));
		text_free(&why);
		goto out;
	}
	for (size_t i = 0; i < MEDIA_DRIVER_COUNT; i++) {
		size_t before = plan->package_count;

		if (!need[i])
			continue;
		if (wimfile_find_packages(install, (int)edition, media->drivers[i].sys_name,
					  &plan->packages, &plan->package_count, err) < 0)
			goto out;
		if (plan->package_count == before) {
			text_appendf(err, "the %s driver (%s) is neither installed in boot.wim's "
				     "Setup image nor in a driver package in install.wim image %u; "
				     "Setup could not see the Gen2 disk and DVD.  Give the Hyper-V "
				     "integration drivers with --drivers DIR",
				     media->drivers[i].what, media->drivers[i].sys_name, edition);
			goto out;
		}
	}
	for (size_t i = 0; i < plan->package_count; i++) {
		struct text path = TEXT_INIT;
		bool seen = false;
		int extracted;

		for (size_t j = 0; j < i; j++)
			seen = seen || strcmp(plan->packages[j], plan->packages[i]) == 0;
		if (seen)
			continue; /* one package with both drivers */
		text_appendf(&path, "\\Windows\\System32\\DriverStore\\FileRepository\\%s",
			     plan->packages[i]);
		ui_detail(ui, "taking driver package %s from install.wim", plan->packages[i]);
		extracted = wimfile_extract_tree(install, (int)edition, text_string(&path),
						 stage_dir, err);
		text_free(&path);
		if (extracted < 0)
			goto out;
	}
	plan->from_install = true;
	rc = 0;
out:
	if (install)
		wimlib_free(install);
	if (copy)
		unlink(copy); /* gigabytes: free them now, not at the end */
	free(copy);
	return rc;
}

void drivers_plan_free(struct driver_plan *plan)
{
	for (size_t i = 0; i < plan->package_count; i++)
		free(plan->packages[i]);
	free(plan->packages);
	memset(plan, 0, sizeof(*plan));
}
