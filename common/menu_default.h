/*
 * menu_default.h - what the ISO menu may do when nobody answers
 *
 * Install wipes disk 0.  So it may only come by itself when no disk
 * holds anything, or when whoever built the ISO said it may
 * (wipe_unattended = on).  Otherwise the menu offers Rescue by itself
 * where a Windows is found, and else waits for a person.
 *
 * Convert (a Generation 1 disk to GPT) changes a partition table, so it
 * is offered where a disk looks like one but is never a default and
 * never comes by the timeout: it does not change the default either.
 *
 * Plain C without a C library, shared by the payload and the host tests.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MENU_DEFAULT_H
#define WIN7GEN2_MENU_DEFAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "partition_table.h"

/* What the payload found on the VM's fixed disks (not the DVD). */
struct menu_facts {
	bool installed;        /* a system win7gen2 installed (installed.h) */
	unsigned disks;        /* fixed disks looked at */
	unsigned disks_in_use; /* of them, with a partition, a file system or
				* bytes we cannot read as blank */
	bool windows_found;    /* a Windows boot manager on an ESP */
	unsigned gen1_disks;   /* disks menu_gen1_disk says may be converted */
	bool wipe_unattended;  /* config */
	enum config_mode configured_default; /* config menu_default */
};

enum menu_default_choice {
	MENU_DEFAULT_NONE,           /* no default: wait for a digit */
	MENU_DEFAULT_INSTALL,
	MENU_DEFAULT_RESCUE,
	MENU_DEFAULT_CONTINUE,
	MENU_DEFAULT_BOOT_INSTALLED,
};

/* Why the default is what it is, for the line the menu prints. */
enum menu_default_reason {
	MENU_REASON_INSTALLED,       /* the system this ISO installed boots */
	MENU_REASON_CONFIGURED,      /* menu_default other than install */
	MENU_REASON_WIPE_UNATTENDED, /* wipe_unattended = on */
	MENU_REASON_DISKS_BLANK,     /* every disk blank (or none) */
	MENU_REASON_WINDOWS_FOUND,   /* data on a disk, a Windows among it */
	MENU_REASON_DISKS_IN_USE,    /* data on a disk, no Windows found */
};

struct menu_decision {
	enum menu_default_choice choice;
	enum menu_default_reason reason;
	bool timeout;               /* the default comes by itself */
	bool timeout_install_confirmed; /* Install by the timeout may wipe disk 0 */
	bool offer_convert;         /* list "Convert a Generation 1 disk" (never the default) */
};

/*
 * Decide the default, in this order: the installed system; a configured
 * default that is not Install (it wipes nothing); wipe_unattended; every
 * disk blank -> Install; a Windows found -> Rescue; else no default and
 * no timeout.
 */
void menu_default_decide(const struct menu_facts *facts, struct menu_decision *decision);

/*
 * Whether a disk looks as Windows 7 Setup leaves a Generation 1 disk: an
 * MBR (not GPT) with an active NTFS partition (System Reserved, or
 * Windows itself) and another NTFS partition.  kind[i] is what partition
 * i's boot sector shows, bit i of active_mask its MBR boot flag (for the
 * first PARTITION_TABLE_MAX partitions).  Only a hint for the menu: the
 * conversion checks everything again before it changes anything.
 */
bool menu_gen1_disk(const struct partition_table *table, const enum volume_kind *kind,
		    uint32_t active_mask);

/* "convert:" and the MBR disk signature in 8 lower-case hex digits (win7gen2.h). */
#define MENU_CONVERT_MODE_SIZE 17 /* 16 characters and a NUL */
void menu_convert_mode(uint32_t signature, char value[MENU_CONVERT_MODE_SIZE]);

#endif
