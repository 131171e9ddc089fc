/*
 * backend_win32_files.c - files below a volume's root, through Win32
 *
 * Writes never touch a file in place: the new content goes to
 * "<name>.win7gen2-tmp" in the same directory, FlushFileBuffers puts it
 * on the disk, and MoveFileExW with MOVEFILE_REPLACE_EXISTING |
 * MOVEFILE_WRITE_THROUGH gives it the final name.  On NTFS that rename
 * is one journaled operation: after a crash the old file or the new one
 * is there.  FAT (the ESP) has no journal; its driver replaces by
 * deleting and renaming, so a crash between the two can leave only the
 * temporary file - which holds the complete new content under a name
 * the next run recognizes and removes.  WRITE_THROUGH makes the rename
 * reach the disk before the call returns.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_win32.h"
#include "win32util.h"

#define TEMP_SUFFIX L".win7gen2-tmp"
#define READ_CHUNK (1u << 20)

void win32_fix_errorf(struct fix_error *err, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(err->message, sizeof(err->message), format, ap);
	va_end(ap);
}

void win32_fix_error(struct fix_error *err, DWORD code, const char *what)
{
	char reason[256];

	win32_error_text(code, reason, sizeof(reason));
	win32_fix_errorf(err, "%s: %s", what, reason);
}

static bool is_not_found(DWORD error)
{
	return error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND;
}

void win32_path_free(struct win32_path *path)
{
	free(path->wide);
	path->wide = NULL;
}

/* What is at a prefix of the path: a plain directory is fine. */
static enum fix_status check_directory(wchar_t *wide, const char *shown, bool create,
				       struct fix_error *err)
{
	DWORD attributes = GetFileAttributesW(wide), error;

	if (attributes == INVALID_FILE_ATTRIBUTES) {
		error = GetLastError();
		if (!is_not_found(error)) {
			win32_fix_error(err, error, shown);
			return FIX_ERROR;
		}
		if (!create)
			return FIX_NOT_FOUND;
		if (!CreateDirectoryW(wide, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
			win32_fix_error(err, GetLastError(), shown);
			return FIX_ERROR;
		}
		attributes = GetFileAttributesW(wide);
		if (attributes == INVALID_FILE_ATTRIBUTES) {
			win32_fix_error(err, GetLastError(), shown);
			return FIX_ERROR;
		}
	}
	if (attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
		win32_fix_errorf(err, "%s: a link or mount point; win7gen2 does not follow links "
				 "on the volume", shown);
		return FIX_ERROR;
	}
	if (!(attributes & FILE_ATTRIBUTE_DIRECTORY)) {
		win32_fix_errorf(err, "%s: not a directory", shown);
		return FIX_ERROR;
	}
	return FIX_OK;
}

enum fix_status win32_resolve(const struct win32_fix *ctx, enum fix_volume volume,
			      const char *path, bool create_dirs, struct win32_path *out,
			      struct fix_error *err)
{
	const char *root = ctx->root[volume];
	size_t root_length = strlen(root);
	enum fix_status status;
	DWORD error;

	memset(out, 0, sizeof(*out));
	if (!*path || !relpath_join(root, path, out->shown, sizeof(out->shown))) {
		win32_fix_errorf(err, "%s: \"%s\" is not a plain relative path", root, path);
		return FIX_ERROR;
	}
	out->wide = wide_from_utf8(out->shown);
	if (!out->wide) {
		win32_fix_error(err, GetLastError(), out->shown);
		return FIX_ERROR;
	}
	/* Each directory on the way, below the root: the ASCII '\' after
	 * the root's own bytes sits at the same place in the UTF-8 and the
	 * UTF-16 text only if the root is ASCII, so cut the UTF-8 and
	 * convert each prefix instead. */
	for (size_t i = root_length + 1; out->shown[i]; i++) {
		char prefix[RELPATH_MAX];
		wchar_t *wide;

		if (out->shown[i] != '\\')
			continue;
		memcpy(prefix, out->shown, i);
		prefix[i] = '\0';
		wide = wide_from_utf8(prefix);
		if (!wide) {
			win32_fix_error(err, GetLastError(), prefix);
			win32_path_free(out);
			return FIX_ERROR;
		}
		status = check_directory(wide, prefix, create_dirs, err);
		free(wide);
		if (status != FIX_OK) {
			win32_path_free(out);
			return status;
		}
	}
	out->attributes = GetFileAttributesW(out->wide);
	if (out->attributes == INVALID_FILE_ATTRIBUTES) {
		error = GetLastError();
		if (!is_not_found(error)) {
			win32_fix_error(err, error, out->shown);
			win32_path_free(out);
			return FIX_ERROR;
		}
		return FIX_OK;
	}
	out->exists = true;
	if (out->attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
		win32_fix_errorf(err, "%s: a link or mount point; win7gen2 does not follow links "
				 "on the volume", out->shown);
		win32_path_free(out);
		return FIX_ERROR;
	}
	return FIX_OK;
}

static bool is_regular(const struct win32_path *path)
{
	return !(path->attributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE |
				     FILE_ATTRIBUTE_REPARSE_POINT));
}

static enum fix_status win32_read_file(void *ctx, enum fix_volume volume, const char *path,
				       size_t max, struct fix_bytes *out, struct fix_error *err)
{
	struct win32_path p;
	enum fix_status status;
	LARGE_INTEGER size;
	uint8_t *data = NULL;
	size_t done = 0;
	HANDLE file;

	out->data = NULL;
	out->size = 0;
	status = win32_resolve(ctx, volume, path, false, &p, err);
	if (status != FIX_OK)
		return status;
	if (!p.exists) {
		win32_path_free(&p);
		return FIX_NOT_FOUND;
	}
	if (!is_regular(&p)) {
		win32_fix_errorf(err, "%s: not a regular file", p.shown);
		win32_path_free(&p);
		return FIX_ERROR;
	}
	/* FILE_FLAG_OPEN_REPARSE_POINT: a link put there since the check is
	 * opened as itself, not followed. */
	file = CreateFileW(p.wide, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
			   FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	if (file == INVALID_HANDLE_VALUE) {
		DWORD error = GetLastError();

		status = is_not_found(error) ? FIX_NOT_FOUND : FIX_ERROR;
		if (status == FIX_ERROR)
			win32_fix_error(err, error, p.shown);
		win32_path_free(&p);
		return status;
	}
	if (!GetFileSizeEx(file, &size)) {
		win32_fix_error(err, GetLastError(), p.shown);
		goto fail;
	}
	if (size.QuadPart < 0 || (unsigned long long)size.QuadPart > max) {
		win32_fix_errorf(err, "%s: larger than win7gen2 reads (%llu bytes)", p.shown,
				 (unsigned long long)max);
		goto fail;
	}
	data = malloc((size_t)size.QuadPart + 1);
	if (!data) {
		win32_fix_errorf(err, "%s: out of memory", p.shown);
		goto fail;
	}
	while (done < (size_t)size.QuadPart) {
		size_t want = (size_t)size.QuadPart - done;
		DWORD got = 0;

		if (want > READ_CHUNK)
			want = READ_CHUNK;
		if (!ReadFile(file, data + done, (DWORD)want, &got, NULL)) {
			win32_fix_error(err, GetLastError(), p.shown);
			goto fail;
		}
		if (got == 0) {
			win32_fix_errorf(err, "%s: the file got shorter while it was read", p.shown);
			goto fail;
		}
		done += got;
	}
	CloseHandle(file);
	win32_path_free(&p);
	out->data = data;
	out->size = done;
	return FIX_OK;
fail:
	free(data);
	CloseHandle(file);
	win32_path_free(&p);
	return FIX_ERROR;
}

static enum fix_status win32_file_exists(void *ctx, enum fix_volume volume, const char *path,
					 struct fix_error *err)
{
	struct win32_path p;
	enum fix_status status = win32_resolve(ctx, volume, path, false, &p, err);

	if (status != FIX_OK)
		return status;
	if (!p.exists)
		status = FIX_NOT_FOUND;
	else if (!is_regular(&p)) {
		win32_fix_errorf(err, "%s: not a regular file", p.shown);
		status = FIX_ERROR;
	}
	win32_path_free(&p);
	return status;
}

bool win32_remove_if_there(const wchar_t *path, DWORD *error)
{
	DWORD attributes = GetFileAttributesW(path);

	*error = ERROR_SUCCESS;
	if (attributes == INVALID_FILE_ATTRIBUTES) {
		*error = GetLastError();
		if (is_not_found(*error)) {
			*error = ERROR_SUCCESS;
			return true;
		}
		return false;
	}
	if (attributes & FILE_ATTRIBUTE_READONLY)
		SetFileAttributesW(path, attributes & ~(DWORD)FILE_ATTRIBUTE_READONLY);
	if (!DeleteFileW(path)) {
		*error = GetLastError();
		return is_not_found(*error);
	}
	return true;
}

bool win32_flush_file(const wchar_t *path, DWORD *error)
{
	HANDLE file = CreateFileW(path, GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
				  FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	bool ok;

	if (file == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	ok = FlushFileBuffers(file);
	*error = ok ? ERROR_SUCCESS : GetLastError();
	CloseHandle(file);
	return ok;
}

/* A read-only target would make the replacing rename fail with "access
 * denied"; the attribute says nothing about the file win7gen2 puts
 * there, so it goes. */
static void clear_read_only(const struct win32_path *target)
{
	if (target->exists && (target->attributes & FILE_ATTRIBUTE_READONLY))
		SetFileAttributesW(target->wide,
				   target->attributes & ~(DWORD)FILE_ATTRIBUTE_READONLY);
}

static bool write_all(HANDLE file, const uint8_t *data, size_t size)
{
	size_t done = 0;

	while (done < size) {
		size_t want = size - done;
		DWORD wrote = 0;

		if (want > READ_CHUNK)
			want = READ_CHUNK;
		if (!WriteFile(file, data + done, (DWORD)want, &wrote, NULL))
			return false;
		if (wrote == 0) {
			SetLastError(ERROR_WRITE_FAULT);
			return false;
		}
		done += wrote;
	}
	return true;
}

static enum fix_status win32_write_file(void *ctx, enum fix_volume volume, const char *path,
					const void *data, size_t size, enum fix_write_mode mode,
					struct fix_error *err)
{
	struct win32_path p;
	enum fix_status status;
	wchar_t *temp = NULL;
	size_t length;
	HANDLE file;
	DWORD error, flags = MOVEFILE_WRITE_THROUGH;

	status = win32_resolve(ctx, volume, path, true, &p, err);
	if (status != FIX_OK)
		return FIX_ERROR;
	if (p.exists && mode == FIX_WRITE_NEW) {
		win32_fix_error(err, ERROR_FILE_EXISTS, p.shown);
		goto fail;
	}
	if (p.exists && !is_regular(&p)) {
		win32_fix_errorf(err, "%s: not a regular file", p.shown);
		goto fail;
	}
	length = wcslen(p.wide);
	temp = malloc((length + sizeof(TEMP_SUFFIX) / sizeof(wchar_t)) * sizeof(wchar_t));
	if (!temp) {
		win32_fix_errorf(err, "%s: out of memory", p.shown);
		goto fail;
	}
	wcscpy(temp, p.wide);
	wcscat(temp, TEMP_SUFFIX);
	/* A temp file left by a crash is ours by its name. */
	if (!win32_remove_if_there(temp, &error)) {
		win32_fix_error(err, error, p.shown);
		goto fail;
	}
	file = CreateFileW(temp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
	if (file == INVALID_HANDLE_VALUE) {
		win32_fix_error(err, GetLastError(), p.shown);
		goto fail;
	}
	if (!write_all(file, data, size) || !FlushFileBuffers(file)) {
		error = GetLastError();
		CloseHandle(file);
		DeleteFileW(temp);
		win32_fix_error(err, error, p.shown);
		goto fail;
	}
	CloseHandle(file);
	if (mode == FIX_WRITE_REPLACE) {
		flags |= MOVEFILE_REPLACE_EXISTING;
		clear_read_only(&p);
	}
	if (!MoveFileExW(temp, p.wide, flags)) {
		error = GetLastError();
		DeleteFileW(temp);
		win32_fix_error(err, error, p.shown);
		goto fail;
	}
	free(temp);
	win32_path_free(&p);
	return FIX_OK;
fail:
	free(temp);
	win32_path_free(&p);
	return FIX_ERROR;
}

static enum fix_status win32_rename_file(void *ctx, enum fix_volume volume, const char *from,
					 const char *to, struct fix_error *err)
{
	struct win32_path source, target;
	enum fix_status status;

	status = win32_resolve(ctx, volume, from, false, &source, err);
	if (status == FIX_NOT_FOUND || (status == FIX_OK && !source.exists)) {
		win32_fix_error(err, ERROR_FILE_NOT_FOUND, status == FIX_OK ? source.shown : from);
		status = FIX_ERROR;
	}
	if (status != FIX_OK) {
		win32_path_free(&source);
		return FIX_ERROR;
	}
	if (!is_regular(&source)) {
		win32_fix_errorf(err, "%s: not a regular file", source.shown);
		win32_path_free(&source);
		return FIX_ERROR;
	}
	if (win32_resolve(ctx, volume, to, false, &target, err) != FIX_OK) {
		win32_path_free(&source);
		return FIX_ERROR;
	}
	if (target.exists && !is_regular(&target)) {
		win32_fix_errorf(err, "%s: not a regular file", target.shown);
		status = FIX_ERROR;
	} else {
		clear_read_only(&target);
		if (!MoveFileExW(source.wide, target.wide,
				 MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
			win32_fix_error(err, GetLastError(), target.shown);
			status = FIX_ERROR;
		}
	}
	win32_path_free(&source);
	win32_path_free(&target);
	return status;
}

static void win32_display_path(void *ctx, enum fix_volume volume, const char *path, char *buf,
			       size_t size)
{
	const struct win32_fix *fix = ctx;

	if (size == 0)
		return;
	if (!relpath_join(fix->root[volume], path, buf, size))
		snprintf(buf, size, "%s\\%s", fix->root[volume], path);
}

enum fix_status win32_fix_init(struct win32_fix *ctx, const char *windows_root,
			       const char *esp_root, bool copies_in_temp, struct fix_error *err)
{
	const char *roots[2] = { windows_root, esp_root };
	static const char *const names[2] = { "Windows volume", "ESP" };

	memset(ctx, 0, sizeof(*ctx));
	for (int i = 0; i < 2; i++) {
		char shown[RELPATH_MAX];
		wchar_t *wide;
		DWORD attributes, error;

		if (!relpath_root(roots[i], ctx->root[i], sizeof(ctx->root[i]))) {
			win32_fix_errorf(err, "%s: bad directory name \"%s\"", names[i], roots[i]);
			return FIX_ERROR;
		}
		relpath_join(ctx->root[i], "", shown, sizeof(shown));
		wide = wide_from_utf8(shown);
		if (!wide) {
			win32_fix_error(err, GetLastError(), shown);
			return FIX_ERROR;
		}
		attributes = GetFileAttributesW(wide);
		error = GetLastError();
		free(wide);
		if (attributes == INVALID_FILE_ATTRIBUTES) {
			win32_fix_error(err, error, shown);
			return FIX_ERROR;
		}
		if (!(attributes & FILE_ATTRIBUTE_DIRECTORY)) {
			win32_fix_errorf(err, "%s: not a directory", shown);
			return FIX_ERROR;
		}
	}
	if (copies_in_temp) {
		DWORD n = GetTempPathW(MAX_PATH, ctx->scratch_dir);

		if (n == 0 || n >= MAX_PATH) {
			win32_fix_error(err, n ? ERROR_BUFFER_OVERFLOW : GetLastError(),
					"the temporary directory");
			return FIX_ERROR;
		}
		/* GetTempPathW ends it with '\'; the hive code adds its own. */
		if (n > 0 && ctx->scratch_dir[n - 1] == L'\\')
			ctx->scratch_dir[n - 1] = L'\0';
	}
	return FIX_OK;
}

const struct fix_backend win32_fix_backend = {
	.read_file = win32_read_file,
	.write_file = win32_write_file,
	.file_exists = win32_file_exists,
	.rename_file = win32_rename_file,
	.display_path = win32_display_path,
	.hive_open = win32_hive_open,
	.hive_subkeys = win32_hive_subkeys,
	.hive_key_exists = win32_hive_key_exists,
	.hive_get = win32_hive_get,
	.hive_set = win32_hive_set,
	.hive_commit = win32_hive_commit,
	.hive_close = win32_hive_close,
	.probe_layout = win32_probe_layout,
};
