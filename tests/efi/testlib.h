/*
 * testlib.h - what the test-only EFI programs share
 *
 * Every line they print for the test scripts starts with "W7G2T " so a
 * script can pick them out of the firmware's serial console.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TESTLIB_H
#define WIN7GEN2_TESTLIB_H

#include <efi.h>

UINT32 tl_le32(const UINT8 *bytes);
UINT64 tl_le64(const UINT8 *bytes);
void tl_put_le32(UINT8 *bytes, UINT32 value);
void tl_put_le64(UINT8 *bytes, UINT64 value);

/* Sum of the bytes mod 256. */
UINT8 tl_sum(const UINT8 *bytes, UINTN length);

/* Set an ACPI table's checksum so its Length bytes sum to 0. */
void tl_seal(UINT8 *table);

/* The firmware's memory map: descriptors in pool memory (FreePool them),
 * *count of them, *stride bytes apart; NULL when it cannot be read. */
EFI_MEMORY_DESCRIPTOR *tl_memory_map(UINTN *count, UINTN *stride);

/* The descriptor i of such a map. */
EFI_MEMORY_DESCRIPTOR *tl_descriptor(EFI_MEMORY_DESCRIPTOR *map, UINTN stride, UINTN i);

/* One past the last byte a descriptor covers. */
UINT64 tl_descriptor_end(const EFI_MEMORY_DESCRIPTOR *descriptor);

/* Not a UEFI memory type: no descriptor covers the address. */
#define TL_NO_MEMORY 0xFFFFFFFFu

/* The memory type the map gives address, or TL_NO_MEMORY. */
UINT32 tl_memory_type(EFI_MEMORY_DESCRIPTOR *map, UINTN count, UINTN stride,
		      UINT64 address);

/* Power the virtual machine off, so QEMU exits and the test goes on. */
void tl_power_off(void) __attribute__((noreturn));

#endif
