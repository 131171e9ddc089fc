/*
 * menu.c - the ISO's boot menu and the mode it hands to Windows PE
 *
 * On the console of a Gen2 VM nobody may be watching, so the menu falls
 * through to its default after a timeout - but Install, which wipes
 * disk 0, is that default only when no disk holds anything
 * (common/menu_default.h); where one does, the menu says so and waits.
 * Convert, offered where a disk looks like a Generation 1 Windows disk,
 * rewrites that disk's partition table: only a person picks it, picks
 * the disk, and types "y".
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "disks.h"
#include "input.h"
#include "menu.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

static const CHAR16 *const choice_titles[] = {
	[MENU_INSTALL] = L"Install Windows 7",
	[MENU_RESCUE] = L"Rescue an installed system",
	[MENU_CONTINUE] = L"Continue to Windows Setup unchanged",
	[MENU_BOOT_INSTALLED] = L"Boot the Windows 7 installed on this VM's disk",
	[MENU_CONVERT] = L"Convert a Generation 1 disk (changes its partition table)",
};

/*
 * Show the choices, then wait for a digit.  With a default, Enter takes
 * it and so does the end of timeout seconds; with MENU_PICK_NO_DEFAULT
 * only a digit ends the wait.  *by_key says whether a person answered.
 */
static UINTN pick(EFI_SYSTEM_TABLE *system_table, struct log *log,
		  const CHAR16 *const *titles, UINTN count, UINTN default_choice,
		  unsigned timeout, BOOLEAN *by_key)
{
	BOOLEAN has_default = default_choice < count;
	unsigned remaining = timeout;
	EFI_INPUT_KEY key;

	*by_key = FALSE;
	log_print(log, LOG_ERROR, L"\n");
	for (UINTN i = 0; i < count; i++)
		log_print(log, LOG_ERROR, L"  %d. %s%s\n", i + 1, titles[i],
			  i == default_choice ? L"  (default)" : L"");
	if (has_default)
		log_print(log, LOG_ERROR, L"\nChoose 1-%d; \"%s\" starts in %d s.\n",
			  count, titles[default_choice], remaining);
	else
		log_print(log, LOG_ERROR, L"\nChoose 1-%d; nothing starts until you do.\n", count);

	/* One second at a time, so a stray key does not restart the clock. */
	while (!has_default || remaining > 0) {
		EFI_STATUS status = input_wait_key(system_table, 1, &key);

		if (status != EFI_SUCCESS) {
			if (has_default)
				remaining--;
			else if (status != EFI_TIMEOUT || !system_table->ConIn)
				BS->Stall(1000000); /* no keyboard: wait, do not spin */
			continue;
		}
		if (key.UnicodeChar == CHAR_CARRIAGE_RETURN && has_default) {
			*by_key = TRUE;
			break;
		}
		if (key.UnicodeChar >= L'1' && key.UnicodeChar < L'1' + count) {
			default_choice = key.UnicodeChar - L'1';
			*by_key = TRUE;
			break;
		}
	}
	log_print(log, LOG_ERROR, L"win7gen2: %s\n", titles[default_choice]);
	return default_choice;
}

UINTN menu_pick(EFI_SYSTEM_TABLE *system_table, struct log *log,
		const CHAR16 *const *titles, UINTN count, UINTN default_choice,
		unsigned timeout)
{
	BOOLEAN by_key;

	return pick(system_table, log, titles, count, default_choice, timeout, &by_key);
}

/* Why the default is what it is, and what a key does about it. */
static void explain(struct log *log, const struct menu_decision *decision)
{
	switch (decision->reason) {
	case MENU_REASON_INSTALLED:
	case MENU_REASON_CONFIGURED:
		break;
	case MENU_REASON_WIPE_UNATTENDED:
		log_print(log, LOG_ERROR,
			  L"wipe_unattended = on: Install starts by itself and wipes disk 0.\n");
		break;
	case MENU_REASON_DISKS_BLANK:
		log_print(log, LOG_ERROR, L"No disk holds data: Install starts by itself.\n");
		break;
	case MENU_REASON_WINDOWS_FOUND:
		log_print(log, LOG_ERROR,
			  L"A disk holds Windows: Rescue starts by itself, never Install.\n"
			  L"Press 1 to install anyway: Setup wipes disk 0.\n");
		break;
	case MENU_REASON_DISKS_IN_USE:
		log_print(log, LOG_ERROR,
			  L"A disk holds data: Install does not start by itself, since Setup wipes disk 0.\n"
			  L"Press 1 to install anyway, 2 to rescue, 3 for Windows Setup unchanged.\n");
		break;
	}
}

static UINTN default_index(enum menu_default_choice choice)
{
	switch (choice) {
	case MENU_DEFAULT_INSTALL: return MENU_INSTALL;
	case MENU_DEFAULT_RESCUE: return MENU_RESCUE;
	case MENU_DEFAULT_CONTINUE: return MENU_CONTINUE;
	case MENU_DEFAULT_BOOT_INSTALLED: return MENU_BOOT_INSTALLED;
	case MENU_DEFAULT_NONE: break;
	}
	return MENU_PICK_NO_DEFAULT;
}

/* Wait for one key, however long it takes; a machine without a keyboard waits too. */
static EFI_INPUT_KEY wait_key(EFI_SYSTEM_TABLE *system_table)
{
	EFI_INPUT_KEY key;

	for (;;) {
		EFI_STATUS status = input_wait_key(system_table, 1, &key);

		if (status == EFI_SUCCESS)
			return key;
		if (status != EFI_TIMEOUT || !system_table->ConIn)
			BS->Stall(1000000); /* no keyboard: wait, do not spin */
	}
}

/* The signature's 8 hex digits in menu_convert_mode's text: on screen
 * exactly as the mode hands them to Windows PE. */
#define SIGNATURE_DIGITS(text) ((text) + sizeof(WIN7GEN2_MODE_CONVERT ":") - 1)

/*
 * After Convert was chosen: list the Generation 1 disks, ask which, then
 * ask for "y".  TRUE with *signature set when confirmed; FALSE (nothing
 * chosen) sends the person back to the menu.
 */
static BOOLEAN choose_convert(EFI_SYSTEM_TABLE *system_table, struct log *log,
			      const struct disk_survey *survey, UINT32 *signature)
{
	CHAR16 title_text[DISKS_MAX][64];
	const CHAR16 *titles[DISKS_MAX + 1];
	UINTN disk_of[DISKS_MAX];
	char digits[MENU_CONVERT_MODE_SIZE];
	const struct disk *disk;
	UINTN count = 0, picked, number;
	EFI_INPUT_KEY key;

	if (!survey)
		return FALSE;
	log_print(log, LOG_ERROR, L"\nGeneration 1 disks (MBR) to convert to GPT:\n");
	for (UINTN d = 0; d < survey->count; d++) {
		if (!survey->disk[d].gen1)
			continue;
		disks_report_disk(survey, d, log);
		menu_convert_mode(survey->disk[d].mbr_signature, digits);
		SPrint(title_text[count], sizeof(title_text[count]),
		       L"Disk %d, MBR disk signature %a", d + 1, SIGNATURE_DIGITS(digits));
		titles[count] = title_text[count];
		disk_of[count++] = d;
	}
	titles[count] = L"Back to the menu";
	picked = menu_pick(system_table, log, titles, count + 1, MENU_PICK_NO_DEFAULT, 0);
	if (picked >= count)
		return FALSE;
	disk = &survey->disk[disk_of[picked]];
	number = disk_of[picked] + 1;
	menu_convert_mode(disk->mbr_signature, digits);
	/* Windows PE finds the disk by its signature: a copy attached
	 * beside it would leave the choice to chance. */
	for (UINTN d = 0; d < survey->count; d++) {
		if (d == disk_of[picked] || survey->disk[d].table.scheme != PARTITION_SCHEME_MBR ||
		    survey->disk[d].mbr_signature != disk->mbr_signature)
			continue;
		log_print(log, LOG_ERROR,
			  L"Disk %d and disk %d have the same MBR disk signature %a: Windows PE\n"
			  L"could not tell them apart. Detach the copy from the VM and start again.\n",
			  number, d + 1, SIGNATURE_DIGITS(digits));
		return FALSE;
	}
	/* A line at a time: log_print cuts what is longer than LOG_LINE_MAX. */
	log_print(log, LOG_ERROR, L"\nConvert disk %d (MBR disk signature %a) to GPT?\n", number,
		  SIGNATURE_DIGITS(digits));
	/* What y sets going, and the way back, before anyone types it. */
	log_print(log, LOG_ERROR,
		  L"Windows PE checks the disk, keeps what undo needs on the Windows volume,\n");
	log_print(log, LOG_ERROR,
		  L"writes GPT, makes System Reserved the ESP, applies the Gen2 fix, shuts down.\n");
	log_print(log, LOG_ERROR,
		  L"win7gen2pe --convert DISK --undo on the host puts it back (README).\n");
	log_print(log, LOG_ERROR, L"Type y to convert it; any other key goes back to the menu.\n");
	key = wait_key(system_table);
	if (key.UnicodeChar != L'y' && key.UnicodeChar != L'Y') {
		log_print(log, LOG_ERROR, L"win7gen2: not confirmed; nothing changes. Back to the menu.\n");
		return FALSE;
	}
	log_print(log, LOG_ERROR, L"win7gen2: convert disk %d (MBR disk signature %a)\n", number,
		  SIGNATURE_DIGITS(digits));
	*signature = disk->mbr_signature;
	return TRUE;
}

enum menu_choice menu_choose(EFI_SYSTEM_TABLE *system_table, const struct config *config,
			     struct log *log, BOOLEAN installed,
			     const struct disk_survey *survey, BOOLEAN *install_confirmed,
			     UINT32 *convert_signature)
{
	struct menu_facts facts = {
		.installed = installed,
		.wipe_unattended = config->wipe_unattended,
		.configured_default = config->menu_default,
	};
	const CHAR16 *titles[ARRAY_SIZE(choice_titles)];
	enum menu_choice choice_of[ARRAY_SIZE(choice_titles)];
	struct menu_decision decision;
	enum menu_choice choice;
	UINTN count = 0;
	BOOLEAN by_key;

	log_print(log, LOG_ERROR, L"\n");
	if (survey) {
		disks_facts(survey, &facts);
		if (survey->count == 0 && survey->more == 0)
			log_print(log, LOG_ERROR, L"No fixed disk found.\n");
		disks_report(survey, log);
	} else {
		/* Nothing known about the disks: act as if one held data. */
		facts.disks = facts.disks_in_use = 1;
		log_print(log, LOG_ERROR, L"The disks could not be looked at.\n");
	}
	menu_default_decide(&facts, &decision);
	explain(log, &decision);
	for (UINTN c = 0; c < ARRAY_SIZE(choice_titles); c++) {
		if ((c == MENU_BOOT_INSTALLED && !installed) ||
		    (c == MENU_CONVERT && !decision.offer_convert))
			continue;
		titles[count] = choice_titles[c];
		choice_of[count++] = (enum menu_choice)c;
	}
	if (decision.offer_convert)
		log_print(log, LOG_ERROR,
			  L"A disk looks like a Generation 1 Windows disk: press %d to convert it to GPT.\n"
			  L"Convert never starts by itself.\n", count);
	for (;;) {
		/* The list keeps the enum's order, so the default's index is its value. */
		UINTN index = pick(system_table, log, titles, count, default_index(decision.choice),
				   decision.timeout ? config->menu_timeout : 0, &by_key);

		choice = choice_of[index];
		if (choice != MENU_CONVERT ||
		    choose_convert(system_table, log, survey, convert_signature))
			break;
	}
	*install_confirmed = choice == MENU_INSTALL &&
			     (by_key || decision.timeout_install_confirmed);
	return choice;
}

EFI_STATUS menu_set_convert_mode(UINT32 signature)
{
	EFI_GUID vendor = WIN7GEN2_VENDOR_GUID_INIT;
	char value[MENU_CONVERT_MODE_SIZE];

	menu_convert_mode(signature, value);
	/* Volatile, as menu_set_mode's: a reset forgets the choice. */
	return RT->SetVariable(WIDE(WIN7GEN2_MODE_VARIABLE), &vendor,
			       EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS,
			       MENU_CONVERT_MODE_SIZE - 1, value);
}

EFI_STATUS menu_set_mode(enum config_mode mode, BOOLEAN install_confirmed)
{
	EFI_GUID vendor = WIN7GEN2_VENDOR_GUID_INIT;
	const char *value = install_confirmed ? WIN7GEN2_MODE_INSTALL_CONFIRMED :
						WIN7GEN2_MODE_INSTALL;
	UINTN size = 0;

	if (mode == CONFIG_MODE_RESCUE)
		value = WIN7GEN2_MODE_RESCUE;
	else if (mode == CONFIG_MODE_CONTINUE)
		value = WIN7GEN2_MODE_CONTINUE;
	while (value[size])
		size++;
	/* Volatile (no NON_VOLATILE): it lives until the next reset. */
	return RT->SetVariable(WIDE(WIN7GEN2_MODE_VARIABLE), &vendor,
			       EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS,
			       size, (void *)value);
}
