/*
 * misplace.h - test only: point one XSDT entry where no table may be
 *
 * \win7gen2-test\bad-xsdt-entry on the harness's volume holds one line,
 * "SIGNATURE WHERE", and the XSDT entry of the table SIGNATURE (FACP,
 * SRAT, WAET, ...) then points
 *   conventional  at a copy of the table in free (conventional) memory:
 *                 a valid table, so only the memory map tells that it is
 *                 not the firmware's;
 *   unmapped      at an address that no memory map descriptor covers.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MISPLACE_H
#define WIN7GEN2_MISPLACE_H

#include <efi.h>

#define MISPLACE_SETTING L"\\win7gen2-test\\bad-xsdt-entry"

/*
 * Apply the setting on device to xsdt and re-seal it; says on the
 * console what it did.  EFI_NOT_FOUND: no setting, nothing changed;
 * any other error: the setting could not be carried out.
 */
EFI_STATUS misplace_entry(EFI_HANDLE device, UINT8 *xsdt);

#endif
