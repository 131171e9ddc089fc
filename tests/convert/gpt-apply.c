/*
 * gpt-apply.c - write the convert engine's GPT over a disk image
 *
 *   gpt-apply IMAGE WINDOWS-PARTITION
 *
 * Runs the engine's checks on IMAGE's MBR and boot sectors and writes
 * the protective MBR, both headers and both entry arrays in place, so
 * that the shell test can ask sgdisk -v whether the table is right
 * without the rest of the conversion.  A test tool, not for users.
 *
 * SPDX-License-Identifier: MIT
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "convert.h"

static struct convert_gpt gpt;

static int put(int fd, const void *data, size_t size, uint64_t lba)
{
	return pwrite(fd, data, size, (off_t)(lba * CONVERT_BLOCK_SIZE)) == (ssize_t)size ? 0 : -1;
}

int main(int argc, char **argv)
{
	uint8_t lba0[CONVERT_BLOCK_SIZE], boot[CONVERT_MBR_SLOTS][CONVERT_BLOCK_SIZE];
	uint8_t random[16 * (1 + CONVERT_MBR_SLOTS)];
	const uint8_t *boot_sector[CONVERT_MBR_SLOTS] = { NULL };
	struct convert_layout layout;
	struct fix_error err;
	struct stat st;
	int fd, urandom;

	if (argc != 3)
		return fprintf(stderr, "usage: gpt-apply IMAGE WINDOWS-PARTITION\n"), 2;
	fd = open(argv[1], O_RDWR);
	urandom = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || urandom < 0 || fstat(fd, &st) < 0 ||
	    pread(fd, lba0, sizeof(lba0), 0) != (ssize_t)sizeof(lba0) ||
	    read(urandom, random, sizeof(random)) != (ssize_t)sizeof(random))
		return perror(argv[1]), 1;
	if (convert_read_mbr(lba0, CONVERT_BLOCK_SIZE, (uint64_t)st.st_size / CONVERT_BLOCK_SIZE,
			     &layout, &err) != CONVERT_ACCEPTED)
		return fprintf(stderr, "%s\n", err.message), 1;
	for (unsigned i = 0; i < layout.count; i++) {
		if (pread(fd, boot[i], CONVERT_BLOCK_SIZE,
			  (off_t)(layout.partition[i].first_lba * CONVERT_BLOCK_SIZE)) !=
		    CONVERT_BLOCK_SIZE)
			return perror(argv[1]), 1;
		boot_sector[i] = boot[i];
	}
	if (convert_check_volumes(&layout, boot_sector, &err) != CONVERT_ACCEPTED)
		return fprintf(stderr, "%s\n", err.message), 1;
	convert_set_windows(&layout, (unsigned)atoi(argv[2]) - 1);
	convert_set_guids(&layout, random, sizeof(random));
	convert_build_gpt(&layout, &gpt);
	if (put(fd, gpt.protective_mbr, sizeof(gpt.protective_mbr), 0) < 0 ||
	    put(fd, gpt.primary_header, sizeof(gpt.primary_header), 1) < 0 ||
	    put(fd, gpt.entries, sizeof(gpt.entries), gpt.primary_entries_lba) < 0 ||
	    put(fd, gpt.entries, sizeof(gpt.entries), gpt.backup_entries_lba) < 0 ||
	    put(fd, gpt.backup_header, sizeof(gpt.backup_header), gpt.backup_header_lba) < 0 ||
	    fsync(fd) < 0)
		return perror(argv[1]), 1;
	return close(fd) < 0;
}
