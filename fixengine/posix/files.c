/*
 * files.c - files below a volume's root: case-insensitive, no links out
 *
 * FAT and NTFS ignore case, a Linux mount of them shows the names as
 * stored ("EFI/Microsoft" or "efi/microsoft"), and a copied tree may use
 * either.  So each component is looked up by reading its directory and
 * comparing names ASCII-case-insensitively; two names that differ only
 * in case (possible in a copy on a Linux file system, never on FAT) are
 * refused rather than guessed between.  A symbolic link anywhere on the
 * way is refused: the engine must not read or write outside the
 * directories the user named.
 *
 * Writes never touch the file in place: the new content goes to
 * "<name>.win7gen2-tmp" in the same directory, is fsync()ed, and
 * rename() puts it in place; then the directory is fsync()ed.  After a
 * crash the old file or the new one is there, and at worst a stale temp
 * file, which the next write removes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../ascii.h"
#include "posix.h"

#define TEMP_SUFFIX ".win7gen2-tmp"

void posix_errorf(struct fix_error *err, const char *format, ...)
{
	va_list ap;

	/* A long path may cut the message short; it stays one line. */
	va_start(ap, format);
	vsnprintf(err->message, sizeof(err->message), format, ap);
	va_end(ap);
}

void posix_error(struct fix_error *err, const char *path, int error)
{
	posix_errorf(err, "%s: %s", path, strerror(error));
}

static bool join_path(char *out, const char *dir, const char *name, struct fix_error *err)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= PATH_MAX) {
		posix_errorf(err, "%s/%s: path too long", dir, name);
		return false;
	}
	return true;
}

/*
 * The entry of dir whose name matches name case-insensitively.
 * FIX_NOT_FOUND if none; FIX_ERROR if dir cannot be read or two entries
 * match (unless one matches exactly: then that one).
 */
static enum fix_status find_entry(const char *dir, const char *name, char actual[NAME_MAX + 1],
				  struct fix_error *err)
{
	char other[NAME_MAX + 1] = "";
	bool exact = false, found = false;
	struct dirent *entry;
	DIR *handle;

	handle = opendir(dir);
	if (!handle) {
		posix_error(err, dir, errno);
		return FIX_ERROR;
	}
	errno = 0;
	while ((entry = readdir(handle)) != NULL) {
		if (ascii_casecmp(entry->d_name, name) != 0)
			continue;
		if (strcmp(entry->d_name, name) == 0)
			exact = true;
		if (found)
			snprintf(other, sizeof(other), "%s", entry->d_name);
		else
			snprintf(actual, NAME_MAX + 1, "%s", entry->d_name);
		found = true;
	}
	if (errno) {
		posix_error(err, dir, errno);
		closedir(handle);
		return FIX_ERROR;
	}
	closedir(handle);
	if (!found)
		return FIX_NOT_FOUND;
	if (other[0]) {
		if (exact) {
			snprintf(actual, NAME_MAX + 1, "%s", name);
			return FIX_OK;
		}
		posix_errorf(err, "%s: \"%s\" and \"%s\" differ only in case, which FAT and NTFS "
			 "cannot hold; remove one", dir, actual, other);
		return FIX_ERROR;
	}
	return FIX_OK;
}

/* Components are plain names: no empty ones, no "." or "..", no '/'. */
static bool valid_component(const char *name, size_t length)
{
	if (length == 0 || length > NAME_MAX)
		return false;
	if (name[0] == '.' && (length == 1 || (length == 2 && name[1] == '.')))
		return false;
	return memchr(name, '/', length) == NULL;
}

enum fix_status posix_resolve(const struct posix_fix *ctx, enum fix_volume volume,
			      const char *path, bool create_dirs, struct posix_path *out,
			      struct fix_error *err)
{
	const char *rest = path;
	char current[PATH_MAX];
	struct stat st;

	memset(out, 0, sizeof(*out));
	snprintf(current, sizeof(current), "%s", ctx->root[volume]);
	if (!*path) {
		snprintf(out->dir, sizeof(out->dir), "%s", current);
		snprintf(out->full, sizeof(out->full), "%s", current);
		out->exists = true;
		return FIX_OK;
	}
	for (;;) {
		const char *end = strchr(rest, '\\');
		size_t length = end ? (size_t)(end - rest) : strlen(rest);
		char name[NAME_MAX + 1], actual[NAME_MAX + 1], next[PATH_MAX];
		enum fix_status status;

		if (!valid_component(rest, length)) {
			posix_errorf(err,
				 "%s: \"%s\" is not a plain relative path", ctx->root[volume], path);
			return FIX_ERROR;
		}
		memcpy(name, rest, length);
		name[length] = '\0';
		status = find_entry(current, name, actual, err);
		if (status == FIX_ERROR)
			return FIX_ERROR;
		if (!join_path(next, current, status == FIX_OK ? actual : name, err))
			return FIX_ERROR;

		if (!end) {
			snprintf(out->dir, sizeof(out->dir), "%s", current);
			snprintf(out->leaf, sizeof(out->leaf), "%s",
				 status == FIX_OK ? actual : name);
			snprintf(out->full, sizeof(out->full), "%s", next);
			out->exists = status == FIX_OK;
			if (out->exists && lstat(next, &st) == 0 && S_ISLNK(st.st_mode)) {
				posix_errorf(err, "%s: a symbolic link; win7gen2 does not follow links "
					 "on the volume", next);
				return FIX_ERROR;
			}
			return FIX_OK;
		}

		if (status == FIX_NOT_FOUND) {
			if (!create_dirs) {
				snprintf(out->full, sizeof(out->full), "%s", next);
				return FIX_NOT_FOUND;
			}
			if (mkdir(next, 0755) != 0 && errno != EEXIST) {
				posix_error(err, next, errno);
				return FIX_ERROR;
			}
		}
		if (lstat(next, &st) != 0) {
			posix_error(err, next, errno);
			return FIX_ERROR;
		}
		if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
			posix_errorf(err, "%s: %s", next,
				 S_ISLNK(st.st_mode) ? "a symbolic link; win7gen2 does not "
				 "follow links on the volume" : "not a directory");
			return FIX_ERROR;
		}
		snprintf(current, sizeof(current), "%s", next);
		rest = end + 1;
	}
}

static enum fix_status posix_read_file(void *ctx, enum fix_volume volume, const char *path,
				       size_t max, struct fix_bytes *out, struct fix_error *err)
{
	struct posix_path p;
	enum fix_status status;
	struct stat st;
	size_t done = 0;
	uint8_t *data;
	int fd;

	out->data = NULL;
	out->size = 0;
	status = posix_resolve(ctx, volume, path, false, &p, err);
	if (status != FIX_OK)
		return status;
	if (!p.exists)
		return FIX_NOT_FOUND;
	fd = open(p.full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		posix_error(err, p.full, errno);
		return FIX_ERROR;
	}
	if (fstat(fd, &st) != 0) {
		posix_error(err, p.full, errno);
		close(fd);
		return FIX_ERROR;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0 || (unsigned long long)st.st_size > max) {
		posix_errorf(err, !S_ISREG(st.st_mode) ?
			 "%s: not a regular file" : "%s: larger than win7gen2 reads (%llu bytes)",
			 p.full, (unsigned long long)max);
		close(fd);
		return FIX_ERROR;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		posix_error(err, p.full, ENOMEM);
		close(fd);
		return FIX_ERROR;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, data + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			posix_error(err, p.full, n < 0 ? errno : EIO);
			free(data);
			close(fd);
			return FIX_ERROR;
		}
		done += (size_t)n;
	}
	close(fd);
	out->data = data;
	out->size = done;
	return FIX_OK;
}

static enum fix_status posix_file_exists(void *ctx, enum fix_volume volume, const char *path,
					 struct fix_error *err)
{
	struct posix_path p;
	enum fix_status status;
	struct stat st;

	status = posix_resolve(ctx, volume, path, false, &p, err);
	if (status != FIX_OK)
		return status;
	if (!p.exists)
		return FIX_NOT_FOUND;
	if (lstat(p.full, &st) != 0) {
		posix_error(err, p.full, errno);
		return FIX_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		posix_errorf(err, "%s: not a regular file", p.full);
		return FIX_ERROR;
	}
	return FIX_OK;
}

static bool sync_directory(const char *dir, struct fix_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		posix_error(err, dir, errno);
		return false;
	}
	/* Some file systems cannot sync a directory (EINVAL); the rename is
	 * then as durable as that file system makes it. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
		posix_error(err, dir, errno);
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

enum fix_status posix_replace_with_temp(const struct posix_path *target,
					int (*fill)(void *ctx, const char *temp_path),
					void *fill_ctx, struct fix_error *err)
{
	char temp[PATH_MAX];
	struct stat st;
	mode_t mode = 0644;
	int n;

	n = snprintf(temp, sizeof(temp), "%s/%s" TEMP_SUFFIX, target->dir, target->leaf);
	if (n < 0 || (size_t)n >= sizeof(temp) ||
	    strlen(target->leaf) + sizeof(TEMP_SUFFIX) - 1 > NAME_MAX) {
		posix_errorf(err, "%s: name too long", target->full);
		return FIX_ERROR;
	}
	/* A temp file left by a crash is ours by its name. */
	if (unlink(temp) != 0 && errno != ENOENT) {
		posix_error(err, temp, errno);
		return FIX_ERROR;
	}
	if (target->exists && lstat(target->full, &st) == 0)
		mode = st.st_mode & 07777;
	errno = 0;
	if (fill(fill_ctx, temp) != 0) {
		posix_error(err, temp, errno ? errno : EIO);
		unlink(temp);
		return FIX_ERROR;
	}
	if (chmod(temp, mode) != 0 && errno != EPERM) {
		posix_error(err, temp, errno);
		unlink(temp);
		return FIX_ERROR;
	}
	if (rename(temp, target->full) != 0) {
		posix_error(err, target->full, errno);
		unlink(temp);
		return FIX_ERROR;
	}
	return sync_directory(target->dir, err) ? FIX_OK : FIX_ERROR;
}

struct bytes_to_write {
	const void *data;
	size_t size;
};

/* Write the bytes to a new file and flush them to the disk. */
static int fill_with_bytes(void *ctx, const char *temp_path)
{
	const struct bytes_to_write *bytes = ctx;
	const uint8_t *data = bytes->data;
	size_t done = 0;
	int fd, saved;

	fd = open(temp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (done < bytes->size) {
		ssize_t n = write(fd, data + done, bytes->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	return close(fd);
fail:
	saved = errno ? errno : EIO;
	close(fd);
	errno = saved;
	return -1;
}

static enum fix_status posix_write_file(void *ctx, enum fix_volume volume, const char *path,
					const void *data, size_t size, enum fix_write_mode mode,
					struct fix_error *err)
{
	struct bytes_to_write bytes = { data, size };
	struct posix_path p;
	enum fix_status status;
	struct stat st;

	status = posix_resolve(ctx, volume, path, true, &p, err);
	if (status != FIX_OK)
		return FIX_ERROR;
	if (p.exists && mode == FIX_WRITE_NEW) {
		posix_error(err, p.full, EEXIST);
		return FIX_ERROR;
	}
	if (p.exists && (lstat(p.full, &st) != 0 || !S_ISREG(st.st_mode))) {
		posix_errorf(err, "%s: not a regular file", p.full);
		return FIX_ERROR;
	}
	return posix_replace_with_temp(&p, fill_with_bytes, &bytes, err);
}

static enum fix_status posix_rename_file(void *ctx, enum fix_volume volume, const char *from,
					 const char *to, struct fix_error *err)
{
	struct posix_path source, target;
	enum fix_status status;

	status = posix_resolve(ctx, volume, from, false, &source, err);
	if (status == FIX_OK && !source.exists)
		status = FIX_NOT_FOUND;
	if (status == FIX_NOT_FOUND)
		posix_error(err, source.full, ENOENT);
	if (status != FIX_OK)
		return FIX_ERROR;
	if (posix_resolve(ctx, volume, to, false, &target, err) != FIX_OK)
		return FIX_ERROR;
	if (rename(source.full, target.full) != 0) {
		posix_error(err, target.full, errno);
		return FIX_ERROR;
	}
	return sync_directory(target.dir, err) ? FIX_OK : FIX_ERROR;
}

static void posix_display_path(void *ctx, enum fix_volume volume, const char *path,
			       char *buf, size_t size)
{
	const struct posix_fix *fix = ctx;
	size_t n;

	if (size == 0)
		return;
	snprintf(buf, size, "%s%s%s", fix->root[volume], *path ? "/" : "", path);
	n = strlen(fix->root[volume]);
	for (char *c = buf + (n < size ? n : size - 1); *c; c++)
		if (*c == '\\')
			*c = '/';
}

enum fix_status posix_fix_init(struct posix_fix *ctx, const char *windows_root,
			       const char *esp_root, struct fix_error *err)
{
	const char *roots[2] = { windows_root, esp_root };
	static const char *const names[2] = { "Windows volume", "ESP" };

	for (int i = 0; i < 2; i++) {
		size_t n = strlen(roots[i]);
		struct stat st;

		if (n == 0 || n >= sizeof(ctx->root[i])) {
			posix_errorf(err, "%s: bad directory name \"%s\"",
				 names[i], roots[i]);
			return FIX_ERROR;
		}
		memcpy(ctx->root[i], roots[i], n + 1);
		while (n > 1 && ctx->root[i][n - 1] == '/')
			ctx->root[i][--n] = '\0';
		if (stat(ctx->root[i], &st) != 0) {
			posix_error(err, ctx->root[i], errno);
			return FIX_ERROR;
		}
		if (!S_ISDIR(st.st_mode)) {
			posix_errorf(err, "%s: not a directory",
				 ctx->root[i]);
			return FIX_ERROR;
		}
	}
	return FIX_OK;
}

const struct fix_backend posix_fix_backend = {
	.read_file = posix_read_file,
	.write_file = posix_write_file,
	.file_exists = posix_file_exists,
	.rename_file = posix_rename_file,
	.display_path = posix_display_path,
	.hive_open = posix_hive_open,
	.hive_subkeys = posix_hive_subkeys,
	.hive_key_exists = posix_hive_key_exists,
	.hive_get = posix_hive_get,
	.hive_set = posix_hive_set,
	.hive_commit = posix_hive_commit,
	.hive_close = posix_hive_close,
	.probe_layout = posix_probe_layout,
};
