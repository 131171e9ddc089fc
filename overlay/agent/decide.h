/*
 * decide.h - the agent's decisions, as plain functions
 *
 * Everything the agent decides - what the boot menu's choice means,
 * whether the drivers must be loaded, which installation Setup just
 * made, which partition is its ESP, which letter to mount it at, what
 * to do with the VM at the end - is decided here from plain facts the
 * Windows-only code gathers.  Portable C, so the host tests check each
 * decision without Windows PE.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_DECIDE_H
#define WIN7GEN2_AGENT_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pe_header.h" /* PE_MACHINE_AMD64 */

enum agent_mode {
	AGENT_MODE_INSTALL,  /* unattended install with our answer file */
	AGENT_MODE_RESCUE,   /* fix every Windows 7 found */
	AGENT_MODE_CONTINUE, /* plain Windows Setup, as on the original media */
	AGENT_MODE_CONVERT,  /* convert one Generation 1 disk (mode_convert_signature) */
};

/* "install", "rescue", "continue". */
const char *agent_mode_name(enum agent_mode mode);

/* "install-confirmed" for a confirmed install, else agent_mode_name. */
const char *agent_mode_choice_name(enum agent_mode mode, bool confirmed);

/*
 * The mode named exactly (case-insensitive); false for anything else.
 * "install-confirmed" is install with *confirmed set: a person said the
 * disk Setup uses may be wiped whatever it holds.
 */
bool agent_mode_parse(const char *name, enum agent_mode *mode, bool *confirmed);

/* How reading Win7Gen2Mode went (firmware.c). */
enum mode_variable_read {
	MODE_VARIABLE_FOUND,      /* bytes hold its value */
	MODE_VARIABLE_ABSENT,     /* no such variable */
	MODE_VARIABLE_NO_UEFI,    /* firmware without UEFI variables (BIOS boot) */
	MODE_VARIABLE_UNREADABLE, /* any other failure */
};

enum mode_decision {
	MODE_DECIDED,  /* *mode says what to do */
	MODE_REFUSED,  /* a choice was made that cannot be read: stop, wipe nothing */
};

/*
 * What to do, from the variable.  No variable means install, unconfirmed
 * (the menu's default, and what an older payload or a BIOS boot leaves);
 * "install" is the menu's timeout, also unconfirmed; "install-confirmed"
 * is a person's key (or an ISO built to wipe unattended).  A value that
 * is none of these, or a variable that exists but cannot be read, is
 * refused: someone chose something on the menu, and guessing "install"
 * could wipe the disk they meant to rescue.  why receives one line for
 * the report either way.
 */
enum mode_decision decide_mode(enum mode_variable_read read, const uint8_t *value, size_t size,
			       enum agent_mode *mode, bool *confirmed, char *why,
			       size_t why_size);

/*
 * The disk a "convert:SSSSSSSS" value names (common/win7gen2.h): exactly
 * WIN7GEN2_MODE_CONVERT, ':' and 8 lower-case hex digits, the MBR disk
 * signature (a NUL after them is tolerated).  false for anything else,
 * upper-case digits included: the menu writes lower case, and a value
 * that is not exactly what it writes was not written by it.  decide_mode
 * gives AGENT_MODE_CONVERT only for a value this accepts.
 */
bool mode_convert_signature(const uint8_t *value, size_t size, uint32_t *signature);

/*
 * The disk the answer file has Setup wipe: overlay/autounattend.xml
 * names DiskID 0 (tests/agent/t0430-agent-wine-guard.sh checks that the
 * two agree).
 */
#define SETUP_TARGET_DISK 0u

enum disk_state {
	DISK_READ,        /* the layout below was read */
	DISK_ABSENT,      /* Windows has no disk with this number */
	DISK_UNREADABLE,  /* the disk is there; its layout could not be read */
};

enum disk_style {
	DISK_STYLE_RAW,   /* no partition table: a new, blank disk */
	DISK_STYLE_MBR,
	DISK_STYLE_GPT,
};

#define DISK_FACTS_SIZES 8 /* partition sizes kept for the report */

/* What a disk holds, as the Windows-only query found it (disklayout.h). */
struct disk_facts {
	unsigned number;           /* \\.\PhysicalDriveN */
	enum disk_state state;
	char error[160];           /* DISK_UNREADABLE: why, for the report */
	enum disk_style style;
	bool size_known;
	uint64_t size;             /* bytes */
	unsigned partitions;       /* GPT entries in use, MBR entries of a non-zero type */
	uint64_t partition_size[DISK_FACTS_SIZES]; /* the first ones, in table order */
};

/* "disk 0: GPT, 127 GiB, 3 partitions (100 MiB, 16 MiB, 126.9 GiB)". */
void describe_disk(const struct disk_facts *disk, char *buf, size_t size);

/*
 * Whether Windows Setup may run with the answer file, which wipes the
 * disk numbered target.  Only when a person confirmed the install, or
 * when that disk was read and holds no partition.  A disk whose layout
 * cannot be read, or that is not there, holds something as far as this
 * decision knows: it is never guessed blank.  why receives one line
 * saying which disk and why, either way.
 */
bool decide_wipe(const struct disk_facts *disks, size_t count, unsigned target, bool confirmed,
		 char *why, size_t why_size);

/* The staged VMBus/SCSI packages are loaded unless both drivers run. */
bool drivers_needed(bool vmbus_running, bool storvsc_running);

/*
 * The order in which to hand INF files to drvload: the VMBus first (the
 * SCSI controller is a device on it), then the rest, each group by name.
 * Sorts paths in place; names compare case-insensitively.
 */
void order_inf_paths(char **paths, size_t count);

/* What a volume holds, as installs.c found it. */
struct install_candidate {
	char letter;            /* drive letter, 'C'..'Z' */
	uint64_t hive_time;     /* SYSTEM hive's last write, FILETIME units */
	bool version_known;     /* ntoskrnl.exe's file version was read */
	unsigned major, minor;  /* its file version */
	unsigned build;         /* 7601: Service Pack 1 */
	bool machine_known;
	uint16_t machine;       /* its PE machine type */
};

enum install_kind {
	INSTALL_WINDOWS7_X64,   /* 6.1, AMD64: ours to fix */
	INSTALL_NOT_WINDOWS7,   /* another version: left alone */
	INSTALL_NOT_X64,        /* Windows 7 for another CPU: left alone */
	INSTALL_UNKNOWN,        /* no readable ntoskrnl.exe: left alone */
};

enum install_kind classify_install(const struct install_candidate *candidate);

/* "Windows 7 x64", "Windows 6.0 (not 7)", ... for reports. */
void describe_install(const struct install_candidate *candidate, char *buf, size_t size);

/* The Windows 7 x64 installation whose SYSTEM hive was written last
 * (the one Setup just made); -1 when there is none. */
int newest_install(const struct install_candidate *candidates, size_t count);

/* A partition on the disk of an installation, from the disk's layout. */
struct partition_fact {
	unsigned number;  /* Windows' partition number, 1-based */
	bool is_esp;      /* GPT type C12A7328-F81F-11D2-BA4B-00A0C93EC93B */
};

/* The ESP to use: the lowest-numbered EFI system partition (Windows
 * Setup makes exactly one); -1 when the disk has none. */
int choose_esp(const struct partition_fact *partitions, size_t count);

/*
 * A drive letter to mount a volume at: bit n of used is letter 'A'+n.
 * S (for System) first, then T..W, Y, Z, then R down to D; never A, B, C
 * or X (Windows PE's own drive).  0 when none is free.
 */
char pick_free_letter(uint32_t used);

/* What Setup's run means. */
enum setup_verdict {
	SETUP_INSTALLED,       /* exit code 0 and a Windows 7 was found */
	SETUP_FAILED,          /* it did not start, or ended with an error code */
	SETUP_NO_INSTALLATION, /* it said success, but no Windows 7 is on the disks */
};

enum setup_verdict decide_setup(bool started, unsigned long exit_code, bool install_found);

enum power_action {
	POWER_REBOOT,    /* into the fixed system */
	POWER_SHUTDOWN,  /* stop the VM: a person must look first */
	POWER_NONE,      /* --no-reboot, or continue mode (Setup restarts by itself) */
};

/*
 * The end of a run in Windows PE.  Only a run that left every system it
 * touched right for Gen2 reboots; anything else stops the VM, because a
 * reboot would start the same failure again (or, with the DVD first, the
 * same install) with nobody watching.  A failed Integration Services
 * package is reported, not counted here (ic_run_end_text).
 */
enum power_action decide_power(enum agent_mode mode, bool all_right, bool no_power);

const char *power_action_name(enum power_action action);

#endif
