/*
 * firmware.c - the boot menu's choice, from the firmware
 *
 * SPDX-License-Identifier: MIT
 */
#include "firmware.h"

#include "privilege.h"
#include "win7gen2.h"

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
