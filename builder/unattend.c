/*
 * unattend.c - the answer file Windows Setup runs from
 *
 * SPDX-License-Identifier: MIT
 */
#include "unattend.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "password.h"
#include "langtag.h"
#include "textfmt.h"

#define MAX_SECTION_DEPTH 8

/* The value for a field name, or NULL for an unknown field. */
static const char *field_value(const struct unattend_settings *settings, const char *name,
			       size_t len, char *scratch, size_t scratch_size)
{
#define IS(field) (len == sizeof(field) - 1 && memcmp(name, field, len) == 0)
	if (IS("LOCALE"))
		return settings->locale;
	if (IS("SETUP_UI_LANGUAGE"))
		return settings->setup_ui_language ? settings->setup_ui_language : settings->locale;
	if (IS("UI_LANGUAGE"))
		return settings->ui_language ? settings->ui_language : settings->locale;
	if (IS("TIMEZONE"))
		return settings->timezone;
	if (IS("COMPUTER_NAME"))
		return settings->computer_name;
	if (IS("USER"))
		return settings->user;
	/* Never as plain text: encoded for the element that holds it
	 * (password.h), checked to be encodable by unattend_render. */
	if (IS("LOCAL_ACCOUNT_PASSWORD"))
		return scratch_size >= PASSWORD_ENCODED_SIZE &&
		       password_encode(settings->password, "Password", scratch) == 0 ?
		       scratch : NULL;
	if (IS("PRODUCT_KEY"))
		return settings->product_key ? settings->product_key : "";
	if (IS("DRIVER_PATH"))
		return settings->driver_path ? settings->driver_path : "";
	if (IS("IMAGE_INDEX")) {
		snprintf(scratch, scratch_size, "%u", settings->image_index);
		return scratch;
	}
#undef IS
	return NULL;
}

static bool section_enabled(const struct unattend_settings *settings, const char *name)
{
	if (strcmp(name, "drivers") == 0)
		return settings->driver_path != NULL;
	if (strcmp(name, "product_key") == 0)
		return settings->product_key != NULL;
	return false;
}

/* "<!--@if:NAME-->" or "<!--@end:NAME-->" alone on a line (blanks
 * around it allowed): the kind and NAME, else false. */
static bool marker(const char *line, size_t len, bool *is_end, char *name, size_t name_size)
{
	const char *end = line + len;
	size_t n;

	while (line < end && (*line == ' ' || *line == '\t'))
		line++;
	while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (end - line > 9 && memcmp(line, "<!--@if:", 8) == 0)
		*is_end = false, line += 8;
	else if (end - line > 10 && memcmp(line, "<!--@end:", 9) == 0)
		*is_end = true, line += 9;
	else
		return false;
	if (end - line < 4 || memcmp(end - 3, "-->", 3) != 0)
		return false;
	n = (size_t)(end - 3 - line);
	if (n == 0 || n >= name_size)
		return false;
	memcpy(name, line, n);
	name[n] = '\0';
	return true;
}

static int render_line(const char *line, size_t len, const struct unattend_settings *settings,
		       struct text *out, struct text *err)
{
	for (size_t i = 0; i < len; i++) {
		size_t j = i + 1;
		char scratch[PASSWORD_ENCODED_SIZE];
		const char *value;

		if (line[i] != '@') {
			text_append_bytes(out, line + i, 1);
			continue;
		}
		while (j < len && (isupper((unsigned char)line[j]) || line[j] == '_'))
			j++;
		/* "@FirewallAPI.dll,-28752" and the like are text, not fields. */
		if (j == i + 1 || j >= len || line[j] != '@') {
			text_append_bytes(out, line + i, 1);
			continue;
		}
		value = field_value(settings, line + i + 1, j - i - 1, scratch, sizeof(scratch));
		if (!value) {
			text_appendf(err, "the answer file template has an unknown field @%.*s@",
				     (int)(j - i - 1), line + i + 1);
			return -1;
		}
		if (!textfmt_xml(out, value)) {
			text_appendf(err, "the value for %.*s has a control character, which XML "
				     "cannot carry", (int)(j - i - 1), line + i + 1);
			return -1;
		}
		i = j;
	}
	return 0;
}

int unattend_render(const char *template_text, const struct unattend_settings *settings,
		    struct text *out, struct text *err)
{
	bool keep[MAX_SECTION_DEPTH + 1] = { true };
	char names[MAX_SECTION_DEPTH + 1][32];
	size_t depth = 0;
	const char *problem = password_check(settings->password);

	if (problem) {
		text_appendf(err, "the password cannot go into the answer file: %s", problem);
		return -1;
	}
	for (const char *line = template_text; *line;) {
		const char *newline = strchr(line, '\n');
		size_t len = newline ? (size_t)(newline - line) : strlen(line);
		char name[32];
		bool is_end;

		if (marker(line, len, &is_end, name, sizeof(name))) {
			if (!is_end) {
				if (depth == MAX_SECTION_DEPTH) {
					text_append(err, "the answer file template nests too deep");
					return -1;
				}
				depth++;
				keep[depth] = keep[depth - 1] && section_enabled(settings, name);
				strcpy(names[depth], name);
			} else {
				if (depth == 0 || strcmp(names[depth], name) != 0) {
					text_appendf(err, "the answer file template ends section "
						     "%s that it did not start", name);
					return -1;
				}
				depth--;
			}
		} else if (keep[depth]) {
			if (render_line(line, len, settings, out, err) < 0)
				return -1;
			if (newline)
				text_append(out, "\r\n"); /* Windows text */
		}
		line += len + (newline ? 1 : 0);
	}
	if (depth) {
		text_appendf(err, "the answer file template leaves section %s open", names[depth]);
		return -1;
	}
	if (text_failed(out)) {
		text_append(err, "out of memory");
		return -1;
	}
	return 0;
}

const char *unattend_check_text(const char *text)
{
	if (!*text)
		return "it is empty";
	if (strlen(text) > 256)
		return "it is longer than 256 characters";
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "it has a control character";
	return NULL;
}

const char *unattend_check_computer_name(const char *name)
{
	bool all_digits = true;
	size_t len = strlen(name);

	/* Windows: 1-15 characters, letters, digits and hyphens, not only
	 * digits (NetBIOS name rules). */
	if (len == 0 || len > 15)
		return "it must be 1 to 15 characters long";
	for (const char *p = name; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-')
			return "it may hold only letters A-Z, digits and hyphens";
		if (!isdigit((unsigned char)*p))
			all_digits = false;
	}
	if (all_digits)
		return "it may not be only digits";
	if (name[0] == '-' || name[len - 1] == '-')
		return "it may not start or end with a hyphen";
	return NULL;
}

const char *unattend_check_user(const char *user)
{
	size_t len = strlen(user);

	/* Windows user names: at most 20 characters, none of "/\[]:;|=,+*?<>
	 * and not only dots and spaces. */
	if (len == 0 || len > 20)
		return "it must be 1 to 20 characters long";
	if (strpbrk(user, "\"/\\[]:;|=,+*?<>@"))
		return "it may not hold any of \" / \\ [ ] : ; | = , + * ? < > @";
	if (strspn(user, ". ") == len)
		return "it may not be only dots and spaces";
	if (strcasecmp(user, "Administrator") == 0 || strcasecmp(user, "Guest") == 0)
		return "Windows already has a built-in account of that name";
	return unattend_check_text(user);
}

const char *unattend_check_product_key(const char *key)
{
	/* XXXXX-XXXXX-XXXXX-XXXXX-XXXXX */
	if (strlen(key) != 29)
		return "it must look like XXXXX-XXXXX-XXXXX-XXXXX-XXXXX";
	for (size_t i = 0; i < 29; i++) {
		if (i % 6 == 5 ? key[i] != '-' : !isalnum((unsigned char)key[i]))
			return "it must look like XXXXX-XXXXX-XXXXX-XXXXX-XXXXX";
	}
	return NULL;
}

const char *unattend_check_locale(const char *locale)
{
	char tag[LANGTAG_SIZE];

	return langtag_normalize(locale, strlen(locale), tag);
}

int unattend_check_file(const char *path, struct text *err)
{
	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
					      XML_PARSE_NOWARNING);
	xmlNode *root;
	int rc = -1;

	if (!doc) {
		const xmlError *error = xmlGetLastError();

		text_appendf(err, "%s is not well-formed XML", path);
		if (error && error->message)
			text_appendf(err, " (line %d: %.*s)", error->line,
				     (int)strcspn(error->message, "\n"), error->message);
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, BAD_CAST "unattend") != 0)
		text_appendf(err, "%s is XML but not an answer file: its root element is not "
			     "<unattend>", path);
	else
		rc = 0;
	xmlFreeDoc(doc);
	return rc;
}
