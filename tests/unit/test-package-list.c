/*
 * test-package-list.c - packages.txt, the order the agent installs in
 *
 * The agent installs exactly what the list names, in its order, with
 * every servicing stack update first and alone; a damaged list must be
 * refused whole, never half followed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "package_list.h"
#include "tap.h"

static bool parse(const char *text, struct package_list *list, struct package_list_error *error)
{
	return package_list_parse(text, strlen(text), list, error);
}

static void refused_bytes(const char *data, size_t size, unsigned line, const char *name)
{
	struct package_list list;
	struct package_list_error error = { 0 };

	bool ok = package_list_parse(data, size, &list, &error);

	tap_ok(!ok && list.count == 0 && error.line == line && error.why && error.why[0],
	       "refused, line %u: %s", line, name);
	if (ok || error.line != line)
		tap_diag("ok %d, line %u, why %s", ok, error.line, error.why ? error.why : "-");
}

static void refused(const char *text, unsigned line, const char *name)
{
	refused_bytes(text, strlen(text), line, name);
}

int main(void)
{
	struct package_list list, again;
	struct package_list_error error;
	char text[PACKAGE_LIST_MAX_FILE];

	tap_ok(parse("# a comment\r\n\r\nservicing-stack Windows6.1-KB4490628-x64.cab\r\n"
		     "package Windows6.1-KB4474419-v3-x64.CAB\n"
		     "package windows6.1-kb3125574-v4-x64_2dafb1d203c8964239af3048b5dd4b1264cd93b9.cab",
		     &list, &error) && list.count == 3,
	       "CRLF, LF, a comment, a blank line and no end on the last line");
	tap_ok(list.entry[0].kind == PACKAGE_SERVICING_STACK && list.entry[1].kind == PACKAGE_UPDATE &&
	       list.entry[2].kind == PACKAGE_UPDATE, "kinds in the list's order");
	tap_is_str(list.entry[1].name, "Windows6.1-KB4474419-v3-x64.CAB", "names kept as written");

	size_t length = package_list_format(&list, "win7gen2 build", text, sizeof(text));

	tap_ok(length > 0 && strncmp(text, "# written by win7gen2 build;", 28) == 0 &&
	       strstr(text, "\r\nservicing-stack Windows6.1-KB4490628-x64.cab\r\npackage ") != NULL,
	       "formatted with the writer's name and CRLF line ends");
	tap_ok(package_list_parse(text, length, &again, &error) && again.count == 3 &&
	       memcmp(&again.entry, &list.entry, sizeof(list.entry[0]) * 3) == 0,
	       "what is formatted reads back the same");
	tap_ok(package_list_format(&list, "win7gen2 build", text, 40) == 0 && text[0] == '\0',
	       "a buffer too small gives 0 and an empty string");

	tap_ok(parse("", &list, &error) && list.count == 0, "an empty list is a list of none");
	refused("package a.cab\nservicing-stack b.cab\n", 2, "a servicing stack after a package");
	refused("package a.cab\npackage A.CAB\n", 2, "the same name twice, other case");
	refused("package  a.cab\n", 1, "two spaces");
	refused("package a.msu\n", 1, "not a .cab");
	refused("package .cab\n", 1, "only the suffix");
	refused("package ../a.cab\n", 1, "a path");
	refused("package a\\b.cab\n", 1, "a backslash");
	refused("update a.cab\n", 1, "an unknown kind");
	refused("package\n", 1, "no name");
	refused("package a.cab\npackage b\xe9.cab\n", 2, "a byte outside ASCII");
	refused_bytes("package a.cab\0\n", 15, 1, "a NUL");

	char name[PACKAGE_LIST_NAME_MAX + 2];

	memset(name, 'a', sizeof(name));
	memcpy(name + PACKAGE_LIST_NAME_MAX - 4, ".cab", 5);
	tap_ok(package_name_valid(name, strlen(name)), "a name of exactly 100 characters");
	memset(name, 'a', sizeof(name));
	memcpy(name + PACKAGE_LIST_NAME_MAX - 3, ".cab", 5);
	tap_ok(!package_name_valid(name, strlen(name)), "a name of 101 characters is refused");

	struct package_list full = { 0 };
	bool added = true;

	for (unsigned i = 0; i < PACKAGE_LIST_MAX && added; i++) {
		char n[16];

		n[0] = (char)('a' + i / 26);
		n[1] = (char)('a' + i % 26);
		memcpy(n + 2, ".cab", 5);
		added = package_list_add(&full, PACKAGE_UPDATE, n, &error);
	}
	tap_ok(added && full.count == PACKAGE_LIST_MAX, "64 packages fit");
	tap_ok(!package_list_add(&full, PACKAGE_UPDATE, "zz.cab", &error) &&
	       full.count == PACKAGE_LIST_MAX, "a 65th is refused");

	static char big[PACKAGE_LIST_MAX_FILE + 2];

	memset(big, '#', sizeof(big));
	tap_ok(!package_list_parse(big, sizeof(big), &list, &error) && error.line == 0,
	       "a list over 16 KiB is refused");
	return tap_done();
}
