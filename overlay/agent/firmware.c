/*
 * firmware.c - the boot menu's choice, from the firmware
 *
 * SPDX-License-Identifier: MIT
 */
#include "firmware.h"

#include <stdio.h>
#include <stdlib.h>

#include "privilege.h"
#include "win32util.h"
#include "win7gen2.h"

/* EFI_GLOBAL_VARIABLE: BootOrder and Boot#### live under it. */
#define GLOBAL_VARIABLE_GUID "{8BE4DF61-93CA-11D0-AA6D-00E0CA4E0E02}"
#define VARIABLE_NAME_MAX 32
/* A boot option is a few hundred bytes; firmware caps any at 64 KiB or less. */
#define VARIABLE_MAX (64u * 1024)

#define WIDEN2(text) L##text
#define WIDEN(text) WIDEN2(text)

enum mode_variable_read firmware_read_mode(uint8_t value[MODE_VALUE_MAX], size_t *length,
					   DWORD *error)
{
	DWORD n;

	*length = 0;
	if (!privilege_enable(L"SeSystemEnvironmentPrivilege", error))
		return MODE_VARIABLE_UNREADABLE;
	SetLastError(ERROR_SUCCESS);
	n = GetFirmwareEnvironmentVariableW(WIDEN(WIN7GEN2_MODE_VARIABLE),
					    WIDEN(WIN7GEN2_VENDOR_GUID_STRING), value,
					    MODE_VALUE_MAX);
	*error = GetLastError();
	if (n > 0) {
		*length = n;
		return MODE_VARIABLE_FOUND;
	}
	switch (*error) {
	case ERROR_ENVVAR_NOT_FOUND:
		return MODE_VARIABLE_ABSENT;
	case ERROR_INVALID_FUNCTION:
		/* Microsoft: "If the firmware does not support UEFI" (a BIOS). */
		return MODE_VARIABLE_NO_UEFI;
	case ERROR_SUCCESS:
		/* Nothing read and no error: UEFI cannot hold an empty variable,
		 * so this is an answer that cannot be trusted either way. */
		*error = ERROR_INVALID_DATA;
		return MODE_VARIABLE_UNREADABLE;
	default:
		return MODE_VARIABLE_UNREADABLE;
	}
}

enum fix_status firmware_read_boot_variable(void *ctx, const char *name, struct fix_bytes *out,
					    struct fix_error *err)
{
	wchar_t wide[VARIABLE_NAME_MAX];
	uint8_t *buffer;
	DWORD n, error;
	size_t i;

	(void)ctx;
	out->data = NULL;
	out->size = 0;
	for (i = 0; name[i] && i + 1 < VARIABLE_NAME_MAX; i++)
		wide[i] = (wchar_t)(unsigned char)name[i];
	wide[i] = 0;
	if (!privilege_enable(L"SeSystemEnvironmentPrivilege", &error))
		goto fail;
	buffer = malloc(VARIABLE_MAX);
	if (!buffer) {
		error = ERROR_NOT_ENOUGH_MEMORY;
		goto fail;
	}
	SetLastError(ERROR_SUCCESS);
	n = GetFirmwareEnvironmentVariableW(wide, WIDEN(GLOBAL_VARIABLE_GUID), buffer,
					    VARIABLE_MAX);
	error = GetLastError();
	if (n > 0) {
		out->data = buffer;
		out->size = n;
		return FIX_OK;
	}
	free(buffer);
	if (error == ERROR_ENVVAR_NOT_FOUND)
		return FIX_NOT_FOUND;
fail:
	{
		char reason[256];

		win32_error_text(error, reason, sizeof(reason));
		snprintf(err->message, sizeof(err->message), "firmware variable %s: %s", name,
			 reason);
	}
	return FIX_ERROR;
}
