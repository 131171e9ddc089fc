/*
 * log.c - messages to the screen and, where the firmware has one, COM1
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "log.h"

#define LOG_LINE_MAX 256

/*
 * True if the "ConOut" variable names a UART: the firmware console is
 * then already mirrored to the serial port and writing it ourselves
 * would print every line twice.
 */
static BOOLEAN console_has_serial(void)
{
	EFI_DEVICE_PATH *path, *node;
	UINTN size = 0;
	BOOLEAN found = FALSE;

	path = LibGetVariableAndSize(L"ConOut", &EfiGlobalVariable, &size);
	if (!path)
		return FALSE;
	for (node = path;
	     (UINT8 *)node + sizeof(*node) <= (UINT8 *)path + size;
	     node = NextDevicePathNode(node)) {
		if ((UINTN)DevicePathNodeLength(node) < sizeof(*node))
			break;
		if (DevicePathType(node) == MESSAGING_DEVICE_PATH &&
		    DevicePathSubType(node) == MSG_UART_DP) {
			found = TRUE;
			break;
		}
		if (IsDevicePathEnd(node))
			break;
	}
	FreePool(path);
	return found;
}

void log_init(struct log *log, EFI_SYSTEM_TABLE *system_table)
{
	EFI_SERIAL_IO_PROTOCOL *serial = NULL;

	log->console = system_table->ConOut;
	log->serial = NULL;
	log->verbose = LOG_INFO;
	if (console_has_serial())
		return;
	if (LibLocateProtocol(&SerialIoProtocol, (void **)&serial) == EFI_SUCCESS)
		log->serial = serial;
}

static void serial_write(EFI_SERIAL_IO_PROTOCOL *serial, const CHAR16 *text)
{
	CHAR8 buffer[LOG_LINE_MAX * 2];
	UINTN length = 0;

	for (; *text && length + 2 < sizeof(buffer); text++) {
		if (*text == L'\n')
			buffer[length++] = '\r';
		buffer[length++] = *text < 0x80 ? (CHAR8)*text : '?';
	}
	serial->Write(serial, &length, buffer);
}

/* OutputString does not turn "\n" into CR LF; the console needs both. */
static void console_write(SIMPLE_TEXT_OUTPUT_INTERFACE *console, CHAR16 *text)
{
	CHAR16 *end;

	for (;;) {
		for (end = text; *end && *end != L'\n'; end++)
			;
		if (!*end) {
			console->OutputString(console, text);
			return;
		}
		*end = 0;
		console->OutputString(console, text);
		console->OutputString(console, L"\r\n");
		text = end + 1;
	}
}

void log_print(struct log *log, enum log_level level, const CHAR16 *format, ...)
{
	CHAR16 line[LOG_LINE_MAX];
	va_list args;

	if ((unsigned)level > log->verbose)
		return;
	va_start(args, format);
	UnicodeVSPrint(line, sizeof(line), format, args);
	va_end(args);
	if (log->serial)
		serial_write(log->serial, line);
	console_write(log->console, line);
}
