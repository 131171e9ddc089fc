/*
 * fuzz-wimxml.c - libFuzzer target for install.wim's header and XML parser
 *
 * The bytes come out of the user's ISO (xorriso -extract_cut of
 * install.wim's first 208 bytes and of the blob they point to).  Whatever
 * they hold, the parser must stay inside them, point the builder only at
 * an XML blob inside the file, and hand back images numbered 1..N.  The
 * input is taken both as a whole WIM (header first) and as a bare XML
 * blob.  tests/fuzz/replay.c runs it over the seeds in `make check`.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>

#include "wimxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_meta(const struct wim_meta *meta)
{
	if (meta->count == 0 || !meta->images)
		abort();
	for (unsigned i = 0; i < meta->count; i++) {
		const struct wim_image_meta *image = &meta->images[i];

		if (image->index != i + 1)
			abort();
		if (image->arch < -1)
			abort();
		if (image->language_count > WIM_MAX_LANGUAGES ||
		    (image->language_count && !image->languages))
			abort();
		for (unsigned j = 0; j < image->language_count; j++)
			if (!image->languages[j])
				abort();
	}
}

static void parse_xml(const uint8_t *xml, size_t size)
{
	struct wim_meta meta;
	const char *why = NULL;

	if (wim_xml_parse(xml, size, &meta, &why) == 0) {
		check_meta(&meta);
		wim_meta_free(&meta);
	} else if (!why || !why[0] || meta.count || meta.images) {
		abort(); /* a refusal always says why and hands back nothing */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wim_header_info info;
	const char *why = NULL;

	if (wim_header_parse(data, size, size, &info, &why) == 0) {
		if (info.xml_offset < WIM_HEADER_SIZE || info.xml_offset > size ||
		    info.xml_size > size - info.xml_offset || info.xml_size > WIM_XML_MAX_SIZE ||
		    info.image_count == 0 || info.boot_index > info.image_count)
			abort();
		parse_xml(data + info.xml_offset, (size_t)info.xml_size);
	} else if (!why || !why[0]) {
		abort();
	}
	parse_xml(data, size);
	return 0;
}
