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

void tl_seal(UINT8 *table)
{
	table[9] = 0;
	table[9] = (UINT8)-tl_sum(table, tl_le32(table + 4));
}

EFI_MEMORY_DESCRIPTOR *tl_memory_map(UINTN *count, UINTN *stride)
{
	UINTN key;
	UINT32 version;

	return LibMemoryMap(count, &key, stride, &version);
}

EFI_MEMORY_DESCRIPTOR *tl_descriptor(EFI_MEMORY_DESCRIPTOR *map, UINTN stride, UINTN i)
{
	return (EFI_MEMORY_DESCRIPTOR *)((UINT8 *)map + i * stride);
}

UINT64 tl_descriptor_end(const EFI_MEMORY_DESCRIPTOR *descriptor)
{
	return descriptor->PhysicalStart + descriptor->NumberOfPages * EFI_PAGE_SIZE;
}

UINT32 tl_memory_type(EFI_MEMORY_DESCRIPTOR *map, UINTN count, UINTN stride,
		      UINT64 address)
{
	for (UINTN i = 0; i < count; i++) {
		EFI_MEMORY_DESCRIPTOR *descriptor = tl_descriptor(map, stride, i);

		if (address >= descriptor->PhysicalStart &&
		    address < tl_descriptor_end(descriptor))
			return descriptor->Type;
	}
	return TL_NO_MEMORY;
}

void tl_power_off(void)
{
	Print(L"W7G2T power off\n");
	RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	for (;;)
		__asm__ __volatile__("hlt");
}
