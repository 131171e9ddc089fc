/*
 * icdism.h - the Integration Services package installed by DISM, in Windows PE
 *
 * Runs between Windows Setup (or, in rescue, the scan) and the fix
 * engine, for each installation the agent repairs: the package the user
 * gave goes into that installation with Windows PE's dism.exe
 * (icpackage.h has the command and why DISM).  Before the fix engine,
 * because DISM writes the installation's SYSTEM hive too (the package's
 * services): the engine's changes, and its backup of the hive, come
 * after.  A failure is reported and nothing more: the Gen2 fix runs
 * either way, since a machine must never be left less bootable than the
 * fix would leave it.
 *
 * Where the package is:
 *   X:\win7gen2\integration-services.cab   win7gen2 build --integration-services
 *                                           (install and rescue)
 *   <W>:\win7gen2\integration-services.cab win7gen2 fix --integration-services
 *                                           (rescue; removed once installed, so
 *                                           the next rescue does not repeat it)
 * Rescue prefers the installation's own copy: it was staged for that
 * installation.
 *
 * The DISM call itself (dism_add_package: command line, scratch folder,
 * timeout) serves the update packages too (updates.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_ICDISM_H
#define WIN7GEN2_AGENT_ICDISM_H

#include <stdbool.h>
#include <stdint.h>

#include "icpackage.h"
#include "output.h"

/* Room for a UTF-8 path of MAX_PATH UTF-16 units, and a little more. */
#define PATH_BYTES (MAX_PATH * 3 + 64)

struct ic_target {
	char letter;            /* the installation's drive */
	const char *esp_root;   /* its ESP ("S:\"), or NULL when none was found: DISM's
				 * log then goes to the Windows volume, and the fix
				 * will not run */
	const char *agent_dir;  /* X:\win7gen2 (UTF-8) */
	bool install;           /* install mode: the agent's package only */
};

/*
 * Install the package into the installation, if there is one, and say
 * how it went (one "Integration Services:" line, the DISM command line
 * before it); with an ESP the same lines go into its log.txt as a run
 * record.  Never stops the caller: the outcome is for the summary.
 */
enum ic_outcome ic_install(const struct ic_target *target, struct output *out);

/*
 * One DISM step (this package, or the update packages of updates.h):
 * what it said, kept for its run record in log.txt.
 */
struct dism_step {
	struct output *out;
	struct text story;
};

/* One line of the report, under the installation's heading. */
void dism_say(struct dism_step *step, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* The step's record appended to log.txt on the ESP, result its verdict. */
void dism_log_record(struct dism_step *step, const char *esp_root, const char *result);

/* path names a file (not a folder). */
bool dism_file_exists(const char *path);

struct dism_call {
	bool started;        /* DISM ran: its log can be pointed at */
	bool exited;         /* and ended by itself, with exit_code */
	uint32_t exit_code;
	char why[PATH_BYTES + 300]; /* !exited: why it did not run, or was ended */
};

/*
 * DISM /Add-Package of package into the installation on letter, its log
 * at log (the folder made when missing), its scratch folder on the
 * installation's volume, made before and removed after.  The command
 * line is said before DISM starts; DISM's exit code is for the caller
 * to judge.
 */
void dism_add_package(struct dism_step *step, char letter, const char *package,
		      const char *log, struct dism_call *call);

#endif
