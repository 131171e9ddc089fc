/*
 * serial.c - COM1, write-only, never blocking the agent
 *
 * SPDX-License-Identifier: MIT
 */
#include "serial.h"

#define WRITE_TIMEOUT_MS 2000      /* a whole write, whatever its size */
#define WRITE_TIMEOUT_PER_BYTE_MS 1 /* 115200 baud: ~0.09 ms a byte, with room */

HANDLE serial_open(void)
{
	COMMTIMEOUTS timeouts = { 0 };
	DCB dcb = { 0 };
	HANDLE port = CreateFileW(L"\\\\.\\COM1", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);

	if (port == INVALID_HANDLE_VALUE)
		return port;
	dcb.DCBlength = sizeof(dcb);
	if (!GetCommState(port, &dcb)) {
		CloseHandle(port);
		return INVALID_HANDLE_VALUE;
	}
	dcb.BaudRate = CBR_115200;
	dcb.ByteSize = 8;
	dcb.Parity = NOPARITY;
	dcb.StopBits = ONESTOPBIT;
	dcb.fBinary = TRUE;
	/* No flow control: a pipe nobody reads must not hold the writes. */
	dcb.fOutxCtsFlow = FALSE;
	dcb.fOutxDsrFlow = FALSE;
	dcb.fDsrSensitivity = FALSE;
	dcb.fOutX = FALSE;
	dcb.fInX = FALSE;
	dcb.fDtrControl = DTR_CONTROL_ENABLE;
	dcb.fRtsControl = RTS_CONTROL_ENABLE;
	timeouts.WriteTotalTimeoutConstant = WRITE_TIMEOUT_MS;
	timeouts.WriteTotalTimeoutMultiplier = WRITE_TIMEOUT_PER_BYTE_MS;
	if (!SetCommState(port, &dcb) || !SetCommTimeouts(port, &timeouts)) {
		CloseHandle(port);
		return INVALID_HANDLE_VALUE;
	}
	return port;
}

bool serial_write(HANDLE port, const char *bytes, size_t length)
{
	while (length > 0) {
		DWORD chunk = length > 4096 ? 4096 : (DWORD)length, wrote = 0;

		if (!WriteFile(port, bytes, chunk, &wrote, NULL) || wrote == 0)
			return false;
		bytes += wrote;
		length -= wrote;
	}
	return true;
}
