/*
 * xmldata.h - XML from the user's files, read as data and nothing more
 *
 * A WIM's XML and a package's update.mum come from files win7gen2 did
 * not make.  libxml2 reads them without network, DTD loading or entity
 * expansion, and a document that carries a document type declaration
 * anyway is refused: neither format has one, so one could only be there
 * to make entity references expand without bound.  libxml2's own
 * messages are discarded; the caller says what went wrong, once, in its
 * own words.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_XMLDATA_H
#define WIN7GEN2_XMLDATA_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

enum xmldata_refusal {
	XMLDATA_MALFORMED,   /* not well-formed XML in that encoding (or too large for libxml2) */
	XMLDATA_HAS_DTD,     /* a document type declaration */
};

/*
 * Parses size bytes; encoding is libxml2's name for it ("UTF-16LE"), or
 * NULL to let a byte order mark or the XML declaration say.  The
 * document (free it with xmlFreeDoc), or NULL with *refusal set.  The
 * caller bounds size to what its format can hold.
 */
xmlDoc *xmldata_read(const uint8_t *data, size_t size, const char *encoding,
		     enum xmldata_refusal *refusal);

#endif
