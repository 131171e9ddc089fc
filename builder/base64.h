/*
 * base64.h - Base64 (RFC 4648, standard alphabet, '=' padding, no line
 * breaks)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_BASE64_H
#define WIN7GEN2_BASE64_H

#include <stddef.h>

/* Characters base64_encode writes for size bytes, without the NUL. */
#define BASE64_LENGTH(size) (((size) + 2) / 3 * 4)

/* Writes the Base64 of data[0..size) and a NUL to out, which needs
 * BASE64_LENGTH(size) + 1 bytes. */
void base64_encode(const void *data, size_t size, char *out);

#endif
