/*
 * outcheck.h - OUT read back before it gets its name
 *
 * `build` writes OUT with its own code (rewrite.c, udfpatch.c,
 * isotree.c); before the rename that publishes it, OUT is read back by
 * code that did not write it: libudfread for UDF (when IN had UDF),
 * xorriso for the ISO 9660 primary and Joliet trees, the El Torito
 * parser for the boot catalog.  Each must name every file of IN at its
 * old extents with its old size, but the files appended in its place
 * (boot.wim, the EFI boot image), which must lie exactly where they were
 * written and hold the bytes written there (by their XXH64 hash; for an
 * add the kernel copied, the bytes its source held when the caller
 * hashed them, rewrite_add.source_hash).  Each
 * file added (rewrite_job.adds) must be named by its path in UDF and
 * Joliet, at a record of the primary tree, exactly where it was written,
 * and hold its bytes; and no reader may name a file more.
 * Extents are compared, not bytes, for the unchanged files, so the
 * check costs a read of the appended files and the trees only.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_OUTCHECK_H
#define WIN7GEN2_OUTCHECK_H

#include "iso.h"
#include "rewrite.h"
#include "text.h"

/*
 * 0 when every reader agrees; -1 with the first disagreement in err,
 * naming the file and the reader ("OUT check failed: UDF (libudfread)
 * names /sources/boot.wim at sector X, N bytes; expected ...").  job is
 * the finished rewrite_iso job (placed and efi_index filled); the caller
 * says which OUT was not written.
 */
int outcheck_run(const struct rewrite_job *job, struct text *err);
#endif
