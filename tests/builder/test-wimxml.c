/*
 * test-wimxml.c - install.wim's header and XML, parsed from raw bytes
 *
 * The header is built here byte by byte from the documented layout, not
 * by the code under test; the XML is what wimlib writes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "wimxml.h"

static void put_le(uint8_t *p, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++, value >>= 8)
		p[i] = (uint8_t)value;
}

/* A header with the XML blob at xml_offset, xml_size bytes. */
static void make_header(uint8_t *h, uint64_t xml_offset, uint64_t xml_size)
{
	memset(h, 0, WIM_HEADER_SIZE);
	memcpy(h, "MSWIM\0\0\0", 8);
	put_le(h + 8, WIM_HEADER_SIZE, 4);
	put_le(h + 12, 0x10d00, 4);
	put_le(h + 20, 32768, 4);
	put_le(h + 40, 1, 2);   /* part 1 */
	put_le(h + 42, 1, 2);   /* of 1 */
	put_le(h + 44, 2, 4);   /* images */
	put_le(h + 72, xml_size, 7);
	h[79] = 0x02;           /* metadata flag only: not compressed */
	put_le(h + 80, xml_offset, 8);
	put_le(h + 88, xml_size, 8);
	put_le(h + 120, 2, 4);  /* boot index */
}

/* ASCII XML as UTF-16LE with a byte order mark. */
static size_t utf16(const char *text, uint8_t *out, bool bom)
{
	size_t n = 0;

	if (bom) {
		out[n++] = 0xff;
		out[n++] = 0xfe;
	}
	for (; *text; text++) {
		out[n++] = (uint8_t)*text;
		out[n++] = 0;
	}
	return n;
}

static const char two_editions[] =
	"<WIM><TOTALBYTES>1</TOTALBYTES>"
	"<IMAGE INDEX=\"2\"><NAME>Windows 7 ULTIMATE</NAME><WINDOWS><ARCH>9</ARCH>"
	"<VERSION><MAJOR>6</MAJOR><MINOR>1</MINOR><BUILD>7601</BUILD><SPBUILD>17514</SPBUILD>"
	"<SPLEVEL>1</SPLEVEL></VERSION><EDITIONID>Ultimate</EDITIONID></WINDOWS>"
	"<FLAGS>Ultimate</FLAGS></IMAGE>"
	"<IMAGE INDEX=\"1\"><NAME>Windows 7 PROFESSIONAL</NAME><WINDOWS><ARCH>0</ARCH>"
	"<VERSION><MAJOR>6</MAJOR><MINOR>2</MINOR></VERSION></WINDOWS></IMAGE></WIM>";

static void test_header(void)
{
	uint8_t file[WIM_HEADER_SIZE + 64];
	struct wim_header_info info;
	const char *why = "";

	make_header(file, WIM_HEADER_SIZE, 64);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) == 0,
	       "a good header parses");
	tap_is_u64(info.xml_offset, WIM_HEADER_SIZE, "XML offset");
	tap_is_u64(info.xml_size, 64, "XML size");
	tap_is_u64(info.image_count, 2, "image count");
	tap_is_u64(info.boot_index, 2, "boot index");

	tap_ok(wim_header_parse(file, WIM_HEADER_SIZE - 1, sizeof(file), &info, &why) < 0,
	       "a header one byte short is refused (%s)", why);
	make_header(file, WIM_HEADER_SIZE, 66);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "XML one byte past the file's end is refused (%s)", why);
	make_header(file, UINT64_MAX - 10, 64);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "an offset near 2^64 does not wrap around (%s)", why);
	make_header(file, 100, 64);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "XML inside the header is refused (%s)", why);
	make_header(file, WIM_HEADER_SIZE, 63);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "an odd XML size (not UTF-16) is refused (%s)", why);
	make_header(file, WIM_HEADER_SIZE, 64);
	file[79] |= 0x04;
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "compressed XML is refused (%s)", why);
	make_header(file, WIM_HEADER_SIZE, 64);
	put_le(file + 42, 3, 2);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "a split WIM is refused (%s)", why);
	make_header(file, WIM_HEADER_SIZE, 64);
	put_le(file + 120, 3, 4);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "a boot index past the images is refused (%s)", why);
	make_header(file, WIM_HEADER_SIZE, 64);
	memcpy(file, "WLPWM\0\0\0", 8);
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0 &&
	       strstr(why, "pipable"), "a pipable WIM is named as such (%s)", why);
	make_header(file, WIM_HEADER_SIZE, 64);
	file[0] = 'X';
	tap_ok(wim_header_parse(file, sizeof(file), sizeof(file), &info, &why) < 0,
	       "no magic, no WIM (%s)", why);
}

static void test_xml(void)
{
	uint8_t xml[4096];
	struct wim_meta meta;
	const char *why = "";
	size_t size = utf16(two_editions, xml, true);

	if (!tap_ok(wim_xml_parse(xml, size, &meta, &why) == 0, "wimlib's XML parses"))
		tap_diag("%s", why);
	tap_is_u64(meta.count, 2, "two images");
	if (meta.count == 2) {
		tap_is_str(meta.images[0].name, "Windows 7 PROFESSIONAL", "image 1 by its INDEX, not its order");
		tap_is_str(meta.images[1].name, "Windows 7 ULTIMATE", "image 2 name");
		tap_is_str(meta.images[1].edition_id, "Ultimate", "edition ID");
		tap_is_u64(meta.images[1].arch, WIM_ARCH_X64, "arch x64");
		tap_is_u64(meta.images[0].arch, WIM_ARCH_X86, "arch x86");
		tap_is_u64(meta.images[1].build, 7601, "build");
		tap_is_u64(meta.images[1].sp_level, 1, "service pack");
		tap_is_u64(meta.images[1].sp_build, 17514, "service pack build");
		tap_is_u64(meta.images[0].minor, 2, "a version without build still has major.minor");
		tap_ok(meta.images[0].edition_id == NULL, "a missing element is NULL");
	}
	wim_meta_free(&meta);

	size = utf16(two_editions, xml, false);
	tap_ok(wim_xml_parse(xml, size, &meta, &why) == 0 && meta.count == 2,
	       "UTF-16LE without a byte order mark parses too");
	wim_meta_free(&meta);

	size = utf16("<WIM><IMAGE INDEX=\"1\"/><IMAGE INDEX=\"1\"/></WIM>", xml, true);
	tap_ok(wim_xml_parse(xml, size, &meta, &why) < 0 && meta.count == 0,
	       "two images with one INDEX are refused (%s)", why);
	size = utf16("<WIM><IMAGE INDEX=\"2\"/></WIM>", xml, true);
	tap_ok(wim_xml_parse(xml, size, &meta, &why) < 0, "an INDEX past the count is refused (%s)", why);
	size = utf16("<WIM><IMAGE INDEX=\"1\"><NAME>x</IMAGE></WIM>", xml, true);
	tap_ok(wim_xml_parse(xml, size, &meta, &why) < 0, "malformed XML is refused (%s)", why);
	size = utf16("<!DOCTYPE WIM [<!ENTITY a \"aaaa\">]><WIM><IMAGE INDEX=\"1\"><NAME>&a;</NAME></IMAGE></WIM>",
		     xml, true);
	tap_ok(wim_xml_parse(xml, size, &meta, &why) < 0, "a DTD (entity expansion) is refused (%s)", why);
	size = utf16("<WIM><IMAGE INDEX=\"1\"><WINDOWS><ARCH>99999999999999</ARCH></WINDOWS></IMAGE></WIM>",
		     xml, true);
	tap_ok(wim_xml_parse(xml, size, &meta, &why) == 0 && meta.images[0].arch == -1,
	       "an absurd ARCH is unknown, not truncated");
	wim_meta_free(&meta);
	tap_ok(wim_xml_parse(xml, 3, &meta, &why) < 0, "an odd size is refused (%s)", why);
}

int main(void)
{
	test_header();
	test_xml();
	return tap_done();
}
