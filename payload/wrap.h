/*
 * wrap.h - put the payload in front of the Windows boot loaders on an ESP
 *
 * What to do with what is found is common/wrap_rule.h's decision, the
 * same the fix engine makes (win7gen2 fix, the WinPE agent); this is
 * only the doing, with the firmware's file functions.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_WRAP_H
#define WIN7GEN2_WRAP_H

#include <efi.h>

#include "wrap_rule.h"

/* Which of the rule's decisions wrap_esp carries out. */
enum wrap_scope {
	WRAP_SCOPE_ALL,     /* all: the ISO's rescue, which a person chose */
	WRAP_SCOPE_RESTORE, /* only those wrap_restores_wrap names: self-repair at boot */
};

struct wrap_report {
	struct wrap_decision decision;
	BOOLEAN out_of_scope; /* the action writes, but the scope leaves it undone */
	BOOLEAN failed;    /* the action was tried and failed; the loader was
			    * left bootable */
	EFI_STATUS status; /* why it failed, or why a file could not be read
			    * (WRAP_REFUSE_UNREADABLE); else EFI_SUCCESS */
};

/*
 * Wrap each loader of wrap_loaders on the volume device with the payload
 * bytes given (version: its marker's), as far as scope goes, one report
 * per loader in that order.
 */
void wrap_esp(EFI_HANDLE device, const void *payload, UINTN payload_size,
	      const char *version, enum wrap_scope scope,
	      struct wrap_report reports[WRAP_LOADER_COUNT]);

/* The loader's path on the ESP ("\EFI\Boot\bootx64.efi") for reports;
 * FALSE if it does not fit. */
BOOLEAN wrap_loader_path(const struct wrap_loader *loader, const char *suffix,
			 CHAR16 *path, UINTN count);

#endif
