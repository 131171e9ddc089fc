/*
 * bootentry.c - the payload's own firmware boot entry, first in BootOrder
 *
 * Windows' entry ("Windows Boot Manager") starts bootmgfw.efi, and an
 * update that writes a new boot manager there takes the payload out of
 * the boot.  Ours starts WIN7GEN2_OWN_PATH (owncopy.c), which no update
 * touches; first in BootOrder, it brings the payload back at the next
 * boot, and selfrepair.c puts the wrap back.
 *
 * The entry is ours when it starts our file on our partition, whatever
 * its description or number: one made by an earlier boot, by hand, or
 * by a newer win7gen2.  Other options are never changed or removed, and
 * BootOrder only has ours moved to its front.  NVRAM is written only
 * when something differs: some firmware wears or slows on every write,
 * and an ordinary boot must not change anything.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "bootentry.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define VARIABLE_ATTRIBUTES \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)
#define OPTION_MAX 1024     /* bytes: ours is about 170 */
#define NAME_START 64       /* CHAR16s; grown when a variable's name is longer */
#define NUMBERS 0x10000

struct options {
	UINT8 *used;       /* a bit per number with a Boot#### variable */
	BOOLEAN found;     /* an option starts our file on our partition */
	UINT16 number;     /* the lowest-numbered such one */
	UINT32 attributes; /* its attributes */
};

static BOOLEAN is_global(const EFI_GUID *guid)
{
	return CompareMem(guid, &EfiGlobalVariable, sizeof(*guid)) == 0;
}

/* One Boot#### variable: is it ours? */
static void look_at(struct options *options, const CHAR16 *name, UINT16 number,
		    const UINT8 *hd)
{
	struct bootopt option;
	UINT8 *data;
	UINTN size = 0;

	options->used[number / 8] |= (UINT8)(1u << (number % 8));
	data = LibGetVariableAndSize((CHAR16 *)name, &EfiGlobalVariable, &size);
	if (!data)
		return;
	if (bootopt_parse(data, size, &option) &&
	    bootopt_starts(&option, hd, WIN7GEN2_OWN_PATH) &&
	    (!options->found || number < options->number)) {
		options->found = TRUE;
		options->number = number;
		options->attributes = option.attributes;
	}
	FreePool(data);
}

/* Walk every variable for the Boot#### ones. */
static EFI_STATUS scan(struct options *options, const UINT8 *hd)
{
	UINTN capacity = NAME_START;
	CHAR16 *name = AllocateZeroPool(capacity * sizeof(CHAR16));
	EFI_STATUS status;

	if (!name)
		return EFI_OUT_OF_RESOURCES;
	for (;;) {
		EFI_GUID guid;
		UINTN size = capacity * sizeof(CHAR16);
		UINT16 number;

		status = RT->GetNextVariableName(&size, name, &guid);
		if (status == EFI_BUFFER_TOO_SMALL) {
			/* The walk goes on from the name in the buffer: keep it. */
			CHAR16 *larger = AllocateZeroPool(size);

			if (!larger) {
				status = EFI_OUT_OF_RESOURCES;
				break;
			}
			CopyMem(larger, name, capacity * sizeof(CHAR16));
			FreePool(name);
			name = larger;
			capacity = size / sizeof(CHAR16);
			continue;
		}
		if (status == EFI_NOT_FOUND) {
			status = EFI_SUCCESS;
			break;
		}
		if (EFI_ERROR(status))
			break;
		if (is_global(&guid) && bootopt_name_number(name, &number))
			look_at(options, name, number, hd);
	}
	FreePool(name);
	return status;
}

static EFI_STATUS set_variable(const CHAR16 *name, UINTN size, const void *data)
{
	return RT->SetVariable((CHAR16 *)name, &EfiGlobalVariable, VARIABLE_ATTRIBUTES, size,
			       (void *)data);
}

static EFI_STATUS create(struct log *log, struct disklog *record, struct options *options,
			 const UINT8 *hd)
{
	UINT8 option[OPTION_MAX];
	CHAR16 name[BOOTOPT_NAME_CHARS];
	UINTN size, number;
	EFI_STATUS status;

	for (number = 0; number < NUMBERS; number++)
		if (!(options->used[number / 8] & (1u << (number % 8))))
			break;
	if (number == NUMBERS)
		return EFI_OUT_OF_RESOURCES;
	size = bootopt_build(option, sizeof(option), WIN7GEN2_BOOT_OPTION_DESCRIPTION, hd,
			     WIN7GEN2_OWN_PATH);
	if (!size)
		return EFI_BAD_BUFFER_SIZE;
	bootopt_name((UINT16)number, name);
	status = set_variable(name, size, option);
	if (EFI_ERROR(status)) {
		log_print(log, LOG_ERROR, L"win7gen2: cannot create the boot entry %s: %r\n", name,
			  status);
		disklog_add(record, "failed", L"firmware boot entry %s: %r", name, status);
		return status;
	}
	log_print(log, LOG_INFO, L"win7gen2: boot entry %s \"%a\" created\n", name,
		  WIN7GEN2_BOOT_OPTION_DESCRIPTION);
	disklog_add(record, "changed", L"firmware boot entry %s: was missing; now \"%a\", %a",
		    name, WIN7GEN2_BOOT_OPTION_DESCRIPTION, WIN7GEN2_OWN_PATH);
	options->found = TRUE;
	options->number = (UINT16)number;
	options->attributes = BOOTOPT_ACTIVE;
	return EFI_SUCCESS;
}

/* Ours, switched off (in a firmware menu?): the entry exists to be used. */
static EFI_STATUS activate(struct log *log, struct disklog *record, struct options *options)
{
	CHAR16 name[BOOTOPT_NAME_CHARS];
	UINT8 *data;
	UINTN size = 0;
	EFI_STATUS status;

	bootopt_name(options->number, name);
	data = LibGetVariableAndSize(name, &EfiGlobalVariable, &size);
	if (!data || size < 4) {
		if (data)
			FreePool(data);
		return EFI_NOT_FOUND;
	}
	data[0] |= (UINT8)BOOTOPT_ACTIVE;
	status = set_variable(name, size, data);
	FreePool(data);
	if (EFI_ERROR(status)) {
		log_print(log, LOG_ERROR, L"win7gen2: cannot switch the boot entry %s on: %r\n",
			  name, status);
		disklog_add(record, "failed", L"firmware boot entry %s: switched off; %r", name,
			    status);
		return status;
	}
	log_print(log, LOG_INFO, L"win7gen2: boot entry %s switched on again\n", name);
	disklog_add(record, "changed", L"firmware boot entry %s: was switched off; now on", name);
	options->attributes |= BOOTOPT_ACTIVE;
	return EFI_SUCCESS;
}

static EFI_STATUS put_first(struct log *log, struct disklog *record, UINT16 number)
{
	CHAR16 name[BOOTOPT_NAME_CHARS];
	UINT8 *order, *reordered;
	UINTN size = 0, new_size;
	EFI_STATUS status;

	bootopt_name(number, name);
	order = LibGetVariableAndSize(L"BootOrder", &EfiGlobalVariable, &size);
	if (!order)
		size = 0;
	if (bootorder_is_first(order, size, number)) {
		log_print(log, LOG_DEBUG, L"win7gen2: boot entry %s is first in BootOrder\n", name);
		status = EFI_SUCCESS;
		goto out;
	}
	reordered = AllocatePool(size + 2);
	if (!reordered) {
		status = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	new_size = bootorder_put_first(order, size, number, reordered);
	status = set_variable(L"BootOrder", new_size, reordered);
	FreePool(reordered);
	if (EFI_ERROR(status)) {
		log_print(log, LOG_ERROR, L"win7gen2: cannot put %s first in BootOrder: %r\n", name,
			  status);
		disklog_add(record, "failed", L"BootOrder: %s not first; %r", name, status);
		goto out;
	}
	if (size >= 2) {
		log_print(log, LOG_INFO, L"win7gen2: boot entry %s put first in BootOrder, "
			  L"before Boot%04x\n", name, bootorder_at(order, 0));
		disklog_add(record, "changed", L"BootOrder: was Boot%04x first; now %s, the others "
			    L"behind it in their order", bootorder_at(order, 0), name);
	} else {
		log_print(log, LOG_INFO, L"win7gen2: BootOrder made, with %s\n", name);
		disklog_add(record, "changed", L"BootOrder: was empty; now %s", name);
	}
out:
	if (order)
		FreePool(order);
	return status;
}

EFI_STATUS boot_entry_ensure(struct log *log, struct disklog *record,
			     const UINT8 hd[BOOTOPT_HD_NODE_SIZE])
{
	struct options options = { 0 };
	EFI_STATUS status;

	options.used = AllocateZeroPool(NUMBERS / 8);
	if (!options.used)
		return EFI_OUT_OF_RESOURCES;
	status = scan(&options, hd);
	if (EFI_ERROR(status)) {
		/* A number in use could look free: write nothing. */
		log_print(log, LOG_ERROR, L"win7gen2: cannot list the firmware's boot entries: %r\n",
			  status);
		goto out;
	}
	if (!options.found)
		status = create(log, record, &options, hd);
	else if (!(options.attributes & BOOTOPT_ACTIVE))
		status = activate(log, record, &options);
	if (!EFI_ERROR(status))
		status = put_first(log, record, options.number);
out:
	FreePool(options.used);
	return status;
}
