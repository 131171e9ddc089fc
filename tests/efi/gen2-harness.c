/*
 * gen2-harness.c - test only: turn an OVMF machine into a Gen2 look-alike
 *
 * Booted as \EFI\BOOT\BOOTX64.EFI.  If the volume holds the real Gen2
 * table dumps under \win7gen2-test\acpi\, it copies them into ACPI
 * memory, links them from an XSDT and RSDP (revision 2) of its own and
 * makes that RSDP the machine's only one; misplace.h can point one XSDT
 * entry where no table may be.  Then it starts the payload
 * the way firmware would start \EFI\Microsoft\Boot\bootmgfw.efi, reports
 * what came back and how long it took, and powers the machine off.
 *
 * Once the payload has a boot entry of its own, the firmware starts it
 * before this program.  For those tests (\win7gen2-test\as-sysprep on
 * the volume) the harness also makes itself a SysPrep#### option: the
 * firmware then runs it at every boot just before the boot options,
 * with the disks connected and its own ACPI tables in place (a
 * Driver#### option runs earlier in OVMF's boot, and its tables did not
 * reach the boot option there), and so started it only installs the
 * tables and returns.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "bootvars.h"
#include "file.h"
#include "misplace.h"
#include "testlib.h"
#include "timing.h"

#define ACPI_DIR L"\\win7gen2-test\\acpi\\"
#define PAYLOAD_PATH L"\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define LOAD_OPTIONS L"win7gen2-test load options"
#define SYSPREP_MARKER L"\\win7gen2-test\\as-sysprep"
#define SYSPREP_OPTIONS L"win7gen2-test sysprep"
#define MAX_TABLE (1024 * 1024)
#define HEADER_LENGTH 36
#define FADT_DSDT 0x28
#define FADT_X_DSDT 0x8C
#define RSDP_LENGTH 36

/* The Gen2 XSDT order. */
static const CHAR16 *const xsdt_files[] = {
	L"facp.dat", L"apic.dat", L"srat.dat", L"waet.dat",
	L"spcr.dat", L"bgrt.dat", L"fpdt.dat", L"oem0.dat",
};
#define XSDT_ENTRIES (sizeof(xsdt_files) / sizeof(xsdt_files[0]))

/* ACPI memory below 4 GiB, so 32-bit pointers to it work too. */
static UINT8 *acpi_alloc(UINTN size)
{
	EFI_PHYSICAL_ADDRESS address = 0xFFFFFFFF;

	if (BS->AllocatePages(AllocateMaxAddress, EfiACPIReclaimMemory,
			      EFI_SIZE_TO_PAGES(size), &address) != EFI_SUCCESS)
		return NULL;
	ZeroMem((void *)(UINTN)address, size);
	return (UINT8 *)(UINTN)address;
}

static UINT8 *load_table(EFI_HANDLE device, const CHAR16 *name)
{
	CHAR16 path[FILE_PATH_MAX];
	void *data;
	UINTN size;
	UINT8 *table;
	EFI_STATUS status;

	StrCpy(path, ACPI_DIR);
	StrCat(path, name);
	status = file_read(device, path, MAX_TABLE, &data, &size);
	if (EFI_ERROR(status)) {
		Print(L"W7G2T harness: cannot read %s: %r\n", path, status);
		return NULL;
	}
	table = size >= HEADER_LENGTH ? acpi_alloc(size) : NULL;
	if (table)
		CopyMem(table, data, size);
	FreePool(data);
	return table;
}

static EFI_STATUS install_gen2_tables(EFI_HANDLE device)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	EFI_GUID acpi10 = ACPI_TABLE_GUID;
	UINT8 *xsdt_dump, *xsdt, *rsdp, *dsdt, *fadt;
	UINT32 xsdt_length = HEADER_LENGTH + 8 * XSDT_ENTRIES;
	EFI_STATUS status;

	xsdt_dump = load_table(device, L"xsdt.dat");
	dsdt = load_table(device, L"dsdt.dat");
	xsdt = acpi_alloc(xsdt_length);
	rsdp = acpi_alloc(RSDP_LENGTH);
	if (!xsdt_dump || !dsdt || !xsdt || !rsdp)
		return EFI_LOAD_ERROR;

	/* The XSDT keeps the dump's header (OEM IDs!) with our pointers. */
	CopyMem(xsdt, xsdt_dump, HEADER_LENGTH);
	tl_put_le32(xsdt + 4, xsdt_length);
	for (UINTN i = 0; i < XSDT_ENTRIES; i++) {
		UINT8 *table = load_table(device, xsdt_files[i]);

		if (!table)
			return EFI_LOAD_ERROR;
		tl_put_le64(xsdt + HEADER_LENGTH + 8 * i, (UINT64)(UINTN)table);
	}
	tl_seal(xsdt);

	/* The FADT's DSDT pointers name the dumped VM's memory; point them
	 * at our copy so the machine stays coherent. */
	fadt = (UINT8 *)(UINTN)tl_le64(xsdt + HEADER_LENGTH);
	tl_put_le32(fadt + FADT_DSDT, (UINT32)(UINTN)dsdt);
	tl_put_le64(fadt + FADT_X_DSDT, (UINT64)(UINTN)dsdt);
	tl_seal(fadt);

	/* Last, so a table moved elsewhere is moved complete. */
	status = misplace_entry(device, xsdt);
	if (EFI_ERROR(status) && status != EFI_NOT_FOUND)
		return status;

	CopyMem(rsdp, "RSD PTR ", 8);
	CopyMem(rsdp + 9, "VRTUAL", 6);
	rsdp[15] = 2;                                   /* revision */
	tl_put_le32(rsdp + 20, RSDP_LENGTH);
	tl_put_le64(rsdp + 24, (UINT64)(UINTN)xsdt);
	rsdp[8] = (UINT8)-tl_sum(rsdp, 20);
	rsdp[32] = (UINT8)-tl_sum(rsdp, RSDP_LENGTH);

	/* Drop the firmware's ACPI 1.0 entry too: ours is the only RSDP. */
	BS->InstallConfigurationTable(&acpi10, NULL);
	return BS->InstallConfigurationTable(&acpi20, rsdp);
}

static BOOLEAN started_as_sysprep(const EFI_LOADED_IMAGE *loaded_image)
{
	return loaded_image->LoadOptionsSize == sizeof(SYSPREP_OPTIONS) &&
	       CompareMem(loaded_image->LoadOptions, SYSPREP_OPTIONS, sizeof(SYSPREP_OPTIONS)) == 0;
}

/* SysPrep#### for this file, once: a fresh VARS file has no SysPrepOrder. */
static void register_as_sysprep(EFI_LOADED_IMAGE *loaded_image)
{
	CHAR16 path[FILE_PATH_MAX];
	UINTN size = 0;
	void *order;
	UINT16 number = 0;
	EFI_STATUS status;

	order = LibGetVariableAndSize(L"SysPrepOrder", &EfiGlobalVariable, &size);
	if (order) {
		FreePool(order);
		return;
	}
	status = file_image_path(loaded_image, path, FILE_PATH_MAX);
	if (!EFI_ERROR(status))
		status = tv_add_option(L"SysPrep", L"win7gen2 test harness",
				       loaded_image->DeviceHandle, path, SYSPREP_OPTIONS,
				       sizeof(SYSPREP_OPTIONS), &number);
	if (!EFI_ERROR(status))
		status = tv_put_first(L"SysPrepOrder", number);
	Print(L"W7G2T harness: registered as SysPrep%04x: %r\n", number, status);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
	EFI_LOADED_IMAGE *loaded_image, *payload_image;
	EFI_DEVICE_PATH *payload_path;
	EFI_HANDLE payload;
	UINT64 start, ticks;
	EFI_STATUS status;

	InitializeLib(image, system_table);
	Print(L"W7G2T harness: started\n");
	status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded_image);
	if (EFI_ERROR(status))
		tl_power_off();

	if (file_probe(loaded_image->DeviceHandle, ACPI_DIR L"facp.dat") == EFI_SUCCESS) {
		status = install_gen2_tables(loaded_image->DeviceHandle);
		Print(L"W7G2T harness: Gen2 ACPI tables installed: %r\n", status);
		if (EFI_ERROR(status))
			tl_power_off();
	} else {
		Print(L"W7G2T harness: keeping the firmware's ACPI tables\n");
	}
	if (started_as_sysprep(loaded_image)) {
		Print(L"W7G2T harness: started as SysPrep, back to the firmware\n");
		return EFI_SUCCESS;
	}
	if (file_probe(loaded_image->DeviceHandle, SYSPREP_MARKER) == EFI_SUCCESS)
		register_as_sysprep(loaded_image);

	payload_path = FileDevicePath(loaded_image->DeviceHandle, PAYLOAD_PATH);
	status = BS->LoadImage(FALSE, image, payload_path, NULL, 0, &payload);
	if (EFI_ERROR(status)) {
		Print(L"W7G2T harness: cannot load %s: %r\n", PAYLOAD_PATH, status);
		tl_power_off();
	}
	BS->HandleProtocol(payload, &LoadedImageProtocol, (void **)&payload_image);
	payload_image->LoadOptions = LOAD_OPTIONS;
	payload_image->LoadOptionsSize = sizeof(LOAD_OPTIONS);

	start = timing_now();
	status = BS->StartImage(payload, NULL, NULL);
	ticks = timing_now() - start;
	Print(L"W7G2T harness: payload returned %r after %ld ms\n", status,
	      timing_microseconds(ticks, timing_ticks_per_second(BS)) / 1000);
	tl_power_off();
}
