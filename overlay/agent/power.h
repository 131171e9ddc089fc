/*
 * power.h - restart or stop the VM at the end of a Windows PE run
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_POWER_H
#define WIN7GEN2_AGENT_POWER_H

#include "decide.h"
#include "output.h"

/*
 * Restart or shut down Windows PE, saying so first.  Returns only for
 * POWER_NONE or a restart that did not happen (the caller then exits,
 * and winpeshl restarts Windows PE anyway).  A shutdown that does not
 * happen never returns: the agent must not exit, or winpeshl would
 * restart the VM into the same failure.
 */
void power_finish(enum power_action action, struct output *out);

#endif
