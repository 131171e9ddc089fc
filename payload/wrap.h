/*
 * wrap.h - put the payload in front of a Windows boot loader on an ESP
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_WRAP_H
#define WIN7GEN2_WRAP_H

#include <efi.h>

enum wrap_result {
	WRAP_ABSENT,      /* no loader at that path: nothing to wrap */
	WRAP_ALREADY,     /* our payload, with its original beside it */
	WRAP_WRAPPED,     /* a bare Microsoft loader, now wrapped */
	WRAP_REWRAPPED,   /* an update put a newer Microsoft loader over the
			   * payload: it is the original now */
	WRAP_ORPHAN,      /* our payload without an original: cannot fix */
	WRAP_FAILED,      /* see status; the loader was left bootable */
};

struct wrap_report {
	enum wrap_result result;
	EFI_STATUS status;
};

/*
 * Wrap folder\name (e.g. "\EFI\Microsoft\Boot\", "bootmgfw.efi") on the
 * volume device with the payload bytes given: the loader found there is
 * kept as name.original.efi, the payload takes its place.
 */
void wrap_loader(EFI_HANDLE device, const CHAR16 *folder, const CHAR16 *name,
		 const void *payload, UINTN payload_size, struct wrap_report *report);

/* "already wrapped", "wrapped", ... */
const CHAR16 *wrap_result_text(enum wrap_result result);

#endif
