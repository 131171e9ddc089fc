/*
 * test-menu-default.c - what the ISO menu does when nobody answers
 *
 * The decision table of issue "do no harm": Install comes by itself only
 * over blank disks, or when the ISO was built to wipe unattended.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "menu_default.h"
#include "size_text.h"
#include "tap.h"

struct row {
	const char *name;
	struct menu_facts facts;
	enum menu_default_choice choice;
	bool timeout;
	bool confirmed;
};

#define INSTALL CONFIG_MODE_INSTALL

static const struct row rows[] = {
	{ "no disk at all: Install by itself, unconfirmed",
	  { .disks = 0, .configured_default = INSTALL }, MENU_DEFAULT_INSTALL, true, false },
	{ "two blank disks: Install by itself, unconfirmed",
	  { .disks = 2, .configured_default = INSTALL }, MENU_DEFAULT_INSTALL, true, false },
	{ "a disk with data, no Windows: no default, no timeout",
	  { .disks = 1, .disks_in_use = 1, .configured_default = INSTALL },
	  MENU_DEFAULT_NONE, false, false },
	{ "a blank disk 0 but data on disk 1: still no default",
	  { .disks = 2, .disks_in_use = 1, .configured_default = INSTALL },
	  MENU_DEFAULT_NONE, false, false },
	{ "a Windows on a disk: Rescue by itself",
	  { .disks = 1, .disks_in_use = 1, .windows_found = true, .configured_default = INSTALL },
	  MENU_DEFAULT_RESCUE, true, false },
	{ "wipe_unattended over a data disk: Install by itself, confirmed",
	  { .disks = 1, .disks_in_use = 1, .wipe_unattended = true, .configured_default = INSTALL },
	  MENU_DEFAULT_INSTALL, true, true },
	{ "wipe_unattended over a Windows: Install by itself, confirmed",
	  { .disks = 1, .disks_in_use = 1, .windows_found = true, .wipe_unattended = true,
	    .configured_default = INSTALL }, MENU_DEFAULT_INSTALL, true, true },
	{ "wipe_unattended over blank disks: confirmed too",
	  { .disks = 1, .wipe_unattended = true, .configured_default = INSTALL },
	  MENU_DEFAULT_INSTALL, true, true },
	{ "the system win7gen2 installed boots, as before",
	  { .installed = true, .disks = 1, .disks_in_use = 1, .windows_found = true,
	    .configured_default = INSTALL }, MENU_DEFAULT_BOOT_INSTALLED, true, false },
	{ "the installed system wins over wipe_unattended",
	  { .installed = true, .disks = 1, .disks_in_use = 1, .windows_found = true,
	    .wipe_unattended = true, .configured_default = INSTALL },
	  MENU_DEFAULT_BOOT_INSTALLED, true, false },
	{ "menu_default = rescue wipes nothing: kept, over data",
	  { .disks = 1, .disks_in_use = 1, .configured_default = CONFIG_MODE_RESCUE },
	  MENU_DEFAULT_RESCUE, true, false },
	{ "menu_default = continue wipes nothing: kept, over data",
	  { .disks = 1, .disks_in_use = 1, .configured_default = CONFIG_MODE_CONTINUE },
	  MENU_DEFAULT_CONTINUE, true, false },
};

static void test_sizes(void)
{
	static const struct {
		uint64_t bytes;
		const char *text;
	} sizes[] = {
		{ 0, "0 bytes" },
		{ 512, "512 bytes" },
		{ 100ull << 20, "100 MiB" },
		{ 64ull << 30, "64 GiB" },
		{ (64ull << 30) - (100ull << 20), "63.9 GiB" },
		{ (1ull << 30) + 1, "1 GiB" },
		{ 1536ull << 20, "1.5 GiB" },
		{ 127ull << 30, "127 GiB" },
		{ (2ull << 40) - 1, "1.9 TiB" },
		{ UINT64_MAX, "15.9 EiB" },
	};
	char text[SIZE_TEXT_MAX], small[4];

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_text(sizes[i].bytes, text, sizeof(text));
		if (!tap_ok(strcmp(text, sizes[i].text) == 0, "%s", sizes[i].text))
			tap_diag("got \"%s\"", text);
	}
	size_text(64ull << 30, small, sizeof(small));
	tap_ok(strcmp(small, "64 ") == 0, "a short buffer is cut, NUL-terminated");
}

/*
 * A Generation 1 disk on the VM adds Convert to the menu and changes
 * nothing else: over every combination of the other facts, the default,
 * its reason and whether it comes by itself stay as they were.
 */
static void test_convert_never_default(void)
{
	static const enum config_mode modes[] = { CONFIG_MODE_INSTALL, CONFIG_MODE_RESCUE,
						  CONFIG_MODE_CONTINUE };
	unsigned combinations = 0, unchanged = 0, offered = 0;

	for (unsigned bits = 0; bits < 32; bits++)
		for (unsigned m = 0; m < 3; m++) {
			struct menu_facts facts = {
				.installed = bits & 1,
				.disks = 2 + ((bits >> 1) & 1),
				.windows_found = (bits >> 3) & 1,
				.wipe_unattended = (bits >> 4) & 1,
				.configured_default = modes[m],
			};
			struct menu_decision without, with;

			/* A Generation 1 disk holds data: compare like with like. */
			facts.disks_in_use = 1 + ((bits >> 2) & 1);
			menu_default_decide(&facts, &without);
			facts.gen1_disks = 1;
			menu_default_decide(&facts, &with);
			combinations++;
			if (with.choice == without.choice && with.reason == without.reason &&
			    with.timeout == without.timeout &&
			    with.timeout_install_confirmed == without.timeout_install_confirmed)
				unchanged++;
			if (with.offer_convert && !without.offer_convert)
				offered++;
		}
	tap_ok(offered == combinations, "a Generation 1 disk is offered for conversion");
	tap_ok(unchanged == combinations,
	       "Convert changes neither the default nor the timeout (%u cases)", combinations);
}

/* One MBR disk as Windows 7 Setup lays it out, changed one fact at a time. */
static void test_gen1_disk(void)
{
	struct partition_table table = {
		.scheme = PARTITION_SCHEME_MBR,
		.count = 2,
		.partition = { { .first_lba = 2048, .blocks = 204800, .mbr_type = 0x07 },
			       { .first_lba = 206848, .blocks = 1 << 20, .mbr_type = 0x07 } },
	};
	enum volume_kind kind[PARTITION_TABLE_MAX] = { VOLUME_NTFS, VOLUME_NTFS };

	tap_ok(menu_gen1_disk(&table, kind, 1), "System Reserved active, Windows after it");
	tap_ok(menu_gen1_disk(&table, kind, 2), "Windows active, another NTFS in front");
	tap_ok(!menu_gen1_disk(&table, kind, 0), "no active partition: not offered");
	kind[1] = VOLUME_FAT32;
	tap_ok(!menu_gen1_disk(&table, kind, 1), "only one NTFS partition: not offered");
	kind[1] = VOLUME_NTFS;
	kind[0] = VOLUME_UNKNOWN; /* BitLocker's boot sector is no NTFS one */
	tap_ok(!menu_gen1_disk(&table, kind, 1), "the active partition not NTFS: not offered");
	kind[0] = VOLUME_NTFS;
	table.scheme = PARTITION_SCHEME_GPT;
	tap_ok(!menu_gen1_disk(&table, kind, 1), "a GPT disk: not offered");
	table.scheme = PARTITION_SCHEME_MBR;
	table.count = 1;
	tap_ok(!menu_gen1_disk(&table, kind, 1), "one partition: not offered");
}

static void test_convert_mode(void)
{
	char value[MENU_CONVERT_MODE_SIZE];

	menu_convert_mode(0x0a1b2c3d, value);
	tap_ok(strcmp(value, "convert:0a1b2c3d") == 0, "leading zero and lower case: %s", value);
	menu_convert_mode(0xffffffff, value);
	tap_ok(strcmp(value, "convert:ffffffff") == 0, "all digits: %s", value);
}

int main(void)
{
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct menu_decision decision;

		menu_default_decide(&rows[i].facts, &decision);
		tap_ok(decision.choice == rows[i].choice && decision.timeout == rows[i].timeout &&
		       decision.timeout_install_confirmed == rows[i].confirmed,
		       "%s", rows[i].name);
		if (decision.choice != rows[i].choice || decision.timeout != rows[i].timeout)
			tap_diag("got choice %d timeout %d confirmed %d", decision.choice,
				 decision.timeout, decision.timeout_install_confirmed);
	}
	test_sizes();
	test_convert_never_default();
	test_gen1_disk();
	test_convert_mode();
	return tap_done();
}
