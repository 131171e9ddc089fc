/*
 * icmum.c - the manifest of a Windows servicing package (update.mum)
 *
 * SPDX-License-Identifier: MIT
 */
#include "icmum.h"
#include "xmldata.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

bool icver_parse(const char *text, struct icver *version)
{
	const char *p = text;

	memset(version, 0, sizeof(*version));
	for (int i = 0; i < 4; i++) {
		unsigned long value = 0;
		int digits = 0;

		while (*p >= '0' && *p <= '9') {
			if (++digits > 5)
				return false;
			value = value * 10 + (unsigned long)(*p++ - '0');
		}
		if (digits == 0 || value > 65535)
			return false;
		version->part[i] = (uint16_t)value;
		if (i < 3 && *p++ != '.')
			return false;
	}
	return *p == '\0';
}

int icver_compare(const struct icver *a, const struct icver *b)
{
	for (int i = 0; i < 4; i++)
		if (a->part[i] != b->part[i])
			return a->part[i] < b->part[i] ? -1 : 1;
	return 0;
}

void icver_format(const struct icver *version, char text[ICVER_TEXT_MAX])
{
	snprintf(text, ICVER_TEXT_MAX, "%u.%u.%u.%u", (unsigned)version->part[0],
		 (unsigned)version->part[1], (unsigned)version->part[2],
		 (unsigned)version->part[3]);
}

/* ------------------------------------------------------------------ */

static bool is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, BAD_CAST name) == 0;
}

/* Package names: "Package_for_KB3063109", "Microsoft-Hyper-V-...". */
static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

/* processorArchitecture and language: "amd64", "neutral", "en-US", "*". */
static bool word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '*';
}

static bool hex_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool version_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.';
}

/*
 * An attribute's value into buf: 1 when present, not empty, shorter than
 * size and made of allowed characters only; 0 when absent; -1 otherwise
 * (buf is then "").
 */
static int attribute(xmlNode *node, const char *name, char *buf, size_t size,
		     bool (*allowed)(char))
{
	xmlChar *value = xmlGetProp(node, BAD_CAST name);
	size_t length;
	int rc = 1;

	buf[0] = '\0';
	if (!value)
		return 0;
	length = strlen((const char *)value);
	if (length == 0 || length >= size)
		rc = -1;
	for (size_t i = 0; rc == 1 && i < length; i++)
		if (!allowed((char)value[i]))
			rc = -1;
	if (rc == 1)
		memcpy(buf, value, length + 1);
	xmlFree(value);
	return rc;
}

static int package_identity(xmlNode *identity, struct icmum *mum, const char **why)
{
	char version[ICVER_TEXT_MAX];

	if (attribute(identity, "name", mum->name, sizeof(mum->name), name_char) != 1) {
		*why = "the manifest's package has no name, or one that is not a plain ASCII "
		       "name of at most 200 characters";
		return -1;
	}
	if (attribute(identity, "version", version, sizeof(version), version_char) != 1 ||
	    !icver_parse(version, &mum->package_version)) {
		*why = "the manifest's package has no version of the form a.b.c.d";
		return -1;
	}
	if (attribute(identity, "processorArchitecture", mum->arch, sizeof(mum->arch),
		      word_char) != 1) {
		*why = "the manifest's package names no processorArchitecture";
		return -1;
	}
	/* Optional, but when there they must be sane: an answer file or
	 * DISM may quote them. */
	if (attribute(identity, "language", mum->language, sizeof(mum->language),
		      word_char) < 0) {
		*why = "the manifest's package has an unreadable language";
		return -1;
	}
	if (attribute(identity, "publicKeyToken", mum->public_key_token,
		      sizeof(mum->public_key_token), hex_char) < 0 ||
	    (mum->public_key_token[0] && strlen(mum->public_key_token) != ICMUM_TOKEN_LENGTH)) {
		mum->public_key_token[0] = '\0';
		*why = "the manifest's package has a publicKeyToken that is not 16 hex digits";
		return -1;
	}
	return 0;
}

static bool names_hyper_v(xmlNode *identity)
{
	xmlChar *name = xmlGetProp(identity, BAD_CAST "name");
	bool found = false;

	for (size_t i = 0; name && name[i] && !found; i++)
		found = strncasecmp((const char *)name + i, "hyper-v", 7) == 0;
	xmlFree(name);
	return found;
}

/* The first <assemblyIdentity> of the first <parent> below node that has
 * one, depth first. */
static int scan_parent(xmlNode *node, unsigned depth, bool in_parent, struct icmum *mum,
		       const char **why)
{
	for (xmlNode *child = node->children; child && !mum->has_parent; child = child->next) {
		char version[ICVER_TEXT_MAX];

		if (child->type != XML_ELEMENT_NODE)
			continue;
		if (depth >= ICMUM_MAX_DEPTH) {
			*why = "the manifest is nested too deeply";
			return -1;
		}
		if (in_parent && is_element(child, "assemblyIdentity")) {
			if (attribute(child, "name", mum->parent_name, sizeof(mum->parent_name),
				      name_char) != 1 ||
			    attribute(child, "version", version, sizeof(version),
				      version_char) != 1 ||
			    !icver_parse(version, &mum->parent_version)) {
				*why = "the manifest's <parent> names no system: its identity "
				       "has no plain name or no version of the form a.b.c.d";
				return -1;
			}
			mum->has_parent = true;
			return 0;
		}
		if (scan_parent(child, depth + 1, in_parent || is_element(child, "parent"), mum,
				why) < 0)
			return -1;
	}
	return 0;
}

/* Every <assemblyIdentity> below node, <parent> left out. */
static int scan_package(xmlNode *node, unsigned depth, struct icmum *mum, const char **why)
{
	for (xmlNode *child = node->children; child; child = child->next) {
		char text[ICVER_TEXT_MAX];
		struct icver version;
		int found;

		if (child->type != XML_ELEMENT_NODE || is_element(child, "parent"))
			continue;
		if (depth >= ICMUM_MAX_DEPTH) {
			*why = "the manifest is nested too deeply";
			return -1;
		}
		if (is_element(child, "assemblyIdentity")) {
			mum->names_hyper_v = mum->names_hyper_v || names_hyper_v(child);
			found = attribute(child, "version", text, sizeof(text), version_char);
			if (found < 0 || (found == 1 && !icver_parse(text, &version))) {
				*why = "a component in the manifest has a version not of the "
				       "form a.b.c.d";
				return -1;
			}
			if (found == 1) {
				if (mum->components == 0 || icver_compare(&version, &mum->version) > 0)
					mum->version = version;
				if (mum->components < UINT_MAX)
					mum->components++;
			}
		}
		if (scan_package(child, depth + 1, mum, why) < 0)
			return -1;
	}
	return 0;
}

int icmum_parse(const uint8_t *data, size_t size, struct icmum *mum, const char **why)
{
	xmlNode *root, *identity = NULL;
	bool has_package = false;
	enum xmldata_refusal refusal;
	xmlDoc *doc;
	int rc = -1;

	memset(mum, 0, sizeof(*mum));
	if (size == 0 || size > ICMUM_MAX_SIZE) {
		*why = "the manifest is empty or larger than 4 MiB";
		return -1;
	}
	doc = xmldata_read(data, size, NULL, &refusal);
	if (!doc) {
		*why = refusal == XMLDATA_HAS_DTD ?
		       "the manifest has a document type declaration, which no package "
		       "manifest has" :
		       "the manifest is not well-formed XML";
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is_element(root, "assembly")) {
		*why = "the manifest is not a package manifest: its root is not <assembly>";
		goto out;
	}
	for (xmlNode *child = root->children; child; child = child->next) {
		if (!identity && is_element(child, "assemblyIdentity"))
			identity = child;
		has_package = has_package || is_element(child, "package");
	}
	if (!identity) {
		*why = "the manifest names no package: <assembly> has no <assemblyIdentity>";
		goto out;
	}
	if (!has_package) {
		*why = "the manifest describes a component, not a package: it has no <package>";
		goto out;
	}
	if (package_identity(identity, mum, why) < 0)
		goto out;
	mum->names_hyper_v = names_hyper_v(identity);
	for (xmlNode *child = root->children; child; child = child->next)
		if (is_element(child, "package") && (scan_package(child, 2, mum, why) < 0 ||
						     scan_parent(child, 2, false, mum, why) < 0))
			goto out;
	if (mum->components == 0)
		mum->version = mum->package_version;
	rc = 0;
out:
	if (rc < 0)
		memset(mum, 0, sizeof(*mum));
	xmlFreeDoc(doc);
	return rc;
}
