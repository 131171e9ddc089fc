/*
 * interrupt.c - Ctrl-C and SIGTERM during a build
 *
 * SPDX-License-Identifier: MIT
 */
#include "interrupt.h"

#include <signal.h>
#include <string.h>

/* The one piece of process-wide state: a signal handler can reach
 * nothing else. */
static volatile sig_atomic_t interrupted;

static void on_signal(int signo)
{
	(void)signo;
	interrupted = 1;
}

void interrupt_catch(void)
{
	struct sigaction action;

	memset(&action, 0, sizeof(action));
	action.sa_handler = on_signal;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGHUP, &action, NULL);
}

bool interrupt_requested(void)
{
	return interrupted != 0;
}
