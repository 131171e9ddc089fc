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

/* Power the virtual machine off, so QEMU exits and the test goes on. */
void tl_power_off(void) __attribute__((noreturn));

#endif
