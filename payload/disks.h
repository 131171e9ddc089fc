/*
 * disks.h - what the VM's fixed disks hold, before the ISO menu
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_DISKS_H
#define WIN7GEN2_DISKS_H

#include <efi.h>

#include "log.h"
#include "menu_default.h"
#include "partition_table.h"

#define DISKS_MAX 8
#define DISK_LABEL_MAX 33 /* CHAR16s, NUL included; FAT labels are 11 */

struct disk {
	UINT64 bytes;
	UINT32 block_size;
	struct partition_table table;
	enum volume_kind kind[PARTITION_TABLE_MAX];
	CHAR16 label[PARTITION_TABLE_MAX][DISK_LABEL_MAX];
	BOOLEAN windows;       /* an ESP on it holds a Windows boot manager */
	UINT32 mbr_signature;  /* MBR: the disk signature at byte 440 */
	UINT32 active_mask;    /* MBR: bit i set when partition i has the boot flag */
	BOOLEAN gen1;          /* looks like a Generation 1 Windows disk (menu_gen1_disk) */
};

struct disk_survey {
	UINTN count;           /* disks described in disk[] */
	UINTN more;            /* fixed disks beyond DISKS_MAX, counted as in use */
	struct disk disk[DISKS_MAX];
};

/*
 * Look at every fixed disk the firmware knows (Block I/O, whole disks
 * with media, not removable, not CD-sized blocks) except the one
 * boot_device (the volume the payload was loaded from) lies on.
 */
void disks_survey(struct disk_survey *survey, EFI_HANDLE boot_device);

/* Anything on it: a partition, a file system, bytes that are not blank. */
BOOLEAN disk_in_use(const struct disk *disk);

/* The facts menu_default_decide needs (installed and config are the caller's). */
void disks_facts(const struct disk_survey *survey, struct menu_facts *facts);

/* One line per disk, one per partition, through log at LOG_ERROR (screen and COM1). */
void disks_report(const struct disk_survey *survey, struct log *log);

/* Disk number d (0-based) alone, as disks_report shows it. */
void disks_report_disk(const struct disk_survey *survey, UINTN d, struct log *log);

#endif
