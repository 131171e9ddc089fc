/*
 * menu_default.c - what the ISO menu may do when nobody answers
 *
 * SPDX-License-Identifier: MIT
 */
#include "menu_default.h"
#include "win7gen2.h"

_Static_assert(sizeof(WIN7GEN2_MODE_CONVERT ":") - 1 + WIN7GEN2_MODE_CONVERT_SIGNATURE_DIGITS + 1 ==
	       MENU_CONVERT_MODE_SIZE, "the convert mode value fits MENU_CONVERT_MODE_SIZE");

void menu_default_decide(const struct menu_facts *facts, struct menu_decision *decision)
{
	decision->timeout = true;
	decision->timeout_install_confirmed = false;
	decision->offer_convert = facts->gen1_disks > 0;
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

bool menu_gen1_disk(const struct partition_table *table, const enum volume_kind *kind,
		    uint32_t active_mask)
{
	unsigned count = table->count < PARTITION_TABLE_MAX ? table->count : PARTITION_TABLE_MAX;
	bool active_ntfs = false;
	unsigned ntfs = 0;

	if (table->scheme != PARTITION_SCHEME_MBR)
		return false;
	for (unsigned i = 0; i < count; i++) {
		if (kind[i] != VOLUME_NTFS)
			continue;
		ntfs++;
		if (active_mask & (UINT32_C(1) << i))
			active_ntfs = true;
	}
	return active_ntfs && ntfs >= 2;
}

void menu_convert_mode(uint32_t signature, char value[MENU_CONVERT_MODE_SIZE])
{
	static const char prefix[] = WIN7GEN2_MODE_CONVERT ":";
	static const char digits[] = "0123456789abcdef";
	unsigned n = 0;

	for (; prefix[n]; n++)
		value[n] = prefix[n];
	for (int shift = 28; shift >= 0; shift -= 4)
		value[n++] = digits[(signature >> shift) & 0xf];
	value[n] = 0;
}
