/*
 * menu.h - the ISO's boot menus and the mode handed to Windows PE
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MENU_H
#define WIN7GEN2_MENU_H

#include <efi.h>

#include "config.h"
#include "disks.h"
#include "log.h"

/*
 * Show numbered choices and wait up to timeout seconds for a digit
 * (Enter takes the default).  A key that is no choice is ignored and the
 * clock keeps running: on a headless VM the default always comes.
 * Returns the index chosen, default_choice on timeout.  (The ISO menu
 * may have no default: see menu_choose.)
 */
#define MENU_PICK_NO_DEFAULT ((UINTN)-1)
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
	MENU_CONVERT,         /* a Generation 1 disk to GPT, in Windows PE */
};

/*
 * Install / Rescue / Continue; with installed, also "boot the installed
 * Windows 7", and that is then the default whatever the settings say: an
 * unattended restart must never install over the system it just
 * installed.  Otherwise the default and whether it comes by itself
 * follow from the disks in survey (common/menu_default.h), which the
 * menu lists with the reason (survey NULL: nothing is known, as if a
 * disk held data).  *install_confirmed is TRUE when Install
 * was chosen with a key, or came by the timeout with wipe_unattended.
 * Where survey holds a Generation 1 disk, "Convert a Generation 1 disk"
 * comes last, never as the default: MENU_CONVERT is returned only after
 * a person chose the disk and typed "y", with its MBR disk signature in
 * *convert_signature; anything else goes back to the menu.
 */
enum menu_choice menu_choose(EFI_SYSTEM_TABLE *system_table, const struct config *config,
			     struct log *log, BOOLEAN installed,
			     const struct disk_survey *survey, BOOLEAN *install_confirmed,
			     UINT32 *convert_signature);

/*
 * Record the choice for Windows PE in the volatile Win7Gen2Mode variable
 * (see win7gen2.h).  Every choice is written, "continue" too, so Windows
 * PE never mistakes "no variable" for a choice.  Install is written as
 * "install-confirmed" when install_confirmed, else as "install".
 */
EFI_STATUS menu_set_mode(enum config_mode mode, BOOLEAN install_confirmed);

/* Record "convert:SSSSSSSS" (win7gen2.h) in the same volatile variable. */
EFI_STATUS menu_set_convert_mode(UINT32 signature);

#endif
