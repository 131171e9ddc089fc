/*
 * convertundo.c - win7gen2pe --convert --undo: the undo data either side kept
 *
 * win7gen2 convert (Linux) and win7gen2pe --convert keep the same undo
 * set in \win7gen2\gen1\ on an NTFS partition (fixengine/convert.h):
 * this finds it on a converted disk, checks every file against the
 * manifest, and puts the disk back in the order win7gen2 convert --undo
 * does on Linux (builder/cmd_convert.c run_undo): System Reserved, the
 * last MiB, the SYSTEM hive, and the MBR last, so that until the very
 * end the GPT still describes the disk and --undo can simply run again.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <zlib.h>

#include "args.h"
#include "convert.h"
#include "convertdisk.h"
#include "convertstate.h"
#include "partition_table.h"
#include "win32util.h"

/* CONVERT_UNDO_DIR as Windows shows it. */
#define UNDO_DIR_SHOWN "\\win7gen2\\gen1\\"

static const wchar_t *const undo_names[] = {
	L"" CONVERT_UNDO_FIRST_MIB, L"" CONVERT_UNDO_LAST_MIB, L"" CONVERT_UNDO_SYSTEM_RESERVED,
	L"" CONVERT_UNDO_HIVE,
};

/* The whole of <letter>:\win7gen2\gen1\<name>: 1 read, 0 missing, -1
 * unreadable or larger than max (with the reason in message). */
static int read_undo_file(char letter, const wchar_t *name, size_t max, uint8_t **data,
			  size_t *size, char *message, size_t message_size)
{
	wchar_t path[MAX_PATH];
	DWORD error;
	char shown[MAX_PATH * 3], reason[200];

	swprintf(path, MAX_PATH, L"%c:\\win7gen2\\gen1\\%ls", letter, name);
	if (win32_read_whole(path, max, data, size, &error))
		return 1;
	if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND)
		return 0;
	utf8_from_wide_buf(path, shown, sizeof(shown));
	if (error == ERROR_FILE_TOO_LARGE) {
		snprintf(message, message_size, "%s is larger than the undo data can be: it is "
			 "damaged", shown);
	} else if (error == ERROR_HANDLE_EOF) {
		snprintf(message, message_size, "%s cannot be read whole", shown);
	} else {
		win32_error_text(error, reason, sizeof(reason));
		snprintf(message, message_size, "%s cannot be read (%s)", shown, reason);
	}
	return -1;
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The undo set read whole from one letter. */
struct undo_set {
	struct convert_undo undo;
	uint8_t *data[4]; /* in undo_names' order */
	size_t size[4];
};

static void undo_set_free(struct undo_set *set)
{
	for (size_t i = 0; i < 4; i++) {
		free(set->data[i]);
		set->data[i] = NULL;
	}
}

/*
 * The undo set on one letter, read once so that what is checked is what
 * is written: 0 complete, every CRC-32 right; 1 no manifest there; -1
 * damaged or unreadable (message).  System Reserved's gzip is checked
 * here by its trailer (the CRC-32 and size of what it holds, RFC 1952)
 * against the manifest; system_reserved_unpacked checks what it holds.
 */
static int undo_set_load(char letter, struct undo_set *set, char *message, size_t message_size)
{
	struct convert_undo *undo = &set->undo;
	uint8_t *manifest = NULL;
	size_t manifest_size, *size = set->size;
	uint8_t **data = set->data;
	struct fix_error err;
	int found, rc = -1;

	memset(set, 0, sizeof(*set));
	found = read_undo_file(letter, L"" CONVERT_UNDO_MANIFEST, CONVERT_UNDO_MANIFEST_MAX, &manifest,
			       &manifest_size, message, message_size);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	if (!convert_undo_parse(manifest, manifest_size, undo, &err)) {
		snprintf(message, message_size, "%c:" UNDO_DIR_SHOWN "convert.txt: %s", letter,
			 err.message);
		goto out;
	}
	for (size_t i = 0; i < 4; i++) {
		size_t max = i < 2 ? CONVERT_UNDO_EDGE_BYTES :
			     i == 2 ? (size_t)(undo->esp_blocks * CONVERT_BLOCK_SIZE) + (1u << 20) :
			     (size_t)undo->hive_size;

		found = read_undo_file(letter, undo_names[i], max, &data[i], &size[i], message,
				       message_size);
		if (found == 0) {
			char name[64];

			utf8_from_wide_buf(undo_names[i], name, sizeof(name));
			snprintf(message, message_size, "%c:" UNDO_DIR_SHOWN "%s is missing: the undo "
				 "data is incomplete", letter, name);
		}
		if (found <= 0)
			goto out;
	}
	if (size[0] != CONVERT_UNDO_EDGE_BYTES || size[1] != CONVERT_UNDO_EDGE_BYTES ||
	    partition_crc32(data[0], size[0]) != undo->first_mib_crc ||
	    partition_crc32(data[1], size[1]) != undo->last_mib_crc ||
	    size[2] < 18 || data[2][0] != 0x1f || data[2][1] != 0x8b || data[2][2] != 8 ||
	    le32_at(data[2] + size[2] - 8) != undo->system_reserved_crc ||
	    le32_at(data[2] + size[2] - 4) != (uint32_t)(undo->esp_blocks * CONVERT_BLOCK_SIZE) ||
	    size[3] != undo->hive_size || partition_crc32(data[3], size[3]) != undo->hive_crc) {
		snprintf(message, message_size, "%c:" UNDO_DIR_SHOWN ": a file there does not match "
			 "its CRC-32 in convert.txt: the undo data is damaged", letter);
		goto out;
	}
	rc = 0;
out:
	free(manifest);
	if (rc != 0)
		undo_set_free(set);
	return rc;
}

/*
 * System Reserved out of its gzip (zlib, as the Linux side wrote it):
 * exactly esp_blocks sectors whose CRC-32 is the manifest's, or NULL.  A
 * gzip whose trailer is right can still hold damaged deflate data; this
 * is where that is found, before anything is written.
 */
static uint8_t *system_reserved_unpacked(const struct undo_set *set)
{
	uint64_t wanted = set->undo.esp_blocks * CONVERT_BLOCK_SIZE;
	uint8_t *out;
	z_stream z;
	int rc;

	/* zlib counts in uInt; convert_disk_write in DWORD. */
	if (wanted == 0 || wanted > UINT32_MAX || set->size[2] > UINT32_MAX ||
	    !(out = malloc((size_t)wanted)))
		return NULL;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = set->data[2];
	z.avail_in = (uInt)set->size[2];
	z.next_out = out;
	z.avail_out = (uInt)wanted;
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (rc != Z_STREAM_END || z.total_out != wanted ||
	    partition_crc32(out, (size_t)wanted) != set->undo.system_reserved_crc) {
		free(out);
		return NULL;
	}
	return out;
}

/* The read-back of the run that converts, and what --undo relies on:
 * every CRC-32, System Reserved's on what its gzip unpacks to. */
int convert_undo_check(char letter, struct convert_undo *undo, char *message,
		       size_t message_size)
{
	struct undo_set set;
	uint8_t *system_reserved;
	int rc = undo_set_load(letter, &set, message, message_size);

	if (rc == 0) {
		system_reserved = system_reserved_unpacked(&set);
		if (system_reserved) {
			*undo = set.undo;
		} else {
			snprintf(message, message_size, "%c:" UNDO_DIR_SHOWN
				 CONVERT_UNDO_SYSTEM_RESERVED " does not unpack to System Reserved "
				 "with the CRC-32 in convert.txt: the undo data is damaged", letter);
			rc = -1;
		}
		free(system_reserved);
	}
	undo_set_free(&set);
	return rc;
}

/* After the first write: what failed, what state the disk is in, and
 * that --undo (here or on Linux) finishes the job; AGENT_EXIT_FAILED. */
static int undo_stopped(struct convert_state *run, const char *step, DWORD error, char letter,
			bool in_first_mib)
{
	char reason[200];

	win32_error_text(error, reason, sizeof(reason));
	convert_say_error(run, "win7gen2pe --convert --undo: %s: %s (%s)", run->name, step, reason);
	if (in_first_mib)
		convert_say_error(run, "The disk is back but for its first MiB, which may be part "
				  "written: Windows may see neither table on it; the undo data in "
				  "%c:" UNDO_DIR_SHOWN " is untouched.", letter);
	else
		convert_say_error(run, "The disk is part way back: its table is still the GPT "
				  "win7gen2 convert wrote (the MBR goes back last), so Windows does "
				  "not start from it yet; the undo data in %c:" UNDO_DIR_SHOWN " is "
				  "untouched.", letter);
	convert_say_error(run, "Run 'win7gen2pe --convert %s --undo' again once the cause is fixed, "
			  "or 'win7gen2 convert --disk IMAGE --undo' on Linux: either puts "
			  "everything back from the undo data.", run->name);
	return AGENT_EXIT_FAILED;
}

/* size bytes at offset, a MiB a write, so that no single request to a
 * disk driver is the size of System Reserved. */
static bool write_back(const struct convert_disk *disk, uint64_t offset, const uint8_t *data,
		       size_t size, DWORD *error)
{
	for (size_t done = 0; done < size; done += CONVERT_UNDO_EDGE_BYTES) {
		size_t part = size - done < CONVERT_UNDO_EDGE_BYTES ? size - done :
			      CONVERT_UNDO_EDGE_BYTES;

		if (!convert_disk_write(disk, offset + done, data + done, (DWORD)part, error))
			return false;
	}
	return true;
}

static void hive_path(char letter, wchar_t path[MAX_PATH])
{
	swprintf(path, MAX_PATH, L"%c:\\Windows\\System32\\config\\SYSTEM", letter);
}

/* path holds exactly these size bytes. */
static bool file_holds(const wchar_t *path, const uint8_t *data, size_t size)
{
	uint8_t *now;
	size_t now_size;
	DWORD error;
	bool same;

	if (!win32_read_whole(path, size, &now, &now_size, &error))
		return false;
	same = now_size == size && memcmp(now, data, size) == 0;
	free(now);
	return same;
}

/*
 * The SYSTEM hive as it was, over <letter>:\Windows\System32\config\SYSTEM:
 * into a file beside it first, then moved over it in one step, so that a
 * failure half way leaves the hive convert wrote whole, never a torn one.
 * Nothing is written when the hive there is already the saved one (an
 * --undo run again).  false with *error, and the step in *step.
 */
static bool put_hive_back(char letter, const uint8_t *hive, size_t size, const char **step,
			  DWORD *error)
{
	wchar_t path[MAX_PATH], temporary[MAX_PATH];
	HANDLE file;
	DWORD put = 0;

	hive_path(letter, path);
	swprintf(temporary, MAX_PATH, L"%c:\\Windows\\System32\\config\\SYSTEM.win7gen2-undo",
		 letter);
	if (file_holds(path, hive, size))
		return true;
	*step = "the SYSTEM hive cannot be written beside the old one (Windows\\System32\\config\\"
		"SYSTEM.win7gen2-undo)";
	file = CreateFileW(temporary, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
			   FILE_ATTRIBUTE_NORMAL | FILE_FLAG_WRITE_THROUGH, NULL);
	if (file == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	if (!WriteFile(file, hive, (DWORD)size, &put, NULL) || put != size ||
	    !FlushFileBuffers(file)) {
		*error = GetLastError();
		if (*error == ERROR_SUCCESS)
			*error = ERROR_WRITE_FAULT;
		CloseHandle(file);
		DeleteFileW(temporary);
		return false;
	}
	CloseHandle(file);
	*step = "the SYSTEM hive cannot be moved over Windows\\System32\\config\\SYSTEM";
	if (!MoveFileExW(temporary, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
		*error = GetLastError();
		DeleteFileW(temporary);
		return false;
	}
	return true;
}

/*
 * The checks read the disk through a handle that cannot write; the disk
 * is reopened for writing only when they all passed, and checked to be
 * the disk that was read (its size and first two sectors the same).  0,
 * or AGENT_EXIT_FAILED reported with nothing changed.
 */
static int reopen_for_writing(struct convert_state *run)
{
	uint64_t size = run->disk.size;
	uint8_t before[2][CONVERT_BLOCK_SIZE], again[CONVERT_BLOCK_SIZE];
	DWORD error = ERROR_SUCCESS;
	wchar_t *path;

	if (!convert_disk_read(&run->disk, 0, before[0], CONVERT_BLOCK_SIZE, &error) ||
	    !convert_disk_read(&run->disk, CONVERT_BLOCK_SIZE, before[1], CONVERT_BLOCK_SIZE,
			       &error))
		return convert_fail(run, "its first sectors cannot be read", error);
	convert_disk_close(&run->disk);
	/* run->name is the path the disk was opened by, as UTF-8 (main.c
	 * and pe.c both pass it so). */
	path = wide_from_utf8(run->name);
	if (!path || !convert_disk_open(path, true, &run->disk, &error)) {
		if (!path)
			error = GetLastError();
		free(path);
		return convert_fail(run, "cannot be opened for writing: run as administrator, and "
				    "close what else uses the disk (Disk Management, a VM it is "
				    "attached to)", error);
	}
	free(path);
	if (run->disk.size != size ||
	    !convert_disk_read(&run->disk, 0, again, sizeof(again), &error) ||
	    memcmp(again, before[0], sizeof(again)) != 0 ||
	    !convert_disk_read(&run->disk, CONVERT_BLOCK_SIZE, again, sizeof(again), &error) ||
	    memcmp(again, before[1], sizeof(again)) != 0) {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: the disk changed while it was "
				  "checked (another program writes to it?): run --undo again",
				  run->name);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	return 0;
}

/* Every byte back: Windows rereads the table, and the run says what is
 * kept, as win7gen2 convert --undo does; AGENT_EXIT_OK. */
static int undone(struct convert_state *run, char letter)
{
	DWORD error = ERROR_SUCCESS;
	char reason[200];

	if (!convert_disk_refresh(&run->disk, &error)) {
		win32_error_text(error, reason, sizeof(reason));
		output_line(run->out, "Windows did not reread the disk's table (%s): every byte is "
			    "back; detach and attach the disk (Dismount-VHD, Mount-VHD) or restart "
			    "to see its old partitions", reason);
	}
	output_line(run->out, "Undone: the disk has its MBR, System Reserved and SYSTEM hive as "
		    "before convert.");
	output_line(run->out, "%c:" UNDO_DIR_SHOWN " stays on the Windows volume; delete it when "
		    "you like.", letter);
	return AGENT_EXIT_OK;
}

/* The writes of --undo, the undo set already checked and System
 * Reserved unpacked: locks the ESP's volume, puts everything back. */
static int put_back(struct convert_state *run, const struct undo_set *set,
		    const uint8_t *system_reserved, char letter)
{
	const struct convert_undo *undo = &set->undo;
	uint64_t blocks = run->disk.size / CONVERT_BLOCK_SIZE;
	uint64_t esp_offset = undo->esp_first_lba * CONVERT_BLOCK_SIZE;
	struct convert_volume esp;
	DWORD error = ERROR_SUCCESS;
	const char *step = "";
	bool in_first_mib = false;
	char reason[200];
	int status;

	status = reopen_for_writing(run);
	if (status != 0)
		return status;
	/* Windows refuses writes to a mounted volume's sectors, and a volume
	 * still mounted would keep the ESP's FAT in its cache over them. */
	if (!convert_disk_lock_partition(&run->disk, esp_offset, &esp, &error)) {
		win32_error_text(error, reason, sizeof(reason));
		convert_say_error(run, "win7gen2pe --convert --undo: %s: the EFI system partition's "
				  "volume (partition at sector %llu) cannot be locked (%s): close every "
				  "program, Explorer window and command prompt using it, then run "
				  "--undo again", run->name, (unsigned long long)undo->esp_first_lba,
				  reason);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	output_line(run->out, "Putting back System Reserved, the MBR and the SYSTEM hive from "
		    "%c:" UNDO_DIR_SHOWN "...", letter);
	step = "System Reserved's sectors cannot be written";
	if (!write_back(&run->disk, esp_offset, system_reserved,
			(size_t)(undo->esp_blocks * CONVERT_BLOCK_SIZE), &error))
		goto stopped;
	output_line(run->out, "  System Reserved: sectors %llu-%llu put back",
		    (unsigned long long)undo->esp_first_lba,
		    (unsigned long long)(undo->esp_first_lba + undo->esp_blocks - 1));
	step = "the last MiB cannot be written";
	if (!write_back(&run->disk, (blocks - CONVERT_UNDO_EDGE_BYTES / CONVERT_BLOCK_SIZE) *
			CONVERT_BLOCK_SIZE, set->data[1], CONVERT_UNDO_EDGE_BYTES, &error))
		goto stopped;
	output_line(run->out, "  the last MiB (where the backup GPT was): put back");
	if (!put_hive_back(letter, set->data[3], set->size[3], &step, &error))
		goto stopped;
	output_line(run->out, "  %c:\\Windows\\System32\\config\\SYSTEM: the hive as it was before "
		    "convert", letter);
	/* The MBR last: until it is back, the GPT still describes the disk
	 * and this run can be made again from the start. */
	step = "the first MiB (the MBR) cannot be written";
	in_first_mib = true;
	if (!write_back(&run->disk, 0, set->data[0], CONVERT_UNDO_EDGE_BYTES, &error))
		goto stopped;
	output_line(run->out, "  the first MiB: the MBR table is back");
	convert_volume_release(&esp);
	return undone(run, letter);
stopped:
	convert_volume_release(&esp);
	return undo_stopped(run, step, error, letter, in_first_mib);
}

/* size bytes at offset on the disk are data, read a MiB at a time. */
static bool disk_holds(const struct convert_disk *disk, uint64_t offset, const uint8_t *data,
		       size_t size)
{
	uint8_t *buffer = malloc(CONVERT_UNDO_EDGE_BYTES);
	DWORD error;
	bool same = buffer != NULL;

	for (size_t done = 0; same && done < size; done += CONVERT_UNDO_EDGE_BYTES) {
		size_t part = size - done < CONVERT_UNDO_EDGE_BYTES ? size - done :
			      CONVERT_UNDO_EDGE_BYTES;

		same = convert_disk_read(disk, offset + done, buffer, (DWORD)part, &error) &&
		       memcmp(buffer, data + done, part) == 0;
	}
	free(buffer);
	return same;
}

static int not_converted(struct convert_state *run)
{
	convert_say_error(run, "win7gen2pe --convert --undo: %s: no valid GPT: this disk was not "
			  "converted by win7gen2 convert (or its table is damaged)", run->name);
	convert_say_error(run, "Nothing was changed.");
	return AGENT_EXIT_FAILED;
}

/*
 * The table is an MBR again, and an undo set is on the disk.  --undo
 * writes the first MiB last, so when its first sector is the undo set's
 * MBR, the disk was either put back whole (nothing to do) or that last
 * write was cut off; when everything written before it is back too, it
 * is made again.  Anything else is a disk --undo does not know.
 */
static int finish_cut_off(struct convert_state *run, const struct undo_set *set,
			  const uint8_t *system_reserved, char letter, bool dry_run)
{
	const struct convert_undo *undo = &set->undo;
	uint64_t blocks = run->disk.size / CONVERT_BLOCK_SIZE;
	wchar_t hive[MAX_PATH];
	DWORD error = ERROR_SUCCESS;
	int status;

	if (!disk_holds(&run->disk, 0, set->data[0], CONVERT_BLOCK_SIZE))
		return not_converted(run);
	if (disk_holds(&run->disk, 0, set->data[0], CONVERT_UNDO_EDGE_BYTES)) {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: no valid GPT: the disk's first "
				  "MiB is %c:" UNDO_DIR_SHOWN CONVERT_UNDO_FIRST_MIB " again, so it was "
				  "put back already; there is nothing to undo", run->name, letter);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	hive_path(letter, hive);
	if (!disk_holds(&run->disk, undo->esp_first_lba * CONVERT_BLOCK_SIZE, system_reserved,
			(size_t)(undo->esp_blocks * CONVERT_BLOCK_SIZE)) ||
	    !disk_holds(&run->disk, (blocks - CONVERT_UNDO_EDGE_BYTES / CONVERT_BLOCK_SIZE) *
			CONVERT_BLOCK_SIZE, set->data[1], CONVERT_UNDO_EDGE_BYTES) ||
	    !file_holds(hive, set->data[3], set->size[3])) {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: no valid GPT: its MBR is the one "
				  "in %c:" UNDO_DIR_SHOWN CONVERT_UNDO_FIRST_MIB ", but System Reserved, "
				  "the last MiB or the SYSTEM hive differ from the undo data there, so "
				  "this is not a disk an --undo stopped at its last write: there is "
				  "nothing to finish", run->name, letter);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	if (dry_run) {
		output_line(run->out, "Dry run: an --undo stopped while writing the first MiB (the "
			    "MBR); everything else is back.");
		output_line(run->out, "--undo would write the first MiB again from %c:" UNDO_DIR_SHOWN
			    ".  Nothing was changed.", letter);
		return AGENT_EXIT_OK;
	}
	status = reopen_for_writing(run);
	if (status != 0)
		return status;
	output_line(run->out, "Finishing an --undo that stopped while writing the first MiB "
		    "(System Reserved, the last MiB and the hive are back)...");
	if (!write_back(&run->disk, 0, set->data[0], CONVERT_UNDO_EDGE_BYTES, &error)) {
		char reason[200];

		win32_error_text(error, reason, sizeof(reason));
		convert_say_error(run, "win7gen2pe --convert --undo: %s: the first MiB (the MBR) cannot "
				  "be written (%s)", run->name, reason);
		convert_say_error(run, "Only the first MiB is left to put back, from %c:" UNDO_DIR_SHOWN
				  CONVERT_UNDO_FIRST_MIB ": run --undo again once the cause is fixed.",
				  letter);
		return AGENT_EXIT_FAILED;
	}
	output_line(run->out, "  the first MiB: the MBR table is back");
	return undone(run, letter);
}

/*
 * --undo: the GPT win7gen2 convert wrote, and the undo data on one of its
 * NTFS partitions (or an MBR again, for an --undo cut off at its last
 * write).  --dry-run stops after every check.
 */
int convert_run_undo(struct convert_state *run, bool dry_run)
{
	uint8_t lba0[CONVERT_BLOCK_SIZE], lba1[CONVERT_BLOCK_SIZE], *entries = NULL;
	uint8_t *system_reserved;
	uint64_t blocks = run->disk.size / CONVERT_BLOCK_SIZE;
	struct partition_table table;
	struct gpt_header header;
	struct undo_set set;
	DWORD error = ERROR_SUCCESS;
	char message[600], unlettered[160] = "", undo_letter = 0;
	int found = 1, status;
	size_t entry_bytes;
	bool mbr_disk;

	memset(&set, 0, sizeof(set));
	if (!convert_disk_read(&run->disk, 0, lba0, sizeof(lba0), &error) ||
	    !convert_disk_read(&run->disk, CONVERT_BLOCK_SIZE, lba1, sizeof(lba1), &error))
		return convert_fail(run, "its first sectors cannot be read", error);
	partition_table_from_mbr(&table, lba0, lba1, CONVERT_BLOCK_SIZE);
	mbr_disk = table.scheme == PARTITION_SCHEME_MBR;
	if (!mbr_disk &&
	    (table.scheme != PARTITION_SCHEME_GPT || blocks < 2 ||
	     !gpt_header_parse(lba1, CONVERT_BLOCK_SIZE, 1, blocks - 1, &header) ||
	     (entry_bytes = gpt_entry_bytes(&header)) == 0 || entry_bytes > GPT_MAX_ENTRY_BYTES ||
	     !(entries = malloc(entry_bytes)) ||
	     !convert_disk_read(&run->disk, header.entry_lba * CONVERT_BLOCK_SIZE, entries,
				(DWORD)entry_bytes, &error) ||
	     !gpt_entries_parse(&table, &header, entries, entry_bytes))) {
		free(entries);
		return not_converted(run);
	}
	free(entries);
	for (unsigned i = 0; i < table.count && i < PARTITION_TABLE_MAX && found > 0; i++) {
		const struct partition *partition = &table.partition[i];
		uint8_t boot[CONVERT_BLOCK_SIZE];
		char letter;
		size_t used = strlen(unlettered);

		if (partition_is_esp(partition))
			continue;
		if (!convert_disk_read(&run->disk, partition->first_lba * CONVERT_BLOCK_SIZE, boot,
				       sizeof(boot), &error))
			return convert_fail(run, "a partition's first sector cannot be read", error);
		if (volume_kind_of(boot, sizeof(boot)) != VOLUME_NTFS)
			continue;
		letter = convert_disk_partition_letter(&run->disk,
						       partition->first_lba * CONVERT_BLOCK_SIZE,
						       &error);
		if (!letter) {
			snprintf(unlettered + used, sizeof(unlettered) - used, "%s%u",
				 used ? ", " : "", i + 1);
			continue;
		}
		found = undo_set_load(letter, &set, message, sizeof(message));
		if (found == 0)
			undo_letter = letter;
	}
	/* An MBR disk is one --undo may only finish, never one it reports
	 * undo data on: a damaged or absent set there says it is not. */
	if (mbr_disk && (found != 0 || set.undo.disk_blocks != blocks)) {
		undo_set_free(&set);
		return not_converted(run);
	}
	if (found < 0) {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: %s", run->name, message);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	if (found > 0) {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: no partition with a drive letter "
			  "holds " UNDO_DIR_SHOWN "convert.txt: there is nothing to undo%s%s%s",
			  run->name, unlettered[0] ? " (NTFS partitions without a letter, which "
			  "were not looked into: " : "", unlettered,
			  unlettered[0] ? "; give them one with diskpart assign)" : "");
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	if (set.undo.disk_blocks != blocks) {
		undo_set_free(&set);
		convert_say_error(run, "win7gen2pe --convert --undo: %s: the disk has %llu sectors, the "
			  "undo data is for %llu: was it resized since? Give it its old size first",
			  run->name, (unsigned long long)blocks,
			  (unsigned long long)set.undo.disk_blocks);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	system_reserved = system_reserved_unpacked(&set);
	if (!system_reserved) {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: %c:" UNDO_DIR_SHOWN
				  CONVERT_UNDO_SYSTEM_RESERVED " does not unpack to System Reserved's "
				  "%llu bytes with the CRC-32 in convert.txt: the undo data is damaged",
				  run->name, undo_letter,
				  (unsigned long long)(set.undo.esp_blocks * CONVERT_BLOCK_SIZE));
		convert_say_error(run, "Nothing was changed.");
		undo_set_free(&set);
		return AGENT_EXIT_FAILED;
	}
	if (mbr_disk) {
		status = finish_cut_off(run, &set, system_reserved, undo_letter, dry_run);
	} else if (dry_run) {
		output_line(run->out, "Dry run: the undo data in " UNDO_DIR_SHOWN " checks out "
			    "(every CRC-32);");
		output_line(run->out, "--undo would put back System Reserved (sectors %llu-%llu), "
			    "the last MiB,", (unsigned long long)set.undo.esp_first_lba,
			    (unsigned long long)(set.undo.esp_first_lba + set.undo.esp_blocks - 1));
		output_line(run->out, "the SYSTEM hive and the MBR.  Nothing was changed.");
		status = AGENT_EXIT_OK;
	} else {
		status = put_back(run, &set, system_reserved, undo_letter);
	}
	free(system_reserved);
	undo_set_free(&set);
	return status;
}
