/*
 * main.c - win7gen2.efi: make Windows 7 boot on Hyper-V Generation 2
 *
 * Repairs the ACPI tables that Windows 7's HAL, kernel and acpi.sys
 * misread on Gen2, then starts the original Windows Boot Manager, which
 * sits beside us as <our name>.original.efi.  Whatever goes wrong, the
 * boot manager still gets its turn: this program must never leave a
 * machine less bootable than it found it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "config.h"
#include "acpi_fix.h"
#include "acpi.h"
#include "chainload.h"
#include "disks.h"
#include "file.h"
#include "gen2.h"
#include "input.h"
#include "installed.h"
#include "log.h"
#include "menu.h"
#include "owncopy.h"
#include "prompt.h"
#include "rescue.h"
#include "status.h"
#include "timing.h"
#include "upkeep.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define CONFIG_FILE_NAME WIDE(WIN7GEN2_CONFIG_NAME)
#define ORIGINAL_SUFFIX WIDE(WIN7GEN2_ORIGINAL_SUFFIX)
#define MAX_TARGETS 4
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

enum rescue_choice { RESCUE_BOOT_FILES, RESCUE_WINDOWS_PE };

static const CHAR16 *const rescue_titles[] = {
	[RESCUE_BOOT_FILES] = L"Repair the boot files on every disk now, then restart",
	[RESCUE_WINDOWS_PE] = L"Start Windows PE to repair boot files and registry",
};

/* Where Windows keeps its boot manager on a disk we have wrapped; tried
 * after the copy beside us, so a payload copied elsewhere still boots
 * (common/wrap_rule.h counts on this fallback). */
static const CHAR16 *const fallback_targets[] = {
	WIDE(WIN7GEN2_BOOTMGFW_ORIGINAL_PATH),
	WIDE(WIN7GEN2_FALLBACK_ORIGINAL_PATH),
};

/* Lets tools recognise this file as our payload (see win7gen2.h). */
static const char payload_marker[] __attribute__((used)) =
	WIN7GEN2_PAYLOAD_MARKER WIN7GEN2_VERSION;

struct payload {
	EFI_HANDLE image;
	EFI_SYSTEM_TABLE *system_table;
	EFI_LOADED_IMAGE *loaded_image;
	CHAR16 own_path[FILE_PATH_MAX];
	struct config config;
	struct log log;
	UINT64 entry_ticks;
};

struct attempt {
	CHAR16 path[FILE_PATH_MAX];
	EFI_STATUS status;
};

static void config_warning(void *ctx, unsigned line, const char *message)
{
	struct log *log = ctx;

	log_print(log, LOG_ERROR, L"win7gen2: %s line %d: %a (line ignored)\n",
		  CONFIG_FILE_NAME, line, message);
}

/*
 * Started by its own boot entry, the copy stands in for the payload at
 * bootmgfw.efi: without settings of its own it takes that one's, so
 * settings made there before the entry existed still hold.
 */
static const CHAR16 *const own_copy_config = WIDE(WIN7GEN2_BOOTMGFW_DIR) CONFIG_FILE_NAME;

static void load_config(struct payload *payload)
{
	CHAR16 path[FILE_PATH_MAX];
	void *text;
	UINTN size;
	EFI_STATUS status;

	config_defaults(&payload->config);
	file_folder(payload->own_path, path, FILE_PATH_MAX);
	if (StrLen(path) + StrLen(CONFIG_FILE_NAME) >= FILE_PATH_MAX)
		return;
	StrCat(path, CONFIG_FILE_NAME);
	status = file_read(payload->loaded_image->DeviceHandle, path,
			   CONFIG_MAX_FILE_SIZE, &text, &size);
	if (status == EFI_NOT_FOUND && own_copy_is(payload->own_path)) {
		StrCpy(path, own_copy_config);
		status = file_read(payload->loaded_image->DeviceHandle, path,
				   CONFIG_MAX_FILE_SIZE, &text, &size);
	}
	if (status == EFI_NOT_FOUND)
		return;
	if (EFI_ERROR(status)) {
		log_print(&payload->log, LOG_ERROR,
			  L"win7gen2: cannot read %s: %r; using defaults\n", path, status);
		return;
	}
	config_parse(&payload->config, text, size, config_warning, &payload->log);
	FreePool(text);
	payload->log.verbose = payload->config.verbose;
	log_print(&payload->log, LOG_DEBUG, L"win7gen2: settings from %s\n", path);
}

static void fix_tables_in(struct payload *payload, struct acpi_tables *tables)
{
	const struct config *config = &payload->config;
	struct acpi_fix_options options;
	struct acpi_fix_summary summary;
	struct gen2_signals signals;
	UINT64 rsdp;

	rsdp = acpi_find_rsdp(payload->system_table);
	gen2_detect(&tables->memory, rsdp, &signals);
	log_print(&payload->log, LOG_INFO,
		  L"win7gen2: hypervisor \"%a\", ACPI OEM \"%a\"/\"%a\" -> %a\n",
		  signals.hypervisor, signals.oem_id, signals.oem_table_id,
		  signals.hyperv_cpuid || signals.gen2_acpi ? "Hyper-V Gen2" :
							      "not Hyper-V Gen2");
	if (!gen2_should_fix(&signals, config->gen2)) {
		log_print(&payload->log, LOG_INFO, L"win7gen2: ACPI tables left as they are (gen2 = %a)\n",
			  config->gen2 == CONFIG_GEN2_OFF ? "off" : "auto");
		return;
	}
	if (!rsdp) {
		log_print(&payload->log, LOG_ERROR, L"win7gen2: firmware has no ACPI tables\n");
		return;
	}

	acpi_fix_default_options(&options);
	options.fix_madt = config->fix_madt;
	options.fix_fadt = config->fix_fadt;
	options.fix_srat = config->fix_srat;
	options.srat_limit = config->srat_limit;
	log_print(&payload->log, LOG_INFO, L"win7gen2: fixing ACPI tables (RSDP at 0x%lx)\n", rsdp);
	if (acpi_fix_and_report(tables, rsdp, &options, &summary) < 0) {
		log_print(&payload->log, LOG_ERROR, L"win7gen2: RSDP or root table unusable, no table changed\n");
		return;
	}
	log_print(&payload->log, LOG_INFO,
		  L"win7gen2: %d fixes applied, %d already correct, %d skipped in %d tables\n",
		  summary.applied, summary.already_correct, summary.skipped, summary.tables_seen);
}

/*
 * Without the memory map no table pointer can be checked, and following
 * an unchecked one may write anywhere: the tables stay as they are, and
 * the boot goes on.
 */
static void fix_tables(struct payload *payload)
{
	struct acpi_tables tables;
	EFI_STATUS status;

	status = acpi_tables_open(&tables, &payload->log);
	if (EFI_ERROR(status)) {
		log_print(&payload->log, LOG_ERROR,
			  L"win7gen2: cannot read the firmware's memory map (%r): ACPI tables left as they are\n",
			  status);
		return;
	}
	fix_tables_in(payload, &tables);
	acpi_tables_close(&tables);
}

/* "\EFI\BOOT\BOOTX64.EFI" -> "\EFI\BOOT\BOOTX64.original.efi" */
static BOOLEAN original_of(const CHAR16 *own_path, CHAR16 *path, UINTN count)
{
	UINTN length = StrLen(own_path);

	if (length >= 4 && own_path[length - 4] == L'.' &&
	    (own_path[length - 3] | 0x20) == L'e' &&
	    (own_path[length - 2] | 0x20) == L'f' &&
	    (own_path[length - 1] | 0x20) == L'i')
		length -= 4;
	if (length + StrLen(ORIGINAL_SUFFIX) >= count)
		return FALSE;
	CopyMem(path, own_path, length * sizeof(CHAR16));
	path[length] = 0;
	StrCat(path, ORIGINAL_SUFFIX);
	return TRUE;
}

static void add_target(struct payload *payload, struct attempt *targets,
		       UINTN *count, const CHAR16 *path)
{
	if (*count >= MAX_TARGETS || StrLen(path) >= FILE_PATH_MAX)
		return;
	/* Starting ourselves again would loop until the stack runs out. */
	if (file_path_equal(path, payload->own_path))
		return;
	for (UINTN i = 0; i < *count; i++)
		if (file_path_equal(path, targets[i].path))
			return;
	StrCpy(targets[*count].path, path);
	targets[*count].status = EFI_NOT_STARTED;
	(*count)++;
}

static UINTN list_targets(struct payload *payload, struct attempt *targets)
{
	CHAR16 path[FILE_PATH_MAX];
	UINTN count = 0;

	if (payload->config.target[0]) {
		UINTN i;

		for (i = 0; payload->config.target[i] && i + 1 < FILE_PATH_MAX; i++)
			path[i] = (CHAR16)(UINT8)payload->config.target[i];
		path[i] = 0;
		add_target(payload, targets, &count, path);
	}
	/* Started by our own boot entry: Windows' boot manager where the
	 * entry Windows made would start it, if it is a loader there (an
	 * update left it, unwrapped); else its original, as usual.  The
	 * copy has no original of its own. */
	if (own_copy_is(payload->own_path)) {
		if (own_copy_first_target(payload->loaded_image->DeviceHandle, path,
					  FILE_PATH_MAX))
			add_target(payload, targets, &count, path);
	} else if (payload->own_path[0] &&
		   original_of(payload->own_path, path, FILE_PATH_MAX)) {
		add_target(payload, targets, &count, path);
	}
	for (UINTN i = 0; i < ARRAY_SIZE(fallback_targets); i++)
		add_target(payload, targets, &count, fallback_targets[i]);
	return count;
}

static void report_timing(struct payload *payload)
{
	UINT64 ticks = timing_now() - payload->entry_ticks;
	UINT64 us;

	if (payload->log.verbose < LOG_DEBUG)
		return;
	us = timing_microseconds(ticks, timing_ticks_per_second(BS));
	log_print(&payload->log, LOG_DEBUG,
		  L"win7gen2: %ld.%03ld ms from entry to StartImage\n", us / 1000, us % 1000);
}

static EFI_STATUS start_child(struct payload *payload, const struct chainload *chain,
			      EFI_HANDLE child)
{
	struct prompt_answer answer;
	EFI_STATUS status;

	if (!payload->config.answer_prompt)
		return chainload_start(chain, child);
	status = prompt_answer_install(&answer, payload->system_table);
	if (EFI_ERROR(status))
		log_print(&payload->log, LOG_ERROR,
			  L"win7gen2: cannot answer the CD prompt (%r); press a key when asked\n",
			  status);
	else
		log_print(&payload->log, LOG_DEBUG, L"win7gen2: answering the CD prompt\n");
	status = chainload_start(chain, child);
	prompt_answer_remove(&answer);
	return status;
}

/*
 * On an installed system, if the last repair (the WinPE agent or
 * win7gen2 fix) recorded a failure, say so before Windows starts: this
 * screen may be the only place a person looks.
 */
static void show_last_status(struct payload *payload)
{
	struct status status;
	EFI_INPUT_KEY key;
	void *text;
	UINTN size;

	if (file_read(payload->loaded_image->DeviceHandle, WIDE(WIN7GEN2_STATUS_PATH),
		      STATUS_MAX_SIZE, &text, &size) != EFI_SUCCESS)
		return;
	status_parse(text, size, &status);
	if (status.failed) {
		log_print(&payload->log, LOG_ERROR,
			  L"\nwin7gen2: the last repair of this system reported a failure:\n");
		for (unsigned i = 0; i < status.count; i++) {
			CHAR16 line[STATUS_MAX_LINE + 1];
			UINTN n;

			for (n = 0; n < status.line[i].length; n++) {
				char c = status.line[i].text[n];

				line[n] = c >= 0x20 && c <= 0x7e ? (CHAR16)c : L'?';
			}
			line[n] = 0;
			log_print(&payload->log, LOG_ERROR, L"  %s\n", line);
		}
		log_print(&payload->log, LOG_ERROR,
			  L"Full log: %a on this disk.  Continuing in %d s.\n\n",
			  WIN7GEN2_LOG_PATH, payload->config.error_timeout);
		input_wait_key(payload->system_table, payload->config.error_timeout, &key);
	}
	FreePool(text);
}

/*
 * Rescue without Windows PE: the payload copies itself (the file it was
 * loaded from) in front of every bare Windows boot manager, then
 * restarts so the repaired disk can boot.
 */
static void repair_boot_files(struct payload *payload)
{
	EFI_INPUT_KEY key;
	void *self;
	UINTN size, failures;
	EFI_STATUS status;

	status = file_read(payload->loaded_image->DeviceHandle, payload->own_path,
			   WIN7GEN2_LOADER_MAX_SIZE, &self, &size);
	if (EFI_ERROR(status)) {
		log_print(&payload->log, LOG_ERROR, L"win7gen2: cannot read %s: %r\n",
			  payload->own_path, status);
		return;
	}
	failures = rescue_boot_files(&payload->log, self, size);
	FreePool(self);
	log_print(&payload->log, LOG_ERROR,
		  L"win7gen2: boot file repair %a; restarting in %d s (press a key to restart now).\n",
		  failures ? "left problems (see above)" : "done", payload->config.error_timeout);
	input_wait_key(payload->system_table, payload->config.error_timeout, &key);
	RT->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
}

/*
 * Start the payload on the installed system's ESP, which fixes the
 * tables (again, harmlessly) and starts Windows' own boot manager.
 */
static EFI_STATUS boot_installed(struct payload *payload, EFI_HANDLE device)
{
	struct chainload chain = {
		.parent = payload->image,
		.device = device,
		.parent_image = payload->loaded_image,
	};
	EFI_HANDLE child;
	EFI_STATUS status;

	status = chainload_load(&chain, WIDE(WIN7GEN2_BOOTMGFW_PATH), &child);
	if (!EFI_ERROR(status))
		status = chainload_start(&chain, child);
	log_print(&payload->log, LOG_ERROR, L"win7gen2: the installed system's %s returned: %r\n",
		  WIDE(WIN7GEN2_BOOTMGFW_PATH), status);
	return status;
}

static void choose_mode(struct payload *payload)
{
	EFI_HANDLE installed = NULL;
	struct disk_survey *survey;
	BOOLEAN install_confirmed = FALSE;
	UINT32 convert_signature = 0;
	enum menu_choice choice;
	enum config_mode mode;
	EFI_STATUS status;

	survey = AllocateZeroPool(sizeof(*survey));
	if (survey)
		disks_survey(survey, payload->loaded_image->DeviceHandle);
	else
		log_print(&payload->log, LOG_ERROR, L"win7gen2: no memory to look at the disks\n");
	choice = menu_choose(payload->system_table, &payload->config, &payload->log,
			     installed_find(&installed) == EFI_SUCCESS, survey, &install_confirmed,
			     &convert_signature);
	if (survey)
		FreePool(survey);
	if (choice == MENU_CONVERT) {
		/* Windows PE does the conversion, as it does the other modes. */
		status = menu_set_convert_mode(convert_signature);
		if (EFI_ERROR(status))
			log_print(&payload->log, LOG_ERROR,
				  L"win7gen2: cannot record the choice for Windows PE: %r\n", status);
		return;
	}
	if (choice == MENU_BOOT_INSTALLED) {
		boot_installed(payload, installed);
		/* Never fall back to an install over it: plain Setup waits
		 * for a person instead. */
		choice = MENU_CONTINUE;
	}
	mode = (enum config_mode)choice;
	if (mode == CONFIG_MODE_RESCUE &&
	    menu_pick(payload->system_table, &payload->log, rescue_titles,
		      ARRAY_SIZE(rescue_titles), RESCUE_WINDOWS_PE,
		      payload->config.menu_timeout) == RESCUE_BOOT_FILES)
		repair_boot_files(payload);
	status = menu_set_mode(mode, install_confirmed);
	if (EFI_ERROR(status))
		log_print(&payload->log, LOG_ERROR,
			  L"win7gen2: cannot record the choice for Windows PE: %r\n", status);
}

static EFI_STATUS start_original(struct payload *payload)
{
	struct attempt targets[MAX_TARGETS];
	struct chainload chain = {
		.parent = payload->image,
		.device = payload->loaded_image->DeviceHandle,
		.parent_image = payload->loaded_image,
	};
	UINTN count = list_targets(payload, targets);
	EFI_STATUS status = EFI_NOT_FOUND;

	for (UINTN i = 0; i < count; i++) {
		EFI_HANDLE child;

		status = chainload_load(&chain, targets[i].path, &child);
		targets[i].status = status;
		if (EFI_ERROR(status))
			continue;
		log_print(&payload->log, LOG_INFO, L"win7gen2: starting %s\n", targets[i].path);
		report_timing(payload);
		status = start_child(payload, &chain, child);
		targets[i].status = status;
		/* A boot manager that exits cleanly handed control back on
		 * purpose (the user chose to); the firmware decides what next. */
		if (!EFI_ERROR(status))
			return status;
		break;
	}

	log_print(&payload->log, LOG_ERROR,
		  L"\nwin7gen2: could not start the Windows Boot Manager.\n");
	for (UINTN i = 0; i < count; i++)
		if (targets[i].status != EFI_NOT_STARTED)
			log_print(&payload->log, LOG_ERROR, L"  %s: %r\n",
				  targets[i].path, targets[i].status);
	log_print(&payload->log, LOG_ERROR,
		  L"Set another loader with \"target = \\path\\to\\loader.efi\" in %s.\n"
		  L"Returning to the firmware in %d s (press a key to return now).\n",
		  CONFIG_FILE_NAME, payload->config.error_timeout);
	return status;
}

/* gnu-efi's start-up code calls this with the System V convention,
 * after relocating the image: no EFIAPI here. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
	struct payload payload = {
		.image = image,
		.system_table = system_table,
		.entry_ticks = timing_now(),
	};
	EFI_INPUT_KEY key;
	EFI_STATUS status;

	InitializeLib(image, system_table);
	log_init(&payload.log, system_table);
	config_defaults(&payload.config);
	log_print(&payload.log, LOG_INFO, L"win7gen2 %a - Windows 7 on Hyper-V Generation 2\n",
		  WIN7GEN2_VERSION);

	status = BS->HandleProtocol(image, &LoadedImageProtocol,
				    (void **)&payload.loaded_image);
	if (EFI_ERROR(status)) {
		/* Without it we know neither our volume nor our name: there
		 * is nothing to chainload, so give the firmware its turn. */
		log_print(&payload.log, LOG_ERROR, L"win7gen2: no LoadedImage: %r\n", status);
		return status;
	}
	status = file_image_path(payload.loaded_image, payload.own_path, FILE_PATH_MAX);
	if (EFI_ERROR(status))
		payload.own_path[0] = 0;
	load_config(&payload);
	log_print(&payload.log, LOG_DEBUG, L"win7gen2: loaded from %s\n", payload.own_path);

	fix_tables(&payload);
	if (payload.config.menu) {
		choose_mode(&payload);
	} else {
		upkeep_disk(&payload.log, &payload.config, payload.loaded_image->DeviceHandle,
			    payload.own_path);
		show_last_status(&payload);
	}

	status = start_original(&payload);
	if (!EFI_ERROR(status))
		return status;
	input_wait_key(system_table, payload.config.error_timeout, &key);
	log_print(&payload.log, LOG_ERROR, L"win7gen2: returning to the firmware\n");
	return status;
}
