/*
 * win32util.h - UTF-8 <-> UTF-16 and error text, for the Win32 code
 *
 * The fix engine and the agent's portable parts speak UTF-8; Win32's
 * W functions speak UTF-16.  Every conversion goes through here, strict
 * (invalid UTF-8 is refused, never replaced), and every Win32 error code
 * becomes one line of text with its number.  Small files are read whole
 * through here too.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_WIN32UTIL_H
#define WIN7GEN2_AGENT_WIN32UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

/* malloc()ed UTF-16 copy of UTF-8 text; NULL if it is not valid UTF-8
 * or memory ran out (GetLastError tells which). */
wchar_t *wide_from_utf8(const char *text);

/* malloc()ed UTF-8 copy; NULL when out of memory or text holds an
 * unpaired surrogate. */
char *utf8_from_wide(const wchar_t *text);

/* The same into a buffer; the text is cut (at a character) if it does
 * not fit, and buf is always terminated. */
void utf8_from_wide_buf(const wchar_t *text, char *buf, size_t size);

/* "Access is denied (error 5)": the system's message, one line. */
void win32_error_text(DWORD code, char *buf, size_t size);

/* "2026-11-26 10:00:00 UTC" from the system clock. */
void win32_timestamp(char *buf, size_t size);

/* A FILETIME as one 64-bit number (100 ns units since 1601). */
unsigned long long filetime_value(const FILETIME *time);

/*
 * The whole of the file at path, at most max bytes, into *data
 * (malloc()ed, followed by one zero byte not counted in *size).  false
 * with *error: CreateFileW's (ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND,
 * ...), ERROR_FILE_TOO_LARGE over max, ERROR_HANDLE_EOF when it could
 * not be read whole, ERROR_NOT_ENOUGH_MEMORY; *data is then NULL.
 */
bool win32_read_whole(const wchar_t *path, size_t max, uint8_t **data, size_t *size,
		     DWORD *error);

#endif
