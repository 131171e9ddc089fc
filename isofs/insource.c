/*
 * insource.c - IN held open from the first read to the publish
 *
 * SPDX-License-Identifier: MIT
 */
#include "insource.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

int in_source_open(struct in_source *in, const char *path, struct text *err)
{
	if (iso_source_open(&in->iso, path, err) < 0)
		return -1;
	if (fstat(in->iso.fd, &in->seen) < 0) {
		text_appendf(err, "cannot open %s: %s", path, strerror(errno));
		in_source_close(in);
		return -1;
	}
	return 0;
}

int in_source_unchanged(const struct in_source *in, struct text *err)
{
	struct stat now, named;
	const char *what = NULL;

	if (fstat(in->iso.fd, &now) < 0)
		what = "it cannot be looked at any more";
	else if (now.st_size != in->seen.st_size)
		what = "its size changed";
	else if (!same_time(&now.st_mtim, &in->seen.st_mtim))
		what = "its modification time changed";
	else if (stat(in->iso.name, &named) < 0)
		what = "its name is gone";
	else if (named.st_dev != in->seen.st_dev || named.st_ino != in->seen.st_ino)
		what = "another file took its name";
	if (!what)
		return 0;
	text_appendf(err, "IN changed while it was being read: %s (%s); OUT was not written: "
		     "build again once nothing changes it", in->iso.name, what);
	return -1;
}

void in_source_close(struct in_source *in)
{
	iso_source_close(&in->iso);
}
