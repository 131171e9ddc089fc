/*
 * setuplogs.h - Windows Setup's own logs, when Setup failed
 *
 * Setup writes setupact.log (what it did) and setuperr.log (what went
 * wrong) to X:\Windows\Panther until it has a disk, then to
 * <disk>:\$WINDOWS.~BT\Sources\Panther (Microsoft, "Windows Setup Log
 * Files").  When Setup fails, nobody can read them on the VM: the agent
 * sends setuperr.log and the end of setupact.log with its report, and
 * copies the files to \EFI\win7gen2\setup\ on an ESP when there is one.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_SETUPLOGS_H
#define WIN7GEN2_AGENT_SETUPLOGS_H

#include "output.h"

/* Report what the logs say, and copy them to esp_root (may be NULL). */
void setup_logs_report(const char *esp_root, char skip_letter, struct output *out);

#endif
