/*
 * testlib.c - what the test-only EFI programs share
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "testlib.h"

UINT32 tl_le32(const UINT8 *bytes)
{
	return (UINT32)bytes[0] | (UINT32)bytes[1] << 8 |
	       (UINT32)bytes[2] << 16 | (UINT32)bytes[3] << 24;
}

UINT64 tl_le64(const UINT8 *bytes)
{
	return (UINT64)tl_le32(bytes) | (UINT64)tl_le32(bytes + 4) << 32;
}

void tl_put_le32(UINT8 *bytes, UINT32 value)
{
	for (int i = 0; i < 4; i++)
		bytes[i] = (UINT8)(value >> (8 * i));
}

void tl_put_le64(UINT8 *bytes, UINT64 value)
{
	tl_put_le32(bytes, (UINT32)value);
	tl_put_le32(bytes + 4, (UINT32)(value >> 32));
}

UINT8 tl_sum(const UINT8 *bytes, UINTN length)
{
	UINT8 sum = 0;

	while (length--)
		sum += *bytes++;
	return sum;
}

void tl_power_off(void)
{
	Print(L"W7G2T power off\n");
	RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	for (;;)
		__asm__ __volatile__("hlt");
}
