/*
 * fake-bootmgr.c - test only: stands where the Windows Boot Manager would
 *
 * It reads the machine's ACPI tables back the way Windows would find
 * them (RSDP from the configuration table, then XSDT) and prints every
 * field the payload's fixes touch, plus each table's checksum state,
 * then powers the machine off.  Its table reading is written apart from
 * the fixer on purpose: the test must not trust the code it tests.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "bootvars.h"
#include "file.h"
#include "testlib.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define CD_PROMPT_MARKER L"\\win7gen2-test\\cd-prompt"
/* Do what an OS installer or Windows' bcdedit does: a boot entry of its
 * own, first in BootOrder. */
#define OTHER_OS_MARKER L"\\win7gen2-test\\other-os-first"
#define OTHER_OS_DESCRIPTION L"Windows Boot Manager"
#define OTHER_OS_PATH L"\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define STAND_IN_PREFIX "W7G2T-stand-in-version:"
#define CD_PROMPT_SECONDS 5

#define HEADER_LENGTH 36

struct fadt_block {
	const CHAR16 *name;
	UINTN legacy;   /* 32-bit field offset */
	UINTN extended; /* X_ GAS offset; its address is at +4 */
};

static const struct fadt_block fadt_blocks[] = {
	{ L"PM1a_EVT_BLK", 0x38, 0x94 }, { L"PM1b_EVT_BLK", 0x3C, 0xA0 },
	{ L"PM1a_CNT_BLK", 0x40, 0xAC }, { L"PM1b_CNT_BLK", 0x44, 0xB8 },
	{ L"PM2_CNT_BLK", 0x48, 0xC4 },  { L"PM_TMR_BLK", 0x4C, 0xD0 },
	{ L"GPE0_BLK", 0x50, 0xDC },     { L"GPE1_BLK", 0x54, 0xE8 },
};

static UINT8 *find_rsdp(EFI_SYSTEM_TABLE *system_table)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;

	for (UINTN i = 0; i < system_table->NumberOfTableEntries; i++)
		if (CompareMem(&system_table->ConfigurationTable[i].VendorGuid,
			       &acpi20, sizeof(acpi20)) == 0)
			return system_table->ConfigurationTable[i].VendorTable;
	return NULL;
}

static void print_madt(const UINT8 *madt)
{
	Print(L"W7G2T madt.flags=0x%x\n", tl_le32(madt + 0x28));
}

static void print_fadt(const UINT8 *fadt, UINT32 length)
{
	for (UINTN i = 0; i < sizeof(fadt_blocks) / sizeof(fadt_blocks[0]); i++) {
		const struct fadt_block *block = &fadt_blocks[i];

		if (block->extended + 12 > length)
			continue;
		Print(L"W7G2T fadt.%s=0x%x x=0x%lx\n", block->name,
		      tl_le32(fadt + block->legacy), tl_le64(fadt + block->extended + 4));
	}
}

static void print_srat(const UINT8 *srat, UINT32 length)
{
	UINTN memory_index = 0;

	for (UINTN offset = 48; offset + 2 <= length; offset += srat[offset + 1]) {
		const UINT8 *entry = srat + offset;

		if (entry[1] < 2 || offset + entry[1] > length) {
			Print(L"W7G2T srat.malformed at %d\n", offset);
			return;
		}
		if (entry[0] != 1 || entry[1] != 40)
			continue;
		Print(L"W7G2T srat.mem[%d] base=0x%lx length=0x%lx flags=0x%x\n",
		      memory_index++, tl_le64(entry + 8), tl_le64(entry + 16),
		      tl_le32(entry + 28));
	}
}

static void print_table(const UINT8 *table)
{
	UINT32 length = tl_le32(table + 4);
	CHAR16 signature[5];

	for (int i = 0; i < 4; i++)
		signature[i] = table[i];
	signature[4] = 0;
	Print(L"W7G2T table %s length=%d checksum=%a\n", signature, length,
	      tl_sum(table, length) == 0 ? "ok" : "BAD");
	if (CompareMem(table, "APIC", 4) == 0)
		print_madt(table);
	else if (CompareMem(table, "FACP", 4) == 0)
		print_fadt(table, length);
	else if (CompareMem(table, "SRAT", 4) == 0)
		print_srat(table, length);
}

static void print_mode(void)
{
	EFI_GUID vendor = WIN7GEN2_VENDOR_GUID_INIT;
	CHAR8 value[32];
	UINTN size = sizeof(value) - 1;
	UINT32 attributes = 0;
	EFI_STATUS status;

	status = RT->GetVariable(WIDE(WIN7GEN2_MODE_VARIABLE), &vendor, &attributes,
				 &size, value);
	if (EFI_ERROR(status)) {
		Print(L"W7G2T bootmgr: mode variable %r\n", status);
		return;
	}
	value[size] = 0;
	Print(L"W7G2T bootmgr: mode variable \"%a\" attributes=0x%x\n", value, attributes);
}

/*
 * Like Windows' CD boot manager: ask for a key, and without one within
 * a few seconds give up so the firmware tries the next device.
 */
static BOOLEAN cd_prompt(EFI_SYSTEM_TABLE *system_table)
{
	SIMPLE_INPUT_INTERFACE *input = system_table->ConIn;
	EFI_EVENT events[2];
	EFI_INPUT_KEY key;
	UINTN index;

	Print(L"Press any key to boot from CD or DVD");
	input->Reset(input, FALSE);
	BS->CreateEvent(EVT_TIMER, 0, NULL, NULL, &events[1]);
	BS->SetTimer(events[1], TimerRelative, CD_PROMPT_SECONDS * 10000000ull);
	events[0] = input->WaitForKey;
	BS->WaitForEvent(2, events, &index);
	BS->CloseEvent(events[1]);
	Print(L"\n");
	if (index != 0 || input->ReadKeyStroke(input, &key) != EFI_SUCCESS) {
		Print(L"W7G2T cdboot: no key, falling through to the next device\n");
		return FALSE;
	}
	Print(L"W7G2T cdboot: key 0x%x\n", key.UnicodeChar);
	return TRUE;
}

/* Tests rewrite the digits in the binary: keep the length. */
static const char stand_in_version[] __attribute__((used)) = STAND_IN_PREFIX "1.0";

static void other_os_first(EFI_HANDLE device)
{
	UINT16 number = 0;
	EFI_STATUS status;

	status = tv_add_option(L"Boot", OTHER_OS_DESCRIPTION, device, OTHER_OS_PATH, NULL, 0,
			       &number);
	if (!EFI_ERROR(status))
		status = tv_put_first(L"BootOrder", number);
	Print(L"W7G2T bootmgr: another system's entry Boot%04x put first: %r\n", number, status);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
	EFI_LOADED_IMAGE *loaded_image = NULL;
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN count, stride;
	UINT8 *rsdp, *xsdt;

	InitializeLib(image, system_table);
	Print(L"W7G2T bootmgr: started\n");
	Print(L"W7G2T bootmgr: version %a\n", stand_in_version + sizeof(STAND_IN_PREFIX) - 1);
	if (BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded_image) != EFI_SUCCESS)
		loaded_image = NULL;
	if (loaded_image && loaded_image->LoadOptionsSize >= sizeof(CHAR16))
		Print(L"W7G2T bootmgr: load options \"%s\"\n", (CHAR16 *)loaded_image->LoadOptions);
	if (loaded_image && file_probe(loaded_image->DeviceHandle, CD_PROMPT_MARKER) == EFI_SUCCESS &&
	    !cd_prompt(system_table))
		tl_power_off();
	print_mode();
	tv_print_boot();
	if (loaded_image && file_probe(loaded_image->DeviceHandle, OTHER_OS_MARKER) == EFI_SUCCESS)
		other_os_first(loaded_image->DeviceHandle);

	rsdp = find_rsdp(system_table);
	if (!rsdp || rsdp[15] < 2) {
		Print(L"W7G2T bootmgr: no ACPI 2.0 RSDP\n");
		tl_power_off();
	}
	xsdt = (UINT8 *)(UINTN)tl_le64(rsdp + 24);
	Print(L"W7G2T rsdp revision=%d checksum=%a\n", rsdp[15],
	      tl_sum(rsdp, 20) == 0 && tl_sum(rsdp, tl_le32(rsdp + 20)) == 0 ? "ok" : "BAD");
	print_table(xsdt);
	map = tl_memory_map(&count, &stride);
	for (UINT32 offset = HEADER_LENGTH; offset + 8 <= tl_le32(xsdt + 4); offset += 8) {
		UINT64 address = tl_le64(xsdt + offset);

		/* Only the harness makes such an entry (misplace.h); reading
		 * there could fault, and there is nothing to see. */
		if (map && tl_memory_type(map, count, stride, address) == TL_NO_MEMORY) {
			Print(L"W7G2T table at 0x%lx: no memory there, not read\n", address);
			continue;
		}
		print_table((UINT8 *)(UINTN)address);
	}
	if (map)
		FreePool(map);
	Print(L"W7G2T bootmgr: done\n");
	tl_power_off();
}
