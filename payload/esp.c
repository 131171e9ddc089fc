/*
 * esp.c - find the EFI system partitions on every disk
 *
 * Only a partition the GPT calls an EFI system partition is ever
 * written by rescue: a FAT volume that merely holds \EFI\... (a USB
 * stick, the ISO's own boot image) is left alone.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include <efigpt.h>

#include "esp.h"

/* UEFI 2.7 Partition Information protocol; gnu-efi 3.0 lacks it. */
#define PARTITION_INFO_PROTOCOL_GUID \
	{ 0x8cf2f62c, 0xbc9b, 0x4821, { 0x80, 0x8d, 0xec, 0x9e, 0xc4, 0x21, 0xa1, 0xa0 } }
#define PARTITION_TYPE_GPT 2
#define ESP_TYPE_GUID \
	{ 0xc12a7328, 0xf81f, 0x11d2, { 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b } }

#pragma pack(1)
struct partition_info {
	UINT32 revision;
	UINT32 type;
	UINT8 system;
	UINT8 reserved[7];
	union {
		UINT8 mbr[16];
		EFI_PARTITION_ENTRY gpt;
	} info;
};
#pragma pack()

static BOOLEAN is_esp(EFI_HANDLE handle, EFI_GUID *protocol)
{
	EFI_GUID esp_type = ESP_TYPE_GUID;
	struct partition_info *info;

	if (BS->HandleProtocol(handle, protocol, (void **)&info) != EFI_SUCCESS)
		return FALSE;
	return info->type == PARTITION_TYPE_GPT &&
	       CompareMem(&info->info.gpt.PartitionTypeGUID, &esp_type, sizeof(esp_type)) == 0;
}

UINTN esp_find_all(EFI_HANDLE *devices, UINTN max, EFI_STATUS *status)
{
	EFI_GUID partition_info = PARTITION_INFO_PROTOCOL_GUID;
	EFI_HANDLE *handles = NULL;
	UINTN count = 0, found = 0;
	BOOLEAN any_info = FALSE;

	*status = LibLocateHandle(ByProtocol, &FileSystemProtocol, NULL, &count, &handles);
	if (EFI_ERROR(*status))
		return 0;
	for (UINTN i = 0; i < count && found < max; i++) {
		void *unused;

		if (BS->HandleProtocol(handles[i], &partition_info, &unused) == EFI_SUCCESS)
			any_info = TRUE;
		if (is_esp(handles[i], &partition_info))
			devices[found++] = handles[i];
	}
	FreePool(handles);
	*status = any_info || found ? EFI_SUCCESS : EFI_UNSUPPORTED;
	return found;
}

EFI_STATUS esp_partition_node(EFI_HANDLE device, UINT8 node[BOOTOPT_HD_NODE_SIZE])
{
	EFI_GUID partition_info = PARTITION_INFO_PROTOCOL_GUID;
	EFI_DEVICE_PATH *path = DevicePathFromHandle(device), *hd = NULL;
	void *unused;

	for (; path && !IsDevicePathEnd(path); path = NextDevicePathNode(path)) {
		if ((UINTN)DevicePathNodeLength(path) < sizeof(*path))
			return EFI_NOT_FOUND;
		if (DevicePathType(path) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(path) == MEDIA_HARDDRIVE_DP)
			hd = path;
	}
	if (!hd || !bootopt_is_gpt_hd((const uint8_t *)hd, DevicePathNodeLength(hd)))
		return EFI_NOT_FOUND;
	/* Without the protocol the firmware booted us from this GPT
	 * partition, which is what an ESP is for. */
	if (BS->HandleProtocol(device, &partition_info, &unused) == EFI_SUCCESS &&
	    !is_esp(device, &partition_info))
		return EFI_UNSUPPORTED;
	CopyMem(node, hd, BOOTOPT_HD_NODE_SIZE);
	return EFI_SUCCESS;
}
