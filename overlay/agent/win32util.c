/*
 * win32util.c - UTF-8 <-> UTF-16 and error text, for the Win32 code
 *
 * SPDX-License-Identifier: MIT
 */
#include "win32util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wchar_t *wide_from_utf8(const char *text)
{
	int count = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, NULL, 0);
	wchar_t *wide;

	if (count <= 0)
		return NULL;
	wide = malloc((size_t)count * sizeof(wchar_t));
	if (!wide) {
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, wide, count) != count) {
		free(wide);
		return NULL;
	}
	return wide;
}

char *utf8_from_wide(const wchar_t *text)
{
	/* WC_ERR_INVALID_CHARS (Vista and later) refuses unpaired surrogates. */
	int count = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, text, -1, NULL, 0, NULL,
					NULL);
	char *utf8;

	if (count <= 0)
		return NULL;
	utf8 = malloc((size_t)count);
	if (!utf8) {
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	if (WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, text, -1, utf8, count, NULL,
				NULL) != count) {
		free(utf8);
		return NULL;
	}
	return utf8;
}

void utf8_from_wide_buf(const wchar_t *text, char *buf, size_t size)
{
	char *utf8;
	size_t n;

	if (size == 0)
		return;
	utf8 = utf8_from_wide(text);
	if (!utf8) {
		snprintf(buf, size, "(a name that is not valid UTF-16)");
		return;
	}
	n = strlen(utf8);
	if (n >= size) {
		n = size - 1;
		/* Do not end inside a UTF-8 sequence. */
		while (n > 0 && ((unsigned char)utf8[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, utf8, n);
	buf[n] = '\0';
	free(utf8);
}

void win32_error_text(DWORD code, char *buf, size_t size)
{
	wchar_t message[256];
	char text[512];
	DWORD n;

	n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code,
			   0, message, sizeof(message) / sizeof(message[0]), NULL);
	/* The message ends in ".\r\n"; one line without them reads better. */
	while (n > 0 && (message[n - 1] == L'\r' || message[n - 1] == L'\n' ||
			 message[n - 1] == L'.' || message[n - 1] == L' '))
		n--;
	message[n] = L'\0';
	for (DWORD i = 0; i < n; i++)
		if (message[i] == L'\r' || message[i] == L'\n')
			message[i] = L' ';
	if (n == 0) {
		snprintf(buf, size, "error %lu", (unsigned long)code);
		return;
	}
	utf8_from_wide_buf(message, text, sizeof(text));
	snprintf(buf, size, "%s (error %lu)", text, (unsigned long)code);
}

void win32_timestamp(char *buf, size_t size)
{
	SYSTEMTIME now;

	GetSystemTime(&now);
	snprintf(buf, size, "%04u-%02u-%02u %02u:%02u:%02u UTC", now.wYear, now.wMonth, now.wDay,
		 now.wHour, now.wMinute, now.wSecond);
}

unsigned long long filetime_value(const FILETIME *time)
{
	return (unsigned long long)time->dwHighDateTime << 32 | time->dwLowDateTime;
}

bool win32_read_whole(const wchar_t *path, size_t max, uint8_t **data, size_t *size,
		     DWORD *error)
{
	HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
				  NULL);
	LARGE_INTEGER length;
	DWORD got = 0;

	*data = NULL;
	*size = 0;
	if (file == INVALID_HANDLE_VALUE) {
		*error = GetLastError();
		return false;
	}
	/* One ReadFile call: a DWORD's worth at most. */
	if (!GetFileSizeEx(file, &length)) {
		*error = GetLastError();
		CloseHandle(file);
		return false;
	}
	if (length.QuadPart < 0 || (uint64_t)length.QuadPart > max ||
	    (uint64_t)length.QuadPart > MAXDWORD - 1) {
		*error = ERROR_FILE_TOO_LARGE;
		CloseHandle(file);
		return false;
	}
	*data = malloc((size_t)length.QuadPart + 1);
	if (!*data) {
		*error = ERROR_NOT_ENOUGH_MEMORY;
		CloseHandle(file);
		return false;
	}
	if (!ReadFile(file, *data, (DWORD)length.QuadPart, &got, NULL) ||
	    got != (DWORD)length.QuadPart) {
		*error = got == (DWORD)length.QuadPart ? GetLastError() : ERROR_HANDLE_EOF;
		free(*data);
		*data = NULL;
		CloseHandle(file);
		return false;
	}
	CloseHandle(file);
	(*data)[got] = 0;
	*size = got;
	return true;
}
