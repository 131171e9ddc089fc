/*
 * package_list.c - packages.txt: the update packages to install, in order
 *
 * SPDX-License-Identifier: MIT
 */
#include "package_list.h"

static const char cab_suffix[] = ".cab";

const char *package_kind_word(enum package_kind kind)
{
	return kind == PACKAGE_SERVICING_STACK ? "servicing-stack" : "package";
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

bool package_name_valid(const char *name, size_t length)
{
	const size_t suffix = sizeof(cab_suffix) - 1;

	if (length <= suffix || length > PACKAGE_LIST_NAME_MAX || name[0] == '.')
		return false;
	for (size_t i = 0; i < length; i++)
		if (!name_char(name[i]))
			return false;
	for (size_t i = 0; i < suffix; i++)
		if (lower(name[length - suffix + i]) != cab_suffix[i])
			return false;
	return true;
}

static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower(*a) != lower(*b))
			return false;
	return *a == *b;
}

static bool words_equal(const char *text, size_t length, const char *word)
{
	size_t i = 0;

	for (; i < length && word[i]; i++)
		if (text[i] != word[i])
			return false;
	return i == length && !word[i];
}

static bool refuse(struct package_list_error *error, unsigned line, const char *why)
{
	error->line = line;
	error->why = why;
	return false;
}

bool package_list_add(struct package_list *list, enum package_kind kind, const char *name,
		      struct package_list_error *error)
{
	size_t length = 0;

	while (length <= PACKAGE_LIST_NAME_MAX && name[length])
		length++;
	if (!package_name_valid(name, length))
		return refuse(error, 0, "a package's file name must be 1 to 100 letters, digits, "
					"'.', '_' or '-' ending in \".cab\"");
	if (list->count == PACKAGE_LIST_MAX)
		return refuse(error, 0, "more than 64 packages");
	if (kind == PACKAGE_SERVICING_STACK && list->count &&
	    list->entry[list->count - 1].kind != PACKAGE_SERVICING_STACK)
		return refuse(error, 0, "a servicing stack update comes after a package: servicing "
					"stack updates must be installed first");
	for (unsigned i = 0; i < list->count; i++)
		if (same_name(list->entry[i].name, name))
			return refuse(error, 0, "the same file name is listed twice");

	struct package_entry *entry = &list->entry[list->count++];

	entry->kind = kind;
	for (size_t i = 0; i <= length; i++)
		entry->name[i] = name[i];
	return true;
}

/* One line without its end; false with error set. */
static bool parse_line(const char *line, size_t length, unsigned number, struct package_list *list,
		       struct package_list_error *error)
{
	char name[PACKAGE_LIST_NAME_MAX + 1];
	enum package_kind kind;
	size_t space = 0;

	while (space < length && line[space] != ' ')
		space++;
	if (space == length)
		return refuse(error, number, "a line must be a kind, one space and a file name");
	if (words_equal(line, space, package_kind_word(PACKAGE_SERVICING_STACK)))
		kind = PACKAGE_SERVICING_STACK;
	else if (words_equal(line, space, package_kind_word(PACKAGE_UPDATE)))
		kind = PACKAGE_UPDATE;
	else
		return refuse(error, number, "the kind must be \"servicing-stack\" or \"package\"");

	const char *name_start = line + space + 1;
	size_t name_length = length - space - 1;

	if (!package_name_valid(name_start, name_length))
		return refuse(error, number, "a package's file name must be 1 to 100 letters, "
					     "digits, '.', '_' or '-' ending in \".cab\"");
	for (size_t i = 0; i < name_length; i++)
		name[i] = name_start[i];
	name[name_length] = '\0';
	if (!package_list_add(list, kind, name, error)) {
		error->line = number;
		return false;
	}
	return true;
}

bool package_list_parse(const char *data, size_t size, struct package_list *list,
			struct package_list_error *error)
{
	unsigned number = 0;
	size_t at = 0;

	list->count = 0;
	if (size > PACKAGE_LIST_MAX_FILE)
		return refuse(error, 0, "the list is larger than 16 KiB");
	while (at < size) {
		size_t end = at;

		while (end < size && data[end] != '\n')
			end++;
		number++;

		size_t length = end - at;

		if (length && data[at + length - 1] == '\r')
			length--;
		for (size_t i = 0; i < length; i++) {
			unsigned char c = (unsigned char)data[at + i];

			if (c < 0x20 || c > 0x7e) {
				list->count = 0;
				return refuse(error, number, "the list holds a byte that is not "
							     "printable ASCII");
			}
		}
		if (length && data[at] != '#' && !parse_line(data + at, length, number, list, error)) {
			list->count = 0;
			return false;
		}
		at = end + 1;
	}
	return true;
}

/* Appends text; false when it does not fit (one byte stays for the NUL). */
static bool put(char *buf, size_t size, size_t *at, const char *text)
{
	for (; *text; text++) {
		if (*at + 1 >= size)
			return false;
		buf[(*at)++] = *text;
	}
	return true;
}

size_t package_list_format(const struct package_list *list, const char *writer, char *buf,
			   size_t size)
{
	size_t at = 0;
	bool fits = size > 0;

	fits = fits && put(buf, size, &at, "# written by ") && put(buf, size, &at, writer) &&
	       put(buf, size, &at, "; one package a line, in install order\r\n");
	for (unsigned i = 0; fits && i < list->count; i++)
		fits = put(buf, size, &at, package_kind_word(list->entry[i].kind)) &&
		       put(buf, size, &at, " ") && put(buf, size, &at, list->entry[i].name) &&
		       put(buf, size, &at, "\r\n");
	if (!fits) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	buf[at] = '\0';
	return at;
}
