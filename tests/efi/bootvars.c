/*
 * bootvars.c - test only: read and write the firmware's load options
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "bootvars.h"

#define ATTRIBUTES \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

static void print_option(UINT16 number)
{
	CHAR16 name[16];
	UINT8 *data;
	UINTN size = 0, at = 6, path_size;
	CHAR16 *text;

	UnicodeSPrint(name, sizeof(name), L"Boot%04x", number);
	data = LibGetVariableAndSize(name, &EfiGlobalVariable, &size);
	if (!data) {
		Print(L"W7G2T bootvars: %s missing\n", name);
		return;
	}
	while (at + 2 <= size && (data[at] || data[at + 1]))
		at += 2;
	at += 2;
	path_size = size >= 6 ? (UINTN)(data[4] | data[5] << 8) : 0;
	if (size < 6 || at > size || path_size > size - at) {
		Print(L"W7G2T bootvars: %s malformed (%d bytes)\n", name, size);
		FreePool(data);
		return;
	}
	text = DevicePathToStr((EFI_DEVICE_PATH *)(data + at));
	Print(L"W7G2T bootvars: %s attributes=0x%x \"%s\" %s\n", name,
	      data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24, (CHAR16 *)(data + 6),
	      text ? text : L"?");
	if (text)
		FreePool(text);
	FreePool(data);
}

void tv_print_boot(void)
{
	CHAR16 line[512];
	UINT16 *order;
	UINTN size = 0, length;

	order = LibGetVariableAndSize(L"BootOrder", &EfiGlobalVariable, &size);
	if (!order) {
		Print(L"W7G2T bootvars: BootOrder missing\n");
		return;
	}
	length = UnicodeSPrint(line, sizeof(line), L"W7G2T bootvars: BootOrder");
	for (UINTN i = 0; i < size / 2 && length + 6 < sizeof(line) / sizeof(line[0]); i++)
		length += UnicodeSPrint(line + length, sizeof(line) - length * sizeof(CHAR16),
					L" %04x", order[i]);
	Print(L"%s\n", line);
	for (UINTN i = 0; i < size / 2; i++)
		print_option(order[i]);
	FreePool(order);
}

EFI_STATUS tv_add_option(const CHAR16 *type, const CHAR16 *description, EFI_HANDLE device,
			 const CHAR16 *path, const void *optional, UINTN optional_size,
			 UINT16 *number)
{
	EFI_DEVICE_PATH *file_path = FileDevicePath(device, (CHAR16 *)path);
	UINTN description_size = (StrLen(description) + 1) * sizeof(CHAR16);
	UINTN path_size, size;
	CHAR16 name[16];
	UINT8 *option;
	EFI_STATUS status;
	UINT32 n;

	if (!file_path)
		return EFI_OUT_OF_RESOURCES;
	for (n = 0; n < 0x10000; n++) {
		void *old;
		UINTN old_size = 0;

		UnicodeSPrint(name, sizeof(name), L"%s%04x", type, n);
		old = LibGetVariableAndSize(name, &EfiGlobalVariable, &old_size);
		if (!old)
			break;
		FreePool(old);
	}
	path_size = DevicePathSize(file_path);
	size = 6 + description_size + path_size + optional_size;
	option = AllocateZeroPool(size);
	if (!option) {
		FreePool(file_path);
		return EFI_OUT_OF_RESOURCES;
	}
	option[0] = 1; /* LOAD_OPTION_ACTIVE */
	option[4] = (UINT8)path_size;
	option[5] = (UINT8)(path_size >> 8);
	CopyMem(option + 6, description, description_size);
	CopyMem(option + 6 + description_size, file_path, path_size);
	if (optional_size)
		CopyMem(option + 6 + description_size + path_size, optional, optional_size);
	status = RT->SetVariable(name, &EfiGlobalVariable, ATTRIBUTES, size, option);
	FreePool(option);
	FreePool(file_path);
	*number = (UINT16)n;
	return status;
}

EFI_STATUS tv_put_first(const CHAR16 *order, UINT16 number)
{
	UINT16 *old, *new;
	UINTN size = 0, count = 1;
	EFI_STATUS status;

	old = LibGetVariableAndSize((CHAR16 *)order, &EfiGlobalVariable, &size);
	new = AllocatePool(size + 2);
	if (!new)
		return EFI_OUT_OF_RESOURCES;
	new[0] = number;
	for (UINTN i = 0; old && i < size / 2; i++)
		if (old[i] != number)
			new[count++] = old[i];
	status = RT->SetVariable((CHAR16 *)order, &EfiGlobalVariable, ATTRIBUTES,
				 count * sizeof(UINT16), new);
	FreePool(new);
	if (old)
		FreePool(old);
	return status;
}
