/*
 * bootopt.h - firmware boot options (Boot####, BootOrder), as bytes
 *
 * An update that writes a new bootmgfw.efi over win7gen2.efi also
 * takes over Windows' own boot entry, which starts that file.  So the
 * payload keeps a boot option of its own, pointing at
 * WIN7GEN2_OWN_PATH on its ESP, first in BootOrder (payload/bootentry.c).
 * This is the byte work for that: an EFI_LOAD_OPTION (UEFI 2.x, 3.1.3)
 * built, or read from NVRAM and recognised, and BootOrder reordered.
 *
 * NVRAM holds what any OS or firmware setup wrote there: every length
 * is checked before it is used, and nothing is trusted to be aligned.
 *
 * Plain C without a C library: the payload uses it in firmware, the
 * host tests and fuzz target check it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_BOOTOPT_H
#define WIN7GEN2_BOOTOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* EFI_LOAD_OPTION Attributes: the firmware may boot it. */
#define BOOTOPT_ACTIVE 0x00000001u

/* A hard-drive media device path node (type 4, subtype 1): partition
 * number, start and size, signature, format and signature type. */
#define BOOTOPT_HD_NODE_SIZE 42

/* "Boot0000": 8 characters and a NUL. */
#define BOOTOPT_NAME_CHARS 9

/* One option as found in NVRAM; pointers into the caller's bytes. */
struct bootopt {
	uint32_t attributes;
	const uint8_t *description;  /* UTF-16LE, without its NUL */
	size_t description_chars;
	const uint8_t *file_path;    /* the device path list */
	size_t file_path_size;
	const uint8_t *optional;     /* passed to the loader as its options */
	size_t optional_size;
};

/*
 * Split an EFI_LOAD_OPTION.  False if it is malformed: too short, a
 * description without its NUL, a device path list longer than the rest.
 */
bool bootopt_parse(const uint8_t *data, size_t size, struct bootopt *opt);

/*
 * True if node (size bytes) is a GPT partition's hard-drive node: type
 * 4, subtype 1, 42 bytes, GPT format and a GUID signature.  Only such a
 * node names one partition wherever its disk is attached.
 */
bool bootopt_is_gpt_hd(const uint8_t *node, size_t size);

/*
 * True if the option's first device path has the hard-drive node hd
 * (short form, as Windows writes its entry, or within a full path)
 * followed by file-path nodes that spell path, an ASCII path such as
 * "\EFI\win7gen2\win7gen2.efi": letters in any case, '/' as '\'.
 */
bool bootopt_starts(const struct bootopt *opt, const uint8_t hd[BOOTOPT_HD_NODE_SIZE],
		    const char *path);

/*
 * True if the option's first device path ends in file-path nodes that
 * spell path, on whatever partition or device comes before them: for a
 * report about a disk whose partition the caller cannot name.
 */
bool bootopt_file_is(const struct bootopt *opt, const char *path);

/* The description in ASCII ('?' for anything else), cut to fit buf
 * (size >= 1); returns the length written. */
size_t bootopt_description(const struct bootopt *opt, char *buf, size_t size);

/*
 * Build an active option: description and path ASCII, the device path
 * the short form hd + path + end (firmware finds the partition by hd's
 * signature on any disk).  No optional data: the loader it starts gets
 * no options, as from the removable-media path.  Returns the size, or
 * 0 if the option is larger than buf_size (or a text is not ASCII).
 */
size_t bootopt_build(uint8_t *buf, size_t buf_size, const char *description,
		     const uint8_t hd[BOOTOPT_HD_NODE_SIZE], const char *path);

/*
 * BootOrder (little-endian 16-bit numbers, size bytes; an odd last byte
 * is dropped) with number first and every other entry after it in the
 * order it had: nothing of another system's is removed.  out must hold
 * size + 2 bytes; returns the bytes written.
 */
size_t bootorder_put_first(const uint8_t *order, size_t size, uint16_t number, uint8_t *out);

/* True if BootOrder starts with number. */
bool bootorder_is_first(const uint8_t *order, size_t size, uint16_t number);

/* Entry i of BootOrder (i < size / 2). */
uint16_t bootorder_at(const uint8_t *order, size_t i);

/* "Boot" + 4 upper-case hex digits: the variable name for number. */
void bootopt_name(uint16_t number, uint16_t name[BOOTOPT_NAME_CHARS]);

/* True if name (NUL-terminated UTF-16) is "Boot####", upper-case hex
 * as the specification writes them; *number gets ####. */
bool bootopt_name_number(const uint16_t *name, uint16_t *number);

#endif
