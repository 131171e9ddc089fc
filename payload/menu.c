/*
 * menu.c - the ISO's boot menu and the mode it hands to Windows PE
 *
 * On the console of a Gen2 VM nobody may be watching: the menu always
 * falls through to its default, and the default (install) is what an
 * unattended install needs.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

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
};

UINTN menu_pick(EFI_SYSTEM_TABLE *system_table, struct log *log,
		const CHAR16 *const *titles, UINTN count, UINTN default_choice,
		unsigned timeout)
{
	unsigned remaining = timeout;
	EFI_INPUT_KEY key;

	log_print(log, LOG_ERROR, L"\n");
	for (UINTN i = 0; i < count; i++)
		log_print(log, LOG_ERROR, L"  %d. %s%s\n", i + 1, titles[i],
			  i == default_choice ? L"  (default)" : L"");
	log_print(log, LOG_ERROR, L"\nChoose 1-%d; \"%s\" starts in %d s.\n",
		  count, titles[default_choice], remaining);

	/* One second at a time, so a stray key does not restart the clock. */
	while (remaining > 0) {
		if (input_wait_key(system_table, 1, &key) != EFI_SUCCESS) {
			remaining--;
			continue;
		}
		if (key.UnicodeChar == CHAR_CARRIAGE_RETURN)
			break;
		if (key.UnicodeChar >= L'1' && key.UnicodeChar < L'1' + count) {
			default_choice = key.UnicodeChar - L'1';
			break;
		}
	}
	log_print(log, LOG_ERROR, L"win7gen2: %s\n", titles[default_choice]);
	return default_choice;
}

enum menu_choice menu_choose(EFI_SYSTEM_TABLE *system_table, const struct config *config,
			     struct log *log, BOOLEAN installed)
{
	UINTN count = installed ? ARRAY_SIZE(choice_titles) : MENU_BOOT_INSTALLED;
	UINTN fallback = installed ? MENU_BOOT_INSTALLED : (UINTN)config->menu_default;

	return (enum menu_choice)menu_pick(system_table, log, choice_titles, count, fallback,
					   config->menu_timeout);
}

EFI_STATUS menu_set_mode(enum config_mode mode)
{
	EFI_GUID vendor = WIN7GEN2_VENDOR_GUID_INIT;
	const char *value = WIN7GEN2_MODE_INSTALL;
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
