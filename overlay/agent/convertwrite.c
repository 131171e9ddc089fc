/*
 * convertwrite.c - win7gen2pe --convert: the undo set, then the disk
 *
 * The undo set is the one win7gen2 convert keeps on Linux
 * (builder/cmd_convert.c, keep_undo): the first and last MiB of the
 * disk, System Reserved's every sector as gzip (RFC 1952, so that it can
 * be put back with gunzip and dd without win7gen2), the SYSTEM hive, and
 * convert.txt last, whose presence says the set is complete.  It goes
 * to <W>:\win7gen2\gen1\ through Windows' own NTFS driver and is read
 * back with convert_undo_check, as --undo will read it, before anything
 * else is written.
 *
 * Disk reads go through page-aligned buffers: a raw disk handle may
 * refuse a transfer into memory that is not sector-aligned.
 *
 * SPDX-License-Identifier: MIT
 */
#include "convertwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <zlib.h>

#include "args.h"
#include "convert.h"
#include "convertdisk.h"
#include "fix.h"
#include "partition_table.h"
#include "text.h"
#include "win32util.h"

#define UNDO_DIR_SHOWN "\\win7gen2\\gen1\\"
/* System Reserved is read and compressed a piece at a time. */
#define READ_CHUNK (1024u * 1024)

/* The undo set's files, as they are written and as convert.txt describes them. */
struct undo_set {
	uint8_t *first, *last;       /* VirtualAlloc */
	uint8_t *sysres_gz, *hive;   /* malloc */
	size_t sysres_gz_size, hive_size;
	struct convert_undo undo;
};

static void undo_set_free(struct undo_set *set)
{
	if (set->first)
		VirtualFree(set->first, 0, MEM_RELEASE);
	if (set->last)
		VirtualFree(set->last, 0, MEM_RELEASE);
	free(set->sysres_gz);
	free(set->hive);
	memset(set, 0, sizeof(*set));
}

static uint8_t *io_buffer(size_t size)
{
	return VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
}

/* The message of a failure after the undo set began, before the table
 * changed; AGENT_EXIT_FAILED. */
static int fail_before_table(struct convert_state *run, char letter, const char *message,
			     DWORD error)
{
	char reason[200] = "";

	if (error != ERROR_SUCCESS)
		win32_error_text(error, reason, sizeof(reason));
	convert_say_error(run, "win7gen2pe --convert: %s: %s%s%s%s", run->name, message,
			  reason[0] ? " (" : "", reason, reason[0] ? ")" : "");
	convert_say_error(run, "The partition table was not changed; only %c:" UNDO_DIR_SHOWN
			  " on the Windows volume may have been written.", letter);
	return AGENT_EXIT_FAILED;
}

/* System Reserved's sectors, gzipped, with the CRC-32 of what they hold. */
static bool gzip_partition(struct convert_state *run, const struct convert_partition *part,
			   struct undo_set *set, DWORD *error)
{
	uint64_t total = part->blocks * CONVERT_BLOCK_SIZE, done = 0;
	uint8_t *buffer = io_buffer(READ_CHUNK);
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t bound;
	z_stream z;
	bool ok = false;

	memset(&z, 0, sizeof(z));
	if (!buffer || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		*error = ERROR_NOT_ENOUGH_MEMORY;
		if (buffer)
			VirtualFree(buffer, 0, MEM_RELEASE);
		return false;
	}
	/* Room for all of it: deflate then never stops for want of output. */
	bound = deflateBound(&z, (uLong)total) + 64;
	set->sysres_gz = malloc(bound);
	if (!set->sysres_gz) {
		*error = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	z.next_out = set->sysres_gz;
	z.avail_out = (uInt)bound;
	while (done < total) {
		DWORD size = total - done < READ_CHUNK ? (DWORD)(total - done) : READ_CHUNK;
		int flush;

		if (!convert_disk_read(&run->disk, part->first_lba * CONVERT_BLOCK_SIZE + done,
				       buffer, size, error))
			goto out;
		crc = crc32(crc, buffer, size);
		done += size;
		flush = done == total ? Z_FINISH : Z_NO_FLUSH;
		z.next_in = buffer;
		z.avail_in = size;
		if (deflate(&z, flush) != (flush == Z_FINISH ? Z_STREAM_END : Z_OK) ||
		    z.avail_in != 0) {
			*error = ERROR_NOT_ENOUGH_MEMORY;
			goto out;
		}
	}
	set->sysres_gz_size = z.total_out;
	set->undo.system_reserved_crc = (uint32_t)crc;
	ok = true;
out:
	deflateEnd(&z);
	VirtualFree(buffer, 0, MEM_RELEASE);
	return ok;
}

/* The whole of a file, up to max bytes. */
static bool read_whole_file(const wchar_t *path, size_t max, uint8_t **data, size_t *size,
			    DWORD *error)
{
	HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
				  NULL);
	LARGE_INTEGER length;
	DWORD got = 0;

	*data = NULL;
	if (file == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	if (!GetFileSizeEx(file, &length) || length.QuadPart <= 0 ||
	    (uint64_t)length.QuadPart > max) {
		*error = ERROR_FILE_INVALID;
		CloseHandle(file);
		return false;
	}
	*data = malloc((size_t)length.QuadPart);
	if (!*data || !ReadFile(file, *data, (DWORD)length.QuadPart, &got, NULL) ||
	    got != (DWORD)length.QuadPart) {
		*error = *data ? ERROR_HANDLE_EOF : ERROR_NOT_ENOUGH_MEMORY;
		free(*data);
		*data = NULL;
		CloseHandle(file);
		return false;
	}
	CloseHandle(file);
	*size = (size_t)length.QuadPart;
	return true;
}

/* <letter>:\win7gen2\gen1\<name>, replaced whole and flushed. */
static bool write_undo_file(char letter, const wchar_t *name, const void *data, size_t size,
			    DWORD *error)
{
	wchar_t path[MAX_PATH];
	HANDLE file;
	DWORD put = 0;
	bool ok;

	swprintf(path, MAX_PATH, L"%c:\\win7gen2\\gen1\\%ls", letter, name);
	file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
			   NULL);
	if (file == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	ok = WriteFile(file, data, (DWORD)size, &put, NULL) && put == (DWORD)size &&
	     FlushFileBuffers(file);
	if (!ok)
		*error = put != (DWORD)size && GetLastError() == ERROR_SUCCESS ? ERROR_WRITE_FAULT :
			 GetLastError();
	if (!CloseHandle(file) && ok) {
		*error = GetLastError();
		ok = false;
	}
	return ok;
}

static bool make_undo_dir(char letter, DWORD *error)
{
	wchar_t path[32];

	swprintf(path, 32, L"%c:\\win7gen2", letter);
	if (!CreateDirectoryW(path, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
		goto fail;
	swprintf(path, 32, L"%c:\\win7gen2\\gen1", letter);
	if (!CreateDirectoryW(path, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
		goto fail;
	/* An older manifest must not vouch for the files about to replace
	 * the ones it describes, should this run stop halfway. */
	swprintf(path, 32, L"%c:\\win7gen2\\gen1\\" CONVERT_UNDO_MANIFEST, letter);
	if (!DeleteFileW(path) && GetLastError() != ERROR_FILE_NOT_FOUND)
		goto fail;
	return true;
fail:
	*error = GetLastError();
	return false;
}

static bool same_undo(const struct convert_undo *a, const struct convert_undo *b)
{
	return a->disk_blocks == b->disk_blocks && a->disk_signature == b->disk_signature &&
	       a->esp_first_lba == b->esp_first_lba && a->esp_blocks == b->esp_blocks &&
	       a->first_mib_crc == b->first_mib_crc && a->last_mib_crc == b->last_mib_crc &&
	       a->system_reserved_crc == b->system_reserved_crc &&
	       a->hive_size == b->hive_size && a->hive_crc == b->hive_crc;
}

/* Step 1: the undo set on the Windows volume, read back: 0, or the
 * status to end with (the failure said). */
static int keep_undo(struct convert_state *run, struct undo_set *set)
{
	const struct convert_partition *esp = &run->layout.partition[run->layout.esp];
	char letter = run->letter[run->layout.windows];
	uint64_t blocks = run->disk.size / CONVERT_BLOCK_SIZE;
	wchar_t hive_path[MAX_PATH];
	struct text manifest = TEXT_INIT;
	struct convert_undo check;
	DWORD error = ERROR_SUCCESS;
	char message[600];
	int status = AGENT_EXIT_FAILED;

	memset(set, 0, sizeof(*set));
	set->first = io_buffer(CONVERT_UNDO_EDGE_BYTES);
	set->last = io_buffer(CONVERT_UNDO_EDGE_BYTES);
	if (!set->first || !set->last)
		return convert_fail(run, "no memory for the undo data", ERROR_NOT_ENOUGH_MEMORY);
	if (!convert_disk_read(&run->disk, 0, set->first, CONVERT_UNDO_EDGE_BYTES, &error) ||
	    !convert_disk_read(&run->disk, run->disk.size - CONVERT_UNDO_EDGE_BYTES, set->last,
			       CONVERT_UNDO_EDGE_BYTES, &error))
		return convert_fail(run, "its first or last MiB cannot be read", error);
	if (!gzip_partition(run, esp, set, &error))
		return convert_fail(run, "System Reserved cannot be read and compressed for the "
				    "undo data", error);
	swprintf(hive_path, MAX_PATH, L"%c:\\Windows\\System32\\config\\SYSTEM", letter);
	if (!read_whole_file(hive_path, FIX_MAX_HIVE_SIZE, &set->hive, &set->hive_size, &error)) {
		snprintf(message, sizeof(message), "%c:\\Windows\\System32\\config\\SYSTEM cannot "
			 "be read for the undo data", letter);
		return convert_fail(run, message, error);
	}
	set->undo.disk_blocks = blocks;
	set->undo.disk_signature = run->layout.disk_signature;
	set->undo.esp_first_lba = esp->first_lba;
	set->undo.esp_blocks = esp->blocks;
	set->undo.first_mib_crc = partition_crc32(set->first, CONVERT_UNDO_EDGE_BYTES);
	set->undo.last_mib_crc = partition_crc32(set->last, CONVERT_UNDO_EDGE_BYTES);
	set->undo.hive_size = set->hive_size;
	set->undo.hive_crc = partition_crc32(set->hive, set->hive_size);
	convert_undo_format(&set->undo, &manifest);
	if (manifest.failed) {
		text_free(&manifest);
		return convert_fail(run, "no memory for the undo manifest", ERROR_NOT_ENOUGH_MEMORY);
	}

	output_line(run->out, "Keeping what --undo needs in %c:" UNDO_DIR_SHOWN " (partition %d)...",
		    letter, run->layout.windows + 1);
	if (!make_undo_dir(letter, &error) ||
	    !write_undo_file(letter, L"" CONVERT_UNDO_FIRST_MIB, set->first,
			     CONVERT_UNDO_EDGE_BYTES, &error) ||
	    !write_undo_file(letter, L"" CONVERT_UNDO_LAST_MIB, set->last,
			     CONVERT_UNDO_EDGE_BYTES, &error) ||
	    !write_undo_file(letter, L"" CONVERT_UNDO_SYSTEM_RESERVED, set->sysres_gz,
			     set->sysres_gz_size, &error) ||
	    !write_undo_file(letter, L"" CONVERT_UNDO_HIVE, set->hive, set->hive_size, &error) ||
	    /* The manifest last: its presence says the set is complete. */
	    !write_undo_file(letter, L"" CONVERT_UNDO_MANIFEST, manifest.data, manifest.length,
			     &error)) {
		snprintf(message, sizeof(message), "the undo data cannot be written to %c:"
			 UNDO_DIR_SHOWN, letter);
		status = fail_before_table(run, letter, message, error);
		goto out;
	}
	/* Read back as --undo reads it: only a set that checks out there
	 * lets the table change. */
	message[0] = '\0';
	if (convert_undo_check(letter, &check, message, sizeof(message)) != 0 ||
	    !same_undo(&check, &set->undo)) {
		char said[700];

		snprintf(said, sizeof(said), "the undo data did not read back as written%s%s",
			 message[0] ? ": " : "", message);
		status = fail_before_table(run, letter, said, ERROR_SUCCESS);
		goto out;
	}
	status = 0;
out:
	text_free(&manifest);
	return status;
}

int convert_write(struct convert_state *run, const wchar_t *path)
{
	struct undo_set set;
	DWORD error = ERROR_SUCCESS;
	uint64_t checked_size = run->disk.size;
	char letter = run->letter[run->layout.windows];
	int status;

	memset(&set, 0, sizeof(set));
	convert_disk_close(&run->disk);
	if (!convert_disk_open(path, true, &run->disk, &error)) {
		char message[300], reason[200];

		win32_error_text(error, reason, sizeof(reason));
		snprintf(message, sizeof(message), "it cannot be opened for writing (%s): run as "
			 "administrator, and detach it from any running VM", reason);
		return convert_refuse(run, CONVERT_REFUSE_READ_ONLY, message);
	}
	if (run->disk.size != checked_size)
		return convert_fail(run, "its size changed while it was being checked",
				    ERROR_INVALID_DATA);
	status = keep_undo(run, &set);
	undo_set_free(&set);
	if (status != 0)
		return status;
	output_line(run->out, "The undo data is in %c:" UNDO_DIR_SHOWN " and reads back whole.",
		    letter);
	convert_say_error(run, "win7gen2pe --convert: %s: writing the new table from Windows is "
			  "not in this agent yet: convert the disk with 'win7gen2 convert --disk "
			  "IMAGE' on Linux", run->name);
	convert_say_error(run, "The partition table was not changed; only %c:" UNDO_DIR_SHOWN
			  " on the Windows volume was written.", letter);
	return AGENT_EXIT_FAILED;
}
