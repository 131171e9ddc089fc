/*
 * updates.h - update packages (packages.txt) installed by DISM, in Windows PE
 *
 * After the Integration Services package and before the Gen2 fix, for
 * the same reason (DISM writes the SYSTEM hive; icdism.h), each package
 * of the list goes into the installation in its own DISM call, in the
 * list's order (servicing stacks first; packages.h).  A failure is
 * reported and nothing more: the fix and the restart decision do not
 * depend on it.
 *
 * Where the list is:
 *   install  the DVD: a CD-ROM drive (GetDriveTypeW) holding
 *            \win7gen2\packages\packages.txt; when several do, the one
 *            that also holds \sources\install.wim (the Windows media
 *            Setup installed from), else the first by letter
 *   rescue   <W>:\win7gen2\packages\packages.txt, staged for that
 *            installation by win7gen2 fix --package.  A DVD's packages
 *            are not applied in rescue: they were meant for a new
 *            installation, and an installed system may have newer ones.
 *            After the run the staged CABs DISM installed (or found not
 *            applicable) are removed; the list keeps only the failed
 *            ones, for another rescue, or goes with its folder when
 *            none failed, so the next rescue does not repeat them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_UPDATES_H
#define WIN7GEN2_AGENT_UPDATES_H

#include <stdbool.h>

#include "output.h"

struct update_target {
	char letter;            /* the installation's drive */
	const char *esp_root;   /* its ESP ("S:\"), or NULL: the logs go to the
				 * Windows volume's Windows\Logs */
	bool install;           /* install: the DVD's list; rescue: the staged one */
	char system_letter;     /* Windows PE's own drive, never the DVD */
};

struct update_outcome {
	bool listed;            /* a list was found, readable or not */
	bool failed;            /* a package failed or is missing, or the list is
				 * damaged: some update is not installed */
	char status_line[200];  /* for status.txt; "" when there was no list */
};

/*
 * Install the packages, if there are any, saying each before DISM runs
 * (a rollup takes minutes) and then one line for each; with an ESP the
 * same lines go into its log.txt as a run record.  Never stops the
 * caller.
 */
void updates_install(const struct update_target *target, struct output *out,
		     struct update_outcome *outcome);

#endif
