/*
 * timing.h - how long the payload holds up the boot
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TIMING_H
#define WIN7GEN2_TIMING_H

#include <efi.h>

/* Time stamp counter ticks. */
UINT64 timing_now(void);

/*
 * Ticks per second, measured against the firmware's Stall().  It costs
 * the stall, so it is only called when someone asked for timings.
 * Returns 0 when the counter does not move.
 */
UINT64 timing_ticks_per_second(EFI_BOOT_SERVICES *boot_services);

/* ticks as microseconds at the given rate (0 if the rate is unknown). */
UINT64 timing_microseconds(UINT64 ticks, UINT64 ticks_per_second);

#endif
