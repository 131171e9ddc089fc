/*
 * size_text.h - a byte count as a person reads a disk size
 *
 * The ISO menu and the Windows PE agent both show what a disk holds
 * before anything may wipe it; one spelling of sizes serves both.
 * Plain C without a C library.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_SIZE_TEXT_H
#define WIN7GEN2_SIZE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * bytes as a person reads a disk size: "64 GiB", "100 MiB", "63.9 GiB"
 * (one decimal below 100 of a unit, none when it is .0).  Always
 * NUL-terminated; text needs SIZE_TEXT_MAX bytes for any value.
 */
#define SIZE_TEXT_MAX 16
void size_text(uint64_t bytes, char *text, size_t size);

#endif
