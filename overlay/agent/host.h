/*
 * host.h - win7gen2pe.exe --windows DIR --esp DIR, on any Windows
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_HOST_H
#define WIN7GEN2_AGENT_HOST_H

#include "args.h"
#include "output.h"

/* The fix engine on the two volumes; the exit status. */
int host_fix(const struct agent_args *args, struct output *out);

#endif
