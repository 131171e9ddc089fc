/*
 * rescue.c - repair boot files from the ISO, without Windows PE
 *
 * The commonest way a working Gen2 Windows 7 stops booting is a Windows
 * update that writes a fresh bootmgfw.efi over our payload.  That needs
 * no Windows PE to fix: put the payload back in front, keep the new
 * Microsoft file as the original.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "esp.h"
#include "rescue.h"
#include "wrap.h"

struct loader_location {
	const CHAR16 *folder;
	const CHAR16 *name;
};

/* Where Windows 7 puts its boot manager on a GPT disk, and the removable-
 * media path firmware falls back to. */
static const struct loader_location loaders[] = {
	{ L"\\EFI\\Microsoft\\Boot\\", L"bootmgfw.efi" },
	{ L"\\EFI\\Boot\\", L"bootx64.efi" },
};

static UINTN repair_esp(struct log *log, EFI_HANDLE device, const void *payload,
			UINTN payload_size)
{
	EFI_DEVICE_PATH *path = DevicePathFromHandle(device);
	CHAR16 *name = path ? DevicePathToStr(path) : NULL;
	UINTN failures = 0;

	log_print(log, LOG_ERROR, L"  %s\n", name ? name : L"(unnamed partition)");
	if (name)
		FreePool(name);
	for (UINTN i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++) {
		struct wrap_report report;

		wrap_loader(device, loaders[i].folder, loaders[i].name, payload,
			    payload_size, &report);
		if (report.result == WRAP_FAILED)
			log_print(log, LOG_ERROR, L"    %s%s: %s, %r\n", loaders[i].folder,
				  loaders[i].name, wrap_result_text(report.result),
				  report.status);
		else
			log_print(log, LOG_ERROR, L"    %s%s: %s\n", loaders[i].folder,
				  loaders[i].name, wrap_result_text(report.result));
		if (report.result == WRAP_FAILED || report.result == WRAP_ORPHAN)
			failures++;
	}
	return failures;
}

UINTN rescue_boot_files(struct log *log, const void *payload, UINTN payload_size)
{
	EFI_HANDLE devices[ESP_MAX];
	EFI_STATUS status;
	UINTN count, failures = 0;

	count = esp_find_all(devices, ESP_MAX, &status);
	if (status == EFI_UNSUPPORTED) {
		log_print(log, LOG_ERROR,
			  L"win7gen2: this firmware cannot tell EFI system partitions apart;\n"
			  L"  use Rescue in Windows PE instead\n");
		return 1;
	}
	log_print(log, LOG_ERROR, L"win7gen2: %d EFI system partition(s) found\n", count);
	for (UINTN i = 0; i < count; i++)
		failures += repair_esp(log, devices[i], payload, payload_size);
	return failures;
}
