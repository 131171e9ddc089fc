/*
 * arcname.h - Windows ARC device names, as the registry records them
 *
 * Control\FirmwareBootDevice and Control\SystemBootDevice hold names like
 * "multi(0)disk(0)rdisk(0)partition(2)": the disk in the firmware's
 * order (rdisk) and the partition on it, numbered from 1.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_ARCNAME_H
#define WIN7GEN2_FIX_ARCNAME_H

#include <stdbool.h>
#include <stddef.h>

#define ARC_NAME_MAX_COMPONENTS 8
#define ARC_NAME_MAX_TYPE 16      /* bytes including the NUL */
#define ARC_NAME_MAX_NUMBER 999999999UL
#define ARC_NAME_MAX_TEXT 160     /* bytes including the NUL */

struct arc_component {
	char type[ARC_NAME_MAX_TYPE]; /* "multi", "rdisk", ... as written */
	unsigned long number;
};

struct arc_name {
	unsigned count;
	struct arc_component component[ARC_NAME_MAX_COMPONENTS];
};

/* Accepts one or more type(number) components and nothing else: letters
 * for the type, decimal digits for the number.  False on anything else. */
bool arc_name_parse(const char *text, struct arc_name *name);

/* The component of that type (case-insensitive), or NULL. */
struct arc_component *arc_name_find(struct arc_name *name, const char *type);

/* False if it does not fit in size bytes. */
bool arc_name_format(const struct arc_name *name, char *buf, size_t size);

#endif
