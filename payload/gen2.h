/*
 * gen2.h - is this a Hyper-V Generation 2 virtual machine?
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_GEN2_H
#define WIN7GEN2_GEN2_H

#include <efi.h>

#include "acpi_fix.h"
#include "config.h"

struct gen2_signals {
	BOOLEAN hyperv_cpuid;  /* CPUID 0x40000000 says "Microsoft Hv" */
	BOOLEAN gen2_acpi;     /* root table OEM IDs are Hyper-V's */
	char hypervisor[13];   /* vendor string, "" without a hypervisor */
	char oem_id[7];
	char oem_table_id[9];
};

void gen2_detect(const struct acpi_memory *memory, UINT64 rsdp_address,
		 struct gen2_signals *signals);

/* Whether to fix the tables, given the signals and the "gen2" setting. */
BOOLEAN gen2_should_fix(const struct gen2_signals *signals, enum config_gen2 setting);

#endif
