/*
 * wimfile.c - the WIM operations of the builder, on top of wimlib
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "wimfile.h"

#include "interrupt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void put_wimlib_error(struct buf *err, int code)
{
	buf_printf(err, "%s (wimlib error %d)", wimlib_get_error_string(code), code);
}

int wimfile_init(struct buf *err)
{
	int code = wimlib_global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);

	if (code) {
		buf_puts(err, "cannot start wimlib: ");
		put_wimlib_error(err, code);
		return -1;
	}
	return 0;
}

int wimfile_open(const char *path, WIMStruct **wim, struct buf *err)
{
	int code = wimlib_open_wim(path, 0, wim);

	if (code) {
		put_wimlib_error(err, code);
		*wim = NULL;
		return -1;
	}
	return 0;
}

static char *property(WIMStruct *wim, int image, const char *name)
{
	const char *value = wimlib_get_image_property(wim, image, name);

	return value ? strdup(value) : NULL;
}

static bool number_property(WIMStruct *wim, int image, const char *name, unsigned *number)
{
	const char *value = wimlib_get_image_property(wim, image, name);
	unsigned long parsed;
	char *end;

	if (!value || *value < '0' || *value > '9')
		return false;
	errno = 0;
	parsed = strtoul(value, &end, 10);
	if (errno || *end || parsed > UINT_MAX)
		return false;
	*number = (unsigned)parsed;
	return true;
}

int wimfile_image_meta(WIMStruct *wim, int image, struct wim_image_meta *meta)
{
	unsigned arch;

	memset(meta, 0, sizeof(*meta));
	meta->index = (unsigned)image;
	meta->arch = -1;
	meta->name = property(wim, image, "NAME");
	meta->display_name = property(wim, image, "DISPLAYNAME");
	meta->flags = property(wim, image, "FLAGS");
	meta->edition_id = property(wim, image, "WINDOWS/EDITIONID");
	meta->installation_type = property(wim, image, "WINDOWS/INSTALLATIONTYPE");
	if (number_property(wim, image, "WINDOWS/ARCH", &arch) && arch <= INT_MAX)
		meta->arch = (int)arch;
	if (number_property(wim, image, "WINDOWS/VERSION/MAJOR", &meta->major) &&
	    number_property(wim, image, "WINDOWS/VERSION/MINOR", &meta->minor)) {
		meta->has_version = true;
		if (!number_property(wim, image, "WINDOWS/VERSION/BUILD", &meta->build))
			meta->build = 0;
		if (!number_property(wim, image, "WINDOWS/VERSION/SPBUILD", &meta->sp_build))
			meta->sp_build = 0;
		if (!number_property(wim, image, "WINDOWS/VERSION/SPLEVEL", &meta->sp_level))
			meta->sp_level = 0;
	}
	return 0;
}

int wimfile_setup_image(WIMStruct *wim)
{
	struct wimlib_wim_info info;

	if (wimlib_get_wim_info(wim, &info))
		return 0;
	if (info.boot_index >= 1 && info.boot_index <= info.image_count)
		return (int)info.boot_index;
	for (int image = 1; image <= (int)info.image_count; image++) {
		const char *name = wimlib_get_image_name(wim, image);

		if (name && strcasestr(name, "Setup"))
			return image;
	}
	return 0;
}

static int ignore_entry(const struct wimlib_dir_entry *entry, void *ctx)
{
	(void)entry;
	(void)ctx;
	return 0;
}

bool wimfile_exists(WIMStruct *wim, int image, const char *path)
{
	return wimlib_iterate_dir_tree(wim, image, path, 0, ignore_entry, NULL) == 0;
}

int wimfile_extract_flat(WIMStruct *wim, int image, const char *const *paths,
			 size_t count, const char *dir, struct buf *err)
{
	int code = wimlib_extract_paths(wim, image, dir, paths, count,
					WIMLIB_EXTRACT_FLAG_NO_ACLS |
					WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE);

	if (code) {
		buf_printf(err, "cannot extract %s from the WIM: ", paths[0]);
		put_wimlib_error(err, code);
		return -1;
	}
	return 0;
}

int wimfile_extract_tree(WIMStruct *wim, int image, const char *path,
			 const char *dir, struct buf *err)
{
	return wimfile_extract_flat(wim, image, &path, 1, dir, err);
}

struct name_list {
	char **names;
	size_t count;
	bool failed;
};

static int collect_directory(const struct wimlib_dir_entry *entry, void *ctx)
{
	struct name_list *list = ctx;
	char **grown;

	if (!(entry->attributes & WIMLIB_FILE_ATTRIBUTE_DIRECTORY) || !entry->filename)
		return 0;
	grown = realloc(list->names, (list->count + 1) * sizeof(*grown));
	if (!grown || !(grown[list->count] = strdup(entry->filename))) {
		if (grown)
			list->names = grown;
		list->failed = true;
		return 1; /* stop: out of memory */
	}
	list->names = grown;
	list->count++;
	return 0;
}

#define FILE_REPOSITORY "\\Windows\\System32\\DriverStore\\FileRepository"

int wimfile_find_packages(WIMStruct *wim, int image, const char *sys_name,
			  char ***names, size_t *count, struct buf *err)
{
	struct name_list all = { NULL, 0, false };
	struct buf path = BUF_INIT;
	int code, rc = 0;

	code = wimlib_iterate_dir_tree(wim, image, FILE_REPOSITORY,
				       WIMLIB_ITERATE_DIR_TREE_FLAG_CHILDREN,
				       collect_directory, &all);
	if (all.failed) {
		buf_puts(err, "out of memory");
		rc = -1;
		goto out;
	}
	if (code == WIMLIB_ERR_PATH_DOES_NOT_EXIST)
		goto out; /* no driver store at all: no packages */
	if (code) {
		buf_puts(err, "cannot list the driver store: ");
		put_wimlib_error(err, code);
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < all.count; i++) {
		char **grown;

		buf_reset(&path);
		buf_printf(&path, "%s\\%s\\%s", FILE_REPOSITORY, all.names[i], sys_name);
		if (buf_failed(&path) || !wimfile_exists(wim, image, buf_str(&path)))
			continue;
		grown = realloc(*names, (*count + 1) * sizeof(*grown));
		if (!grown) {
			buf_puts(err, "out of memory");
			rc = -1;
			goto out;
		}
		*names = grown;
		grown[(*count)++] = all.names[i];
		all.names[i] = NULL;
	}
out:
	for (size_t i = 0; i < all.count; i++)
		free(all.names[i]);
	free(all.names);
	buf_free(&path);
	return rc;
}

static enum wimlib_progress_status show_write_progress(enum wimlib_progress_msg msg,
							union wimlib_progress_info *info,
							void *ctx)
{
	struct ui *ui = ctx;

	if (msg == WIMLIB_PROGRESS_MSG_WRITE_STREAMS)
		ui_progress(ui, info->write_streams.completed_bytes,
			    info->write_streams.total_bytes);
	return interrupt_requested() ? WIMLIB_PROGRESS_STATUS_ABORT
				     : WIMLIB_PROGRESS_STATUS_CONTINUE;
}

int wimfile_commit(WIMStruct *wim, struct ui *ui, struct buf *err)
{
	int code;

	wimlib_register_progress_function(wim, show_write_progress, ui);
	code = wimlib_overwrite(wim, 0, 0);
	wimlib_register_progress_function(wim, NULL, NULL);
	ui_progress_end(ui);
	if (code) {
		buf_puts(err, "cannot write boot.wim: ");
		put_wimlib_error(err, code);
		return -1;
	}
	return 0;
}
