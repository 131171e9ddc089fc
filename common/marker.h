/*
 * marker.h - tell win7gen2.efi from any other EFI loader by its bytes
 *
 * Plain C without a C library, shared by the payload (rescue), the host
 * fix engine and the builder.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MARKER_H
#define WIN7GEN2_MARKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MARKER_VERSION_MAX 32 /* bytes including the NUL */

/*
 * True if bytes hold WIN7GEN2_PAYLOAD_MARKER followed by a version
 * (printable ASCII up to the next NUL).  The version is copied into
 * version[] (NUL terminated) when version is not NULL; a version too
 * long for MARKER_VERSION_MAX does not count as a marker.
 */
bool marker_find(const uint8_t *bytes, size_t size, char version[MARKER_VERSION_MAX]);

#endif
