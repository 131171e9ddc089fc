/*
 * backend_win32_hive.c - registry hives through Windows' own loader
 *
 * Windows parses a hive file only when it is loaded into the registry
 * (RegLoadKeyW, which needs SeBackupPrivilege and SeRestorePrivilege).
 * A loaded hive is live: every RegSetValueExW is in it at once, and
 * Windows writes it back to the file on its own schedule.  The engine's
 * contract (backend.h) is stricter: a hive opened read-only is never
 * written, changes reach the file only on hive_commit and then
 * atomically, and hive_close drops what was not committed.  So:
 *
 *   open     copy the hive file, load the COPY under HKLM\W7G2_<pid>_<n>.
 *            The hive file itself is never loaded, so nothing - not a
 *            read, not a failed run, not a crash - can change it.
 *   set      RegCreateKeyExW + RegSetValueExW on the copy.
 *   commit   RegSaveKeyExW writes the loaded copy, complete, to
 *            "<hive>.win7gen2-new" beside the hive (the format
 *            Windows' own registry backups and `reg save` write, which
 *            winload reads like any hive); its data is flushed; then
 *            MoveFileExW(REPLACE_EXISTING | WRITE_THROUGH) puts it in
 *            place in one rename on the same NTFS volume: the old hive
 *            or the new one, never a torn one.
 *   close    unload the copy and delete it with the .LOG files Windows
 *            made for it; without a commit, nothing of it remains.
 *
 * Why not load the hive in place and rely on Windows' transactional
 * hive writes (its .LOG1/.LOG2 files) for atomicity: that makes each
 * value change durable on its own, so a failure halfway through the
 * engine's changes would leave half of them in the hive - the engine
 * wants all or nothing.  And a read-only open must not write; a loaded
 * hive's file can be written by Windows even when nothing changed.
 *
 * A hive whose base block says it was not written out completely (its
 * sequence numbers differ, regf.h) keeps its newest changes in its .LOG
 * files, which a copy does not carry; such a hive is refused, untouched,
 * as the Linux backend does.  The backup the engine asks for before the
 * first change (SYSTEM.win7gen2-backup) is made by the engine itself
 * through read_file and write_file.
 *
 * The new hive file gets the ACL of the directory it is made in
 * (config\ inherits SYSTEM and Administrators full control), not a copy
 * of the old file's; Windows opens its hives as SYSTEM either way.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "backend_win32.h"
#include "privilege.h"
#include "regf.h"
#include "win32util.h"

#define NEW_SUFFIX L".win7gen2-new"
#define QUERY_ATTEMPTS 4     /* a value that keeps growing while we read it */
#define UNLOAD_ATTEMPTS 5    /* the unload can race with Windows' own flush */
#define MOUNT_ATTEMPTS 16    /* names under HKLM tried for one load */
#define COPY_NAME_ATTEMPTS 8 /* names for the copy tried for one load */

struct fix_hive {
	char shown[RELPATH_MAX];   /* the hive file, for messages */
	wchar_t *hive_path;        /* the hive file */
	wchar_t *copy_path;        /* the copy that is loaded */
	wchar_t mount[64];         /* its key under HKLM */
	HKEY root;
	bool loaded;
	bool writable;
};

/* Windows makes these beside a loaded hive file. */
static const wchar_t *const log_suffixes[] = { L"", L".LOG", L".LOG1", L".LOG2" };

static wchar_t *wide_concat(const wchar_t *a, const wchar_t *b)
{
	size_t n = wcslen(a) + wcslen(b) + 1;
	wchar_t *out = malloc(n * sizeof(wchar_t));

	if (out) {
		wcscpy(out, a);
		wcscat(out, b);
	}
	return out;
}

/* The copy and its logs; false (with error) if one cannot be removed. */
static bool remove_copy(const wchar_t *copy_path, DWORD *error)
{
	bool ok = true;

	*error = ERROR_SUCCESS;
	for (size_t i = 0; i < sizeof(log_suffixes) / sizeof(log_suffixes[0]); i++) {
		wchar_t *file = wide_concat(copy_path, log_suffixes[i]);
		DWORD file_error;

		if (!file) {
			*error = ERROR_NOT_ENOUGH_MEMORY;
			return false;
		}
		if (!win32_remove_if_there(file, &file_error) && ok) {
			ok = false;
			*error = file_error;
		}
		free(file);
	}
	return ok;
}

static bool enable_hive_privileges(struct win32_fix *ctx, struct fix_error *err)
{
	static const wchar_t *const names[] = { L"SeBackupPrivilege", L"SeRestorePrivilege" };
	DWORD error;

	if (ctx->hive_privileges)
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!privilege_enable(names[i], &error)) {
			char what[160];

			snprintf(what, sizeof(what), "loading a registry hive needs %s (run as "
				 "administrator)", i == 0 ? "SeBackupPrivilege" : "SeRestorePrivilege");
			win32_fix_error(err, error, what);
			return false;
		}
	ctx->hive_privileges = true;
	return true;
}

/* Refuse a hive whose newest changes are only in its logs. */
static enum fix_status check_complete(const wchar_t *path, const char *shown, bool new_file,
				      struct fix_error *err)
{
	uint8_t block[REGF_BASE_BLOCK_SIZE];
	DWORD got = 0;
	uint32_t seq1, seq2;
	HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
				  FILE_FLAG_OPEN_REPARSE_POINT, NULL);

	if (file == INVALID_HANDLE_VALUE) {
		win32_fix_error(err, GetLastError(), shown);
		return FIX_ERROR;
	}
	if (!ReadFile(file, block, sizeof(block), &got, NULL)) {
		win32_fix_error(err, GetLastError(), shown);
		CloseHandle(file);
		return FIX_ERROR;
	}
	CloseHandle(file);
	if (regf_check(block, got, &seq1, &seq2) != REGF_DIRTY)
		return FIX_OK;
	if (new_file)
		win32_fix_errorf(err, "%s: Windows saved an incomplete hive (sequence numbers "
				 "%lu and %lu); the hive was not replaced", shown,
				 (unsigned long)seq1, (unsigned long)seq2);
	else
		win32_fix_errorf(err, "%s: the hive was not closed cleanly (sequence numbers %lu "
				 "and %lu); changes are still in its .LOG files, which only "
				 "Windows replays: boot this Windows once, or shut it down "
				 "properly, then run win7gen2 again", shown,
				 (unsigned long)seq1, (unsigned long)seq2);
	return FIX_ERROR;
}

/*
 * A free name for the copy, with nothing of ours left under it: beside
 * the hive "<hive>.win7gen2-copy" (the engine opens one hive at a time,
 * so one name serves, and a run that was interrupted leaves at most that
 * one file, which the next run removes), in the scratch directory
 * "win7gen2-hive-<pid>".  A name still in use - a copy whose unload
 * failed stays loaded until Windows restarts - is skipped for the next:
 * "...-copy2", "...-copy3".
 */
static bool choose_copy_path(struct fix_hive *hive, struct win32_fix *ctx,
			     struct fix_error *err)
{
	DWORD error = ERROR_SUCCESS;

	for (unsigned attempt = 1; attempt <= COPY_NAME_ATTEMPTS; attempt++) {
		wchar_t name[96];

		if (ctx->scratch_dir[0])
			swprintf(name, sizeof(name) / sizeof(name[0]), L"\\win7gen2-hive-%lu",
				 (unsigned long)GetCurrentProcessId());
		else
			swprintf(name, sizeof(name) / sizeof(name[0]), L".win7gen2-copy");
		if (attempt > 1)
			swprintf(name + wcslen(name), sizeof(name) / sizeof(name[0]) - wcslen(name),
				 L"%u", attempt);
		free(hive->copy_path);
		hive->copy_path = wide_concat(ctx->scratch_dir[0] ? ctx->scratch_dir :
					      hive->hive_path, name);
		if (!hive->copy_path) {
			win32_fix_errorf(err, "%s: out of memory", hive->shown);
			return false;
		}
		if (remove_copy(hive->copy_path, &error))
			return true;
	}
	win32_fix_error(err, error, "removing an old copy of the hive");
	free(hive->copy_path);
	hive->copy_path = NULL;
	return false;
}

/*
 * Load the copy under a new name in HKLM.  A hive stays loaded after the
 * process that loaded it ends; one left by a crashed run (under a
 * process id that is now ours) makes a name taken, and the next is tried.
 */
static LONG load_copy(struct fix_hive *hive, struct win32_fix *ctx)
{
	LONG rc = ERROR_ALREADY_EXISTS;

	for (int attempt = 0; attempt < MOUNT_ATTEMPTS && rc == ERROR_ALREADY_EXISTS; attempt++) {
		ctx->hive_mounts++;
		swprintf(hive->mount, sizeof(hive->mount) / sizeof(hive->mount[0]),
			 L"W7G2_%lu_%u", (unsigned long)GetCurrentProcessId(), ctx->hive_mounts);
		rc = RegLoadKeyW(HKEY_LOCAL_MACHINE, hive->mount, hive->copy_path);
	}
	return rc;
}

static void release(struct fix_hive *hive)
{
	DWORD error;

	if (hive->root)
		RegCloseKey(hive->root);
	hive->root = NULL;
	if (hive->loaded) {
		LONG rc = ERROR_SUCCESS;

		for (int attempt = 0; attempt < UNLOAD_ATTEMPTS; attempt++) {
			rc = RegUnLoadKeyW(HKEY_LOCAL_MACHINE, hive->mount);
			if (rc != ERROR_ACCESS_DENIED)
				break;
			Sleep(200);
		}
		/* Still loaded: its copy stays until Windows restarts; the
		 * next copy has another name. */
		hive->loaded = rc != ERROR_SUCCESS;
	}
	if (!hive->loaded && hive->copy_path)
		remove_copy(hive->copy_path, &error);
	free(hive->copy_path);
	free(hive->hive_path);
	free(hive);
}

enum fix_status win32_hive_open(void *ctx_arg, enum fix_volume volume, const char *path,
				bool writable, struct fix_hive **out, struct fix_error *err)
{
	struct win32_fix *ctx = ctx_arg;
	struct win32_path p;
	struct fix_hive *hive;
	enum fix_status status;
	DWORD error;
	LONG rc;

	*out = NULL;
	status = win32_resolve(ctx, volume, path, false, &p, err);
	if (status != FIX_OK)
		return status;
	if (!p.exists) {
		win32_path_free(&p);
		return FIX_NOT_FOUND;
	}
	hive = calloc(1, sizeof(*hive));
	if (!hive) {
		win32_fix_errorf(err, "%s: out of memory", p.shown);
		win32_path_free(&p);
		return FIX_ERROR;
	}
	hive->writable = writable;
	hive->hive_path = p.wide; /* owned by the hive now */
	snprintf(hive->shown, sizeof(hive->shown), "%s", p.shown);

	if (!enable_hive_privileges(ctx, err) ||
	    check_complete(hive->hive_path, hive->shown, false, err) != FIX_OK)
		goto fail;
	if (!choose_copy_path(hive, ctx, err))
		goto fail;
	if (!CopyFileW(hive->hive_path, hive->copy_path, TRUE)) {
		win32_fix_error(err, GetLastError(), "copying the hive before loading it");
		remove_copy(hive->copy_path, &error);
		goto fail;
	}
	/* CopyFile carries attributes over; Windows needs to write the copy. */
	SetFileAttributesW(hive->copy_path, FILE_ATTRIBUTE_NORMAL);

	rc = load_copy(hive, ctx);
	if (rc != ERROR_SUCCESS) {
		char what[RELPATH_MAX + 64];

		snprintf(what, sizeof(what), "%s: Windows cannot load it as a registry hive",
			 hive->shown);
		win32_fix_error(err, (DWORD)rc, what);
		remove_copy(hive->copy_path, &error);
		goto fail;
	}
	hive->loaded = true;
	rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, hive->mount, 0,
			   writable ? KEY_READ | KEY_WRITE : KEY_READ, &hive->root);
	if (rc != ERROR_SUCCESS) {
		win32_fix_error(err, (DWORD)rc, hive->shown);
		goto fail;
	}
	*out = hive;
	return FIX_OK;
fail:
	release(hive);
	return FIX_ERROR;
}

/* The key below the hive's root; NULL and err set when key is not UTF-8. */
static wchar_t *key_name(struct fix_hive *hive, const char *key, struct fix_error *err)
{
	wchar_t *wide = wide_from_utf8(key);

	if (!wide)
		win32_fix_errorf(err, "%s: key \"%s\" is not valid UTF-8", hive->shown, key);
	return wide;
}

/* Open key with access; FIX_NOT_FOUND when it does not exist. */
static enum fix_status open_key(struct fix_hive *hive, const char *key, REGSAM access,
				HKEY *out, struct fix_error *err)
{
	wchar_t *wide = key_name(hive, key, err);
	LONG rc;

	if (!wide)
		return FIX_ERROR;
	rc = RegOpenKeyExW(hive->root, wide, 0, access, out);
	free(wide);
	if (rc == ERROR_FILE_NOT_FOUND)
		return FIX_NOT_FOUND;
	if (rc != ERROR_SUCCESS) {
		char what[RELPATH_MAX + 300];

		snprintf(what, sizeof(what), "%s: key %s", hive->shown, key);
		win32_fix_error(err, (DWORD)rc, what);
		return FIX_ERROR;
	}
	return FIX_OK;
}

/* Value names are at most 16383 characters, key names 255: one buffer
 * serves both. */
#define ENUM_NAME_MAX 16384

/* The names of key's subkeys (values false) or of its values, to fn. */
static enum fix_status enumerate_names(struct fix_hive *hive, const char *key, bool values,
				       fix_name_fn fn, void *fn_ctx, struct fix_error *err)
{
	const char *what_kind = values ? "values" : "subkeys";
	wchar_t *name;
	HKEY handle;
	enum fix_status status = open_key(hive, key,
					  values ? KEY_QUERY_VALUE : KEY_ENUMERATE_SUB_KEYS,
					  &handle, err);

	if (status != FIX_OK)
		return status;
	name = malloc(ENUM_NAME_MAX * sizeof(*name));
	if (!name) {
		RegCloseKey(handle);
		win32_fix_errorf(err, "%s: out of memory listing the %s of \"%s\"", hive->shown,
				 what_kind, key);
		return FIX_ERROR;
	}
	for (DWORD index = 0;; index++) {
		DWORD length = ENUM_NAME_MAX;
		char *utf8;
		bool more;
		LONG rc = values ?
			  RegEnumValueW(handle, index, name, &length, NULL, NULL, NULL, NULL) :
			  RegEnumKeyExW(handle, index, name, &length, NULL, NULL, NULL, NULL);

		if (rc == ERROR_NO_MORE_ITEMS)
			break;
		if (rc != ERROR_SUCCESS) {
			char what[RELPATH_MAX + 300];

			snprintf(what, sizeof(what), "%s: %s of \"%s\"", hive->shown, what_kind,
				 key);
			win32_fix_error(err, (DWORD)rc, what);
			status = FIX_ERROR;
			break;
		}
		utf8 = utf8_from_wide(name);
		if (!utf8) {
			win32_fix_errorf(err, "%s: one of the %s of \"%s\" has a name that is not "
					 "valid UTF-16", hive->shown, what_kind, key);
			status = FIX_ERROR;
			break;
		}
		more = fn(fn_ctx, utf8);
		free(utf8);
		if (!more)
			break;
	}
	free(name);
	RegCloseKey(handle);
	return status;
}

enum fix_status win32_hive_subkeys(struct fix_hive *hive, const char *key, fix_name_fn fn,
				   void *fn_ctx, struct fix_error *err)
{
	return enumerate_names(hive, key, false, fn, fn_ctx, err);
}

enum fix_status win32_hive_values(struct fix_hive *hive, const char *key, fix_name_fn fn,
				  void *fn_ctx, struct fix_error *err)
{
	return enumerate_names(hive, key, true, fn, fn_ctx, err);
}

enum fix_status win32_hive_key_exists(struct fix_hive *hive, const char *key,
				      struct fix_error *err)
{
	HKEY handle;
	enum fix_status status = open_key(hive, key, KEY_QUERY_VALUE, &handle, err);

	if (status == FIX_OK)
		RegCloseKey(handle);
	return status;
}

enum fix_status win32_hive_get(struct fix_hive *hive, const char *key, const char *name,
			       struct fix_reg_value *out, struct fix_error *err)
{
	char what[RELPATH_MAX + 600];
	wchar_t *wide_name;
	HKEY handle;
	enum fix_status status;
	LONG rc = ERROR_MORE_DATA;

	out->type = 0;
	out->data = NULL;
	out->size = 0;
	status = open_key(hive, key, KEY_QUERY_VALUE, &handle, err);
	if (status != FIX_OK)
		return status;
	snprintf(what, sizeof(what), "%s: %s\\%s", hive->shown, key, name);
	wide_name = wide_from_utf8(name);
	if (!wide_name) {
		win32_fix_errorf(err, "%s: the value name is not valid UTF-8", what);
		RegCloseKey(handle);
		return FIX_ERROR;
	}
	/* Ask the size, then read; again if it grew in between. */
	for (int attempt = 0; attempt < QUERY_ATTEMPTS && rc == ERROR_MORE_DATA; attempt++) {
		DWORD type = 0, size = 0;
		uint8_t *data;

		rc = RegQueryValueExW(handle, wide_name, NULL, &type, NULL, &size);
		if (rc != ERROR_SUCCESS)
			break;
		data = malloc(size ? size : 1);
		if (!data) {
			rc = ERROR_NOT_ENOUGH_MEMORY;
			break;
		}
		rc = RegQueryValueExW(handle, wide_name, NULL, &type, data, &size);
		if (rc != ERROR_SUCCESS) {
			free(data);
			continue;
		}
		out->type = type;
		out->data = data;
		out->size = size;
	}
	free(wide_name);
	RegCloseKey(handle);
	if (rc == ERROR_FILE_NOT_FOUND)
		return FIX_NOT_FOUND;
	if (rc != ERROR_SUCCESS) {
		win32_fix_error(err, (DWORD)rc, what);
		return FIX_ERROR;
	}
	return FIX_OK;
}

enum fix_status win32_hive_set(struct fix_hive *hive, const char *key, const char *name,
			       uint32_t type, const void *data, size_t size,
			       struct fix_error *err)
{
	char what[RELPATH_MAX + 600];
	wchar_t *wide_key, *wide_name;
	HKEY handle;
	LONG rc;

	snprintf(what, sizeof(what), "%s: setting %s\\%s", hive->shown, key, name);
	if (!hive->writable) {
		win32_fix_errorf(err, "%s: opened read-only", what);
		return FIX_ERROR;
	}
	if (size > MAXDWORD) {
		win32_fix_errorf(err, "%s: too large", what);
		return FIX_ERROR;
	}
	wide_key = key_name(hive, key, err);
	if (!wide_key)
		return FIX_ERROR;
	wide_name = wide_from_utf8(name);
	if (!wide_name) {
		free(wide_key);
		win32_fix_errorf(err, "%s: the value name is not valid UTF-8", what);
		return FIX_ERROR;
	}
	rc = RegCreateKeyExW(hive->root, wide_key, 0, NULL, REG_OPTION_NON_VOLATILE,
			     KEY_SET_VALUE, NULL, &handle, NULL);
	if (rc == ERROR_SUCCESS) {
		rc = RegSetValueExW(handle, wide_name, 0, type, data, (DWORD)size);
		RegCloseKey(handle);
	}
	free(wide_key);
	free(wide_name);
	if (rc != ERROR_SUCCESS) {
		win32_fix_error(err, (DWORD)rc, what);
		return FIX_ERROR;
	}
	return FIX_OK;
}

enum fix_status win32_hive_commit(struct fix_hive *hive, struct fix_error *err)
{
	wchar_t *new_path;
	DWORD error, attributes;
	LONG rc;
	enum fix_status status = FIX_ERROR;

	if (!hive->writable) {
		win32_fix_errorf(err, "%s: opened read-only", hive->shown);
		return FIX_ERROR;
	}
	new_path = wide_concat(hive->hive_path, NEW_SUFFIX);
	if (!new_path) {
		win32_fix_errorf(err, "%s: out of memory", hive->shown);
		return FIX_ERROR;
	}
	/* RegSaveKeyEx refuses to overwrite; an old one is ours by name. */
	if (!win32_remove_if_there(new_path, &error)) {
		win32_fix_error(err, error, "removing an old new hive");
		goto out;
	}
	rc = RegFlushKey(hive->root);
	if (rc == ERROR_SUCCESS)
		rc = RegSaveKeyExW(hive->root, new_path, NULL, REG_LATEST_FORMAT);
	if (rc != ERROR_SUCCESS) {
		char what[RELPATH_MAX + 64];

		snprintf(what, sizeof(what), "%s: saving the changed hive", hive->shown);
		win32_fix_error(err, (DWORD)rc, what);
		win32_remove_if_there(new_path, &error);
		goto out;
	}
	if (check_complete(new_path, hive->shown, true, err) != FIX_OK) {
		win32_remove_if_there(new_path, &error);
		goto out;
	}
	if (!win32_flush_file(new_path, &error)) {
		win32_fix_error(err, error, "flushing the new hive to the disk");
		win32_remove_if_there(new_path, &error);
		goto out;
	}
	attributes = GetFileAttributesW(hive->hive_path);
	if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_READONLY))
		SetFileAttributesW(hive->hive_path, attributes & ~(DWORD)FILE_ATTRIBUTE_READONLY);
	if (!MoveFileExW(new_path, hive->hive_path,
			 MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
		win32_fix_error(err, GetLastError(), hive->shown);
		win32_remove_if_there(new_path, &error);
		goto out;
	}
	status = FIX_OK;
out:
	free(new_path);
	return status;
}

void win32_hive_close(struct fix_hive *hive)
{
	if (hive)
		release(hive);
}
