/*
 * log.h - messages to the screen and, where the firmware has one, COM1
 *
 * Hyper-V Gen2 exposes COM1 and the host can read it through a named
 * pipe, which is how a headless install is watched.  When the firmware
 * console already includes the serial terminal (QEMU + OVMF) the text
 * goes there once, not twice.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_LOG_H
#define WIN7GEN2_LOG_H

#include <efi.h>

enum log_level {
	LOG_ERROR = 0,  /* always shown */
	LOG_INFO = 1,   /* shown at verbose >= 1 (the default) */
	LOG_DEBUG = 2,  /* shown at verbose >= 2 */
};

struct log {
	SIMPLE_TEXT_OUTPUT_INTERFACE *console;
	EFI_SERIAL_IO_PROTOCOL *serial; /* NULL: none, or console has it */
	unsigned verbose;
};

void log_init(struct log *log, EFI_SYSTEM_TABLE *system_table);

/* gnu-efi Print() format: %a CHAR8 string, %s CHAR16 string, %lx UINT64,
 * %r EFI_STATUS.  A line ends with "\n". */
void log_print(struct log *log, enum log_level level, const CHAR16 *format, ...);

#endif
