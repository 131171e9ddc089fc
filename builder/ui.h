/*
 * ui.h - what the builder tells the person running it
 *
 * Messages go to stderr, results to stdout.  A step's progress is one
 * line redrawn on a terminal, and nothing at all when stderr is not a
 * terminal (logs stay readable) or with --quiet.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_UI_H
#define WIN7GEN2_UI_H

#include <stdbool.h>
#include <stdint.h>

enum ui_level { UI_QUIET = 0, UI_NORMAL = 1, UI_VERBOSE = 2 };

struct ui {
	enum ui_level level;
	bool tty;               /* stderr is a terminal: redraw progress */
	bool progress_shown;    /* a progress line is on screen, unfinished */
};

void ui_init(struct ui *ui, enum ui_level level);
/* A step starts: "win7gen2: <what>" (normal and verbose). */
void __attribute__((format(printf, 2, 3))) ui_step(struct ui *ui, const char *format, ...);
/* Detail for --verbose only. */
void __attribute__((format(printf, 2, 3))) ui_detail(struct ui *ui, const char *format, ...);
/* Progress of the current step, on a terminal only. */
void ui_progress(struct ui *ui, uint64_t done, uint64_t total);
/* ui_progress for callbacks that take a void *ctx (the struct ui). */
void ui_copy_progress(void *ctx, uint64_t done, uint64_t total);
/* Ends a progress line so the next message starts on its own line. */
void ui_progress_end(struct ui *ui);
/* Always shown: "win7gen2 COMMAND: error text". */
void __attribute__((format(printf, 3, 4))) ui_error(struct ui *ui, const char *command,
						    const char *format, ...);

#endif
