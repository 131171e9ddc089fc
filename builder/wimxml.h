/*
 * wimxml.h - a WIM's header and its XML image descriptions, from raw bytes
 *
 * install.wim can be several GiB and sits inside the ISO; the builder
 * reads only its 208-byte header and the XML blob the header points to
 * (iso_pread, straight from the file's extents in the ISO) and takes
 * each image's name, edition, architecture and version from that XML.
 * boot.wim's XML, which wimlib hands over (wimfile_meta), goes through
 * the same parser.
 * These bytes come from the user's ISO: every length and offset is
 * checked before use.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_WIMXML_H
#define WIN7GEN2_WIMXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIM_HEADER_SIZE 208
/* A real WIM's XML is a few KiB per image; anything near this is not one. */
#define WIM_XML_MAX_SIZE (16u * 1024 * 1024)

/* WINDOWS/ARCH values (PROCESSOR_ARCHITECTURE_*). */
#define WIM_ARCH_X86 0
#define WIM_ARCH_ARM 5
#define WIM_ARCH_IA64 6
#define WIM_ARCH_X64 9
#define WIM_ARCH_ARM64 12

struct wim_header_info {
	uint32_t image_count;
	uint32_t boot_index;    /* 0: none */
	uint16_t part_number;
	uint16_t total_parts;
	uint64_t xml_offset;    /* where the XML blob starts in the file */
	uint64_t xml_size;      /* its size in bytes (UTF-16LE) */
};

/* LANGUAGE elements kept per image; a real image has one to a few. */
#define WIM_MAX_LANGUAGES 64

/* One IMAGE element.  Strings are UTF-8, NULL when absent. */
struct wim_image_meta {
	unsigned index;
	char *name;
	char *display_name;
	char *edition_id;       /* WINDOWS/EDITIONID, e.g. "Professional" */
	char *flags;            /* FLAGS, the edition on older media */
	char *installation_type;
	int arch;               /* WINDOWS/ARCH, -1 when absent */
	bool has_version;
	unsigned major, minor, build, sp_build, sp_level;
	/* WINDOWS/LANGUAGES, as written (langtag.h checks them): each
	 * LANGUAGE, at most WIM_MAX_LANGUAGES, and DEFAULT (NULL if absent) */
	unsigned language_count;
	char **languages;
	char *default_language;
};

struct wim_meta {
	unsigned count;
	struct wim_image_meta *images; /* images[i].index == i + 1 */
};

/*
 * Checks the header of a WIM of file_size bytes: magic, header size, one
 * part only, an uncompressed XML blob inside the file and of a sane size.
 * 0 on success; -1 with *why set to a static explanation.
 */
int wim_header_parse(const uint8_t *data, size_t size, uint64_t file_size,
		     struct wim_header_info *info, const char **why);

/*
 * Parses the XML blob (UTF-16LE, with or without its byte order mark).
 * IMAGE INDEX values must be 1..N, each once.  0 on success (free with
 * wim_meta_free); -1 with *why set.
 */
int wim_xml_parse(const uint8_t *xml, size_t size, struct wim_meta *meta, const char **why);

void wim_meta_free(struct wim_meta *meta);

/* "x64", "x86", ... or "unknown (N)" into a caller's buffer. */
const char *wim_arch_name(int arch, char *scratch, size_t scratch_size);

#endif
