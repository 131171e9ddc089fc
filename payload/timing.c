/*
 * timing.c - how long the payload holds up the boot
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>

#include "timing.h"

#define CALIBRATION_MICROSECONDS 5000

UINT64 timing_now(void)
{
	UINT32 low, high;

	__asm__ __volatile__("rdtsc" : "=a"(low), "=d"(high));
	return ((UINT64)high << 32) | low;
}

UINT64 timing_ticks_per_second(EFI_BOOT_SERVICES *boot_services)
{
	UINT64 start, ticks;

	start = timing_now();
	boot_services->Stall(CALIBRATION_MICROSECONDS);
	ticks = timing_now() - start;
	return ticks * (1000000 / CALIBRATION_MICROSECONDS);
}

UINT64 timing_microseconds(UINT64 ticks, UINT64 ticks_per_second)
{
	if (ticks_per_second == 0)
		return 0;
	/* Split to keep ticks * 10^6 from overflowing on long intervals. */
	return ticks / ticks_per_second * 1000000 +
	       ticks % ticks_per_second * 1000000 / ticks_per_second;
}
