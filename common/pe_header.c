/*
 * pe_header.c - what a PE file is, from its bytes: the one PE check
 *
 * Layouts from Microsoft's "PE Format" specification: the DOS header's
 * e_lfanew at 0x3c; the COFF header after "PE\0\0"; the optional
 * header's data directories (the resource table is entry 2); the
 * section table; the resource tree (type, name, language) whose
 * RT_VERSION leaf holds VS_VERSIONINFO, starting with VS_FIXEDFILEINFO.
 * Every offset is checked against the bytes actually there.
 *
 * SPDX-License-Identifier: MIT
 */
#include "pe_header.h"

#include "byteorder.h"

#define DOS_LFANEW 0x3c
#define COFF_SIZE 20            /* after the 4-byte signature */
#define COFF_SECTIONS 2
#define COFF_OPTIONAL_SIZE 16
#define OPTIONAL_MAGIC_PE32 0x10b
#define OPTIONAL_MAGIC_PE32PLUS 0x20b
#define DIRECTORY_RESOURCE 2
#define SECTION_SIZE 40
#define RT_VERSION 16
#define RESOURCE_DIRECTORY_SIZE 16
#define RESOURCE_ENTRY_SIZE 8
#define RESOURCE_SUBDIRECTORY 0x80000000u
#define FIXED_INFO_SIGNATURE 0xfeef04bdu
#define FIXED_INFO_SIZE 52
#define VERSION_SEARCH 256      /* bytes of VS_VERSIONINFO searched for the fixed info */

/* Plain C without a C library (the payload links this too). */
static void clear(void *to, size_t size)
{
	uint8_t *p = to;

	while (size--)
		*p++ = 0;
}

static bool is_pe_signature(const uint8_t *p)
{
	return p[0] == 'P' && p[1] == 'E' && p[2] == 0 && p[3] == 0;
}

/* True if [offset, offset + length) lies within size. */
static bool fits(size_t size, uint64_t offset, uint64_t length)
{
	return offset <= size && length <= size - offset;
}

/* Where the resource directory is in the file, from the section table
 * at sections (count entries, checked to be inside the bytes read). */
static void locate_resources(const uint8_t *data, size_t sections, unsigned count,
			     uint32_t rva, uint32_t length, struct pe_info *info)
{
	for (unsigned i = 0; i < count; i++) {
		const uint8_t *section = data + sections + (size_t)i * SECTION_SIZE;
		uint32_t virtual_size = get_le32(section + 8), address = get_le32(section + 12);
		uint32_t raw_size = get_le32(section + 16), raw_offset = get_le32(section + 20);
		uint32_t extent = virtual_size > raw_size ? virtual_size : raw_size;

		if (rva < address || rva - address >= extent || rva - address >= raw_size)
			continue;
		info->resource_rva = rva;
		info->resource_offset = raw_offset + (rva - address);
		info->resource_size = raw_size - (rva - address);
		if (length < info->resource_size)
			info->resource_size = length;
		info->has_resources = info->resource_offset >= raw_offset; /* no wrap-around */
		return;
	}
}

bool pe_headers(const uint8_t *data, size_t size, struct pe_info *info)
{
	size_t pe, optional, sections;
	unsigned section_count, optional_size, magic, directories;
	uint32_t rva, length;
	size_t directory;

	clear(info, sizeof(*info));
	if (!data || !fits(size, 0, DOS_LFANEW + 4) || data[0] != 'M' || data[1] != 'Z')
		return false;
	pe = get_le32(data + DOS_LFANEW);
	if (!fits(size, pe, 4 + COFF_SIZE) || !is_pe_signature(data + pe))
		return false;
	info->machine = get_le16(data + pe + 4);

	/* The rest is only for the resources; without them the machine type
	 * is still an answer. */
	section_count = get_le16(data + pe + 4 + COFF_SECTIONS);
	optional_size = get_le16(data + pe + 4 + COFF_OPTIONAL_SIZE);
	optional = pe + 4 + COFF_SIZE;
	sections = optional + optional_size;
	if (!fits(size, optional, optional_size) || optional_size < 2 ||
	    !fits(size, sections, (uint64_t)section_count * SECTION_SIZE))
		return true;
	magic = get_le16(data + optional);
	if (magic == OPTIONAL_MAGIC_PE32PLUS)
		directory = 112;
	else if (magic == OPTIONAL_MAGIC_PE32)
		directory = 96;
	else
		return true;
	if (optional_size < directory + (DIRECTORY_RESOURCE + 1) * 8)
		return true;
	directories = get_le32(data + optional + directory - 4); /* NumberOfRvaAndSizes */
	if (directories <= DIRECTORY_RESOURCE)
		return true;
	rva = get_le32(data + optional + directory + DIRECTORY_RESOURCE * 8);
	length = get_le32(data + optional + directory + DIRECTORY_RESOURCE * 8 + 4);
	if (rva && length)
		locate_resources(data, sections, section_count, rva, length, info);
	return true;
}

bool pe_is_x64(const uint8_t *data, size_t size)
{
	struct pe_info info;

	return pe_headers(data, size, &info) && info.machine == PE_MACHINE_AMD64;
}

/*
 * The entry of the directory at offset: the one with id (any when id is
 * 0), which must be a subdirectory when want_directory.  Its target's
 * offset, or 0 when there is none.
 */
static uint32_t find_entry(const uint8_t *res, size_t size, uint32_t offset, uint32_t id,
			   bool want_directory)
{
	unsigned named, ids;

	if (!fits(size, offset, RESOURCE_DIRECTORY_SIZE))
		return 0;
	named = get_le16(res + offset + 12);
	ids = get_le16(res + offset + 14);
	for (unsigned i = 0; i < named + ids; i++) {
		uint64_t entry = offset + RESOURCE_DIRECTORY_SIZE + (uint64_t)i * RESOURCE_ENTRY_SIZE;
		uint32_t name, target;

		if (!fits(size, entry, RESOURCE_ENTRY_SIZE))
			return 0;
		name = get_le32(res + entry);
		target = get_le32(res + entry + 4);
		if (id && (i < named || name != id))
			continue;
		if (want_directory != ((target & RESOURCE_SUBDIRECTORY) != 0))
			continue;
		/* 0 would be the root again: a loop, and read as "none". */
		return target & ~RESOURCE_SUBDIRECTORY;
	}
	return 0;
}

bool pe_file_version(const uint8_t *resources, size_t size, const struct pe_info *info,
		     unsigned *major, unsigned *minor, unsigned *build)
{
	uint32_t names, languages, leaf, data_rva, data_size;
	uint64_t data_offset;

	if (!resources || !info->has_resources)
		return false;
	names = find_entry(resources, size, 0, RT_VERSION, true);
	languages = names ? find_entry(resources, size, names, 0, true) : 0;
	leaf = languages ? find_entry(resources, size, languages, 0, false) : 0;
	if (!leaf || !fits(size, leaf, 16))
		return false;
	data_rva = get_le32(resources + leaf);
	data_size = get_le32(resources + leaf + 4);
	if (data_rva < info->resource_rva)
		return false;
	data_offset = (uint64_t)data_rva - info->resource_rva;
	if (!fits(size, data_offset, data_size))
		return false;
	if (data_size > VERSION_SEARCH)
		data_size = VERSION_SEARCH;
	/* VS_VERSIONINFO's header and key come first; the fixed part starts
	 * on the next 32-bit boundary.  Its signature marks it. */
	for (uint32_t at = 4; at + FIXED_INFO_SIZE <= data_size; at += 4) {
		const uint8_t *fixed = resources + data_offset + at;

		if (get_le32(fixed) != FIXED_INFO_SIGNATURE)
			continue;
		*major = get_le32(fixed + 8) >> 16;
		*minor = get_le32(fixed + 8) & 0xffff;
		if (build)
			*build = get_le32(fixed + 12) >> 16;
		return true;
	}
	return false;
}
