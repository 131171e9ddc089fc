/*
 * gen2.c - is this a Hyper-V Generation 2 virtual machine?
 *
 * Two signals: the hypervisor vendor leaf, which only a real Hyper-V
 * answers with "Microsoft Hv", and the OEM IDs of the ACPI root table,
 * which Gen2 firmware sets to "VRTUAL"/"MICROSFT".  The tests run under
 * QEMU without KVM, which cannot fake the CPUID leaf, so they rely on the
 * ACPI signal.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>

#include "gen2.h"

#define CPUID_FEATURES 1
#define CPUID_FEATURES_ECX_HYPERVISOR (1u << 31)
#define CPUID_HYPERVISOR_VENDOR 0x40000000

static void cpuid(UINT32 leaf, UINT32 *eax, UINT32 *ebx, UINT32 *ecx, UINT32 *edx)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx)
			     : "a"(leaf), "c"(0));
}

static void put_le32(char *out, UINT32 value)
{
	for (int i = 0; i < 4; i++)
		out[i] = (char)(value >> (8 * i));
}

static BOOLEAN same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void hypervisor_vendor(char vendor[13])
{
	UINT32 eax, ebx, ecx, edx;

	vendor[0] = 0;
	cpuid(CPUID_FEATURES, &eax, &ebx, &ecx, &edx);
	if (!(ecx & CPUID_FEATURES_ECX_HYPERVISOR))
		return;
	cpuid(CPUID_HYPERVISOR_VENDOR, &eax, &ebx, &ecx, &edx);
	put_le32(vendor, ebx);
	put_le32(vendor + 4, ecx);
	put_le32(vendor + 8, edx);
	vendor[12] = 0;
}

void gen2_detect(const struct acpi_memory *memory, UINT64 rsdp_address,
		 struct gen2_signals *signals)
{
	hypervisor_vendor(signals->hypervisor);
	signals->hyperv_cpuid = same(signals->hypervisor, "Microsoft Hv");

	signals->oem_id[0] = 0;
	signals->oem_table_id[0] = 0;
	signals->gen2_acpi = FALSE;
	if (rsdp_address &&
	    acpi_root_ids(memory, rsdp_address, signals->oem_id, signals->oem_table_id))
		signals->gen2_acpi = same(signals->oem_id, "VRTUAL") &&
				     same(signals->oem_table_id, "MICROSFT");
}

BOOLEAN gen2_should_fix(const struct gen2_signals *signals, enum config_gen2 setting)
{
	switch (setting) {
	case CONFIG_GEN2_FORCE:
		return TRUE;
	case CONFIG_GEN2_OFF:
		return FALSE;
	case CONFIG_GEN2_AUTO:
		break;
	}
	return signals->hyperv_cpuid || signals->gen2_acpi;
}
