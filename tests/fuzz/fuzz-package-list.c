/*
 * fuzz-package-list.c - libFuzzer target for packages.txt
 *
 * The list comes from a DVD or a disk the agent finds.  Whatever it
 * holds, the reader stays inside it and hands back only entries the
 * rules allow: valid names, each once, servicing stacks first; what it
 * reads formats and reads back the same.  A refusal hands back none.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "package_list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[PACKAGE_LIST_MAX_FILE];
	struct package_list list, again;
	struct package_list_error error = { 0 };

	if (!package_list_parse((const char *)data, size, &list, &error)) {
		if (list.count || !error.why || !error.why[0])
			abort();
		return 0;
	}
	if (list.count > PACKAGE_LIST_MAX)
		abort();
	for (unsigned i = 0; i < list.count; i++) {
		size_t length = strnlen(list.entry[i].name, sizeof(list.entry[i].name));

		if (length == sizeof(list.entry[i].name) ||
		    !package_name_valid(list.entry[i].name, length) ||
		    (i && list.entry[i].kind == PACKAGE_SERVICING_STACK &&
		     list.entry[i - 1].kind != PACKAGE_SERVICING_STACK))
			abort();
	}

	size_t length = package_list_format(&list, "fuzz", text, sizeof(text));

	if (!length || !package_list_parse(text, length, &again, &error) || again.count != list.count)
		abort();
	for (unsigned i = 0; i < list.count; i++)
		if (again.entry[i].kind != list.entry[i].kind ||
		    strcmp(again.entry[i].name, list.entry[i].name) != 0)
			abort();
	return 0;
}
