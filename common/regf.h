/*
 * regf.h - is a registry hive file complete, from its first block
 *
 * A hive's base block ("regf") carries two sequence numbers; Windows
 * makes them differ while it writes the hive and equal again when the
 * write is complete.  Different numbers mean the newest changes are
 * still only in the hive's .LOG files, which only Windows replays when
 * it loads the hive from its own place.  Neither the Linux backend
 * (hivex) nor the WinPE agent (which works on a copy of the hive)
 * replays them, so both refuse such a hive, each in its own words.
 * Plain C without a C library, shared by fixengine/posix/hive.c and
 * overlay/agent/backend_win32_hive.c.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_REGF_H
#define WIN7GEN2_REGF_H

#include <stddef.h>
#include <stdint.h>

#define REGF_BASE_BLOCK_SIZE 4096

enum regf_state {
	REGF_CLEAN,     /* "regf", equal sequence numbers */
	REGF_DIRTY,     /* "regf", the numbers differ */
	REGF_NOT_REGF,  /* too short to tell, or another format (the agent leaves
	                 * it to Windows' loader: wine's hives are text) */
};

/* Judge the first size bytes of a hive file (at most one base block is
 * looked at).  seq1/seq2 receive the numbers, for REGF_DIRTY messages;
 * 0 for REGF_NOT_REGF. */
enum regf_state regf_check(const uint8_t *data, size_t size, uint32_t *seq1, uint32_t *seq2);

#endif
