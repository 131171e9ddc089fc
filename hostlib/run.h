/*
 * run.h - start an external tool and wait for it, without a shell
 *
 * The builder leaves the formats it does not write itself to the tools
 * that own them: xorriso reads ISO 9660 and Joliet trees, mkfs.fat and
 * mtools make and read FAT boot images, mkntfs makes the NTFS staging
 * image.  Each runs from an argv array
 * (posix_spawnp, PATH search), stdin from /dev/null; its stderr is kept
 * so a failure message can show what the tool said.
 *
 * Every tool runs with LC_ALL=C, whatever the user's locale: its
 * messages (which failure messages quote and a caller may read) and its
 * number formats are then the same everywhere.  A tool's own variables
 * go in struct run's env, for that tool only; the builder never changes
 * its own environment.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_RUN_H
#define WIN7GEN2_RUN_H

#include <stdbool.h>

#include "text.h"

struct run {
	/* in */
	const char *const *argv;   /* argv[0] is looked up in PATH */
	/* "NAME=value" entries added to (or replacing) this tool's
	 * environment, NULL-terminated; may be NULL. */
	const char *const *env;
	bool capture_stdout;       /* else stdout goes to /dev/null */
	/* Called with each complete stderr line (no newline), e.g. to show
	 * a tool's progress; may be NULL. */
	void (*on_stderr_line)(void *ctx, const char *line);
	void *ctx;
	/* out */
	struct text out;            /* stdout, when captured */
	struct text err;            /* stderr, the last 64 KiB */
	int exit_status;           /* -1: could not start, or killed */
	int signal;                /* the signal that ended it, or 0 */
	int read_error;            /* errno when reading its output failed, or 0 */
};

/* Runs the tool to its end.  0 when it exited with status 0; -1
 * otherwise, with run_explain() able to say why. */
int run_tool(struct run *run);

/* "TOOL exited with status N: <its last stderr lines>" into msg. */
void run_explain(const struct run *run, struct text *msg);

void run_free(struct run *run);

/*
 * The usual case in one call: run argv (stderr lines to on_stderr_line,
 * which may be NULL) and on failure put "WHAT: <run_explain>" into err.
 * 0 on success, -1 on failure.
 */
int run_or_explain(const char *const *argv, const char *what,
		   void (*on_stderr_line)(void *ctx, const char *line), void *ctx,
		   struct text *err);

/*
 * The same for a run the caller prepared (a tool's own environment, say):
 * runs it, on failure puts "WHAT: <run_explain>" into err, and frees
 * what it kept (run_free).  0 on success, -1 on failure.
 */
int run_prepared_or_explain(struct run *run, const char *what, struct text *err);

#endif
