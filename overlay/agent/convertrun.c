/*
 * convertrun.c - win7gen2pe --convert: the checks and the plan on Windows,
 * then convertwrite.c's writes
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
#include "convertstate.h"
#include "convertwrite.h"
#include "decide.h"
#include "installs.h"
#include "partition_table.h"
#include "text.h"
#include "win32util.h"

/* What Windows 7 Setup and Windows itself put on System Reserved (as
 * builder/cmd_convert.c lists them): the boot manager and its store, the
 * boot sector copy bootsect.exe keeps, Windows RE, NTFS's per-volume
 * folders. */
/* Windows 7 SP1 and Server 2008 R2 SP1: NT 6.1, build 7601. */
#define WINDOWS_SP1_BUILD 7601

static const char *const boot_files[] = {
	"bootmgr", "BOOTSECT.BAK", "Boot", "Recovery", "System Volume Information",
	"$RECYCLE.BIN",
};

void convert_say_error(const struct convert_state *run, const char *format, ...)
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

int convert_refuse(struct convert_state *run, enum convert_refusal refusal, const char *message)
{
	convert_say_error(run, "win7gen2pe --convert: %s: refused (%s): %s", run->name,
		     convert_refusal_name(refusal), message);
	convert_say_error(run, "Nothing was changed.");
	return AGENT_EXIT_FAILED;
}

int convert_fail(struct convert_state *run, const char *message, DWORD error)
{
	char reason[200];

	win32_error_text(error, reason, sizeof(reason));
	convert_say_error(run, "win7gen2pe --convert: %s: %s (%s)", run->name, message, reason);
	convert_say_error(run, "Nothing was changed.");
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
	convert_fail(run, message, error);
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
		convert_fail(run, "the files of System Reserved cannot be listed", GetLastError());
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
	convert_refuse(run, CONVERT_REFUSE_NO_SYSTEM_RESERVED, message);
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
		convert_refuse(run, CONVERT_REFUSE_NO_WINDOWS, message);
		return 1;
	}
	/* Windows 7 boots on Gen2 from Service Pack 1 on (build 7601), as
	 * win7gen2 convert checks on Linux by the SOFTWARE hive's build. */
	if (found.facts.build < WINDOWS_SP1_BUILD) {
		snprintf(message, sizeof(message), "partition %u (%c:) holds Windows 7 build %u, "
			 "which has no Service Pack 1, which Gen2 needs: install SP1 in the Gen1 "
			 "VM first", index + 1, letter, found.facts.build);
		convert_refuse(run, CONVERT_REFUSE_NO_WINDOWS, message);
		return 1;
	}
	if (!file_exists(letter, L"Windows\\Boot\\EFI\\bootmgfw.efi")) {
		convert_refuse(run, CONVERT_REFUSE_NO_WINDOWS, "\\Windows\\Boot\\EFI\\bootmgfw.efi, the "
		       "UEFI boot manager the ESP receives, is missing");
		return 1;
	}
	if (!file_exists(letter, L"Windows\\System32\\config\\BCD-Template")) {
		convert_refuse(run, CONVERT_REFUSE_NO_WINDOWS, "\\Windows\\System32\\config\\BCD-Template, "
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
		return convert_refuse(run, CONVERT_REFUSE_BLOCK_SIZE, err.message);
	}
	if (!convert_disk_read(&run->disk, 0, lba0, sizeof(lba0), &error))
		return convert_fail(run, "its first sector cannot be read", error);
	refusal = convert_read_mbr(lba0, CONVERT_BLOCK_SIZE, blocks, &run->layout, &err);
	if (refusal != CONVERT_ACCEPTED)
		return convert_refuse(run, refusal, err.message);
	for (unsigned i = 0; i < run->layout.count; i++) {
		if (!convert_disk_read(&run->disk, run->layout.partition[i].first_lba *
				       CONVERT_BLOCK_SIZE, boot[i], CONVERT_BLOCK_SIZE, &error))
			return convert_fail(run, "a partition's first sector cannot be read", error);
		boot_sector[i] = boot[i];
	}
	refusal = convert_check_volumes(&run->layout, boot_sector, &err);
	if (refusal != CONVERT_ACCEPTED)
		return convert_refuse(run, refusal, err.message);

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
		return convert_refuse(run, CONVERT_REFUSE_NO_WINDOWS, "no NTFS partition holds "
			      "\\Windows\\System32\\config\\SYSTEM: there is no installed Windows "
			      "on this disk");
	if (hibernated(run->letter[run->layout.windows]))
		return convert_refuse(run, CONVERT_REFUSE_HIBERNATED, "Windows is hibernated "
			      "(\\hiberfil.sys holds its memory): start it in the Gen1 VM and shut "
			      "it down, not hibernate, then convert");
	return 0;
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
		bool in_windows_pe, struct output *out)
{
	struct convert_state run;
	uint8_t random[16 * (1 + CONVERT_MBR_SLOTS)];
	struct text plan = TEXT_INIT;
	DWORD error = ERROR_SUCCESS;
	int status;

	memset(&run, 0, sizeof(run));
	run.name = name;
	run.errors_in_report = in_windows_pe;
	run.in_windows_pe = in_windows_pe;
	run.out = out;
	if (!convert_disk_open(path, false, &run.disk, &error))
		return convert_fail(&run, "cannot be opened: run as administrator, and on a Hyper-V host "
			    "attach the VHDX with Mount-VHD first (Get-Disk shows its number)",
			    error);
	if (undo) {
		status = convert_run_undo(&run, dry_run);
		convert_disk_close(&run.disk);
		return status;
	}
	status = check_disk(&run);
	if (status == 0 && (!random_bytes(random, sizeof(random)) ||
			    !random_bytes(run.bcd_guids, sizeof(run.bcd_guids))))
		status = convert_fail(&run, "no random bytes for the new GPT's unique GUIDs",
			      GetLastError());
	if (status == 0) {
		convert_set_guids(&run.layout, random, sizeof(random));
		text_appendf(&plan, "Windows: Windows %u.%u x64, on partition %d (%c:)\n",
			     run.windows.facts.major, run.windows.facts.minor,
			     run.layout.windows + 1, run.letter[run.layout.windows]);
		convert_plan_text(&run.layout, name, in_windows_pe ? CONVERT_WRITER_WINDOWS_PE :
				  CONVERT_WRITER_WINDOWS_HOST, &plan);
		output_text(out, text_string(&plan));
		if (dry_run) {
			output_line(out, "Dry run: every check passed; nothing was changed.");
		} else {
			status = convert_write(&run, path);
		}
	}
	text_free(&plan);
	convert_disk_close(&run.disk);
	return status;
}
