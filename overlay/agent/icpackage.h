/*
 * icpackage.h - the user's Integration Services package, installed by DISM
 *
 * Windows 7's own Hyper-V Integration Services (6.1.7601) have no Gen2
 * keyboard; 6.2.9200.16385 or later does (BRIEF.md section 7).  When the
 * user gave a package, Windows PE's DISM installs it into the installed
 * system offline, before the fix engine runs on it:
 *
 *   X:\Windows\System32\dism.exe /Image:D:\ /Add-Package
 *       /PackagePath:<cab> /ScratchDir:D:\Windows\Temp\win7gen2-dism
 *       /LogPath:S:\EFI\win7gen2\dism.log /NoRestart /English
 *
 * DISM, not copied INF files: Windows 7's signed in-box packages outrank
 * loose INFs, and the package's catalogs stay valid only when Windows'
 * servicing stack installs it.  Microsoft documents the options in "DISM
 * Operating System Package Servicing Command-Line Options" (/Add-Package
 * with /PackagePath on an offline /Image) and, for Windows 7's DISM,
 * "Deployment Image Servicing and Management Command-Line Options" (the
 * global options /Image, /ScratchDir, /LogPath, /NoRestart, /English);
 * "Deployment Tools Supported Platforms" (Windows 7) says the DISM of
 * Windows 7, which Windows PE 3.0 carries, services Windows 7 images
 * offline - a volume Setup just wrote is such an image.  Not verified
 * here with Microsoft's dism.exe (tests use a stand-in).
 *
 * Portable C: the command line, what DISM's exit code means and the
 * report's lines are checked by the host tests; icdism.c runs it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_ICPACKAGE_H
#define WIN7GEN2_AGENT_ICPACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"
#include "win7gen2.h"

/* Where the package CAB is looked for: common/win7gen2.h
 * (WIN7GEN2_IC_PACKAGE_NAME).  DISM's folders and logs, relative to a
 * volume's root: */
#define IC_DISM_LOG_ON_ESP (&WIN7GEN2_DISM_LOG_PATH[1])
#define IC_DISM_LOG_ON_WINDOWS "Windows\\Logs\\win7gen2-dism.log" /* no ESP found */
#define IC_SCRATCH_DIR "Windows\\Temp\\win7gen2-dism"

/* ERROR_SUCCESS_REBOOT_REQUIRED: installed, finished when Windows starts. */
#define IC_DISM_EXIT_RESTART 3010u

/* Every path absolute, UTF-8. */
struct ic_dism_paths {
	const char *dism;     /* X:\Windows\System32\dism.exe */
	const char *image;    /* the installation's root: "D:\" */
	const char *package;  /* the package CAB */
	const char *scratch;  /* DISM's work folder, on the Windows volume (X: is small) */
	const char *log;      /* DISM's own log */
};

/* DISM's command line, each path quoted as cmdline.h does, so a path
 * with a space reaches DISM as one argument. */
void ic_dism_command(struct text *line, const struct ic_dism_paths *paths);

/* DISM's exit code 0 and 3010 are success; anything else is not. */
bool ic_dism_succeeded(uint32_t exit_code);

/*
 * The exit code for the report: "exit 0", "exit 3010, finished when
 * Windows starts", "exit 0x800f081e, the package does not apply to this
 * Windows", "exit 2".
 */
void ic_dism_exit_text(uint32_t exit_code, char *buf, size_t size);

enum ic_outcome {
	IC_NONE_INSTALL,  /* install, no package given: Windows 7's own 6.1.7601 */
	IC_NONE_RESCUE,   /* rescue, no package anywhere: the installation's own */
	IC_INSTALLED,     /* DISM: 0 or 3010 */
	IC_FAILED,        /* DISM did not start, ran too long, or failed */
};

/* What the line about a failure may say the system has instead. */
struct ic_context {
	bool install;      /* install mode: Windows 7's own 6.1 Integration Services;
			    * rescue: whatever the installation had */
	bool fix_follows;  /* the Gen2 fix runs next (an ESP was found) */
};

/*
 * The report's one line about Integration Services.  package, how
 * (ic_dism_exit_text, or why DISM did not run) and log (where DISM's log
 * is, as the person looks for it; NULL when DISM never ran) are used by
 * IC_INSTALLED and IC_FAILED.
 */
void ic_outcome_line(enum ic_outcome outcome, const struct ic_context *context,
		     const char *package, const char *how, const char *log, char *buf,
		     size_t size);

/*
 * The end of the run's last line, "win7gen2pe: install <this>": whether
 * every system is right for Gen2 (the fix; also what decides the
 * restart), and whether a package failed on any of them.  A failed
 * package does not keep a system ready for Gen2 from restarting into
 * Setup's last steps (reachable by Remote Desktop without the package's
 * keyboard), but the run is not "everything is right" either.
 */
const char *ic_run_end_text(bool fix_right, bool package_failed);

#endif
