/*
 * convertwrite.c - win7gen2pe --convert: the undo set, then the disk
 *
 * In builder/cmd_convert.c's order, after every check: System Reserved
 * locked; the undo set kept and read back; the GPT; the ESP formatted by
 * format.com and filled by bcdboot in Windows PE, by the engine on a
 * host (make_esp says why); MountedDevices and the Gen2 fix in
 * the Windows partition's SYSTEM hive; convert's record in the ESP's log.
 * Until the first sector of the disk changes a failure says the table was
 * not changed; after it, what state the disk is in and that --undo puts
 * it back.
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
#include "backend_win32.h"
#include "convert.h"
#include "convert_bcd.h"
#include "convertdisk.h"
#include "fix.h"
#include "fixrun.h"
#include "partition_table.h"
#include "process.h"
#include "text.h"
#include "win32util.h"
#include "win7gen2.h"

#define UNDO_DIR_SHOWN "\\win7gen2\\gen1\\"
/* System Reserved is read and compressed a piece at a time. */
#define READ_CHUNK (1024u * 1024)
/* format.com /Q on 100 MiB and bcdboot take seconds; a tool that hangs
 * (a question nobody answers) is stopped. */
#define TOOL_TIMEOUT_MS (10u * 60 * 1000)
/* Seconds the new ESP's volume is waited for after the table is reread. */
#define ESP_ARRIVAL_ATTEMPTS 30u

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

/* "win7gen2pe --convert: DISK: message (the Win32 reason)"; no reason
 * for ERROR_SUCCESS. */
static void say_failure(struct convert_state *run, const char *message, DWORD error)
{
	char reason[200] = "";

	if (error != ERROR_SUCCESS)
		win32_error_text(error, reason, sizeof(reason));
	convert_say_error(run, "win7gen2pe --convert: %s: %s%s%s%s", run->name, message,
			  reason[0] ? " (" : "", reason, reason[0] ? ")" : "");
}

/* The message of a failure after the undo set began, before the table
 * changed; AGENT_EXIT_FAILED. */
static int fail_before_table(struct convert_state *run, char letter, const char *message,
			     DWORD error)
{
	say_failure(run, message, error);
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
	/* An empty hive is no hive: nothing to put back. */
	if (win32_read_whole(hive_path, FIX_MAX_HIVE_SIZE, &set->hive, &set->hive_size, &error) &&
	    set->hive_size == 0)
		error = ERROR_FILE_INVALID;
	if (!set->hive || set->hive_size == 0) {
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

/* A failure after the disk's first sector changed: where it stopped,
 * and what puts it back; AGENT_EXIT_FAILED. */
static int fail_after_table(struct convert_state *run, const char *state, const char *message,
			    DWORD error)
{
	say_failure(run, message, error);
	convert_say_error(run, "The disk is half converted: %s.", state);
	convert_say_error(run, "Put it back with 'win7gen2pe --convert %s --undo' here, or "
			  "'win7gen2 convert --disk IMAGE --undo' on Linux: the undo data is in "
			  "%c:" UNDO_DIR_SHOWN ".", run->name, run->letter[run->layout.windows]);
	return AGENT_EXIT_FAILED;
}

/* size bytes (whole sectors) at lba, through a page-aligned copy. */
static bool write_sectors(struct convert_state *run, uint64_t lba, const void *data, size_t size,
			  DWORD *error)
{
	uint8_t *buffer = io_buffer(size);
	bool ok;

	if (!buffer) {
		*error = ERROR_NOT_ENOUGH_MEMORY;
		return false;
	}
	memcpy(buffer, data, size);
	ok = convert_disk_write(&run->disk, lba * CONVERT_BLOCK_SIZE, buffer, (DWORD)size, error);
	VirtualFree(buffer, 0, MEM_RELEASE);
	return ok;
}

/*
 * Step 2: the new table, System Reserved locked (convert_write).  Its
 * NTFS boot sector and backup boot sector (the partition's last sector)
 * are cleared so that Windows mounts no stale NTFS on the ESP-to-be and
 * format.com has no old label to ask for; the undo set holds them.  Then
 * the GPT in Linux's order: the backup at the end first, the protective
 * MBR last, so that until the last write the MBR still describes the
 * disk.  The lock is released either way.
 */
static int write_table(struct convert_state *run, struct convert_volume *volume)
{
	static const uint8_t zero[CONVERT_BLOCK_SIZE];
	static struct convert_gpt gpt;
	const struct convert_partition *esp = &run->layout.partition[run->layout.esp];
	DWORD error = ERROR_SUCCESS;
	const char *state = "System Reserved's NTFS boot sectors are cleared; the MBR is "
			    "unchanged";

	convert_build_gpt(&run->layout, &gpt);
	output_line(run->out, "Writing the GPT (System Reserved becomes the ESP)...");
	if (!write_sectors(run, esp->first_lba, zero, sizeof(zero), &error) ||
	    !write_sectors(run, esp->first_lba + esp->blocks - 1, zero, sizeof(zero), &error))
		goto failed;
	state = "the backup GPT may be partly written; the MBR is unchanged";
	if (!write_sectors(run, gpt.backup_entries_lba, gpt.entries, sizeof(gpt.entries), &error) ||
	    !write_sectors(run, gpt.backup_header_lba, gpt.backup_header,
			   sizeof(gpt.backup_header), &error) ||
	    !write_sectors(run, gpt.primary_entries_lba, gpt.entries, sizeof(gpt.entries), &error) ||
	    !write_sectors(run, 1, gpt.primary_header, sizeof(gpt.primary_header), &error))
		goto failed;
	state = "the GPT is written but the protective MBR may not be";
	if (!write_sectors(run, 0, gpt.protective_mbr, sizeof(gpt.protective_mbr), &error))
		goto failed;
	convert_volume_release(volume);
	if (!convert_disk_refresh(&run->disk, &error))
		return fail_after_table(run, "the GPT is written, System Reserved is not yet the "
					"ESP", "Windows did not read the new table (restart, or "
					"detach and attach the disk, then --undo)", error);
	return 0;
failed:
	convert_volume_release(volume);
	return fail_after_table(run, state, "writing the new table failed", error);
}

/* Runs a System32 tool with its arguments; true when it exited 0, else
 * false with what happened in why. */
static bool run_tool(const wchar_t *tool, const char *arguments, char *why, size_t why_size)
{
	char program[MAX_PATH * 3], line[MAX_PATH * 3 + 200], shown[64];
	struct process_result result;

	utf8_from_wide_buf(tool, shown, sizeof(shown));
	if (!process_system_program(tool, program, sizeof(program))) {
		snprintf(why, why_size, "%s is not in System32", shown);
		return false;
	}
	snprintf(line, sizeof(line), "\"%s\" %s", program, arguments);
	process_run(program, line, TOOL_TIMEOUT_MS, &result);
	if (result.started && !result.timed_out && result.exit_code == 0)
		return true;
	{
		char how[200];

		process_describe(&result, how, sizeof(how));
		snprintf(why, why_size, "%s %s failed (%s)", shown, arguments, how);
	}
	return false;
}

/* Folders below \Windows\Boot\EFI: its locale folders are one level
 * down; anything deeper than this is not Windows' own. */
#define COPY_DEPTH_MAX 4

/* Copies every file and folder below from into to (which exists), as
 * builder/cmd_convert.c's stage_boot extracts \Windows\Boot\EFI; a link
 * or junction on the way is refused, not followed.  false with the file
 * that failed in failed and the reason in *error. */
static bool copy_tree(const wchar_t *from, const wchar_t *to, unsigned depth,
		      wchar_t failed[MAX_PATH], DWORD *error)
{
	wchar_t pattern[MAX_PATH], source[MAX_PATH], target[MAX_PATH];
	WIN32_FIND_DATAW found;
	HANDLE find;
	bool ok = true;

	swprintf(failed, MAX_PATH, L"%ls", from);
	if (depth > COPY_DEPTH_MAX || swprintf(pattern, MAX_PATH, L"%ls\\*", from) < 0) {
		*error = ERROR_FILENAME_EXCED_RANGE;
		return false;
	}
	find = FindFirstFileW(pattern, &found);
	if (find == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	do {
		if (wcscmp(found.cFileName, L".") == 0 || wcscmp(found.cFileName, L"..") == 0)
			continue;
		if (swprintf(source, MAX_PATH, L"%ls\\%ls", from, found.cFileName) < 0 ||
		    swprintf(target, MAX_PATH, L"%ls\\%ls", to, found.cFileName) < 0) {
			swprintf(failed, MAX_PATH, L"%ls", from);
			*error = ERROR_FILENAME_EXCED_RANGE;
			ok = false;
		} else if (found.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
			swprintf(failed, MAX_PATH, L"%ls", source);
			*error = ERROR_CANT_ACCESS_FILE;
			ok = false;
		} else if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
			if (!CreateDirectoryW(target, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
				swprintf(failed, MAX_PATH, L"%ls", target);
				*error = GetLastError();
				ok = false;
			} else {
				ok = copy_tree(source, target, depth + 1, failed, error);
			}
		} else if (!CopyFileW(source, target, FALSE)) {
			swprintf(failed, MAX_PATH, L"%ls", source);
			*error = GetLastError();
			ok = false;
		}
	} while (ok && FindNextFileW(find, &found));
	if (ok && GetLastError() != ERROR_NO_MORE_FILES) {
		swprintf(failed, MAX_PATH, L"%ls", from);
		*error = GetLastError();
		ok = false;
	}
	FindClose(find);
	return ok;
}

/*
 * On a host, what bcdboot W:\Windows /s S: puts on the ESP, without
 * bcdboot: Windows' UEFI boot files copied, and a boot store made from
 * BCD-Template and filled by the engine (fixengine/convert_bcd.c, the
 * one win7gen2 convert uses on Linux).  Microsoft's BCDBoot options page
 * documents /p and /addlast as placing the Windows Boot Manager entry in
 * the UEFI boot order and does not say that /s leaves the running
 * machine's firmware alone: on a UEFI host bcdboot may add an entry for
 * the converted disk to the host's own boot list.  A tool run on a host
 * changes only the disk it was given.  0, or the state and the reason.
 */
static int engine_boot_files(struct convert_state *run, char esp_letter)
{
	const char *state = "the GPT is written and the ESP formatted, without boot files";
	char windows = run->letter[run->layout.windows];
	char windows_root[4] = { windows, ':', '\\', '\0' };
	char esp_root[4] = { esp_letter, ':', '\\', '\0' };
	wchar_t from[MAX_PATH], to[MAX_PATH], failed[MAX_PATH];
	char shown[MAX_PATH * 3], why[MAX_PATH * 3 + FIX_ERROR_MAX];
	static const wchar_t *const dirs[] = {
		L"EFI", L"EFI\\Microsoft", L"EFI\\Microsoft\\Boot",
	};
	struct win32_fix backend;
	struct fix_error err;
	DWORD error = ERROR_SUCCESS;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		swprintf(to, MAX_PATH, L"%c:\\%ls", esp_letter, dirs[i]);
		if (!CreateDirectoryW(to, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
			error = GetLastError();
			utf8_from_wide_buf(to, shown, sizeof(shown));
			snprintf(why, sizeof(why), "%s cannot be made", shown);
			return fail_after_table(run, state, why, error);
		}
	}
	swprintf(from, MAX_PATH, L"%c:\\Windows\\Boot\\EFI", windows);
	swprintf(to, MAX_PATH, L"%c:\\EFI\\Microsoft\\Boot", esp_letter);
	if (!copy_tree(from, to, 0, failed, &error)) {
		utf8_from_wide_buf(failed, shown, sizeof(shown));
		snprintf(why, sizeof(why), "%s: Windows' UEFI boot files do not copy to %c:\\EFI\\"
			 "Microsoft\\Boot", shown, esp_letter);
		return fail_after_table(run, state, why, error);
	}
	swprintf(from, MAX_PATH, L"%c:\\Windows\\System32\\config\\BCD-Template", windows);
	swprintf(to, MAX_PATH, L"%c:\\EFI\\Microsoft\\Boot\\BCD", esp_letter);
	/* Without the template's attributes: the backend's commit replaces
	 * the store by a rename, which a read-only file refuses. */
	if (!CopyFileW(from, to, FALSE) || !SetFileAttributesW(to, FILE_ATTRIBUTE_NORMAL)) {
		error = GetLastError();
		snprintf(why, sizeof(why), "%c:\\Windows\\System32\\config\\BCD-Template does not "
			 "copy to %c:\\EFI\\Microsoft\\Boot\\BCD", windows, esp_letter);
		return fail_after_table(run, state, why, error);
	}
	state = "the GPT is written and the ESP has Windows' boot files, without a boot store";
	memset(&err, 0, sizeof(err));
	if (win32_fix_init(&backend, windows_root, esp_root, false, &err) != FIX_OK ||
	    convert_bcd_fill(&win32_fix_backend, &backend, FIX_VOLUME_ESP, CONVERT_BCD_PATH,
			     &run->layout, run->bcd_guids, &err) != FIX_OK) {
		snprintf(why, sizeof(why), "the UEFI boot store: %s", err.message);
		return fail_after_table(run, state, why, ERROR_SUCCESS);
	}
	output_line(run->out, "The UEFI boot store %c:\\EFI\\Microsoft\\Boot\\BCD is written "
		    "(no bcdboot: this host's firmware boot entries are left alone).", esp_letter);
	return 0;
}

/*
 * Step 3: the ESP: formatted FAT32 by Windows' own format.com, then
 * Windows' boot files and a UEFI boot store from the Windows partition.
 *
 * In Windows PE, bcdboot W:\Windows /s S: (Windows PE 3's has no /f): it
 * runs in the Gen2 VM whose disk this is, whose firmware is UEFI, so it
 * writes the UEFI store, and the firmware boot entry it may add is the
 * VM's own, which is wanted.  On a host, the engine (engine_boot_files).
 */
static int make_esp(struct convert_state *run, char *esp_letter, bool *mounted)
{
	const struct convert_partition *esp = &run->layout.partition[run->layout.esp];
	const char *state = "the GPT is written; the ESP is not formatted yet";
	char windows = run->letter[run->layout.windows];
	char arguments[120], why[MAX_PATH * 3 + 300];
	wchar_t boot[32], manager[48];
	DWORD error = ERROR_SUCCESS;

	/* The volumes of the new table arrive a moment after it is reread:
	 * the mount manager learns of them from Plug and Play, not from the
	 * ioctl's return. */
	for (unsigned attempt = 0; attempt < ESP_ARRIVAL_ATTEMPTS; attempt++) {
		*esp_letter = convert_disk_mount_partition(&run->disk,
							   esp->first_lba * CONVERT_BLOCK_SIZE,
							   mounted, &error);
		if (*esp_letter || error != ERROR_NOT_FOUND)
			break;
		Sleep(1000);
	}
	if (!*esp_letter)
		return fail_after_table(run, state, "the new ESP has no drive letter and none "
					"could be given", error);
	output_line(run->out, "Formatting the ESP (%c:) FAT32 and copying the boot files...",
		    *esp_letter);
	snprintf(arguments, sizeof(arguments), "%c: /FS:FAT32 /Q /Y /V:SYSTEM", *esp_letter);
	if (!run_tool(L"format.com", arguments, why, sizeof(why)))
		return fail_after_table(run, state, why, ERROR_SUCCESS);
	state = "the GPT is written and the ESP formatted, without boot files";
	if (run->in_windows_pe) {
		snprintf(arguments, sizeof(arguments), "%c:\\Windows /s %c:", windows, *esp_letter);
		if (!run_tool(L"bcdboot.exe", arguments, why, sizeof(why)))
			return fail_after_table(run, state, why, ERROR_SUCCESS);
	} else if (engine_boot_files(run, *esp_letter) != 0) {
		return AGENT_EXIT_FAILED;
	}
	/* The firmware's default path, which a Gen2 VM boots when it has no
	 * boot entry for the disk yet. */
	swprintf(boot, 32, L"%c:\\EFI\\Boot", *esp_letter);
	swprintf(manager, 48, L"%c:\\EFI\\Microsoft\\Boot\\bootmgfw.efi", *esp_letter);
	{
		wchar_t fallback[48];

		swprintf(fallback, 48, L"%ls\\bootx64.efi", boot);
		if (GetFileAttributesW(fallback) == INVALID_FILE_ATTRIBUTES &&
		    ((!CreateDirectoryW(boot, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) ||
		     !CopyFileW(manager, fallback, TRUE)))
			return fail_after_table(run, state, "\\EFI\\Boot\\bootx64.efi cannot be "
						"made from \\EFI\\Microsoft\\Boot\\bootmgfw.efi on the "
						"ESP", GetLastError());
	}
	return 0;
}

/* MountedDevices, value by value: each that names a volume of this disk
 * in MBR form gets the GPT form. */
struct mounted_job {
	const struct fix_backend *backend;
	struct fix_hive *hive;
	const struct convert_layout *layout;
	unsigned changed;
	bool failed;
	struct fix_error err;
};

static bool convert_one_mounted(void *ctx, const char *name)
{
	struct mounted_job *job = ctx;
	struct fix_reg_value value = { 0, NULL, 0 };
	uint8_t gpt[CONVERT_MOUNTED_GPT_SIZE];

	if (job->backend->hive_get(job->hive, "MountedDevices", name, &value, &job->err) !=
	    FIX_OK) {
		job->failed = true;
		return false;
	}
	if (value.type == REG_BINARY &&
	    convert_mounted_device(job->layout, value.data, value.size, gpt)) {
		if (job->backend->hive_set(job->hive, "MountedDevices", name, REG_BINARY, gpt,
					   sizeof(gpt), &job->err) != FIX_OK)
			job->failed = true;
		else
			job->changed++;
	}
	free(value.data);
	return !job->failed;
}

/* Step 4a: W:'s SYSTEM hive remembers this disk's volumes by GPT GUID,
 * so that C: stays C:.  The Win32 backend's hive access: a copy loaded,
 * committed by one rename. */
static bool convert_mounted(struct convert_state *run, const char *windows_root,
			    const char *esp_root, unsigned *changed, char *why, size_t why_size)
{
	struct win32_fix backend;
	struct mounted_job job;

	memset(&job, 0, sizeof(job));
	job.backend = &win32_fix_backend;
	job.layout = &run->layout;
	if (win32_fix_init(&backend, windows_root, esp_root, false, &job.err) != FIX_OK ||
	    win32_hive_open(&backend, FIX_VOLUME_WINDOWS, FIX_HIVE_PATH, true,
			    &job.hive, &job.err) != FIX_OK) {
		snprintf(why, why_size, "%s", job.err.message);
		return false;
	}
	if (win32_hive_values(job.hive, "MountedDevices", convert_one_mounted, &job, &job.err) ==
		    FIX_ERROR)
		job.failed = true;
	if (!job.failed && job.changed && win32_hive_commit(job.hive, &job.err) != FIX_OK)
		job.failed = true;
	win32_hive_close(job.hive);
	if (job.failed) {
		snprintf(why, why_size, "MountedDevices: %s", job.err.message);
		return false;
	}
	*changed = job.changed;
	return true;
}

/* win7gen2.efi beside this program, as win7gen2pe --windows finds it
 * on a host and as Windows PE carries it. */
static bool load_payload(uint8_t **payload, size_t *size, char *path, size_t path_size,
			 char *why, size_t why_size)
{
	wchar_t self[MAX_PATH], *slash;
	DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
	char dir[MAX_PATH * 3];

	if (n == 0 || n >= MAX_PATH || !(slash = wcsrchr(self, L'\\'))) {
		snprintf(why, why_size, "this program's folder is unknown");
		return false;
	}
	*slash = L'\0';
	utf8_from_wide_buf(self, dir, sizeof(dir));
	snprintf(path, path_size, "%s\\win7gen2.efi", dir);
	return fixrun_read_payload(path, payload, size, why, why_size);
}

/* Step 4: MountedDevices, the Gen2 fix as win7gen2pe --windows W:
 * --esp S: runs it, convert's own record in the ESP's log. */
static int fix_windows(struct convert_state *run, char esp_letter, const uint8_t *payload,
		       size_t payload_size, const char *payload_path)
{
	const char *state = "the GPT is written and the ESP has Windows' boot files; the "
			    "SYSTEM hive is not changed yet";
	struct fixrun_request request;
	struct fixrun_outcome outcome;
	struct text record = TEXT_INIT;
	char windows_root[4] = { run->letter[run->layout.windows], ':', '\\', '\0' };
	char esp_root[4] = { esp_letter, ':', '\\', '\0' };
	char why[600], when[64];
	unsigned changed = 0;
	bool logged;

	if (!convert_mounted(run, windows_root, esp_root, &changed, why, sizeof(why)))
		return fail_after_table(run, state, why, ERROR_SUCCESS);
	output_line(run->out, "MountedDevices: %u entr%s of this disk to GPT form (DMIO:ID:).",
		    changed, changed == 1 ? "y" : "ies");
	output_line(run->out, "The Gen2 fix on the new ESP and the SYSTEM hive:");
	memset(&request, 0, sizeof(request));
	request.windows_root = windows_root;
	request.esp_root = esp_root;
	request.payload = payload;
	request.payload_size = payload_size;
	request.payload_name = payload_path;
	request.verbosity = FIX_NORMAL;
	request.layout.known = true;
	request.layout.esp_partition = (unsigned)run->layout.esp + 1;
	request.layout.windows_partition = (unsigned)run->layout.windows + 1;
	snprintf(request.layout.how, sizeof(request.layout.how), "the GPT win7gen2pe --convert wrote");
	request.where = run->errors_in_report ? "Windows PE (convert)" :
			"Windows host (win7gen2pe --convert)";
	request.write_status = true;
	fixrun(&request, run->out, &outcome);
	if (!outcome.planned || !outcome.succeeded)
		return fail_after_table(run, "the GPT, the ESP and MountedDevices are converted; "
					"the Gen2 fix did not finish", "the Gen2 fix did not "
					"succeed (its report is above)", ERROR_SUCCESS);
	win32_timestamp(when, sizeof(when));
	convert_log_text_where(&run->layout, run->name, WIN7GEN2_VERSION, when, changed,
			       request.where, "the fix's SYSTEM.win7gen2-backup above already "
			       "has MountedDevices in GPT form", &record);
	logged = !record.failed && fixrun_append_esp_log(esp_root, text_string(&record), run->out);
	text_free(&record);
	if (!logged)
		output_line(run->out, "(convert's record was not added to " WIN7GEN2_LOG_PATH ")");
	return 0;
}

int convert_write(struct convert_state *run, const wchar_t *path)
{
	struct undo_set set;
	DWORD error = ERROR_SUCCESS;
	uint64_t checked_size = run->disk.size;
	uint8_t *payload = NULL;
	size_t payload_size = 0;
	const struct convert_partition *esp = &run->layout.partition[run->layout.esp];
	char payload_path[MAX_PATH * 3 + 32], why[MAX_PATH * 3 + 300], esp_letter = 0;
	struct convert_volume volume;
	bool mounted = false;
	int status;

	memset(&set, 0, sizeof(set));
	/* The Gen2 fix needs the payload: missing, nothing may change. */
	if (!load_payload(&payload, &payload_size, payload_path, sizeof(payload_path), why,
			  sizeof(why))) {
		convert_say_error(run, "win7gen2pe --convert: %s: the Gen2 fix needs the payload, "
				  "win7gen2.efi beside win7gen2pe.exe: %s", run->name, why);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	convert_disk_close(&run->disk);
	if (!convert_disk_open(path, true, &run->disk, &error)) {
		char message[300], reason[200];

		free(payload);
		win32_error_text(error, reason, sizeof(reason));
		snprintf(message, sizeof(message), "it cannot be opened for writing (%s): run as "
			 "administrator, and detach it from any running VM", reason);
		return convert_refuse(run, CONVERT_REFUSE_READ_ONLY, message);
	}
	if (run->disk.size != checked_size) {
		free(payload);
		return convert_fail(run, "its size changed while it was being checked",
				    ERROR_INVALID_DATA);
	}
	/* System Reserved locked and dismounted before its sectors are read
	 * for the undo set: nothing writes to it between that image and the
	 * new table.  Windows refuses writes into a mounted volume's sectors,
	 * and a volume someone has open must not change under them. */
	if (!convert_disk_lock_partition(&run->disk, esp->first_lba * CONVERT_BLOCK_SIZE,
					 &volume, &error)) {
		snprintf(why, sizeof(why), "System Reserved (partition %d, %c:) cannot be locked: "
			 "close what has files open on it (Explorer windows, command prompts, "
			 "antivirus scans) and run again", run->layout.esp + 1,
			 run->letter[run->layout.esp]);
		free(payload);
		return convert_fail(run, why, error);
	}
	status = keep_undo(run, &set);
	undo_set_free(&set);
	if (status != 0) {
		convert_volume_release(&volume);
	} else {
		output_line(run->out, "The undo data is in %c:" UNDO_DIR_SHOWN " and reads back whole.",
			    run->letter[run->layout.windows]);
		status = write_table(run, &volume);
	}
	if (status == 0)
		status = make_esp(run, &esp_letter, &mounted);
	if (status == 0)
		status = fix_windows(run, esp_letter, payload, payload_size, payload_path);
	if (mounted)
		convert_disk_unmount(esp_letter);
	free(payload);
	if (status == 0)
		output_line(run->out, "Converted: attach the disk to a Generation 2 VM.  "
			    "'win7gen2pe --convert %s --undo' puts it back as it was.", run->name);
	return status;
}
