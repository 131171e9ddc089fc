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
	return tap_done();
}
