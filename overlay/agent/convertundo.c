/*
 * convertundo.c - win7gen2pe --convert --undo: the undo data either side kept
 *
 * win7gen2 convert (Linux) and win7gen2pe --convert keep the same undo
 * set in \win7gen2\gen1\ on an NTFS partition (fixengine/convert.h):
 * this finds it on a converted disk and checks every file against the
 * manifest before anything is put back.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

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
	LARGE_INTEGER length;
	DWORD got = 0, error;
	HANDLE file;
	char shown[MAX_PATH * 3], reason[200];

	*data = NULL;
	*size = 0;
	swprintf(path, MAX_PATH, L"%c:\\win7gen2\\gen1\\%ls", letter, name);
	utf8_from_wide_buf(path, shown, sizeof(shown));
	file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
	if (file == INVALID_HANDLE_VALUE) {
		error = GetLastError();
		if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND)
			return 0;
		win32_error_text(error, reason, sizeof(reason));
		snprintf(message, message_size, "%s cannot be read (%s)", shown, reason);
		return -1;
	}
	if (!GetFileSizeEx(file, &length) || length.QuadPart < 0 ||
	    (uint64_t)length.QuadPart > max) {
		snprintf(message, message_size, "%s is larger than the undo data can be: it is "
			 "damaged", shown);
		CloseHandle(file);
		return -1;
	}
	*data = malloc(length.QuadPart ? (size_t)length.QuadPart : 1);
	if (!*data || !ReadFile(file, *data, (DWORD)length.QuadPart, &got, NULL) ||
	    got != (DWORD)length.QuadPart) {
		snprintf(message, message_size, "%s cannot be read whole", shown);
		free(*data);
		*data = NULL;
		CloseHandle(file);
		return -1;
	}
	CloseHandle(file);
	*size = (size_t)length.QuadPart;
	return 1;
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The undo set on one letter, as --undo will read it: 0 complete, every
 * CRC-32 right; 1 no manifest there; -1 damaged or unreadable (message).
 * System Reserved's gzip is checked by its trailer (the CRC-32 and size
 * of what it holds, RFC 1952) against the manifest: the agent has no
 * inflate of its own, so the bytes themselves are checked when --undo
 * puts them back.
 */
int convert_undo_check(char letter, struct convert_undo *undo, char *message,
			  size_t message_size)
{
	uint8_t *manifest = NULL, *data[4] = { NULL, NULL, NULL, NULL };
	size_t manifest_size, size[4] = { 0, 0, 0, 0 };
	struct fix_error err;
	int found, rc = -1;

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
	for (size_t i = 0; i < 4; i++)
		free(data[i]);
	return rc;
}

/* --undo: the GPT win7gen2 convert wrote, and the undo data on one of its
 * NTFS partitions.  Putting it back is not in the agent yet; --dry-run
 * checks that it can be. */
int convert_run_undo(struct convert_state *run, bool dry_run)
{
	uint8_t lba0[CONVERT_BLOCK_SIZE], lba1[CONVERT_BLOCK_SIZE], *entries = NULL;
	uint64_t blocks = run->disk.size / CONVERT_BLOCK_SIZE;
	struct partition_table table;
	struct gpt_header header;
	struct convert_undo undo;
	DWORD error = ERROR_SUCCESS;
	char message[600], unlettered[160] = "";
	int found = 1, status = AGENT_EXIT_FAILED;
	size_t entry_bytes;

	if (!convert_disk_read(&run->disk, 0, lba0, sizeof(lba0), &error) ||
	    !convert_disk_read(&run->disk, CONVERT_BLOCK_SIZE, lba1, sizeof(lba1), &error))
		return convert_fail(run, "its first sectors cannot be read", error);
	partition_table_from_mbr(&table, lba0, lba1, CONVERT_BLOCK_SIZE);
	if (table.scheme != PARTITION_SCHEME_GPT || blocks < 2 ||
	    !gpt_header_parse(lba1, CONVERT_BLOCK_SIZE, 1, blocks - 1, &header) ||
	    (entry_bytes = gpt_entry_bytes(&header)) == 0 || entry_bytes > GPT_MAX_ENTRY_BYTES ||
	    !(entries = malloc(entry_bytes)) ||
	    !convert_disk_read(&run->disk, header.entry_lba * CONVERT_BLOCK_SIZE, entries,
			       (DWORD)entry_bytes, &error) ||
	    !gpt_entries_parse(&table, &header, entries, entry_bytes)) {
		free(entries);
		convert_say_error(run, "win7gen2pe --convert --undo: %s: no valid GPT: this disk was not "
			  "converted by win7gen2 convert (or its table is damaged)", run->name);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
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
		found = convert_undo_check(letter, &undo, message, sizeof(message));
		if (found < 0) {
			convert_say_error(run, "win7gen2pe --convert --undo: %s: %s", run->name, message);
			convert_say_error(run, "Nothing was changed.");
			return AGENT_EXIT_FAILED;
		}
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
	if (undo.disk_blocks != blocks) {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: the disk has %llu sectors, the "
			  "undo data is for %llu: was it resized since? Give it its old size first",
			  run->name, (unsigned long long)blocks,
			  (unsigned long long)undo.disk_blocks);
		convert_say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	if (dry_run) {
		output_line(run->out, "Dry run: the undo data in " UNDO_DIR_SHOWN " checks out "
			    "(every CRC-32);");
		output_line(run->out, "--undo would put back System Reserved (sectors %llu-%llu), "
			    "the last MiB,", (unsigned long long)undo.esp_first_lba,
			    (unsigned long long)(undo.esp_first_lba + undo.esp_blocks - 1));
		output_line(run->out, "the SYSTEM hive and the MBR.  Nothing was changed.");
		status = AGENT_EXIT_OK;
	} else {
		convert_say_error(run, "win7gen2pe --convert --undo: %s: putting the disk back from Windows "
			  "is not in this agent yet: the undo data checks out; run 'win7gen2 "
			  "convert --disk IMAGE --undo' on Linux", run->name);
		convert_say_error(run, "Nothing was changed.");
	}
	return status;
}
