/*
 * menu.h - the ISO's boot menu and the mode it hands to Windows PE
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MENU_H
#define WIN7GEN2_MENU_H

#include <efi.h>

#include "config.h"
#include "log.h"

/*
 * Show Install / Rescue / Continue and wait up to config->menu_timeout
 * seconds; a key that is not a choice cancels nothing, it just is not
 * an answer.  Returns the choice (config->menu_default on timeout).
 */
enum config_mode menu_choose(EFI_SYSTEM_TABLE *system_table, const struct config *config,
			     struct log *log);

/*
 * Record the choice for Windows PE in the volatile Win7Gen2Mode variable
 * (see win7gen2.h).  Every choice is written, "continue" too, so Windows
 * PE never mistakes "no variable" for a choice.
 */
EFI_STATUS menu_set_mode(enum config_mode mode);

#endif
