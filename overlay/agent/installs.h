/*
 * installs.h - the Windows installations on this machine's volumes
 *
 * Windows PE gives each volume it can read a drive letter.  A volume
 * holding Windows\System32\config\SYSTEM holds an installation; its
 * kernel's file version and machine type say which Windows it is
 * (decide.h classifies), the hive's last write when it was last used
 * (or just installed), and the volume's device number which disk and
 * partition it is on - where its ESP is looked for.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_INSTALLS_H
#define WIN7GEN2_AGENT_INSTALLS_H

#include <stdbool.h>
#include <stddef.h>

#include "decide.h"
#include "output.h"

#define MAX_INSTALLS 24 /* one per drive letter C..Z */

struct installation {
	struct install_candidate facts;
	bool located;          /* disk and partition known */
	unsigned disk;
	unsigned partition;
	char where[160];       /* how it was located, or why not */
};

/*
 * Every installation on the drive letters C..Z, skipping skip_letter
 * (Windows PE's own X:) and drives that are not fixed or removable
 * disks (CD, RAM disk, network).  Says what it finds on out.
 */
/* The installation on one drive letter: false when it holds none. */
bool installs_look_at(char letter, struct installation *found);

size_t installs_scan(struct installation *out, size_t max, char skip_letter,
		     struct output *report);

#endif
