/*
 * convertrun.c - win7gen2pe --convert: the checks and the plan on Windows
 *
 * The engine sees the disk's bytes (convertdisk.h); the files on System
 * Reserved and on Windows are read through the drive letters Windows
 * gives their volumes, found by the partition's offset.  A partition the
 * checks must look into that has no letter stops the run with the reason:
 * guessing that it holds nothing could convert a disk whose Windows or
 * whose System Reserved content was never looked at.
 *
 * SPDX-License-Identifier: MIT
 */
#include "convertrun.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>

#include "args.h"
#include "convert.h"
#include "convertdisk.h"
#include "decide.h"
#include "installs.h"
#include "partition_table.h"
#include "text.h"
#include "win32util.h"

/* What Windows 7 Setup and Windows itself put on System Reserved (as
 * builder/cmd_convert.c lists them): the boot manager and its store, the
 * boot sector copy bootsect.exe keeps, Windows RE, NTFS's per-volume
 * folders. */
static const char *const boot_files[] = {
	"bootmgr", "BOOTSECT.BAK", "Boot", "Recovery", "System Volume Information",
	"$RECYCLE.BIN",
};

struct convert_state {
	const char *name;
	bool errors_in_report;
	struct output *out;
	struct convert_disk disk;
	struct convert_layout layout;
	char letter[CONVERT_MBR_SLOTS]; /* of each partition looked into, or 0 */
	struct installation windows;
};

/* On a host, as the Linux command: problems on stderr.  In Windows PE
 * the report (console, COM1, the log) is all anyone sees. */
static void __attribute__((format(printf, 2, 3)))
say_error(const struct convert_state *run, const char *format, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, format);
	vsnprintf(line, sizeof(line), format, ap);
	va_end(ap);
	if (run->errors_in_report)
		output_line(run->out, "%s", line);
	else
		output_error(run->out, "%s", line);
}

static int refuse(struct convert_state *run, enum convert_refusal refusal, const char *message)
{
	say_error(run, "win7gen2pe --convert: %s: refused (%s): %s", run->name,
		     convert_refusal_name(refusal), message);
	say_error(run, "Nothing was changed.");
	return AGENT_EXIT_FAILED;
}

static int fail(struct convert_state *run, const char *message, DWORD error)
{
	char reason[200];

	win32_error_text(error, reason, sizeof(reason));
	say_error(run, "win7gen2pe --convert: %s: %s (%s)", run->name, message, reason);
	say_error(run, "Nothing was changed.");
	return AGENT_EXIT_FAILED;
}

/* The letter of partition index, or 0 with the failure reported. */
static char partition_letter(struct convert_state *run, unsigned index, const char *what)
{
	const struct convert_partition *partition = &run->layout.partition[index];
	DWORD error = ERROR_SUCCESS;
	char letter = convert_disk_partition_letter(&run->disk,
						    partition->first_lba * CONVERT_BLOCK_SIZE,
						    &error);
	char message[300];

	if (letter)
		return letter;
	snprintf(message, sizeof(message), "partition %u (%s, at sector %llu) has no drive letter, "
		 "so its files cannot be checked: give it one (Disk Management, or diskpart: "
		 "select disk, select partition %u, assign) and run again", index + 1, what,
		 (unsigned long long)partition->first_lba, index + 1);
	fail(run, message, error);
	return 0;
}

static bool is_boot_file(const char *name)
{
	for (size_t i = 0; i < sizeof(boot_files) / sizeof(boot_files[0]); i++)
		if (_stricmp(name, boot_files[i]) == 0)
			return true;
	return false;
}

/* System Reserved's root holds boot files only: 0, 1 refused, -1 failed. */
static int check_system_reserved(struct convert_state *run)
{
	unsigned index = (unsigned)run->layout.esp;
	char letter = partition_letter(run, index, "System Reserved");
	wchar_t pattern[8] = { (wchar_t)letter, L':', L'\\', L'*', L'\0' };
	WIN32_FIND_DATAW found;
	HANDLE find;
	char name[MAX_PATH * 3], unexpected[MAX_PATH * 3] = "", message[MAX_PATH * 3 + 300];
	bool has_windows = false;

	if (!letter)
		return -1;
	run->letter[index] = letter;
	find = FindFirstFileW(pattern, &found);
	if (find == INVALID_HANDLE_VALUE) {
		fail(run, "the files of System Reserved cannot be listed", GetLastError());
		return -1;
	}
	do {
		utf8_from_wide_buf(found.cFileName, name, sizeof(name));
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (_stricmp(name, "Windows") == 0)
			has_windows = true;
		if (!is_boot_file(name) && !unexpected[0])
			snprintf(unexpected, sizeof(unexpected), "%s", name);
	} while (FindNextFileW(find, &found));
	FindClose(find);
	if (!unexpected[0])
		return 0;
	if (has_windows)
		snprintf(message, sizeof(message), "the active partition %u (%c:) holds Windows "
			 "itself: Windows and its boot files share one partition, and shrinking "
			 "it for an ESP is not done (it moves data and cannot be undone byte for "
			 "byte)", index + 1, letter);
	else
		snprintf(message, sizeof(message), "System Reserved (partition %u, %c:) holds "
			 "\"%s\", which is not a boot file: it would be lost when the partition "
			 "becomes the ESP; move it to the Windows partition first", index + 1,
			 letter, unexpected);
	refuse(run, CONVERT_REFUSE_NO_SYSTEM_RESERVED, message);
	return 1;
}

static bool file_exists(char letter, const wchar_t *path)
{
	wchar_t full[MAX_PATH];
	DWORD attributes;

	swprintf(full, MAX_PATH, L"%c:\\%ls", letter, path);
	attributes = GetFileAttributesW(full);
	return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

/* Windows 7 x64 on partition index?  0 yes (recorded), 2 no Windows
 * there, 1 refused (another Windows, or its UEFI files missing). */
static int check_windows(struct convert_state *run, unsigned index, char letter)
{
	struct installation found;
	char shown[120], message[300];

	if (!installs_look_at(letter, &found))
		return 2;
	if (classify_install(&found.facts) != INSTALL_WINDOWS7_X64) {
		describe_install(&found.facts, shown, sizeof(shown));
		snprintf(message, sizeof(message), "partition %u (%c:) holds %s: convert moves "
			 "64-bit Windows 7 or Server 2008 R2, which UEFI boots", index + 1, letter,
			 shown);
		refuse(run, CONVERT_REFUSE_NO_WINDOWS, message);
		return 1;
	}
	if (!file_exists(letter, L"Windows\\Boot\\EFI\\bootmgfw.efi")) {
		refuse(run, CONVERT_REFUSE_NO_WINDOWS, "\\Windows\\Boot\\EFI\\bootmgfw.efi, the "
		       "UEFI boot manager the ESP receives, is missing");
		return 1;
	}
	if (!file_exists(letter, L"Windows\\System32\\config\\BCD-Template")) {
		refuse(run, CONVERT_REFUSE_NO_WINDOWS, "\\Windows\\System32\\config\\BCD-Template, "
		       "which the UEFI boot store is made from, is missing");
		return 1;
	}
	run->windows = found;
	convert_set_windows(&run->layout, index);
	return 0;
}

/* A hibernated Windows resumes its memory image over whatever changed. */
static bool hibernated(char letter)
{
	wchar_t path[16];
	uint8_t head[4];
	DWORD got = 0;
	HANDLE file;
	bool asleep;

	swprintf(path, 16, L"%c:\\hiberfil.sys", letter);
	file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			   OPEN_EXISTING, 0, NULL);
	if (file == INVALID_HANDLE_VALUE)
		return false;
	asleep = ReadFile(file, head, sizeof(head), &got, NULL) && got == sizeof(head) &&
		 (memcmp(head, "hibr", 4) == 0 || memcmp(head, "HIBR", 4) == 0);
	CloseHandle(file);
	return asleep;
}

/* Every check that reads the disk, in builder/cmd_convert.c's order:
 * 0 with the layout complete, else the status to end with. */
static int check_disk(struct convert_state *run)
{
	uint8_t lba0[CONVERT_BLOCK_SIZE];
	uint8_t boot[CONVERT_MBR_SLOTS][CONVERT_BLOCK_SIZE];
	const uint8_t *boot_sector[CONVERT_MBR_SLOTS] = { NULL };
	uint64_t blocks = run->disk.size / CONVERT_BLOCK_SIZE;
	struct fix_error err;
	enum convert_refusal refusal;
	DWORD error = ERROR_SUCCESS;
	int rc;

	memset(lba0, 0, sizeof(lba0));
	if (run->disk.block_size != CONVERT_BLOCK_SIZE) {
		(void)convert_read_mbr(lba0, run->disk.block_size, blocks, &run->layout, &err);
		return refuse(run, CONVERT_REFUSE_BLOCK_SIZE, err.message);
	}
	if (!convert_disk_read(&run->disk, 0, lba0, sizeof(lba0), &error))
		return fail(run, "its first sector cannot be read", error);
	refusal = convert_read_mbr(lba0, CONVERT_BLOCK_SIZE, blocks, &run->layout, &err);
	if (refusal != CONVERT_ACCEPTED)
		return refuse(run, refusal, err.message);
	for (unsigned i = 0; i < run->layout.count; i++) {
		if (!convert_disk_read(&run->disk, run->layout.partition[i].first_lba *
				       CONVERT_BLOCK_SIZE, boot[i], CONVERT_BLOCK_SIZE, &error))
			return fail(run, "a partition's first sector cannot be read", error);
		boot_sector[i] = boot[i];
	}
	refusal = convert_check_volumes(&run->layout, boot_sector, &err);
	if (refusal != CONVERT_ACCEPTED)
		return refuse(run, refusal, err.message);

	/* System Reserved first: its content decides whether it can be the ESP. */
	rc = check_system_reserved(run);
	if (rc)
		return AGENT_EXIT_FAILED;
	for (unsigned i = 0; i < run->layout.count && run->layout.windows < 0; i++) {
		const struct convert_partition *partition = &run->layout.partition[i];
		char letter;

		if (!partition->ntfs || partition->role != CONVERT_ROLE_DATA)
			continue;
		letter = partition_letter(run, i, "NTFS");
		if (!letter)
			return AGENT_EXIT_FAILED;
		run->letter[i] = letter;
		rc = check_windows(run, i, letter);
		if (rc == 1)
			return AGENT_EXIT_FAILED;
	}
	if (run->layout.windows < 0)
		return refuse(run, CONVERT_REFUSE_NO_WINDOWS, "no NTFS partition holds "
			      "\\Windows\\System32\\config\\SYSTEM: there is no installed Windows "
			      "on this disk");
	if (hibernated(run->letter[run->layout.windows]))
		return refuse(run, CONVERT_REFUSE_HIBERNATED, "Windows is hibernated "
			      "(\\hiberfil.sys holds its memory): start it in the Gen1 VM and shut "
			      "it down, not hibernate, then convert");
	return 0;
}

/* ---- --undo: the undo data win7gen2 convert (either side) kept ---- */

/* CONVERT_UNDO_DIR as Windows shows it. */
#define UNDO_DIR_SHOWN "\\win7gen2\\gen1\\"

static const wchar_t *const undo_names[] = {
	L"first-mib.bin", L"last-mib.bin", L"system-reserved.img.gz", L"SYSTEM",
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
static int check_undo_set(char letter, struct convert_undo *undo, char *message,
			  size_t message_size)
{
	uint8_t *manifest = NULL, *data[4] = { NULL, NULL, NULL, NULL };
	size_t manifest_size, size[4] = { 0, 0, 0, 0 };
	struct fix_error err;
	int found, rc = -1;

	found = read_undo_file(letter, L"convert.txt", CONVERT_UNDO_MANIFEST_MAX, &manifest,
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
static int run_undo(struct convert_state *run, bool dry_run)
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
		return fail(run, "its first sectors cannot be read", error);
	partition_table_from_mbr(&table, lba0, lba1, CONVERT_BLOCK_SIZE);
	if (table.scheme != PARTITION_SCHEME_GPT || blocks < 2 ||
	    !gpt_header_parse(lba1, CONVERT_BLOCK_SIZE, 1, blocks - 1, &header) ||
	    (entry_bytes = gpt_entry_bytes(&header)) == 0 || entry_bytes > GPT_MAX_ENTRY_BYTES ||
	    !(entries = malloc(entry_bytes)) ||
	    !convert_disk_read(&run->disk, header.entry_lba * CONVERT_BLOCK_SIZE, entries,
			       (DWORD)entry_bytes, &error) ||
	    !gpt_entries_parse(&table, &header, entries, entry_bytes)) {
		free(entries);
		say_error(run, "win7gen2pe --convert --undo: %s: no valid GPT: this disk was not "
			  "converted by win7gen2 convert (or its table is damaged)", run->name);
		say_error(run, "Nothing was changed.");
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
			return fail(run, "a partition's first sector cannot be read", error);
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
		found = check_undo_set(letter, &undo, message, sizeof(message));
		if (found < 0) {
			say_error(run, "win7gen2pe --convert --undo: %s: %s", run->name, message);
			say_error(run, "Nothing was changed.");
			return AGENT_EXIT_FAILED;
		}
	}
	if (found > 0) {
		say_error(run, "win7gen2pe --convert --undo: %s: no partition with a drive letter "
			  "holds " UNDO_DIR_SHOWN "convert.txt: there is nothing to undo%s%s%s",
			  run->name, unlettered[0] ? " (NTFS partitions without a letter, which "
			  "were not looked into: " : "", unlettered,
			  unlettered[0] ? "; give them one with diskpart assign)" : "");
		say_error(run, "Nothing was changed.");
		return AGENT_EXIT_FAILED;
	}
	if (undo.disk_blocks != blocks) {
		say_error(run, "win7gen2pe --convert --undo: %s: the disk has %llu sectors, the "
			  "undo data is for %llu: was it resized since? Give it its old size first",
			  run->name, (unsigned long long)blocks,
			  (unsigned long long)undo.disk_blocks);
		say_error(run, "Nothing was changed.");
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
		say_error(run, "win7gen2pe --convert --undo: %s: putting the disk back from Windows "
			  "is not in this agent yet: the undo data checks out; run 'win7gen2 "
			  "convert --disk IMAGE --undo' on Linux", run->name);
		say_error(run, "Nothing was changed.");
	}
	return status;
}

/* The new GPT's GUIDs must be unique: the system's random generator. */
static bool random_bytes(uint8_t *buf, DWORD size)
{
	HCRYPTPROV provider;
	bool ok;

	if (!CryptAcquireContextW(&provider, NULL, NULL, PROV_RSA_FULL,
				  CRYPT_VERIFYCONTEXT | CRYPT_SILENT))
		return false;
	ok = CryptGenRandom(provider, size, buf);
	CryptReleaseContext(provider, 0);
	return ok;
}

int convert_run(const wchar_t *path, const char *name, bool dry_run, bool undo,
		bool errors_in_report, struct output *out)
{
	struct convert_state run;
	uint8_t random[16 * (1 + CONVERT_MBR_SLOTS)];
	struct text plan = TEXT_INIT;
	DWORD error = ERROR_SUCCESS;
	int status;

	memset(&run, 0, sizeof(run));
	run.name = name;
	run.errors_in_report = errors_in_report;
	run.out = out;
	if (!convert_disk_open(path, false, &run.disk, &error))
		return fail(&run, "cannot be opened: run as administrator, and on a Hyper-V host "
			    "attach the VHDX with Mount-VHD first (Get-Disk shows its number)",
			    error);
	if (undo) {
		status = run_undo(&run, dry_run);
		convert_disk_close(&run.disk);
		return status;
	}
	status = check_disk(&run);
	if (status == 0 && !random_bytes(random, sizeof(random)))
		status = fail(&run, "no random bytes for the new GPT's unique GUIDs",
			      GetLastError());
	if (status == 0) {
		convert_set_guids(&run.layout, random, sizeof(random));
		text_appendf(&plan, "Windows: Windows %u.%u x64, on partition %d (%c:)\n",
			     run.windows.facts.major, run.windows.facts.minor,
			     run.layout.windows + 1, run.letter[run.layout.windows]);
		convert_plan_text(&run.layout, name, &plan);
		output_text(out, text_string(&plan));
		if (dry_run) {
			output_line(out, "Dry run: every check passed; nothing was changed.");
		} else {
			say_error(&run, "win7gen2pe --convert: %s: writing the new table from "
				     "Windows is not in this agent yet: convert the disk with "
				     "'win7gen2 convert --disk IMAGE' on Linux", name);
			say_error(&run, "Nothing was changed.");
			status = AGENT_EXIT_FAILED;
		}
	}
	text_free(&plan);
	convert_disk_close(&run.disk);
	return status;
}
