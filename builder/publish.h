/*
 * publish.h - giving a finished file its name
 *
 * build writes OUT and the VM script whole under a temporary name on
 * the same file system, fsync()s it, then gives it its name here: a
 * file is either absent or complete under the name the user gave.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PUBLISH_H
#define WIN7GEN2_PUBLISH_H

#include <stdbool.h>

#include "text.h"

/*
 * Renames from to to.  With replace, whatever is at to is replaced.
 * Without it, a file that appeared at to since the caller checked is
 * never replaced, on every file system that has rename flags or hard
 * links; where neither exists, nothing is renamed and err names
 * --force.  what ("the new ISO") names the file in err.  On failure
 * from is left for the caller to remove.
 */
int publish_file(const char *from, const char *to, const char *what, bool replace,
		 struct text *err);

#endif
