/*
 * rescue.c - repair boot files from the ISO, without Windows PE
 *
 * The commonest way a working Gen2 Windows 7 stops booting is a Windows
 * update that writes a fresh bootmgfw.efi over our payload.  That needs
 * no Windows PE to fix: put the payload back in front, keep the new
 * Microsoft file as the original.  What is done on each ESP is what
 * win7gen2 fix and the WinPE agent would do there (common/wrap_rule.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "efi_image.h"
#include "esp.h"
#include "file.h"
#include "rescue.h"
#include "win7gen2.h"
#include "wrap.h"

static void report_loader(struct log *log, const struct wrap_loader *loader,
			  const struct wrap_report *report)
{
	CHAR16 path[FILE_PATH_MAX];
	enum wrap_original original = report->decision.original;

	if (!wrap_loader_path(loader, WIN7GEN2_LOADER_SUFFIX, path, FILE_PATH_MAX))
		path[0] = 0;
	if (report->failed)
		log_print(log, LOG_ERROR, L"    %s: FAILED (%a), %r\n", path,
			  wrap_action_text(report->decision.action), report->status);
	else
		log_print(log, LOG_ERROR, L"    %s: %a\n", path,
			  wrap_action_text(report->decision.action));
	/* On a line of its own, so the line above is the same everywhere. */
	if (report->decision.action == WRAP_REFUSE_UNREADABLE)
		log_print(log, LOG_ERROR, L"      (%r)\n", report->status);
	/* The original matters only when it is not simply there. */
	if (original != WRAP_ORIGINAL_UNUSED && original != WRAP_ORIGINAL_LOADER) {
		if (!wrap_loader_path(loader, WIN7GEN2_ORIGINAL_SUFFIX, path, FILE_PATH_MAX))
			path[0] = 0;
		log_print(log, LOG_ERROR, L"    %s: %a\n", path, wrap_original_text(original));
	}
}

static UINTN repair_esp(struct log *log, EFI_HANDLE device, const void *payload,
			UINTN payload_size, const char *version)
{
	EFI_DEVICE_PATH *path = DevicePathFromHandle(device);
	CHAR16 *name = path ? DevicePathToStr(path) : NULL;
	struct wrap_report reports[WRAP_LOADER_COUNT];
	UINTN failures = 0;

	log_print(log, LOG_ERROR, L"  %s\n", name ? name : L"(unnamed partition)");
	if (name)
		FreePool(name);
	wrap_esp(device, payload, payload_size, version, WRAP_SCOPE_ALL, reports);
	for (UINTN i = 0; i < WRAP_LOADER_COUNT; i++) {
		report_loader(log, &wrap_loaders[i], &reports[i]);
		if (reports[i].failed || wrap_is_problem(&reports[i].decision))
			failures++;
	}
	return failures;
}

UINTN rescue_boot_files(struct log *log, const void *payload, UINTN payload_size)
{
	EFI_HANDLE devices[ESP_MAX];
	struct efi_image_id id;
	EFI_STATUS status;
	UINTN count, failures = 0;

	/* What goes in front of Windows must be win7gen2.efi, as the fix
	 * engine insists too: this file, unless something replaced it. */
	efi_image_identify(payload, payload_size, &id);
	if (id.kind != EFI_IMAGE_PAYLOAD) {
		log_print(log, LOG_ERROR,
			  L"win7gen2: the file this program was started from is not "
			  L"win7gen2.efi (%a); nothing repaired\n", efi_image_name(&id));
		return 1;
	}
	count = esp_find_all(devices, ESP_MAX, &status);
	if (status == EFI_UNSUPPORTED) {
		log_print(log, LOG_ERROR,
			  L"win7gen2: this firmware cannot tell EFI system partitions apart;\n"
			  L"  use Rescue in Windows PE instead\n");
		return 1;
	}
	log_print(log, LOG_ERROR, L"win7gen2: %d EFI system partition(s) found\n", count);
	for (UINTN i = 0; i < count; i++)
		failures += repair_esp(log, devices[i], payload, payload_size, id.version);
	return failures;
}
