/*
 * base64.c - Base64 (RFC 4648, standard alphabet, '=' padding, no line
 * breaks)
 *
 * Written here because none of the libraries the builder links offers a
 * plain encoder: libxml2 has Base64 only inside its XML writer, which
 * breaks lines every 72 characters, and wimlib, hivex, libudfread and
 * libmspack have none.
 *
 * SPDX-License-Identifier: MIT
 */
#include "base64.h"

#include <stdint.h>

static const char alphabet[64] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_encode(const void *data, size_t size, char *out)
{
	const unsigned char *in = data;

	for (; size >= 3; in += 3, size -= 3) {
		uint32_t group = (uint32_t)in[0] << 16 | (uint32_t)in[1] << 8 | in[2];

		*out++ = alphabet[group >> 18];
		*out++ = alphabet[group >> 12 & 63];
		*out++ = alphabet[group >> 6 & 63];
		*out++ = alphabet[group & 63];
	}
	if (size) {
		uint32_t group = (uint32_t)in[0] << 16 | (size == 2 ? (uint32_t)in[1] << 8 : 0);

		*out++ = alphabet[group >> 18];
		*out++ = alphabet[group >> 12 & 63];
		*out++ = size == 2 ? alphabet[group >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}
