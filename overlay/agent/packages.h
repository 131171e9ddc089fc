/*
 * packages.h - update packages (packages.txt), installed by DISM, one call each
 *
 * `win7gen2 build --package` puts update package CABs and their list,
 * packages.txt (common/package_list.h), in \win7gen2\packages on the
 * DVD; `win7gen2 fix --package` stages the same folder on an installed
 * system's Windows volume.  The agent gives each package to Windows
 * PE's DISM in the list's order, after the Integration Services package
 * and before the Gen2 fix (DISM writes the SYSTEM hive; icdism.h):
 *
 *   X:\Windows\System32\dism.exe /Image:D:\ /Add-Package
 *       /PackagePath:F:\win7gen2\packages\Windows6.1-KB4490628-x64.cab
 *       /ScratchDir:D:\Windows\Temp\win7gen2-dism
 *       /LogPath:S:\EFI\win7gen2\dism-01-Windows6.1-KB4490628-x64.log
 *       /NoRestart /English
 *
 * One DISM call per package, never several /PackagePath in one: a
 * servicing stack update must be in place before the packages that need
 * it (Microsoft's rule, and why the list puts servicing stacks first),
 * and one package's failure then stops only that package.  When a
 * servicing stack fails the rest are still tried (most do not need it),
 * and the report says they may fail because of it.
 *
 * Portable C, checked by the host tests: the log names, what each
 * outcome is called and the report's lines.  updates.c runs DISM.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_PACKAGES_H
#define WIN7GEN2_AGENT_PACKAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "package_list.h"

/* HRESULT CBS_E_NOT_APPLICABLE: the package is not for this Windows
 * (another architecture or version, or already superseded). */
#define PACKAGE_DISM_NOT_APPLICABLE 0x800f081eu

/* Each package's DISM log, without an ESP (the fix cannot run then):
 * in this folder of the Windows volume, as win7gen2-dism-NN-<name>.log. */
#define PACKAGE_LOG_DIR_ON_WINDOWS "Windows\\Logs"

enum package_result {
	PACKAGE_INSTALLED,          /* DISM exit 0 */
	PACKAGE_INSTALLED_RESTART,  /* 3010: finished when Windows starts */
	PACKAGE_NOT_APPLICABLE,     /* 0x800f081e: not for this Windows; nothing to do */
	PACKAGE_FAILED,             /* any other exit, DISM not started or ended */
	PACKAGE_MISSING,            /* listed, but the CAB is not in the folder */
};

/* What DISM's exit code means for a package. */
enum package_result package_result_of_exit(uint32_t exit_code);

/* The package is not in the system though it should be (FAILED, MISSING). */
bool package_result_is_failure(enum package_result result);

/*
 * The file name of DISM's log of the package at 1-based place in the
 * list: "dism-01-Windows6.1-KB4490628-x64.log" (common/win7gen2.h,
 * WIN7GEN2_PACKAGE_LOG_PREFIX).  cab is a valid package_list name.
 */
void package_log_file_name(unsigned place, const char *cab, char *buf, size_t size);

/* "package 2/5 Windows6.1-KB4474419-v3-x64.cab: running DISM (can take minutes)" */
void package_progress_line(unsigned place, unsigned count, const char *cab, char *buf,
			   size_t size);

/* One package's line in the report. */
struct package_report {
	unsigned place, count;      /* 1-based place in a list of count */
	enum package_kind kind;
	const char *cab;            /* its file name */
	enum package_result result;
	bool exited;                /* DISM ran and ended by itself: exit_code */
	uint32_t exit_code;
	const char *why;            /* !exited: why DISM did not run or was ended */
	const char *log;            /* DISM's log as the person finds it; NULL when
				     * DISM never ran */
	const char *folder;         /* where the CAB was looked for (PACKAGE_MISSING) */
};

/*
 * "package 1/3 Windows6.1-KB4490628-x64.cab (servicing stack): installed
 * (exit 0), log \EFI\win7gen2\dism-01-Windows6.1-KB4490628-x64.log";
 * a failed servicing stack adds that the packages after it may fail too.
 */
void package_result_line(const struct package_report *report, char *buf, size_t size);

/* How many packages ended each way. */
struct package_tally {
	unsigned installed;       /* INSTALLED and INSTALLED_RESTART */
	unsigned restart;         /* of those, finished when Windows starts */
	unsigned not_applicable;
	unsigned failed;          /* FAILED and MISSING */
};

void package_tally_add(struct package_tally *tally, enum package_result result);

/*
 * The one line for status.txt and the end of the step:
 * "update packages: 3 of 4 installed (1 finishes when Windows starts),
 * 1 not applicable" or "... 1 FAILED (see log.txt)".
 */
void package_tally_line(const struct package_tally *tally, char *buf, size_t size);

/*
 * The run's last line after "win7gen2pe: install ": ic_run_end_text
 * when no update package failed; else it also says one did.  A failed
 * update, like a failed Integration Services package, does not keep a
 * system ready for Gen2 from restarting.
 */
const char *packages_run_end_text(bool fix_right, bool ic_failed, bool update_failed);

#endif
