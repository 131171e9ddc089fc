/*
 * privilege.c - switch on a privilege the process holds
 *
 * SPDX-License-Identifier: MIT
 */
#include "privilege.h"

bool privilege_enable(const wchar_t *name, DWORD *error)
{
	TOKEN_PRIVILEGES wanted;
	HANDLE token;
	bool ok;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token)) {
		*error = GetLastError();
		return false;
	}
	wanted.PrivilegeCount = 1;
	wanted.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
	if (!LookupPrivilegeValueW(NULL, name, &wanted.Privileges[0].Luid)) {
		*error = GetLastError();
		CloseHandle(token);
		return false;
	}
	/* AdjustTokenPrivileges succeeds without enabling a privilege the
	 * token lacks; only GetLastError tells (ERROR_NOT_ALL_ASSIGNED). */
	ok = AdjustTokenPrivileges(token, FALSE, &wanted, 0, NULL, NULL) &&
	     GetLastError() == ERROR_SUCCESS;
	*error = ok ? ERROR_SUCCESS : GetLastError();
	CloseHandle(token);
	return ok;
}
