/*
 * cabfile.c - a Microsoft Cabinet (CAB) file's members, through libmspack
 *
 * SPDX-License-Identifier: MIT
 */
#include "cabfile.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <mspack.h>

/* The CAB format allows 65535 members per cabinet; libmspack is
 * trusted with that, this only bounds the index array. */
#define CABFILE_MAX_MEMBERS 65535u

struct cabfile {
	struct mscab_decompressor *decompressor;
	struct mscabd_cabinet *cabinet;
	struct mscabd_file **members;
	size_t count;
};

static const char *mspack_error(int error)
{
	switch (error) {
	case MSPACK_ERR_OPEN:
		return "it cannot be opened";
	case MSPACK_ERR_READ:
		return "it cannot be read, or ends too early (a truncated or corrupt CAB)";
	case MSPACK_ERR_WRITE:
		return "an extracted file cannot be written";
	case MSPACK_ERR_SEEK:
		return "it cannot be read, or ends too early (a truncated or corrupt CAB)";
	case MSPACK_ERR_NOMEMORY:
		return "out of memory";
	case MSPACK_ERR_SIGNATURE:
		return "it is not a CAB file (no MSCF signature)";
	case MSPACK_ERR_DATAFORMAT:
		return "it is a corrupt CAB: its header or member list is invalid";
	case MSPACK_ERR_CHECKSUM:
		return "it is a corrupt CAB: a data block's checksum does not match";
	case MSPACK_ERR_DECRUNCH:
		return "it is a corrupt CAB: its compressed data do not decompress";
	default:
		return "libmspack cannot read it";
	}
}

int cabfile_open(const char *path, struct cabfile **out, const char **why)
{
	struct cabfile *cab;
	struct mscabd_file *file;
	size_t count = 0;
	int selftest;

	*out = NULL;
	/* Built against one libmspack, run with another: make sure the two
	 * agree on the system interface before trusting it. */
	MSPACK_SYS_SELFTEST(selftest);
	if (selftest != MSPACK_ERR_OK) {
		*why = "the libmspack found at run time does not match the one win7gen2 "
		       "was built with";
		return -1;
	}
	cab = calloc(1, sizeof(*cab));
	if (!cab) {
		*why = "out of memory";
		return -1;
	}
	cab->decompressor = mspack_create_cab_decompressor(NULL);
	if (!cab->decompressor) {
		free(cab);
		*why = "out of memory";
		return -1;
	}
	/* Never salvage: a damaged cabinet is refused, not half read. */
	cab->decompressor->set_param(cab->decompressor, MSCABD_PARAM_SALVAGE, 0);
	cab->decompressor->set_param(cab->decompressor, MSCABD_PARAM_FIXMSZIP, 0);
	cab->cabinet = cab->decompressor->open(cab->decompressor, path);
	if (!cab->cabinet) {
		*why = mspack_error(cab->decompressor->last_error(cab->decompressor));
		cabfile_close(cab);
		return -1;
	}
	if (cab->cabinet->prevname || cab->cabinet->nextname) {
		*why = "it is one part of a multi-part CAB set, not a whole CAB";
		cabfile_close(cab);
		return -1;
	}
	for (file = cab->cabinet->files; file; file = file->next)
		if (++count > CABFILE_MAX_MEMBERS) {
			*why = "it is a corrupt CAB: it lists more than 65535 members";
			cabfile_close(cab);
			return -1;
		}
	cab->members = calloc(count ? count : 1, sizeof(cab->members[0]));
	if (!cab->members) {
		*why = "out of memory";
		cabfile_close(cab);
		return -1;
	}
	for (file = cab->cabinet->files; file; file = file->next)
		cab->members[cab->count++] = file;
	*out = cab;
	return 0;
}

void cabfile_close(struct cabfile *cab)
{
	if (!cab)
		return;
	if (cab->cabinet)
		cab->decompressor->close(cab->decompressor, cab->cabinet);
	mspack_destroy_cab_decompressor(cab->decompressor);
	free(cab->members);
	free(cab);
}

size_t cabfile_count(const struct cabfile *cab)
{
	return cab->count;
}

const char *cabfile_name(const struct cabfile *cab, size_t index)
{
	return cab->members[index]->filename ? cab->members[index]->filename : "";
}

uint32_t cabfile_size(const struct cabfile *cab, size_t index)
{
	return cab->members[index]->length;
}

static bool same_ascii_name(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

long cabfile_find(const struct cabfile *cab, const char *name)
{
	for (size_t i = 0; i < cab->count; i++)
		if (same_ascii_name(cabfile_name(cab, i), name))
			return (long)i;
	return -1;
}

int cabfile_extract(struct cabfile *cab, size_t index, const char *to, const char **why)
{
	int error = cab->decompressor->extract(cab->decompressor, cab->members[index], to);

	if (error != MSPACK_ERR_OK) {
		*why = mspack_error(error);
		return -1;
	}
	return 0;
}

int cabfile_verify(struct cabfile *cab, size_t *failed, const char **why)
{
	/* libmspack writes through its own file interface; the null device
	 * takes the bytes, libmspack checks them on the way. */
	for (size_t i = 0; i < cab->count; i++)
		if (cabfile_extract(cab, i, "/dev/null", why) < 0) {
			*failed = i;
			return -1;
		}
	return 0;
}
