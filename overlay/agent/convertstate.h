/*
 * convertstate.h - one run of win7gen2pe --convert, shared by its steps
 *
 * convertrun.c checks the disk and converts it; convertundo.c puts a
 * converted one back.  Both report the same way: on a host, problems on
 * stderr as the Linux command prints them; in Windows PE in the report
 * (console, COM1, the log), which is all anyone sees there.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_CONVERTSTATE_H
#define WIN7GEN2_AGENT_CONVERTSTATE_H

#include <stdbool.h>
#include <windows.h>

#include "convert.h"
#include "convertdisk.h"
#include "installs.h"
#include "output.h"

struct convert_state {
	const char *name;
	bool errors_in_report;
	/* Windows PE in the Gen2 VM whose disk this is, not a host: the
	 * ESP's boot store is then bcdboot's (convertwrite.c, make_esp). */
	bool in_windows_pe;
	/* The new BCD objects' GUIDs, drawn with the GPT's before anything
	 * is written (a host writes the store with the engine). */
	uint8_t bcd_guids[32];
	struct output *out;
	struct convert_disk disk;
	struct convert_layout layout;
	char letter[CONVERT_MBR_SLOTS]; /* of each partition looked into, or 0 */
	struct installation windows;
};

void convert_say_error(const struct convert_state *run, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* "refused (NAME): message" and "Nothing was changed."; AGENT_EXIT_FAILED. */
int convert_refuse(struct convert_state *run, enum convert_refusal refusal, const char *message);

/* "message (the Win32 reason)" and "Nothing was changed."; AGENT_EXIT_FAILED. */
int convert_fail(struct convert_state *run, const char *message, DWORD error);

/* The undo set in <letter>:\win7gen2\gen1\, as --undo reads it: 0
 * complete with every CRC-32 right (*undo filled); 1 no manifest there;
 * -1 damaged or unreadable, the reason in message.  The run that
 * converts reads back what it kept with it before the table changes. */
int convert_undo_check(char letter, struct convert_undo *undo, char *message,
		       size_t message_size);

/* --undo, with --dry-run or not: an AGENT_EXIT_* status. */
int convert_run_undo(struct convert_state *run, bool dry_run);

#endif
