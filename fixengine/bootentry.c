/*
 * bootentry.c - report win7gen2's own firmware boot entry
 *
 * win7gen2.efi keeps a Boot#### entry of its own, first in BootOrder,
 * starting WIN7GEN2_OWN_PATH (payload/bootentry.c): a Windows update
 * that writes a new boot manager over bootmgfw.efi cannot bypass it
 * then.  The payload makes and orders that entry itself at every boot;
 * the engine only says how things stand, where its backend can read the
 * VM's variables (backend.h: the agent in the VM's Windows PE).  Nothing
 * here is a change or a problem: whatever is missing, the payload puts
 * right at its next boot from the disk.
 *
 * Only the entries BootOrder lists are read: Windows 7 has no way to
 * list every variable, and an entry outside BootOrder is never booted.
 * The partition is not compared (the engine does not know the ESP's
 * GUID): an entry starting our file is taken for ours.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>

#include "bootopt.h"
#include "plan.h"
#include "win7gen2.h"

#define OPTION_NAME_MAX 16
#define DESCRIPTION_MAX 64
#define SUBJECT "firmware boot entry of win7gen2"

struct entry {
	bool found;
	uint16_t number;
	size_t position;   /* in BootOrder */
	bool active;
	char description[DESCRIPTION_MAX];
};

/* The option number of a BootOrder entry, and whether it is ours. */
static bool is_ours(struct fix_plan *plan, uint16_t number, struct entry *entry)
{
	struct fix_bytes bytes = { NULL, 0 };
	struct fix_error err;
	struct bootopt option;
	char name[OPTION_NAME_MAX];
	bool ours;

	snprintf(name, sizeof(name), "Boot%04X", (unsigned)number);
	if (plan->backend->read_boot_variable(plan->backend_ctx, name, &bytes, &err) != FIX_OK)
		return false;
	ours = bootopt_parse(bytes.data, bytes.size, &option) &&
	       bootopt_file_is(&option, WIN7GEN2_OWN_PATH);
	if (ours) {
		entry->active = (option.attributes & BOOTOPT_ACTIVE) != 0;
		bootopt_description(&option, entry->description, sizeof(entry->description));
	}
	free(bytes.data);
	return ours;
}

/* "Boot0001 "Windows Boot Manager"", for what comes before ours. */
static void describe(struct fix_plan *plan, uint16_t number, char *buf, size_t size)
{
	struct fix_bytes bytes = { NULL, 0 };
	struct fix_error err;
	struct bootopt option;
	char name[OPTION_NAME_MAX], description[DESCRIPTION_MAX] = "?";

	snprintf(name, sizeof(name), "Boot%04X", (unsigned)number);
	if (plan->backend->read_boot_variable(plan->backend_ctx, name, &bytes, &err) == FIX_OK &&
	    bootopt_parse(bytes.data, bytes.size, &option))
		bootopt_description(&option, description, sizeof(description));
	free(bytes.data);
	snprintf(buf, size, "%s \"%s\"", name, description);
}

void plan_boot_entry(struct fix_plan *plan)
{
	struct fix_bytes order = { NULL, 0 };
	struct fix_error err;
	struct fix_item *item;
	struct entry entry = { 0 };
	enum fix_status status;

	if (!plan->backend->read_boot_variable)
		return;
	status = plan->backend->read_boot_variable(plan->backend_ctx, "BootOrder", &order, &err);
	if (status == FIX_ERROR) {
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, SUBJECT);
		item_before(plan, item, "not checked: BootOrder cannot be read: %s", err.message);
		return;
	}
	for (size_t i = 0; i < order.size / 2 && !entry.found; i++) {
		uint16_t number = bootorder_at(order.data, i);

		if (is_ours(plan, number, &entry)) {
			entry.found = true;
			entry.number = number;
			entry.position = i;
		}
	}

	if (!entry.found) {
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, SUBJECT);
		item_before(plan, item, "none in BootOrder starts %s", WIN7GEN2_OWN_PATH);
		item_detail(plan, item, "win7gen2.efi makes it, first in BootOrder, at its next "
			    "boot from this disk");
	} else if (entry.position == 0 && entry.active) {
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_RIGHT, SUBJECT);
		item_before(plan, item, "Boot%04X \"%s\", first in BootOrder", entry.number,
			    entry.description);
	} else {
		char first[OPTION_NAME_MAX + DESCRIPTION_MAX + 4];

		describe(plan, bootorder_at(order.data, 0), first, sizeof(first));
		item = plan_add(plan, FIX_AREA_ESP, FIX_ITEM_NOTE, SUBJECT);
		if (entry.position == 0)
			item_before(plan, item, "Boot%04X \"%s\", first in BootOrder but switched "
				    "off", entry.number, entry.description);
		else
			item_before(plan, item, "Boot%04X \"%s\", number %lu in BootOrder, after %s",
				    entry.number, entry.description, (unsigned long)entry.position + 1, first);
		item_detail(plan, item, "win7gen2.efi puts it first again at its next boot from "
			    "this disk, keeping the others behind it");
	}
	free(order.data);
}
