/*
 * regvalue.h - registry values as bytes, and as people read them
 *
 * Registry strings are UTF-16LE with a terminating NUL; DWORDs are four
 * little-endian bytes.  Every value the engine writes is ASCII, so it
 * only ever needs to encode ASCII and to tell whether a stored string is
 * exactly a given ASCII string.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_REGVALUE_H
#define WIN7GEN2_FIX_REGVALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

#define REGVALUE_TEXT_MAX 300 /* what regvalue_describe writes at most */

/* A REG_SZ's bytes for ASCII text: UTF-16LE plus the NUL.  malloc()ed;
 * false when out of memory or text is not 7-bit ASCII. */
bool regvalue_encode_ascii(const char *text, uint8_t **data, size_t *size);

/* A DWORD's four bytes. */
void regvalue_encode_dword(uint32_t value, uint8_t data[4]);

/*
 * The text of a REG_SZ or REG_EXPAND_SZ up to its first NUL (or its end).
 * True only if it is all printable ASCII and fits in size bytes with the
 * NUL; otherwise buf holds what fits, '?' for anything not ASCII.
 */
bool regvalue_ascii(const struct fix_reg_value *value, char *buf, size_t size);

/* True if value is a REG_DWORD of exactly four bytes; stores it. */
bool regvalue_dword(const struct fix_reg_value *value, uint32_t *out);

/* "REG_SZ", "REG_DWORD", ..., "type 0x1234". */
const char *regvalue_type_name(uint32_t type);

/* For reports: 3 / "SCSI miniport" / REG_SZ "0" / REG_BINARY, 12 bytes. */
void regvalue_describe(const struct fix_reg_value *value, char *buf, size_t size);

void regvalue_free(struct fix_reg_value *value);

#endif
