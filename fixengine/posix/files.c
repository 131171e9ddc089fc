/*
 * files.c - files below a volume's root: case-insensitive, no links out
 *
 * FAT and NTFS ignore case, a Linux mount of them shows the names as
 * stored ("EFI/Microsoft" or "efi/microsoft"), and a copied tree may use
 * either.  So each component is looked up by reading its directory and
 * comparing names ASCII-case-insensitively; two names that differ only
 * in case (possible in a copy on a Linux file system, never on FAT) are
 * refused rather than guessed between.
 *
 * The engine must not read or write outside the directories the user
 * named, and the tree may change while it runs (another process, a
 * hostile disk image on a shared machine).  So the walk opens each
 * directory relative to the one before with O_NOFOLLOW | O_DIRECTORY:
 * a symbolic link anywhere on the way is refused by the kernel at the
 * moment of the open, not by an earlier lstat.  The walk ends with the
 * last directory open, and every use (openat, fstatat, renameat,
 * unlinkat) names only a plain component in it.  A directory swapped for
 * a link after the walk is then harmless: the open directory is still
 * the one that was checked.  (Each component is a plain name - no '/',
 * no "..": valid_component - so openat2's RESOLVE_BENEATH would add
 * nothing a one-component O_NOFOLLOW open does not already give.)
 *
 * Writes never touch the file in place: the new content goes to
 * "<name>.win7gen2-tmp" in the same directory, is fsync()ed, and
 * renameat() puts it in place; then the directory is fsync()ed.  After
 * a crash the old file or the new one is there, and at worst a stale
 * temp file, which the next write removes.
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

#include "ascii.h"
#include "internal.h"

#define TEMP_SUFFIX ".win7gen2-tmp"
#define LINK_REFUSED "a symbolic link; win7gen2 does not follow links on the volume"

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

void posix_fd_path(int fd, char buf[POSIX_FD_PATH_MAX])
{
	snprintf(buf, POSIX_FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

void posix_path_close(struct posix_path *path)
{
	if (path->dir_fd >= 0)
		close(path->dir_fd);
	path->dir_fd = -1;
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
 * The entry of the directory open at dir_fd (shown as dir) whose name
 * matches name case-insensitively.  FIX_NOT_FOUND if none; FIX_ERROR if
 * it cannot be read or two entries match (unless one matches exactly:
 * then that one).
 */
static enum fix_status find_entry(int dir_fd, const char *dir, const char *name,
				  char actual[NAME_MAX + 1], struct fix_error *err)
{
	char other[NAME_MAX + 1] = "";
	bool exact = false, found = false;
	struct dirent *entry;
	DIR *handle;
	int fd;

	/* fdopendir takes the descriptor over; the walk keeps its own. */
	fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	handle = fd >= 0 ? fdopendir(fd) : NULL;
	if (!handle) {
		posix_error(err, dir, errno);
		if (fd >= 0)
			close(fd);
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

/* Why opening name in dir_fd (shown as shown) failed with error: a link,
 * something else where a directory should be, or what errno says. */
static void explain_open_failure(struct fix_error *err, int dir_fd, const char *name,
				 const char *shown, int error, bool want_dir)
{
	struct stat st;

	/* O_NOFOLLOW | O_DIRECTORY on a link gives ELOOP or ENOTDIR
	 * depending on the kernel; look at what is there to say which. */
	if ((error == ELOOP || error == ENOTDIR) &&
	    fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			posix_errorf(err, "%s: " LINK_REFUSED, shown);
			return;
		}
		if (want_dir && !S_ISDIR(st.st_mode)) {
			posix_errorf(err, "%s: not a directory", shown);
			return;
		}
	}
	posix_error(err, shown, error);
}

enum fix_status posix_resolve(const struct posix_fix *ctx, enum fix_volume volume,
			      const char *path, bool create_dirs, struct posix_path *out,
			      struct fix_error *err)
{
	const char *rest = path;
	char current[PATH_MAX];
	int dir_fd;

	memset(out, 0, sizeof(*out));
	out->dir_fd = -1;
	snprintf(current, sizeof(current), "%s", ctx->root[volume]);
	/* The root itself is the user's choice: a link there is followed. */
	dir_fd = open(current, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0) {
		posix_error(err, current, errno);
		return FIX_ERROR;
	}
	for (;;) {
		const char *end = strchr(rest, '\\');
		size_t length = end ? (size_t)(end - rest) : strlen(rest);
		char name[NAME_MAX + 1], actual[NAME_MAX + 1], next[PATH_MAX];
		enum fix_status status;
		const char *on_disk;
		int child;

		if (!valid_component(rest, length)) {
			posix_errorf(err,
				 "%s: \"%s\" is not a plain relative path", ctx->root[volume], path);
			goto fail;
		}
		memcpy(name, rest, length);
		name[length] = '\0';
		status = find_entry(dir_fd, current, name, actual, err);
		if (status == FIX_ERROR)
			goto fail;
		on_disk = status == FIX_OK ? actual : name;
		if (!join_path(next, current, on_disk, err))
			goto fail;

		if (!end) {
			struct stat st;

			out->dir_fd = dir_fd;
			snprintf(out->leaf, sizeof(out->leaf), "%s", on_disk);
			snprintf(out->full, sizeof(out->full), "%s", next);
			out->exists = status == FIX_OK;
			/* Refused here for a clear message; the uses refuse it
			 * again (O_NOFOLLOW) should it appear later. */
			if (out->exists && fstatat(dir_fd, on_disk, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode)) {
				posix_errorf(err, "%s: " LINK_REFUSED, next);
				posix_path_close(out);
				return FIX_ERROR;
			}
			if (ctx->after_resolve)
				ctx->after_resolve(ctx->hook_ctx, volume, path);
			return FIX_OK;
		}

		if (status == FIX_NOT_FOUND) {
			if (!create_dirs) {
				snprintf(out->full, sizeof(out->full), "%s", next);
				close(dir_fd);
				return FIX_NOT_FOUND;
			}
			if (mkdirat(dir_fd, name, 0755) != 0 && errno != EEXIST) {
				posix_error(err, next, errno);
				goto fail;
			}
		}
		child = openat(dir_fd, on_disk, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			explain_open_failure(err, dir_fd, on_disk, next, errno, true);
			goto fail;
		}
		close(dir_fd);
		dir_fd = child;
		snprintf(current, sizeof(current), "%s", next);
		rest = end + 1;
	}
fail:
	close(dir_fd);
	return FIX_ERROR;
}

static enum fix_status posix_read_file(void *ctx, enum fix_volume volume, const char *path,
				       size_t max, struct fix_bytes *out, struct fix_error *err)
{
	struct posix_path p;
	enum fix_status status;
	struct stat st;
	size_t done = 0;
	uint8_t *data = NULL;
	int fd;

	out->data = NULL;
	out->size = 0;
	status = posix_resolve(ctx, volume, path, false, &p, err);
	if (status != FIX_OK)
		return status;
	if (!p.exists) {
		posix_path_close(&p);
		return FIX_NOT_FOUND;
	}
	/* O_NONBLOCK: a FIFO put there must not hang the run; regular
	 * files ignore it. */
	fd = openat(p.dir_fd, p.leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int error = errno;

		if (error == ENOENT)
			status = FIX_NOT_FOUND; /* removed since the walk */
		else
			explain_open_failure(err, p.dir_fd, p.leaf, p.full, error, false);
		posix_path_close(&p);
		return status == FIX_NOT_FOUND ? FIX_NOT_FOUND : FIX_ERROR;
	}
	status = FIX_ERROR;
	if (fstat(fd, &st) != 0) {
		posix_error(err, p.full, errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0 || (unsigned long long)st.st_size > max) {
		posix_errorf(err, !S_ISREG(st.st_mode) ?
			 "%s: not a regular file" : "%s: larger than win7gen2 reads (%llu bytes)",
			 p.full, (unsigned long long)max);
		goto out;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		posix_error(err, p.full, ENOMEM);
		goto out;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, data + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			posix_error(err, p.full, n < 0 ? errno : EIO);
			goto out;
		}
		done += (size_t)n;
	}
	out->data = data;
	out->size = done;
	data = NULL;
	status = FIX_OK;
out:
	free(data);
	close(fd);
	posix_path_close(&p);
	return status;
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
	if (!p.exists) {
		status = FIX_NOT_FOUND;
	} else if (fstatat(p.dir_fd, p.leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		status = errno == ENOENT ? FIX_NOT_FOUND : FIX_ERROR;
		if (status == FIX_ERROR)
			posix_error(err, p.full, errno);
	} else if (S_ISLNK(st.st_mode)) {
		posix_errorf(err, "%s: " LINK_REFUSED, p.full);
		status = FIX_ERROR;
	} else if (!S_ISREG(st.st_mode)) {
		posix_errorf(err, "%s: not a regular file", p.full);
		status = FIX_ERROR;
	}
	posix_path_close(&p);
	return status;
}

/* The directory a resolved path is in, synced after a rename into it. */
static bool sync_directory(const struct posix_path *p, struct fix_error *err)
{
	char dir[PATH_MAX];
	char *slash;

	/* Some file systems cannot sync a directory (EINVAL); the rename is
	 * then as durable as that file system makes it. */
	if (fsync(p->dir_fd) == 0 || errno == EINVAL || errno == EROFS)
		return true;
	snprintf(dir, sizeof(dir), "%s", p->full);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	posix_error(err, dir, errno);
	return false;
}

enum fix_status posix_replace_with_temp(const struct posix_path *target,
					int (*fill)(void *ctx, int fd, const char *display),
					void *fill_ctx, struct fix_error *err)
{
	char temp[NAME_MAX + 1], shown[PATH_MAX];
	struct stat st;
	mode_t mode = 0644;
	int fd, n;

	n = snprintf(temp, sizeof(temp), "%s" TEMP_SUFFIX, target->leaf);
	if (n < 0 || (size_t)n >= sizeof(temp) ||
	    snprintf(shown, sizeof(shown), "%s" TEMP_SUFFIX, target->full) >= (int)sizeof(shown)) {
		posix_errorf(err, "%s: name too long", target->full);
		return FIX_ERROR;
	}
	/* A temp file left by a crash is ours by its name. */
	if (unlinkat(target->dir_fd, temp, 0) != 0 && errno != ENOENT) {
		posix_error(err, shown, errno);
		return FIX_ERROR;
	}
	if (target->exists && fstatat(target->dir_fd, target->leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	fd = openat(target->dir_fd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0) {
		posix_error(err, shown, errno);
		return FIX_ERROR;
	}
	errno = 0;
	if (fill(fill_ctx, fd, shown) != 0 || fsync(fd) != 0 ||
	    (fchmod(fd, mode) != 0 && errno != EPERM)) {
		posix_error(err, shown, errno ? errno : EIO);
		close(fd);
		unlinkat(target->dir_fd, temp, 0);
		return FIX_ERROR;
	}
	if (close(fd) != 0) {
		posix_error(err, shown, errno);
		unlinkat(target->dir_fd, temp, 0);
		return FIX_ERROR;
	}
	if (renameat(target->dir_fd, temp, target->dir_fd, target->leaf) != 0) {
		posix_error(err, target->full, errno);
		unlinkat(target->dir_fd, temp, 0);
		return FIX_ERROR;
	}
	return sync_directory(target, err) ? FIX_OK : FIX_ERROR;
}

struct bytes_to_write {
	const void *data;
	size_t size;
};

static int fill_with_bytes(void *ctx, int fd, const char *display)
{
	const struct bytes_to_write *bytes = ctx;
	const uint8_t *data = bytes->data;
	size_t done = 0;

	(void)display;
	while (done < bytes->size) {
		ssize_t n = write(fd, data + done, bytes->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
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
		status = FIX_ERROR;
	} else if (p.exists && (fstatat(p.dir_fd, p.leaf, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
				!S_ISREG(st.st_mode))) {
		posix_errorf(err, "%s: not a regular file", p.full);
		status = FIX_ERROR;
	} else {
		status = posix_replace_with_temp(&p, fill_with_bytes, &bytes, err);
	}
	posix_path_close(&p);
	return status;
}

/* The same directory, not merely the same name: a rename between two
 * directories would not be the one atomic step backend.h promises. */
static bool same_directory(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static enum fix_status posix_rename_file(void *ctx, enum fix_volume volume, const char *from,
					 const char *to, struct fix_error *err)
{
	struct posix_path source, target;
	enum fix_status status;
	bool ok;

	status = posix_resolve(ctx, volume, from, false, &source, err);
	if (status == FIX_OK && !source.exists) {
		posix_path_close(&source);
		status = FIX_NOT_FOUND;
	}
	if (status == FIX_NOT_FOUND)
		posix_error(err, source.full, ENOENT);
	if (status != FIX_OK)
		return FIX_ERROR;
	status = posix_resolve(ctx, volume, to, false, &target, err);
	if (status == FIX_NOT_FOUND)
		posix_error(err, target.full, ENOENT);
	if (status != FIX_OK) {
		posix_path_close(&source);
		return FIX_ERROR;
	}
	ok = same_directory(source.dir_fd, target.dir_fd);
	if (!ok)
		posix_errorf(err, "%s and %s: not in the same directory (any more)", source.full,
			 target.full);
	if (ok && renameat(source.dir_fd, source.leaf, target.dir_fd, target.leaf) != 0) {
		posix_error(err, target.full, errno);
		ok = false;
	}
	ok = ok && sync_directory(&target, err);
	posix_path_close(&source);
	posix_path_close(&target);
	return ok ? FIX_OK : FIX_ERROR;
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

void posix_fix_disk_path(const struct posix_fix *fix, enum fix_volume volume, const char *path,
			 char *buf, size_t size)
{
	struct fix_error ignored;
	struct posix_path p;

	if (size == 0)
		return;
	if (posix_resolve(fix, volume, path, false, &p, &ignored) == FIX_OK) {
		snprintf(buf, size, "%s", p.full);
		posix_path_close(&p);
		return;
	}
	posix_display_path((void *)fix, volume, path, buf, size);
}

enum fix_status posix_fix_init(struct posix_fix *ctx, const char *windows_root,
			       const char *esp_root, struct fix_error *err)
{
	const char *roots[2] = { windows_root, esp_root };
	static const char *const names[2] = { "Windows volume", "ESP" };

	memset(ctx, 0, sizeof(*ctx));
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
