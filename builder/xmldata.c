/*
 * xmldata.c - XML from the user's files, read as data and nothing more
 *
 * SPDX-License-Identifier: MIT
 */
#include "xmldata.h"

#include <limits.h>

#include <libxml/parser.h>

/* libxml2 prints some encoding errors on stderr despite XML_PARSE_NOERROR. */
static void discard_libxml2_message(void *ctx, const char *message, ...)
{
	(void)ctx;
	(void)message;
}

xmlDoc *xmldata_read(const uint8_t *data, size_t size, const char *encoding,
		     enum xmldata_refusal *refusal)
{
	xmlDoc *doc;

	*refusal = XMLDATA_MALFORMED;
	if (size > INT_MAX)
		return NULL;
	xmlSetGenericErrorFunc(NULL, discard_libxml2_message);
	/* No XML_PARSE_NOENT or XML_PARSE_DTDLOAD: entities stay references,
	 * no DTD is fetched; NONET forbids the network besides. */
	doc = xmlReadMemory((const char *)data, (int)size, NULL, encoding,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return NULL;
	if (doc->intSubset || doc->extSubset) {
		*refusal = XMLDATA_HAS_DTD;
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}
