/*
 * norename-flags.c - an LD_PRELOAD library for tests: a file system
 * that takes no rename flags
 *
 * renameat2() with any flag fails with EINVAL, as on the Linux 9P
 * client WSL 2 mounts /mnt/c with.  The builder calls renameat2()
 * through the C library (glibc's wrapper makes the system call itself,
 * inside the library), so wrapping the function is enough.  Set in
 * the environment:
 *   NORENAME_LOG=FILE     append a line to FILE for each refusal, so a
 *                         test knows the fallback ran
 *   NORENAME_APPEAR=PATH  before refusing, create PATH holding
 *                         "appeared": a file that appears at OUT while
 *                         it is written
 *   NORENAME_NO_LINK=1    link() fails with EPERM as well, as on FAT
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void note(const char *variable, const char *text)
{
	const char *path = getenv(variable);
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0) {
			/* the test sees the missing line */
		}
		close(fd);
	}
}

int renameat2(int old_dir, const char *old_path, int new_dir, const char *new_path,
	      unsigned int flags)
{
	if (flags) {
		note("NORENAME_LOG", "renameat2: flags refused\n");
		note("NORENAME_APPEAR", "appeared\n");
		errno = EINVAL;
		return -1;
	}
	return renameat(old_dir, old_path, new_dir, new_path);
}

int link(const char *old_path, const char *new_path)
{
	const char *no_link = getenv("NORENAME_NO_LINK");

	if (no_link && *no_link) {
		note("NORENAME_LOG", "link: refused\n");
		errno = EPERM;
		return -1;
	}
	return linkat(AT_FDCWD, old_path, AT_FDCWD, new_path, 0);
}
