/*
 * wimfile.c - the WIM operations of the builder, on top of wimlib
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "wimfile.h"

#include "interrupt.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void put_wimlib_error(struct text *err, int code)
{
	text_appendf(err, "%s (wimlib error %d)", wimlib_get_error_string(code), code);
}

int wimfile_init(struct text *err)
{
	int code = wimlib_global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);

	if (code) {
		text_append(err, "cannot start wimlib: ");
		put_wimlib_error(err, code);
		return -1;
	}
	return 0;
}

int wimfile_open(const char *path, WIMStruct **wim, struct text *err)
{
	int code = wimlib_open_wim(path, 0, wim);

	if (code) {
		put_wimlib_error(err, code);
		*wim = NULL;
		return -1;
	}
	return 0;
}

int wimfile_meta(WIMStruct *wim, struct wim_meta *meta, struct text *err)
{
	void *xml = NULL;
	size_t size = 0;
	const char *why;
	int code, rc;

	memset(meta, 0, sizeof(*meta));
	code = wimlib_get_xml_data(wim, &xml, &size);
	if (code) {
		text_append(err, "cannot read its XML data: ");
		put_wimlib_error(err, code);
		return -1;
	}
	rc = wim_xml_parse(xml, size, meta, &why);
	if (rc < 0)
		text_append(err, why);
	free(xml);
	return rc;
}

int wimfile_setup_image(WIMStruct *wim, const struct wim_meta *meta)
{
	struct wimlib_wim_info info;

	if (wimlib_get_wim_info(wim, &info))
		return 0;
	if (info.boot_index >= 1 && info.boot_index <= meta->count)
		return (int)info.boot_index;
	for (unsigned i = 0; i < meta->count; i++)
		if (meta->images[i].name && strcasestr(meta->images[i].name, "Setup"))
			return (int)i + 1;
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
			 size_t count, const char *dir, struct text *err)
{
	int code = wimlib_extract_paths(wim, image, dir, paths, count,
					WIMLIB_EXTRACT_FLAG_NO_ACLS |
					WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE);

	if (code) {
		text_appendf(err, "cannot extract %s from the WIM: ", paths[0]);
		put_wimlib_error(err, code);
		return -1;
	}
	return 0;
}

int wimfile_extract_tree(WIMStruct *wim, int image, const char *path,
			 const char *dir, struct text *err)
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
			  char ***names, size_t *count, struct text *err)
{
	struct name_list all = { NULL, 0, false };
	struct text path = TEXT_INIT;
	int code, rc = 0;

	code = wimlib_iterate_dir_tree(wim, image, FILE_REPOSITORY,
				       WIMLIB_ITERATE_DIR_TREE_FLAG_CHILDREN,
				       collect_directory, &all);
	if (all.failed) {
		text_append(err, "out of memory");
		rc = -1;
		goto out;
	}
	if (code == WIMLIB_ERR_PATH_DOES_NOT_EXIST)
		goto out; /* no driver store at all: no packages */
	if (code) {
		text_append(err, "cannot list the driver store: ");
		put_wimlib_error(err, code);
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < all.count; i++) {
		char **grown;

		text_reset(&path);
		text_appendf(&path, "%s\\%s\\%s", FILE_REPOSITORY, all.names[i], sys_name);
		if (text_failed(&path) || !wimfile_exists(wim, image, text_string(&path)))
			continue;
		grown = realloc(*names, (*count + 1) * sizeof(*grown));
		if (!grown) {
			text_append(err, "out of memory");
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
	text_free(&path);
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

int wimfile_commit(WIMStruct *wim, struct ui *ui, struct text *err)
{
	int code;

	wimlib_register_progress_function(wim, show_write_progress, ui);
	code = wimlib_overwrite(wim, 0, 0);
	wimlib_register_progress_function(wim, NULL, NULL);
	ui_progress_end(ui);
	if (code) {
		text_append(err, "cannot write boot.wim: ");
		put_wimlib_error(err, code);
		return -1;
	}
	return 0;
}
