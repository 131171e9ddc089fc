/*
 * test-writeback.c - OUT's long copy: at most two pieces on their way to
 * the disk, each let go only once the disk has it, and a write the disk
 * refused reported rather than lost
 *
 * Linked with -Wl,--wrap for sync_file_range and posix_fadvise: each
 * call is recorded, then made for real unless the test says the disk
 * fails.
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

#include "tap.h"
#include "writeback.h"

#define PIECE (64ull << 20)

int __real_sync_file_range(int fd, off64_t offset, off64_t size, unsigned int flags);
int __real_posix_fadvise(int fd, off_t offset, off_t size, int advice);
int __wrap_sync_file_range(int fd, off64_t offset, off64_t size, unsigned int flags);
int __wrap_posix_fadvise(int fd, off_t offset, off_t size, int advice);

static char calls[512];
static int wait_error;          /* errno the next waiting call fails with */

static void record(const char *what, long long offset)
{
	size_t used = strlen(calls);

	snprintf(calls + used, sizeof(calls) - used, "%s%s %lld", used ? ", " : "", what,
		 offset);
}

int __wrap_sync_file_range(int fd, off64_t offset, off64_t size, unsigned int flags)
{
	bool waits = flags & SYNC_FILE_RANGE_WAIT_AFTER;

	record(waits ? "wait" : "start", (long long)(offset / PIECE));
	if (waits && wait_error) {
		errno = wait_error;
		wait_error = 0;
		return -1;
	}
	/* Offsets beyond the file's end are fine for the real call. */
	return __real_sync_file_range(fd, offset, size, flags);
}

int __wrap_posix_fadvise(int fd, off_t offset, off_t size, int advice)
{
	record(advice == POSIX_FADV_DONTNEED ? "drop" : "advise", (long long)(offset / PIECE));
	return __real_posix_fadvise(fd, offset, size, advice);
}

static int temp_file(void)
{
	char path[] = "test-writeback.XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

static void test_order(void)
{
	struct writeback wb;
	int fd = temp_file(), rc = 0;

	calls[0] = '\0';
	writeback_init(&wb, fd);
	for (uint64_t piece = 0; piece < 5; piece++)
		rc |= writeback_piece(&wb, piece * PIECE, PIECE);
	tap_ok(rc == 0, "five pieces handed over");
	tap_is_str(calls, "start 0, start 1, wait 0, drop 0, start 2, wait 1, drop 1, start 3, "
		   "wait 2, drop 2, start 4",
		   "two pieces in flight at most; each let go only after the wait for it");
	close(fd);
}

static void test_disk_errors(void)
{
	static const int errors[] = { EIO, ENOSPC, EDQUOT };

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct writeback wb;
		int fd = temp_file(), rc;

		writeback_init(&wb, fd);
		writeback_piece(&wb, 0, PIECE);
		writeback_piece(&wb, PIECE, PIECE);
		calls[0] = '\0';
		wait_error = errors[i];
		errno = 0;
		rc = writeback_piece(&wb, 2 * PIECE, PIECE);
		tap_ok(rc == -1 && errno == errors[i], "the disk refusing piece 0 (%s): the "
		       "third piece says so", strerror(errors[i]));
		tap_is_str(calls, "wait 0", "  and nothing is let go or started after it");
		close(fd);
	}
}

/* Some file systems (FUSE, network ones) have no sync_file_range: the
 * fsync at the end does the work, and the copy goes on. */
static void test_unsupported(void)
{
	struct writeback wb;
	int fd = temp_file();

	writeback_init(&wb, fd);
	writeback_piece(&wb, 0, PIECE);
	writeback_piece(&wb, PIECE, PIECE);
	wait_error = EINVAL;
	tap_ok(writeback_piece(&wb, 2 * PIECE, PIECE) == 0,
	       "no sync_file_range on the file system: not an error");
	close(fd);
}

/* Letting pages go never loses bytes: a file written in pieces, each
 * handed over, reads back whole. */
static void test_bytes_kept(void)
{
	enum { SMALL = 1 << 20, COUNT = 6 };
	unsigned char *data = malloc((size_t)SMALL * COUNT), *back = malloc((size_t)SMALL * COUNT);
	struct writeback wb;
	int fd = temp_file();
	bool ok = data && back && fd >= 0;

	for (size_t i = 0; ok && i < (size_t)SMALL * COUNT; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	writeback_init(&wb, fd);
	for (int piece = 0; ok && piece < COUNT; piece++)
		ok = pwrite(fd, data + (size_t)piece * SMALL, SMALL, (off_t)piece * SMALL) == SMALL &&
		     writeback_piece(&wb, (uint64_t)piece * SMALL, SMALL) == 0;
	ok = ok && fsync(fd) == 0 &&
	     pread(fd, back, (size_t)SMALL * COUNT, 0) == (ssize_t)SMALL * COUNT &&
	     memcmp(data, back, (size_t)SMALL * COUNT) == 0;
	tap_ok(ok, "six pieces written, handed over and let go read back byte for byte");
	if (fd >= 0)
		close(fd);
	free(data);
	free(back);
}

int main(void)
{
	test_order();
	test_disk_errors();
	test_unsupported();
	test_bytes_kept();
	return tap_done();
}
