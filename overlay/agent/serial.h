/*
 * serial.h - COM1, write-only, never blocking the agent
 *
 * Gen2 VMs have COM1 (its DSDT declares it; the host reads it through a
 * named pipe: Set-VMComPort -Number 1 -Path \\.\pipe\NAME).  The agent
 * sends its report there, 115200 8N1 like the payload.  Nothing reading
 * the pipe, or no serial driver in Windows PE, must never stop the
 * agent: opening fails quietly, and a write that times out closes the
 * port for the rest of the run.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_SERIAL_H
#define WIN7GEN2_AGENT_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

/* INVALID_HANDLE_VALUE when there is no usable COM1. */
HANDLE serial_open(void);

/* False when the bytes did not all go out in time (then stop using it). */
bool serial_write(HANDLE port, const char *bytes, size_t length);

#endif
