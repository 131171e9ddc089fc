/*
 * installed.h - is there already a Windows 7 this ISO installed?
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_INSTALLED_H
#define WIN7GEN2_INSTALLED_H

#include <efi.h>

/*
 * The first EFI system partition whose Windows boot manager
 * (WIN7GEN2_BOOTMGFW_PATH, what its boot entry starts) is our payload,
 * with its original kept beside it: a system installed, or repaired, by
 * win7gen2.  EFI_NOT_FOUND when there is none.
 */
EFI_STATUS installed_find(EFI_HANDLE *device);

#endif
