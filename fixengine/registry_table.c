/*
 * registry_table.c - every registry value win7gen2 fix checks or writes
 *
 * Why these values (sources):
 *
 * - Bug check 0x7B INACCESSIBLE_BOOT_DEVICE is what Windows 7 hits when a
 *   disk installed elsewhere is moved to a Hyper-V Gen2 VM; the public
 *   research behind this project (BRIEF.md sections 1 and 5) traced it to
 *   the boot-critical drivers not being boot-start: the VMBus, the
 *   synthetic SCSI miniport and NTFS.  On Gen2 the only boot disk is a
 *   VMBus SCSI disk (no emulated IDE), so vmbus.sys and storvsc.sys must
 *   be loaded by winload with the boot drivers (Start = 0).
 * - Microsoft's Azure Site Recovery documentation (failover error 170010,
 *   "troubleshoot failover to Azure"): before a machine can boot on Azure
 *   (Hyper-V), the start type of the atapi, intelide, storflt, vmbus and
 *   storvsc drivers is changed to boot start; its no-hydration script
 *   reports "ControlSet001\services\storvsc start = 3 expected value = 0".
 *   atapi/intelide/storflt serve emulated IDE, which Gen2 does not have,
 *   so only vmbus and storvsc are set here.
 * - The groups are those the drivers' own INF files install them in and
 *   that offline Gen2 migrations set: vmbus in "System Bus Extender",
 *   storvsc (a storport miniport) in "SCSI miniport".  Ntfs's group is
 *   "Boot File System".  Winload orders boot drivers by
 *   Control\ServiceGroupOrder; a driver outside its group loads, but out
 *   of order.
 * - Critical Device Database (Control\CriticalDeviceDatabase, read by
 *   Windows 7 and earlier; gone in Windows 8): when Plug and Play meets a
 *   boot device it has never installed, as the Gen2 VMBus and its SCSI
 *   controller are on a disk installed elsewhere, this maps its hardware
 *   ID to the service to start; without an entry the boot device gets no
 *   driver and Windows stops with 0x7B although the driver is
 *   boot-start.  The same repair libguestfs' virt-v2v makes for viostor
 *   with hivex (CriticalDeviceDatabase\pci#ven_1af4&dev_1001... ->
 *   viostor, SCSIAdapter class, Start = 0 in "SCSI miniport").  Device
 *   IDs: Gen2's DSDT declares the VMBus with _HID "VMBus" (hardware ID
 *   ACPI\VMBus); the synthetic SCSI controller is VMBus class
 *   ba6163d9-04a1-4d29-b605-72e2ffb1dc7f (BRIEF.md section 2).  Class
 *   GUIDs: System {4d36e97d-...}, SCSIAdapter {4d36e97b-...}.
 *
 * - Control\PnP\PollBootPartitionTimeout (REG_DWORD, milliseconds): how
 *   long the kernel waits for the boot disk before it stops with 0x7B.
 *   On Gen2 the boot disk is a VMBus child that storvsc reports after the
 *   boot drivers ran; without the value the kernel (nt!PnpBootDeviceWait,
 *   called from IopInitializeBootDrivers) does not wait at all.  Source:
 *   the public project that installs NT 6.1 on Gen2 unattended (BRIEF.md
 *   section 7) sets 30000 for this reason and reports the 0x7B without
 *   it.  The key: that project, Windows 7 offline-servicing scripts and
 *   published 0x7B analyses all write it under Control\PnP, the key the
 *   kernel reads; BRIEF.md and issue 8 shorten it to "Control\".  Not
 *   tied to a service: every Windows 7 reads it.  The caller may choose
 *   the time (fix_options.boot_wait_ms, limits in fix.h).
 *
 * Values not set, on purpose: ErrorControl (Windows' own choice stays),
 * ImagePath (only checked: the file it names must exist), Type (only
 * checked), Wdf01000 (boot-start in every Windows 7 as shipped).
 *
 * SPDX-License-Identifier: MIT
 */
#include "registry_table.h"

#include "ascii.h"
#include "backend.h"
#include "fix.h"

#define SERVICE_KERNEL_DRIVER 1
#define SERVICE_FILE_SYSTEM_DRIVER 2
#define SERVICE_BOOT_START 0

#define CLASS_SYSTEM "{4d36e97d-e325-11ce-bfc1-08002be10318}"
#define CLASS_SCSI_ADAPTER "{4d36e97b-e325-11ce-bfc1-08002be10318}"
#define CDDB "Control\\CriticalDeviceDatabase\\"

const struct registry_service registry_services[] = {
	{ "vmbus", SERVICE_KERNEL_DRIVER, "vmbus.sys",
	  "the Hyper-V VMBus driver package (wvmbus.inf, Windows 7 SP1 in-box or "
	  "Integration Services)" },
	{ "storvsc", SERVICE_KERNEL_DRIVER, "storvsc.sys",
	  "the Hyper-V SCSI controller driver package (wstorvsc.inf, Windows 7 SP1 "
	  "in-box or Integration Services)" },
	{ "Ntfs", SERVICE_FILE_SYSTEM_DRIVER, "Ntfs.sys",
	  "Windows' NTFS driver (part of every Windows 7)" },
};
const size_t registry_service_count = sizeof(registry_services) / sizeof(registry_services[0]);

const struct registry_setting registry_settings[] = {
	{ "vmbus", "Services\\vmbus", "Start", FIX_REG_DWORD, SERVICE_BOOT_START, NULL,
	  "Gen2's devices, the boot disk's controller among them, are on the VMBus", REGISTRY_FIXED },
	{ "vmbus", "Services\\vmbus", "Group", FIX_REG_SZ, 0, "System Bus Extender",
	  "bus drivers load before the miniports on them", REGISTRY_FIXED },
	{ "storvsc", "Services\\storvsc", "Start", FIX_REG_DWORD, SERVICE_BOOT_START, NULL,
	  "the boot disk of a Gen2 VM is a VMBus SCSI disk", REGISTRY_FIXED },
	{ "storvsc", "Services\\storvsc", "Group", FIX_REG_SZ, 0, "SCSI miniport",
	  "storvsc is a storport miniport", REGISTRY_FIXED },
	{ "Ntfs", "Services\\Ntfs", "Start", FIX_REG_DWORD, SERVICE_BOOT_START, NULL,
	  "the public research needed NTFS boot-start after moving a disk to Gen2", REGISTRY_FIXED },
	{ "Ntfs", "Services\\Ntfs", "Group", FIX_REG_SZ, 0, "Boot File System",
	  "the group of the boot file system", REGISTRY_FIXED },
	{ "vmbus", CDDB "acpi#vmbus", "Service", FIX_REG_SZ, 0, "vmbus",
	  "starts vmbus for a VMBus this Windows has not seen before", REGISTRY_FIXED },
	{ "vmbus", CDDB "acpi#vmbus", "ClassGUID", FIX_REG_SZ, 0, CLASS_SYSTEM,
	  "the VMBus is a System device", REGISTRY_FIXED },
	{ "storvsc", CDDB "vmbus#{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}", "Service",
	  FIX_REG_SZ, 0, "storvsc",
	  "starts storvsc for a VMBus SCSI controller this Windows has not seen before",
	  REGISTRY_FIXED },
	{ "storvsc", CDDB "vmbus#{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}", "ClassGUID",
	  FIX_REG_SZ, 0, CLASS_SCSI_ADAPTER,
	  "the VMBus SCSI controller is a SCSIAdapter device", REGISTRY_FIXED },
	{ NULL, "Control\\PnP", "PollBootPartitionTimeout", FIX_REG_DWORD,
	  FIX_BOOT_WAIT_DEFAULT_MS, NULL,
	  "the kernel waits this long for the VMBus boot disk, which appears late; "
	  "without it the boot can stop with 0x7B", REGISTRY_BOOT_WAIT_MS },
};
const size_t registry_setting_count = sizeof(registry_settings) / sizeof(registry_settings[0]);

const struct registry_service *registry_service_find(const char *name)
{
	for (size_t i = 0; i < registry_service_count; i++)
		if (ascii_casecmp(registry_services[i].name, name) == 0)
			return &registry_services[i];
	return NULL;
}
