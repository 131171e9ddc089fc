/*
 * firmware.h - the boot menu's choice, from the firmware
 *
 * The payload leaves the choice in the volatile UEFI variable
 * Win7Gen2Mode (common/win7gen2.h).  Windows reads firmware variables
 * with GetFirmwareEnvironmentVariableW (Windows Vista and later; needs
 * SeSystemEnvironmentPrivilege).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_FIRMWARE_H
#define WIN7GEN2_AGENT_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#include "backend.h"
#include "decide.h"

#define MODE_VALUE_MAX 64

/* The variable's bytes in value[0..*length); *error for UNREADABLE. */
enum mode_variable_read firmware_read_mode(uint8_t value[MODE_VALUE_MAX], size_t *length,
					   DWORD *error);

/*
 * The fix engine's read_boot_variable (backend.h): a UEFI global variable
 * ("BootOrder", "Boot0003") of this machine.  Only for Windows PE on the
 * VM, whose variables they are; ctx is unused.
 */
enum fix_status firmware_read_boot_variable(void *ctx, const char *name, struct fix_bytes *out,
					    struct fix_error *err);

#endif
