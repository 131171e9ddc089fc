/*
 * menu.h - the ISO's boot menus and the mode handed to Windows PE
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MENU_H
#define WIN7GEN2_MENU_H

#include <efi.h>

#include "config.h"
#include "log.h"

/*
 * Show numbered choices and wait up to timeout seconds for a digit
 * (Enter takes the default).  A key that is no choice is ignored and the
 * clock keeps running: on a headless VM the default always comes.
 * Returns the index chosen, default_choice on timeout.
 */
UINTN menu_pick(EFI_SYSTEM_TABLE *system_table, struct log *log,
		const CHAR16 *const *titles, UINTN count, UINTN default_choice,
		unsigned timeout);

/* The ISO menu's choices: the modes Windows PE can be started in, and
 * booting a system this ISO already installed. */
enum menu_choice {
	MENU_INSTALL = CONFIG_MODE_INSTALL,
	MENU_RESCUE = CONFIG_MODE_RESCUE,
	MENU_CONTINUE = CONFIG_MODE_CONTINUE,
	MENU_BOOT_INSTALLED,
};

/*
 * Install / Rescue / Continue, with the settings' default and timeout;
 * with installed, also "boot the installed Windows 7", and that is then
 * the default whatever the settings say: an unattended restart must
 * never install over the system it just installed.
 */
enum menu_choice menu_choose(EFI_SYSTEM_TABLE *system_table, const struct config *config,
			     struct log *log, BOOLEAN installed);

/*
 * Record the choice for Windows PE in the volatile Win7Gen2Mode variable
 * (see win7gen2.h).  Every choice is written, "continue" too, so Windows
 * PE never mistakes "no variable" for a choice.
 */
EFI_STATUS menu_set_mode(enum config_mode mode);

#endif
