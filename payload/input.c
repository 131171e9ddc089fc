/*
 * input.c - waiting for a key without hanging a headless machine
 *
 * Nobody may be at the console of a Gen2 VM during an unattended
 * install, so every wait has a timeout.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "input.h"

#define TICKS_PER_SECOND 10000000ull /* timer events count 100 ns */

EFI_STATUS input_wait_key(EFI_SYSTEM_TABLE *system_table, unsigned seconds,
			  EFI_INPUT_KEY *key)
{
	SIMPLE_INPUT_INTERFACE *input = system_table->ConIn;
	EFI_BOOT_SERVICES *boot = system_table->BootServices;
	EFI_EVENT events[2];
	EFI_EVENT timer;
	UINTN index;
	EFI_STATUS status;

	if (!input)
		return EFI_TIMEOUT;
	if (seconds == 0)
		return input->ReadKeyStroke(input, key) == EFI_SUCCESS ?
		       EFI_SUCCESS : EFI_TIMEOUT;
	status = boot->CreateEvent(EVT_TIMER, 0, NULL, NULL, &timer);
	if (EFI_ERROR(status))
		return status;
	status = boot->SetTimer(timer, TimerRelative, seconds * TICKS_PER_SECOND);
	if (EFI_ERROR(status))
		goto out;
	events[0] = input->WaitForKey;
	events[1] = timer;
	for (;;) {
		status = boot->WaitForEvent(2, events, &index);
		if (EFI_ERROR(status))
			break;
		if (index == 1) {
			status = EFI_TIMEOUT;
			break;
		}
		/* WaitForKey can fire for a key that ReadKeyStroke then
		 * declines (e.g. a lone modifier); keep waiting. */
		if (input->ReadKeyStroke(input, key) == EFI_SUCCESS) {
			status = EFI_SUCCESS;
			break;
		}
	}
out:
	boot->CloseEvent(timer);
	return status;
}
