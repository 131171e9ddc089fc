/*
 * relpath.h - the fix engine's relative paths as Win32 paths
 *
 * The engine names a file by its volume and a '\'-separated path below
 * the volume's root (fixengine/backend.h).  Win32 would read some such
 * names as something else: "..", a device ("NUL"), an alternate data
 * stream ("a:b"), a name with a trailing dot or space (silently
 * stripped, so "EFI." is "EFI").  Those are refused here, before any
 * file is opened.  Portable C, tested on the host.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_RELPATH_H
#define WIN7GEN2_AGENT_RELPATH_H

#include <stdbool.h>
#include <stddef.h>

#define RELPATH_MAX 1024 /* bytes of a joined path, with the NUL */

/* True if every component of path is a plain file name (see above).
 * "" (the root itself) is valid. */
bool relpath_valid(const char *path);

/*
 * A volume root as given ("D:", "D:\", "Z:\tmp\esp\", "\\?\Volume{...}\")
 * in the form relpath_join builds on: '/' as '\', no trailing '\', and
 * a bare drive letter kept as "D:" (never "D:" alone as a path: that is
 * D's current directory).  False if it is empty or too long.
 */
bool relpath_root(const char *given, char *out, size_t size);

/*
 * root (from relpath_root) and path joined: "D:\EFI\Boot\bootx64.efi";
 * for path "" the root itself, with a '\' after a bare drive ("D:\").
 * False if path is not valid or the result does not fit.
 */
bool relpath_join(const char *root, const char *path, char *out, size_t size);

#endif
