/*
 * cmdline.h - build a Windows command line that reads back as meant
 *
 * CreateProcessW takes one string; the program started splits it again
 * (CommandLineToArgvW, or its C runtime, by the same rules).  A path with
 * a space, a quote or a trailing backslash needs quoting and escaping by
 * those rules, or the program sees different arguments.  Portable C:
 * tested on the host against the splitting rules.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_CMDLINE_H
#define WIN7GEN2_AGENT_CMDLINE_H

#include "text.h"

/* Appends arg (UTF-8) to line, quoted as needed, after a space unless
 * line is empty. */
void cmdline_append(struct text *line, const char *arg);

#endif
