/*
 * fix.h - the fix engine: make an installed Windows 7 boot on Hyper-V Gen2
 *
 * Given the Windows volume, the EFI system partition and win7gen2.efi,
 * the engine works in three steps:
 *
 *   1. fix_make_plan: read what is there and decide every change, each
 *      with its value before and after.  Nothing is written.
 *   2. fix_execute: make the changes through the backend (backend.h),
 *      then read each one back and check it.
 *   3. fix_report: say what was found, what was changed, what was
 *      already right, and what is wrong and could not be put right.
 *
 * What it changes (details and sources in esp.c and registry_table.c):
 *
 *   ESP      \EFI\Microsoft\Boot\bootmgfw.efi and \EFI\Boot\bootx64.efi
 *            become win7gen2.efi, the Microsoft file is kept beside as
 *            <name>.original.efi, and win7gen2.cfg for an installed disk
 *            is written next to them; a copy of win7gen2.efi goes to
 *            \EFI\win7gen2\win7gen2.efi, which its own boot entry starts.
 *   SYSTEM   in every ControlSet00N: vmbus, storvsc and Ntfs boot-start
 *            in their groups, the Critical Device Database entries for
 *            the VMBus and its SCSI controller, the kernel's wait for
 *            the boot disk (PollBootPartitionTimeout), FirmwareBootDevice
 *            and SystemBootDevice consistent with the disk.
 *
 * and, after the changes, a run record appended to \EFI\win7gen2\log.txt
 * and the outcome in \EFI\win7gen2\status.txt, which the payload shows
 * at the next boot when it says failed (common/win7gen2.h).
 *
 * Portable C11: no POSIX, no Win32, no hivex here.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_H
#define WIN7GEN2_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "text.h"
#include "win7gen2.h"

/* Where things are, relative to their volume (see backend.h). */
#define FIX_HIVE_PATH "Windows\\System32\\config\\SYSTEM"
#define FIX_HIVE_BACKUP_SUFFIX ".win7gen2-backup"
/* common/win7gen2.h names them with a leading '\\'; backend paths have none. */
#define FIX_LOG_PATH (&WIN7GEN2_LOG_PATH[1])
#define FIX_STATUS_PATH (&WIN7GEN2_STATUS_PATH[1])
/* The loader paths, their suffixes (.original.efi, .original.old.efi)
 * and the largest loader read are common/win7gen2.h's, shared with the
 * payload; what to do with what is found there is common/wrap_rule.h. */

/*
 * Control\PnP\PollBootPartitionTimeout: how long, in milliseconds, the
 * kernel waits for the boot disk (registry_table.c says why and where it
 * comes from).  The kernel polls in 200 ms steps and does not wait at
 * all below that; at least one kernel caps the wait at 180000 ms, so a
 * larger value would only look like it did something.
 */
#define FIX_BOOT_WAIT_DEFAULT_MS 30000u
#define FIX_BOOT_WAIT_MIN_MS 200u
#define FIX_BOOT_WAIT_MAX_MS 180000u

/* Files the engine reads whole are refused above these sizes. */
#define FIX_MAX_HIVE_SIZE (512u * 1024 * 1024)

enum fix_verbosity {
	FIX_QUIET,   /* problems, failures and the result */
	FIX_NORMAL,  /* also every change */
	FIX_VERBOSE, /* also what was already right */
};

/* The plan keeps pointers into these (payload, strings, progress): they
 * must stay valid until fix_plan_free. */
struct fix_options {
	const uint8_t *payload;   /* win7gen2.efi's bytes */
	size_t payload_size;
	const char *payload_name; /* where it came from, for messages */
	bool dry_run;             /* plan and report only */
	/* The disk layout if the caller knows it (known = true); otherwise
	 * the engine asks the backend. */
	struct fix_disk_layout layout;
	/* PollBootPartitionTimeout in milliseconds, FIX_BOOT_WAIT_MIN_MS to
	 * FIX_BOOT_WAIT_MAX_MS; 0 means FIX_BOOT_WAIT_DEFAULT_MS, so callers
	 * that zero their options get the default. */
	uint32_t boot_wait_ms;
	const char *tool_version; /* goes into win7gen2.cfg and the log */
	const char *timestamp;    /* "2026-11-26 10:00:00 UTC"; for the log */
	const char *where;        /* "Linux host", "Windows PE", ...; for the log */
	/* Called with one line per step while fix_execute runs (may be NULL):
	 * WinPE shows and sends these as they happen. */
	void (*progress)(void *ctx, const char *line);
	void *progress_ctx;
};

struct fix_summary {
	unsigned changes;   /* planned changes */
	unsigned done;      /* made and verified */
	unsigned failed;    /* failed, or did not read back as written */
	unsigned skipped;   /* not tried because an earlier step failed */
	unsigned right;     /* already right */
	unsigned problems;  /* wrong and not fixable by this run */
	unsigned notes;
	bool executed;
};

struct fix_plan;

/*
 * Compute the plan.  FIX_ERROR when the run cannot start at all, with
 * the reason in err: the payload is not win7gen2.efi, an option is out
 * of range, the directories are not a Windows volume and an ESP, out of
 * memory.  A hive that does not open or parse is not such an error: it
 * is a problem in the plan, and the ESP is still dealt with.
 */
enum fix_status fix_make_plan(const struct fix_backend *backend, void *backend_ctx,
			      const struct fix_options *options,
			      struct fix_plan **plan, struct fix_error *err);

/* Make and verify the planned changes.  Does nothing for a dry run. */
void fix_execute(struct fix_plan *plan);

void fix_summarize(const struct fix_plan *plan, struct fix_summary *summary);

/* True when the system ends up right: nothing failed, no problem left. */
bool fix_succeeded(const struct fix_plan *plan);

/* The plan (before fix_execute) or the outcome (after), for people. */
void fix_report(const struct fix_plan *plan, enum fix_verbosity verbosity,
		struct text *out);

/* After fix_execute: whether the run record reached the ESP's log, and
 * where it went or why not ("" before). */
bool fix_log_written(const struct fix_plan *plan);
const char *fix_log_status(const struct fix_plan *plan);

void fix_plan_free(struct fix_plan *plan);

#endif
