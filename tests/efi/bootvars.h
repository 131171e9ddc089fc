/*
 * bootvars.h - test only: read and write the firmware's load options
 *
 * Written apart from common/bootopt.c on purpose: the tests read back
 * what the payload wrote in NVRAM with code the payload does not share.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TEST_BOOTVARS_H
#define WIN7GEN2_TEST_BOOTVARS_H

#include <efi.h>

/*
 * Print BootOrder and each Boot#### it lists, a line each:
 *   W7G2T bootvars: BootOrder 0003 0001 0000
 *   W7G2T bootvars: Boot0003 attributes=0x1 "description" <device path>
 */
void tv_print_boot(void);

/*
 * Add an active load option ("Boot" or "SysPrep" + the lowest free
 * number) named description, starting path on device, with the
 * optional data given; the number in *number.
 */
EFI_STATUS tv_add_option(const CHAR16 *type, const CHAR16 *description, EFI_HANDLE device,
			 const CHAR16 *path, const void *optional, UINTN optional_size,
			 UINT16 *number);

/* Put number at the front of the order variable (L"BootOrder",
 * L"SysPrepOrder"), keeping every other entry. */
EFI_STATUS tv_put_first(const CHAR16 *order, UINT16 number);

#endif
