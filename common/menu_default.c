/*
 * menu_default.c - what the ISO menu may do when nobody answers
 *
 * SPDX-License-Identifier: MIT
 */
#include "menu_default.h"

void menu_default_decide(const struct menu_facts *facts, struct menu_decision *decision)
{
	decision->timeout = true;
	decision->timeout_install_confirmed = false;
	if (facts->installed) {
		/* As before: a restart after Setup boots what Setup wrote. */
		decision->choice = MENU_DEFAULT_BOOT_INSTALLED;
		decision->reason = MENU_REASON_INSTALLED;
	} else if (facts->configured_default == CONFIG_MODE_RESCUE) {
		decision->choice = MENU_DEFAULT_RESCUE;
		decision->reason = MENU_REASON_CONFIGURED;
	} else if (facts->configured_default == CONFIG_MODE_CONTINUE) {
		decision->choice = MENU_DEFAULT_CONTINUE;
		decision->reason = MENU_REASON_CONFIGURED;
	} else if (facts->wipe_unattended) {
		decision->choice = MENU_DEFAULT_INSTALL;
		decision->reason = MENU_REASON_WIPE_UNATTENDED;
		decision->timeout_install_confirmed = true;
	} else if (facts->disks_in_use == 0) {
		decision->choice = MENU_DEFAULT_INSTALL;
		decision->reason = MENU_REASON_DISKS_BLANK;
	} else if (facts->windows_found) {
		decision->choice = MENU_DEFAULT_RESCUE;
		decision->reason = MENU_REASON_WINDOWS_FOUND;
	} else {
		decision->choice = MENU_DEFAULT_NONE;
		decision->reason = MENU_REASON_DISKS_IN_USE;
		decision->timeout = false;
	}
}
