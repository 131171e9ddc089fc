/*
 * hive.c - questions the builder asks a SYSTEM registry hive (hivex)
 *
 * SPDX-License-Identifier: MIT
 */
#include "hive.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hivex.h>

int hive_has_service(const char *hive_path, const char *name, bool *present, struct text *err)
{
	hive_h *hive = hivex_open(hive_path, 0);
	hive_node_h select, set, services;
	hive_value_h current_value;
	int32_t current;
	char set_name[32];
	int rc = -1;

	*present = false;
	if (!hive) {
		text_appendf(err, "cannot open the SYSTEM hive: %s", strerror(errno));
		return -1;
	}
	select = hivex_node_get_child(hive, hivex_root(hive), "Select");
	current_value = select ? hivex_node_get_value(hive, select, "Current") : 0;
	if (!current_value) {
		text_append(err, "the SYSTEM hive has no Select\\Current value");
		goto out;
	}
	errno = 0;
	current = hivex_value_dword(hive, current_value);
	if (errno || current < 1 || current > 999) {
		text_append(err, "the SYSTEM hive's Select\\Current is not a control set number");
		goto out;
	}
	snprintf(set_name, sizeof(set_name), "ControlSet%03d", (int)current);
	set = hivex_node_get_child(hive, hivex_root(hive), set_name);
	services = set ? hivex_node_get_child(hive, set, "Services") : 0;
	if (!services) {
		text_appendf(err, "the SYSTEM hive has no %s\\Services key", set_name);
		goto out;
	}
	*present = hivex_node_get_child(hive, services, name) != 0;
	rc = 0;
out:
	hivex_close(hive);
	return rc;
}
