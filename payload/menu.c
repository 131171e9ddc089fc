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

static const CHAR16 *const mode_titles[] = {
	[CONFIG_MODE_INSTALL] = L"Install Windows 7",
	[CONFIG_MODE_RESCUE] = L"Rescue an installed system",
	[CONFIG_MODE_CONTINUE] = L"Continue to Windows Setup unchanged",
};

static BOOLEAN key_to_mode(const EFI_INPUT_KEY *key, enum config_mode fallback,
			   enum config_mode *mode)
{
	switch (key->UnicodeChar) {
	case L'1': case L'i': case L'I':
		*mode = CONFIG_MODE_INSTALL;
		return TRUE;
	case L'2': case L'r': case L'R':
		*mode = CONFIG_MODE_RESCUE;
		return TRUE;
	case L'3': case L'c': case L'C':
		*mode = CONFIG_MODE_CONTINUE;
		return TRUE;
	case CHAR_CARRIAGE_RETURN:
		*mode = fallback;
		return TRUE;
	}
	return FALSE;
}

enum config_mode menu_choose(EFI_SYSTEM_TABLE *system_table, const struct config *config,
			     struct log *log)
{
	enum config_mode choice = config->menu_default;
	unsigned remaining = config->menu_timeout;
	EFI_INPUT_KEY key;

	log_print(log, LOG_ERROR, L"\n");
	for (unsigned mode = CONFIG_MODE_INSTALL; mode <= CONFIG_MODE_CONTINUE; mode++)
		log_print(log, LOG_ERROR, L"  %d. %s%s\n", mode + 1, mode_titles[mode],
			  mode == config->menu_default ? L"  (default)" : L"");
	log_print(log, LOG_ERROR, L"\nChoose 1-3; \"%s\" starts in %d s.\n",
		  mode_titles[config->menu_default], remaining);

	/* One second at a time, so a stray key does not restart the clock. */
	while (remaining > 0) {
		if (input_wait_key(system_table, 1, &key) == EFI_SUCCESS) {
			if (key_to_mode(&key, config->menu_default, &choice))
				break;
			continue;
		}
		remaining--;
	}
	log_print(log, LOG_ERROR, L"win7gen2: %s\n", mode_titles[choice]);
	return choice;
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
