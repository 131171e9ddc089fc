/*
 * convert.h - a Generation 1 (BIOS, MBR) Windows 7 disk made Generation 2
 *
 * The checks and the new partition table of win7gen2 convert, as pure
 * functions on bytes the caller has read: the same code serves the
 * Linux command (builder/cmd_convert.c, a raw image or a block device)
 * and can serve the Windows agent, which reads \\.\PhysicalDriveN.
 * Nothing here reads or writes a disk.
 *
 * The steps, in the order the caller runs them:
 *
 *   1. convert_read_mbr: LBA 0 and the disk's size.  Refuses a GPT
 *      disk, a disk without an MBR, extended and dynamic partitions,
 *      types it does not know, overlaps, no room for GPT at either end.
 *   2. convert_check_volumes: each partition's first sector.  Refuses
 *      BitLocker, picks System Reserved (to become the ESP) and the
 *      Windows partition candidates.
 *   3. the caller looks inside the Windows partition (Windows 7 x64?)
 *      and System Reserved (boot files only?), through its file-system
 *      access, and records the answer with convert_set_windows.
 *   4. convert_build_gpt: the protective MBR, both GPT headers and both
 *      entry arrays, every partition on its old sectors.
 *
 * Why System Reserved and no shrinking: Windows 7 Setup makes a 100 MiB
 * active NTFS "System Reserved" partition holding bootmgr and \Boot\BCD
 * whenever it partitions the disk itself: that is the ESP-to-be, and its
 * old content goes into the undo backup.  A disk without one (Windows
 * installed onto an existing single partition) is refused with the
 * reason: shrinking NTFS moves data, and cannot be undone byte for byte.
 *
 * Portable C11: no POSIX, no Win32.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_CONVERT_H
#define WIN7GEN2_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "text.h"

#define CONVERT_BLOCK_SIZE 512u
/* 128 entries of 128 bytes, as every Windows and Linux tool writes. */
#define CONVERT_GPT_ENTRY_COUNT 128u
#define CONVERT_GPT_ENTRY_SIZE 128u
#define CONVERT_GPT_ENTRY_BLOCKS \
	(CONVERT_GPT_ENTRY_COUNT * CONVERT_GPT_ENTRY_SIZE / CONVERT_BLOCK_SIZE)
/* A header and its entry array: at each end of the disk (plus LBA 0). */
#define CONVERT_GPT_END_BLOCKS (1u + CONVERT_GPT_ENTRY_BLOCKS)
/* Windows 7 Setup's System Reserved: 100 MiB. */
#define CONVERT_ESP_MIN_BLOCKS (100u * 1024 * 1024 / CONVERT_BLOCK_SIZE)
/* What the user is told to grow the disk by when the end is taken. */
#define CONVERT_GROW_BYTES (1024u * 1024)
#define CONVERT_MBR_SLOTS 4

/* Why a disk is refused; nothing has been changed when one is given. */
enum convert_refusal {
	CONVERT_ACCEPTED = 0,
	CONVERT_REFUSE_GPT,           /* already GPT */
	CONVERT_REFUSE_NOT_MBR,       /* blank, a bare volume, unreadable */
	CONVERT_REFUSE_BLOCK_SIZE,    /* not 512-byte sectors */
	CONVERT_REFUSE_EXTENDED,      /* extended partition (0x05, 0x0f, 0x85) */
	CONVERT_REFUSE_DYNAMIC,       /* dynamic disk (0x42) */
	CONVERT_REFUSE_PARTITION_TYPE, /* a type we do not know how to map */
	CONVERT_REFUSE_LAYOUT,        /* overlaps or runs past the disk's end */
	CONVERT_REFUSE_NO_ROOM_START, /* a partition starts before LBA 34 */
	CONVERT_REFUSE_NO_ROOM_END,   /* fewer than 33 free blocks at the end */
	CONVERT_REFUSE_BITLOCKER,     /* a BitLocker volume */
	CONVERT_REFUSE_NO_SYSTEM_RESERVED,
	CONVERT_REFUSE_NO_WINDOWS,    /* no Windows 7 x64 found */
	CONVERT_REFUSE_READ_ONLY,     /* the image or device cannot be written */
	CONVERT_REFUSE_HIBERNATED,    /* Windows is hibernated (hiberfil.sys says so) */
	CONVERT_REFUSE_IN_USE,        /* mounted, or an image a running VM has open */
};

/* A short name for a refusal ("gpt", "bitlocker", ...), for scripts and tests. */
const char *convert_refusal_name(enum convert_refusal refusal);

enum convert_role {
	CONVERT_ROLE_DATA,    /* another partition: basic data, kept as it is */
	CONVERT_ROLE_ESP,     /* System Reserved, to be formatted FAT32 */
	CONVERT_ROLE_WINDOWS, /* the volume holding \Windows */
	CONVERT_ROLE_RECOVERY, /* MBR type 0x27: Windows RE */
};

struct convert_partition {
	unsigned slot;       /* 0-3: its entry in the MBR */
	uint64_t first_lba;
	uint64_t blocks;
	uint8_t mbr_type;
	bool active;
	bool ntfs;           /* its boot sector is NTFS */
	enum convert_role role;
	uint8_t guid[16];    /* the new unique partition GUID (on-disk order) */
};

struct convert_layout {
	uint64_t disk_blocks;
	uint32_t disk_signature; /* the MBR's, which MountedDevices uses */
	unsigned count;          /* partitions, in order of first_lba */
	struct convert_partition partition[CONVERT_MBR_SLOTS];
	int esp;                 /* index into partition[], or -1 */
	int windows;             /* index into partition[], or -1 */
	uint64_t grow_blocks;    /* NO_ROOM_END: how much is missing */
	uint8_t disk_guid[16];
};

/* Step 1.  err says why, naming the partition and what to do. */
enum convert_refusal convert_read_mbr(const uint8_t *lba0, size_t block_size,
				      uint64_t disk_blocks, struct convert_layout *layout,
				      struct fix_error *err);

/* Step 2.  boot_sector[i] is the first CONVERT_BLOCK_SIZE bytes of
 * layout->partition[i] (NULL when it could not be read). */
enum convert_refusal convert_check_volumes(struct convert_layout *layout,
					   const uint8_t *const boot_sector[],
					   struct fix_error *err);

/* Step 3: index is the partition that holds Windows 7 x64. */
void convert_set_windows(struct convert_layout *layout, unsigned index);

/* GUIDs for the disk and each partition, from 16 * (1 + count) random
 * bytes: made version 4 (RFC 4122), as Windows and sgdisk make them. */
void convert_set_guids(struct convert_layout *layout, const uint8_t *random,
		       size_t size);

/* Where each part of the new table goes (LBAs) and its bytes. */
struct convert_gpt {
	uint8_t protective_mbr[CONVERT_BLOCK_SIZE];         /* LBA 0 */
	uint8_t primary_header[CONVERT_BLOCK_SIZE];         /* LBA 1 */
	uint8_t entries[CONVERT_GPT_ENTRY_BLOCKS * CONVERT_BLOCK_SIZE]; /* both copies */
	uint64_t primary_entries_lba;                       /* 2 */
	uint64_t backup_entries_lba;                        /* last - 32 */
	uint8_t backup_header[CONVERT_BLOCK_SIZE];
	uint64_t backup_header_lba;                         /* last */
};

/* Step 4: layout must have passed steps 1-3 and have its GUIDs. */
void convert_build_gpt(const struct convert_layout *layout, struct convert_gpt *gpt);

/* The GPT name a partition gets (ASCII), as Windows names them. */
const char *convert_partition_name(enum convert_role role);

/* The run record convert adds to \EFI\win7gen2\log.txt on the new ESP,
 * after the Gen2 fix's: the disk, each partition's old and new type and
 * GUID, where the undo data is. */
void convert_log_text(const struct convert_layout *layout, const char *disk_name,
		      const char *tool_version, const char *timestamp,
		      unsigned mounted_changed, struct text *out);
/* The same from elsewhere: where ("Windows host (win7gen2pe --convert)")
 * and what the fix's SYSTEM.win7gen2-backup holds there. */
void convert_log_text_where(const struct convert_layout *layout, const char *disk_name,
			    const char *tool_version, const char *timestamp,
			    unsigned mounted_changed, const char *where, const char *backup_note,
			    struct text *out);

/* "7C3D...-..." for a GUID in on-disk order; buf holds 37 bytes. */
void convert_guid_text(const uint8_t guid[16], char buf[37]);

/* Who carries the plan out, which decides the order of its steps. */
enum convert_writer {
	CONVERT_WRITER_LINUX,        /* win7gen2 convert: the ESP staged first */
	CONVERT_WRITER_WINDOWS_HOST, /* win7gen2pe --convert: the store by the engine */
	CONVERT_WRITER_WINDOWS_PE,   /* mode convert: in Windows PE: the store by bcdboot */
};

/* The plan, for people: every partition before and after, what is kept
 * for undo, what the ESP receives, and in which order writer does it. */
void convert_plan_text(const struct convert_layout *layout, const char *disk_name,
		       enum convert_writer writer, struct text *out);

/*
 * MountedDevices: Windows remembers a basic MBR volume as 12 bytes, the
 * disk signature and the partition's byte offset, and a basic GPT volume
 * as "DMIO:ID:" and the partition's unique GUID (24 bytes).  Given a
 * value's data, true with the GPT form in out when it names a partition
 * of this disk (so \DosDevices\C: keeps its letter under GPT).
 */
#define CONVERT_MOUNTED_GPT_SIZE 24
bool convert_mounted_device(const struct convert_layout *layout, const uint8_t *data,
			    size_t size, uint8_t out[CONVERT_MOUNTED_GPT_SIZE]);

/*
 * The UEFI boot store (\EFI\Microsoft\Boot\BCD), a registry hive made
 * from \Windows\System32\config\BCD-Template as bcdboot makes it:
 * Objects\{guid}\Description\Type (REG_DWORD, the object type) and
 * Objects\{guid}\Elements\<type, 8 hex digits>\Element.  Element types
 * and their data formats: Microsoft's BCD WMI reference
 * (BcdLibraryElementTypes, BcdBootMgrElementTypes, BcdOSLoaderElementTypes,
 * BcdResumeElementTypes, BcdElementType): strings REG_SZ, objects REG_SZ
 * "{guid}", object lists REG_MULTI_SZ, integers REG_BINARY of 8 bytes,
 * devices REG_BINARY as convert_bcd_device_mbr/_gpt write them.
 * convert_bcd.h's convert_bcd_fill writes the store through a backend.
 */
#define CONVERT_BCD_BOOTMGR "{9dea862c-5cdd-4e70-acc1-f32b344d4795}"
#define CONVERT_BCD_GLOBALSETTINGS "{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}"
#define CONVERT_BCD_BOOTLOADERSETTINGS "{6efb52bf-1766-41db-a6b3-0ee5eff72bd7}"
#define CONVERT_BCD_RESUMELOADERSETTINGS "{1afa9c49-16ab-4a5c-901b-212802da9460}"
/* Object types (Description\Type). */
#define CONVERT_BCD_TYPE_BOOTMGR 0x10100002u  /* firmware application: boot manager */
#define CONVERT_BCD_TYPE_OSLOADER 0x10200003u /* boot application: Windows loader */
#define CONVERT_BCD_TYPE_RESUME 0x10200004u   /* boot application: resume */
/* Library elements, in every application object. */
#define CONVERT_BCD_APPLICATION_DEVICE 0x11000001u /* BcdLibraryDevice_ApplicationDevice */
#define CONVERT_BCD_APPLICATION_PATH 0x12000002u   /* BcdLibraryString_ApplicationPath */
#define CONVERT_BCD_DESCRIPTION 0x12000004u        /* BcdLibraryString_Description */
#define CONVERT_BCD_LOCALE 0x12000005u             /* BcdLibraryString_PreferredLocale */
#define CONVERT_BCD_INHERIT 0x14000006u            /* BcdLibraryObjectList_InheritedObjects */
/* Boot manager. */
#define CONVERT_BCD_DISPLAY_ORDER 0x24000001u      /* BcdBootMgrObjectList_DisplayOrder */
#define CONVERT_BCD_DEFAULT 0x23000003u            /* BcdBootMgrObject_DefaultObject */
#define CONVERT_BCD_TIMEOUT 0x25000004u            /* BcdBootMgrInteger_Timeout */
#define CONVERT_BCD_BOOTMGR_RESUME 0x23000006u     /* BcdBootMgrObject_ResumeObject */
/* Windows loader. */
#define CONVERT_BCD_OS_DEVICE 0x21000001u          /* BcdOSLoaderDevice_OSDevice */
#define CONVERT_BCD_SYSTEM_ROOT 0x22000002u        /* BcdOSLoaderString_SystemRoot */
#define CONVERT_BCD_LOADER_RESUME 0x23000003u      /* BcdOSLoaderObject_AssociatedResumeObject */
#define CONVERT_BCD_NX_POLICY 0x25000020u          /* BcdOSLoaderInteger_NxPolicy (0 OptIn) */
/* Resume: the hibernation file (BcdResumeElementTypes' Reserved1/2). */
#define CONVERT_BCD_HIBERFILE_DEVICE 0x21000001u
#define CONVERT_BCD_HIBERFILE_PATH 0x22000002u

/*
 * A partition device element (88 bytes).  The layout, as published
 * dumps of Windows' own stores show it (mistyprojects.co.uk, "Devices
 * Partition - Data", whose MBR example test-convert.c reproduces): 16
 * zero bytes (no additional options object); at 0x10 the device type,
 * 6 = partition; at 0x18 the size of what follows 0x10 (0x48); at 0x20
 * the partition - its byte offset (MBR) or unique GUID (GPT); at 0x34
 * the partition style as the boot library counts it, 1 MBR, 0 GPT; at
 * 0x38 the disk - its MBR signature or GPT disk GUID.  The GPT form is
 * the MBR form with the GUIDs in place of offset and signature, as the
 * loaders that boot Windows from stores bcdedit wrote patch it (grub4dos
 * and ntloader write the same 40 bytes at 0x20 for either style: the
 * partition GUID as its GPT entry holds it, a zero dword, the style, and
 * the disk GUID as the GPT header holds it).  Not yet compared with a
 * store bcdboot wrote on a GPT disk.
 */
#define CONVERT_BCD_DEVICE_SIZE 88
void convert_bcd_device_mbr(uint32_t disk_signature, uint64_t partition_offset,
			    uint8_t out[CONVERT_BCD_DEVICE_SIZE]);
void convert_bcd_device_gpt(const uint8_t disk_guid[16], const uint8_t partition_guid[16],
			    uint8_t out[CONVERT_BCD_DEVICE_SIZE]);

/* "{9dea862c-...}" as BCD names objects: lowercase, braces; buf holds 39. */
void convert_bcd_guid_text(const uint8_t guid[16], char buf[39]);

/*
 * What --undo needs, kept in \win7gen2\gen1\ on the Windows volume
 * (CONVERT_UNDO_DIR) before anything changes:
 *
 *   first-mib.bin           the disk's first MiB (the MBR and the gap)
 *   last-mib.bin            its last MiB (where the backup GPT goes)
 *   system-reserved.img.gz  System Reserved, every sector, gzip
 *   SYSTEM                  the SYSTEM hive as it was
 *   convert.txt             this manifest, written last: where each goes
 *                           and its CRC-32, so a partial set is never used
 */
#define CONVERT_UNDO_DIR "win7gen2/gen1"
#define CONVERT_UNDO_FIRST_MIB "first-mib.bin"
#define CONVERT_UNDO_LAST_MIB "last-mib.bin"
#define CONVERT_UNDO_SYSTEM_RESERVED "system-reserved.img.gz"
#define CONVERT_UNDO_HIVE "SYSTEM"
#define CONVERT_UNDO_MANIFEST "convert.txt"
#define CONVERT_UNDO_EDGE_BYTES (1024u * 1024)
#define CONVERT_UNDO_MANIFEST_MAX 4096u

struct convert_undo {
	uint64_t disk_blocks;
	uint32_t disk_signature;
	uint64_t esp_first_lba, esp_blocks;
	uint32_t first_mib_crc, last_mib_crc, system_reserved_crc;
	uint64_t hive_size;
	uint32_t hive_crc;
};

void convert_undo_format(const struct convert_undo *undo, struct text *out);

/* Any bytes: true and *undo filled only when every line is there, once,
 * well-formed, and the ranges lie on the disk it names. */
bool convert_undo_parse(const uint8_t *data, size_t size, struct convert_undo *undo,
			struct fix_error *err);

#endif
