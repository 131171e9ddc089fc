/*
 * misplace.c - test only: point one XSDT entry where no table may be
 *
 * Both places are found from 1 MiB up, in the lowest memory that fits:
 * the firmware allocates from the top down, so nothing that the payload
 * or the loader after it allocates during a test lands on the copy left
 * in free memory.  Writing to free memory is what no real program may
 * do; here it stands for a table pointer the firmware got wrong.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "file.h"
#include "misplace.h"
#include "testlib.h"

#define SETTING_MAX 256
#define LOW_LIMIT 0x100000ull
#define HEADER_LENGTH 36

enum where { WHERE_CONVENTIONAL, WHERE_UNMAPPED };

static BOOLEAN is_blank(CHAR8 c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* word at text[*at] equals name, followed by a blank or the end */
static BOOLEAN word_is(const CHAR8 *text, UINTN size, UINTN at, const CHAR8 *name)
{
	UINTN length = strlena(name);

	return at + length <= size && CompareMem(text + at, name, length) == 0 &&
	       (at + length == size || is_blank(text[at + length]));
}

static EFI_STATUS parse(const CHAR8 *text, UINTN size, CHAR8 signature[5], enum where *where)
{
	UINTN at = 4;

	if (size < 4)
		return EFI_INVALID_PARAMETER;
	CopyMem(signature, text, 4);
	signature[4] = 0;
	while (at < size && is_blank(text[at]))
		at++;
	if (at == 4)
		return EFI_INVALID_PARAMETER;
	if (word_is(text, size, at, (const CHAR8 *)"conventional"))
		*where = WHERE_CONVENTIONAL;
	else if (word_is(text, size, at, (const CHAR8 *)"unmapped"))
		*where = WHERE_UNMAPPED;
	else
		return EFI_INVALID_PARAMETER;
	return EFI_SUCCESS;
}

/* The lowest free memory from LOW_LIMIT up with room for size bytes. */
static UINT64 free_memory_for(UINTN size)
{
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN count, stride;
	UINT64 best = 0;

	map = tl_memory_map(&count, &stride);
	if (!map)
		return 0;
	for (UINTN i = 0; i < count; i++) {
		EFI_MEMORY_DESCRIPTOR *descriptor = tl_descriptor(map, stride, i);

		if (descriptor->Type == EfiConventionalMemory &&
		    descriptor->PhysicalStart >= LOW_LIMIT &&
		    descriptor->NumberOfPages * EFI_PAGE_SIZE >= size &&
		    (!best || descriptor->PhysicalStart < best))
			best = descriptor->PhysicalStart;
	}
	FreePool(map);
	return best;
}

/* The lowest page from LOW_LIMIT up that no descriptor touches. */
static UINT64 unmapped_page(void)
{
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN count, stride;
	UINT64 page = LOW_LIMIT;
	BOOLEAN moved;

	map = tl_memory_map(&count, &stride);
	if (!map)
		return 0;
	do {
		moved = FALSE;
		for (UINTN i = 0; i < count; i++) {
			EFI_MEMORY_DESCRIPTOR *descriptor = tl_descriptor(map, stride, i);
			UINT64 end = tl_descriptor_end(descriptor);

			if (descriptor->PhysicalStart < page + EFI_PAGE_SIZE && end > page) {
				page = (end + EFI_PAGE_SIZE - 1) & ~(UINT64)(EFI_PAGE_SIZE - 1);
				moved = TRUE;
			}
		}
	} while (moved);
	FreePool(map);
	return page;
}

static BOOLEAN find_entry(const UINT8 *xsdt, const CHAR8 signature[5], UINTN *index,
			  UINT8 **table)
{
	UINTN count = (tl_le32(xsdt + 4) - HEADER_LENGTH) / 8;

	for (UINTN i = 0; i < count; i++) {
		*table = (UINT8 *)(UINTN)tl_le64(xsdt + HEADER_LENGTH + 8 * i);
		*index = i;
		if (*table && CompareMem(*table, signature, 4) == 0)
			return TRUE;
	}
	return FALSE;
}

EFI_STATUS misplace_entry(EFI_HANDLE device, UINT8 *xsdt)
{
	CHAR8 signature[5];
	enum where where;
	void *text;
	UINTN size, index;
	UINT8 *table = NULL;
	UINT64 address;
	EFI_STATUS status;

	status = file_read(device, MISPLACE_SETTING, SETTING_MAX, &text, &size);
	if (status == EFI_NOT_FOUND)
		return status;
	if (EFI_ERROR(status)) {
		Print(L"W7G2T harness: cannot read %s: %r\n", MISPLACE_SETTING, status);
		return status;
	}
	status = parse(text, size, signature, &where);
	FreePool(text);
	if (EFI_ERROR(status)) {
		Print(L"W7G2T harness: %s: expected \"SIGNATURE conventional|unmapped\"\n",
		      MISPLACE_SETTING);
		return status;
	}
	if (!find_entry(xsdt, signature, &index, &table)) {
		Print(L"W7G2T harness: no %a in the XSDT\n", signature);
		return EFI_NOT_FOUND;
	}

	if (where == WHERE_CONVENTIONAL) {
		address = free_memory_for(tl_le32(table + 4));
		if (address)
			CopyMem((void *)(UINTN)address, table, tl_le32(table + 4));
	} else {
		address = unmapped_page();
	}
	if (!address) {
		Print(L"W7G2T harness: found no %a for %a\n",
		      where == WHERE_CONVENTIONAL ? "free memory" : "unmapped page", signature);
		return EFI_OUT_OF_RESOURCES;
	}
	tl_put_le64(xsdt + HEADER_LENGTH + 8 * index, address);
	tl_seal(xsdt);
	Print(L"W7G2T harness: XSDT entry %d (%a) -> 0x%lx, %a\n", index, signature, address,
	      where == WHERE_CONVENTIONAL ? "a copy in conventional memory" : "unmapped");
	return EFI_SUCCESS;
}
