/*
 * publish.c - giving a finished file its name
 *
 * renameat2(RENAME_NOREPLACE) gives the name and refuses an existing
 * one in a single step.  Not every file system takes the flag: the
 * Linux 9P client (WSL 2 mounts the Windows drive, /mnt/c, over 9P)
 * and some FUSE ones refuse every rename flag with EINVAL, and a kernel
 * or C library without renameat2 says ENOSYS.  There link(2) does the
 * same job, since it also fails with EEXIST when the name exists; the
 * temporary name is then removed.  A file system without hard links
 * either (FAT says EPERM, others ENOTSUP) leaves no atomic way: the
 * user decides with --force rather than win7gen2 replacing a file it
 * did not write.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool takes_no_flags(int error)
{
	return error == EINVAL || error == ENOSYS;
}

static bool has_no_links(int error)
{
	return error == EPERM || error == EOPNOTSUPP || error == ENOSYS;
}

int publish_file(const char *from, const char *to, const char *what, bool replace,
		 struct text *err)
{
	int error;

	if (replace) {
		if (rename(from, to) == 0)
			return 0;
		text_appendf(err, "cannot move %s to %s: %s", what, to, strerror(errno));
		return -1;
	}
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	error = errno;
	if (takes_no_flags(error)) {
		if (link(from, to) == 0) {
			/* The file has both names now; the temporary one goes. */
			unlink(from);
			return 0;
		}
		error = errno;
		if (has_no_links(error)) {
			text_appendf(err, "cannot give %s its name %s: that file system takes "
				     "neither rename flags nor hard links (%s), so win7gen2 cannot "
				     "make sure it replaces no file that appeared there meanwhile; "
				     "give --force to replace whatever is at %s, or write it to "
				     "another file system", what, to, strerror(error), to);
			return -1;
		}
	}
	if (error == EEXIST)
		text_appendf(err, "%s appeared while %s was written; it is kept as it is: give "
			     "--force to replace it", to, what);
	else
		text_appendf(err, "cannot move %s to %s: %s", what, to, strerror(error));
	return -1;
}
