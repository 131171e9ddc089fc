/*
 * pe_header.h - which Windows a kernel file is, from its bytes
 *
 * The agent tells Windows 7 x64 from other installations by their
 * ntoskrnl.exe: the machine type in its PE header, and the file version
 * in its version resource (VS_FIXEDFILEINFO).  Both are read here from
 * the file's bytes, like any outside input, rather than through
 * version.dll: no DLL to depend on, nothing loaded, and the host tests
 * run the same code.  (Under wine, GetFileVersionInfo answers for its
 * own ntoskrnl.exe instead of the file named.)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_PE_HEADER_H
#define WIN7GEN2_AGENT_PE_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How many leading bytes of a file pe_headers looks at. */
#define PE_HEADER_READ 4096

struct pe_info {
	uint16_t machine;          /* IMAGE_FILE_MACHINE_*: 0x8664 is x64 */
	bool has_resources;        /* the fields below mean something */
	uint32_t resource_rva;     /* the resource directory's address in memory */
	uint32_t resource_offset;  /* ... and in the file */
	uint32_t resource_size;    /* bytes there that belong to it */
};

/* False unless data (the file's first bytes) holds "MZ", a PE header
 * inside size, "PE\0\0", and - for the resources - a section table
 * inside size that places the resource directory in the file. */
bool pe_headers(const uint8_t *data, size_t size, struct pe_info *info);

/*
 * The file version's major and minor numbers (6 and 1 for Windows 7)
 * from the resource directory's bytes: resources holds size bytes of the
 * file from info->resource_offset on, which is info->resource_rva in
 * memory.  False when there is no version resource or it does not fit.
 */
bool pe_file_version(const uint8_t *resources, size_t size, const struct pe_info *info,
		     unsigned *major, unsigned *minor);

#endif
