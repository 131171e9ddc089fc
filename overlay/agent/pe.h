/*
 * pe.h - win7gen2pe.exe in Windows PE: install, rescue, continue
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_PE_H
#define WIN7GEN2_AGENT_PE_H

#include <stdbool.h>

#include "args.h"
#include "output.h"

/* True in Windows PE (HKLM\SYSTEM\CurrentControlSet\Control\MiniNT
 * exists only there). */
bool running_in_windows_pe(void);

/* The whole Windows PE run; the exit status (it may not return: see
 * power.h). */
int pe_main(const struct agent_args *args, struct output *out);

#endif
