/*
 * pe_header.h - what a PE file is, from its bytes: the one PE check
 *
 * Every part that looks inside a PE image does it here, on bytes read
 * like any outside input, every offset checked against the bytes there:
 *
 *   - efi_image.h (payload rescue, fix engine): is a file at a loader
 *     path an x64 EFI image, i.e. MZ, PE signature, machine AMD64;
 *   - the WinPE agent: which Windows a kernel is, from ntoskrnl.exe's
 *     machine type and the file version in its version resource
 *     (VS_FIXEDFILEINFO).  Read from the bytes rather than through
 *     version.dll: no DLL to depend on, nothing loaded, and the host
 *     tests run the same code.  (Under wine, GetFileVersionInfo answers
 *     for its own ntoskrnl.exe instead of the file named.)
 *
 * Plain C without a C library, shared by the payload and the host side.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PE_HEADER_H
#define WIN7GEN2_PE_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How many leading bytes of a file pe_headers needs for the resources
 * of the images the agent reads (the machine type needs far fewer). */
#define PE_HEADER_READ 4096

/* IMAGE_FILE_MACHINE_AMD64: x64, the only machine win7gen2 deals with. */
#define PE_MACHINE_AMD64 0x8664

struct pe_info {
	uint16_t machine;          /* IMAGE_FILE_MACHINE_*: PE_MACHINE_AMD64 is x64 */
	bool has_resources;        /* the fields below mean something */
	uint32_t resource_rva;     /* the resource directory's address in memory */
	uint32_t resource_offset;  /* ... and in the file */
	uint32_t resource_size;    /* bytes there that belong to it */
};

/* False unless data (the file's first bytes) holds "MZ", a PE header
 * inside size, "PE\0\0", and - for the resources - a section table
 * inside size that places the resource directory in the file. */
bool pe_headers(const uint8_t *data, size_t size, struct pe_info *info);

/* True if data holds the headers of an x64 PE image (pe_headers and
 * machine AMD64).  The firmware checks more before it runs a file, but
 * this is enough to tell a loader from a text file, junk or a 32-bit
 * image. */
bool pe_is_x64(const uint8_t *data, size_t size);

/*
 * The file version's major, minor and build numbers (6, 1 and 7601 for
 * Windows 7 SP1; build may be NULL) from the resource directory's bytes:
 * resources holds size bytes of the file from info->resource_offset on,
 * which is info->resource_rva in memory.  False when there is no version
 * resource or it does not fit.
 */
bool pe_file_version(const uint8_t *resources, size_t size, const struct pe_info *info,
		     unsigned *major, unsigned *minor, unsigned *build);

#endif
