/*
 * privilege.h - switch on a privilege the process holds
 *
 * Reading firmware variables needs SeSystemEnvironmentPrivilege, loading
 * and saving hives SeBackupPrivilege and SeRestorePrivilege, restarting
 * SeShutdownPrivilege.  Windows PE runs the agent as SYSTEM, which holds
 * them all, switched off; an administrator on a Windows host holds them
 * too.  They must be switched on before use.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_PRIVILEGE_H
#define WIN7GEN2_AGENT_PRIVILEGE_H

#include <stdbool.h>
#include <windows.h>

/* True when the privilege is on; otherwise *error says why
 * (ERROR_NOT_ALL_ASSIGNED: the account does not hold it). */
bool privilege_enable(const wchar_t *name, DWORD *error);

#endif
