/*
 * arcname.c - Windows ARC device names, as the registry records them
 *
 * SPDX-License-Identifier: MIT
 */
#include "arcname.h"

#include <stdio.h>
#include <string.h>

#include "ascii.h"

bool arc_name_parse(const char *text, struct arc_name *name)
{
	const char *p = text;

	memset(name, 0, sizeof(*name));
	while (*p) {
		struct arc_component *c;
		size_t n = 0;
		unsigned long number = 0;
		bool digits = false;

		if (name->count == ARC_NAME_MAX_COMPONENTS)
			return false;
		c = &name->component[name->count];
		while (ascii_is_alpha(p[n])) {
			if (n + 1 == ARC_NAME_MAX_TYPE)
				return false;
			c->type[n] = p[n];
			n++;
		}
		if (n == 0 || p[n] != '(')
			return false;
		c->type[n] = '\0';
		p += n + 1;
		while (ascii_is_digit(*p)) {
			number = number * 10 + (unsigned long)(*p - '0');
			if (number > ARC_NAME_MAX_NUMBER)
				return false;
			digits = true;
			p++;
		}
		if (!digits || *p != ')')
			return false;
		p++;
		c->number = number;
		name->count++;
	}
	return name->count > 0;
}

struct arc_component *arc_name_find(struct arc_name *name, const char *type)
{
	for (unsigned i = 0; i < name->count; i++)
		if (ascii_casecmp(name->component[i].type, type) == 0)
			return &name->component[i];
	return NULL;
}

bool arc_name_format(const struct arc_name *name, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return false;
	buf[0] = '\0';
	for (unsigned i = 0; i < name->count; i++) {
		int n = snprintf(buf + used, size - used, "%s(%lu)",
				 name->component[i].type, name->component[i].number);

		if (n < 0 || (size_t)n >= size - used)
			return false;
		used += (size_t)n;
	}
	return true;
}
