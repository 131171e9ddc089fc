/*
 * wimxml.c - a WIM's header and its XML image descriptions, from raw bytes
 *
 * Header layout (all little-endian), as wimlib's wim_header_disk:
 *     0  magic "MSWIM\0\0\0"       48  blob table resource header (24)
 *     8  header size (208)          72  XML data resource header (24)
 *    12  version                    96  boot metadata resource header
 *    16  flags                     120  boot index
 *    20  chunk size                124  integrity table resource header
 *    24  GUID (16)                 148  unused (60)
 *    40  part number, 42 total parts, 44 image count
 * A resource header is 7 bytes of stored size, 1 byte of flags, 8 bytes
 * of offset, 8 bytes of original size.
 *
 * SPDX-License-Identifier: MIT
 */
#include "wimxml.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "byteorder.h"
#include "xmldata.h"

#define RESHDR_FLAG_COMPRESSED 0x04

int wim_header_parse(const uint8_t *data, size_t size, uint64_t file_size,
		     struct wim_header_info *info, const char **why)
{
	const uint8_t *xml_reshdr;
	uint64_t stored, original;

	memset(info, 0, sizeof(*info));
	if (size < WIM_HEADER_SIZE || file_size < WIM_HEADER_SIZE) {
		*why = "too short for a WIM header";
		return -1;
	}
	if (memcmp(data, "WLPWM\0\0\0", 8) == 0) {
		*why = "a pipable WIM, which Windows Setup cannot use";
		return -1;
	}
	if (memcmp(data, "MSWIM\0\0\0", 8) != 0) {
		*why = "no WIM magic at its start";
		return -1;
	}
	if (get_le(data + 8, 4) != WIM_HEADER_SIZE) {
		*why = "its header size is not 208";
		return -1;
	}
	info->part_number = (uint16_t)get_le(data + 40, 2);
	info->total_parts = (uint16_t)get_le(data + 42, 2);
	info->image_count = (uint32_t)get_le(data + 44, 4);
	info->boot_index = (uint32_t)get_le(data + 120, 4);
	if (info->total_parts != 1 || info->part_number != 1) {
		*why = "a split WIM (.swm part); only whole WIMs are read";
		return -1;
	}
	if (info->image_count == 0 || info->image_count > 1000) {
		*why = "its image count is 0 or absurd";
		return -1;
	}
	if (info->boot_index > info->image_count) {
		*why = "its boot index is past its last image";
		return -1;
	}
	xml_reshdr = data + 72;
	stored = get_le(xml_reshdr, 7);
	original = get_le(xml_reshdr + 16, 8);
	info->xml_offset = get_le(xml_reshdr + 8, 8);
	if (xml_reshdr[7] & RESHDR_FLAG_COMPRESSED) {
		*why = "its XML data is marked compressed, which no WIM writer does";
		return -1;
	}
	if (stored != original) {
		*why = "its XML data has two different sizes";
		return -1;
	}
	if (stored < 2 || stored % 2 || stored > WIM_XML_MAX_SIZE) {
		*why = "its XML data size is not that of UTF-16 text of a sane length";
		return -1;
	}
	if (info->xml_offset < WIM_HEADER_SIZE || info->xml_offset > file_size ||
	    stored > file_size - info->xml_offset) {
		*why = "its XML data lies outside the file";
		return -1;
	}
	info->xml_size = stored;
	return 0;
}

/* The text of a child element, or NULL. */
static xmlNode *child(xmlNode *parent, const char *name)
{
	for (xmlNode *node = parent ? parent->children : NULL; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, BAD_CAST name) == 0)
			return node;
	return NULL;
}

static char *text_of(xmlNode *node)
{
	xmlChar *content;
	char *copy;

	if (!node)
		return NULL;
	content = xmlNodeGetContent(node);
	if (!content)
		return NULL;
	copy = strdup((const char *)content);
	xmlFree(content);
	return copy;
}

/* A decimal number of at most 10 digits in an element; false if absent
 * or not a number. */
static bool number_of(xmlNode *node, unsigned *value)
{
	char *text = text_of(node), *end;
	const char *p;
	unsigned long parsed;
	bool ok = false;

	if (!text)
		return false;
	for (p = text; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
		;
	if (*p >= '0' && *p <= '9' && strlen(p) <= 16) {
		errno = 0;
		parsed = strtoul(p, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
			end++;
		if (!errno && !*end && parsed <= UINT_MAX) {
			*value = (unsigned)parsed;
			ok = true;
		}
	}
	free(text);
	return ok;
}

/* false when out of memory: an image must not lose its languages
 * quietly, or the answer file would name one it lacks. */
static bool parse_languages(xmlNode *languages, struct wim_image_meta *image)
{
	unsigned count = 0;

	for (xmlNode *node = languages ? languages->children : NULL; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(node->name, BAD_CAST "LANGUAGE") == 0 && count < WIM_MAX_LANGUAGES)
			count++;
	image->default_language = text_of(child(languages, "DEFAULT"));
	if (!count)
		return true;
	image->languages = calloc(count, sizeof(image->languages[0]));
	if (!image->languages)
		return false;
	for (xmlNode *node = languages->children; node && image->language_count < count;
	     node = node->next) {
		char *tag;

		if (node->type != XML_ELEMENT_NODE || xmlStrcmp(node->name, BAD_CAST "LANGUAGE") != 0)
			continue;
		tag = text_of(node);
		if (!tag)
			return false;
		image->languages[image->language_count++] = tag;
	}
	return true;
}

static bool parse_image(xmlNode *node, struct wim_image_meta *image)
{
	xmlNode *windows = child(node, "WINDOWS");
	xmlNode *version = child(windows, "VERSION");
	unsigned arch;

	image->arch = -1;
	image->name = text_of(child(node, "NAME"));
	image->display_name = text_of(child(node, "DISPLAYNAME"));
	image->flags = text_of(child(node, "FLAGS"));
	image->edition_id = text_of(child(windows, "EDITIONID"));
	image->installation_type = text_of(child(windows, "INSTALLATIONTYPE"));
	if (number_of(child(windows, "ARCH"), &arch) && arch <= INT_MAX)
		image->arch = (int)arch;
	if (version && number_of(child(version, "MAJOR"), &image->major) &&
	    number_of(child(version, "MINOR"), &image->minor)) {
		image->has_version = true;
		if (!number_of(child(version, "BUILD"), &image->build))
			image->build = 0;
		if (!number_of(child(version, "SPBUILD"), &image->sp_build))
			image->sp_build = 0;
		if (!number_of(child(version, "SPLEVEL"), &image->sp_level))
			image->sp_level = 0;
	}
	return parse_languages(child(windows, "LANGUAGES"), image);
}

static int index_of(xmlNode *node, unsigned *index)
{
	xmlChar *attr = xmlGetProp(node, BAD_CAST "INDEX");
	char *end;
	unsigned long value;
	int rc = -1;

	if (!attr)
		return -1;
	errno = 0;
	if (attr[0] >= '1' && attr[0] <= '9' && xmlStrlen(attr) <= 6) {
		value = strtoul((const char *)attr, &end, 10);
		if (!errno && !*end && value >= 1) {
			*index = (unsigned)value;
			rc = 0;
		}
	}
	xmlFree(attr);
	return rc;
}

int wim_xml_parse(const uint8_t *xml, size_t size, struct wim_meta *meta, const char **why)
{
	bool has_bom = size >= 2 && xml[0] == 0xff && xml[1] == 0xfe;
	enum xmldata_refusal refusal;
	xmlDoc *doc;
	xmlNode *root, *node;
	unsigned count = 0;
	int rc = -1;

	memset(meta, 0, sizeof(*meta));
	if (size < 2 || size > WIM_XML_MAX_SIZE || size % 2) {
		*why = "the XML data is not UTF-16 text of a sane length";
		return -1;
	}
	doc = xmldata_read(xml, size, has_bom ? NULL : "UTF-16LE", &refusal);
	if (!doc) {
		*why = refusal == XMLDATA_HAS_DTD ?
		       "the XML data has a document type declaration, which no WIM has" :
		       "the XML data is not well-formed";
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, BAD_CAST "WIM") != 0) {
		*why = "the XML data has no WIM element";
		goto out;
	}
	for (node = root->children; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, BAD_CAST "IMAGE") == 0)
			count++;
	if (count == 0 || count > 1000) {
		*why = "the XML data describes no images, or too many";
		goto out;
	}
	meta->images = calloc(count, sizeof(meta->images[0]));
	if (!meta->images) {
		*why = "out of memory";
		goto out;
	}
	meta->count = count;
	for (node = root->children; node; node = node->next) {
		unsigned index;
		struct wim_image_meta *image;

		if (node->type != XML_ELEMENT_NODE || xmlStrcmp(node->name, BAD_CAST "IMAGE") != 0)
			continue;
		if (index_of(node, &index) < 0 || index > count) {
			*why = "an IMAGE has no INDEX, or one past the image count";
			goto out;
		}
		image = &meta->images[index - 1];
		if (image->index) {
			*why = "two IMAGE elements have the same INDEX";
			goto out;
		}
		image->index = index;
		if (!parse_image(node, image)) {
			*why = "out of memory";
			goto out;
		}
	}
	rc = 0;
out:
	if (rc < 0)
		wim_meta_free(meta);
	xmlFreeDoc(doc);
	return rc;
}

static void image_meta_clear(struct wim_image_meta *image)
{
	free(image->name);
	free(image->display_name);
	free(image->edition_id);
	free(image->flags);
	free(image->installation_type);
	for (unsigned i = 0; i < image->language_count; i++)
		free(image->languages[i]);
	free(image->languages);
	free(image->default_language);
	memset(image, 0, sizeof(*image));
	image->arch = -1;
}

void wim_meta_free(struct wim_meta *meta)
{
	for (unsigned i = 0; i < meta->count; i++)
		image_meta_clear(&meta->images[i]);
	free(meta->images);
	meta->images = NULL;
	meta->count = 0;
}

const char *wim_arch_name(int arch, char *scratch, size_t scratch_size)
{
	switch (arch) {
	case WIM_ARCH_X86: return "x86";
	case WIM_ARCH_X64: return "x64";
	case WIM_ARCH_IA64: return "ia64";
	case WIM_ARCH_ARM: return "arm";
	case WIM_ARCH_ARM64: return "arm64";
	case -1: return "unknown";
	default:
		snprintf(scratch, scratch_size, "unknown (%d)", arch);
		return scratch;
	}
}
