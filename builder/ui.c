/*
 * ui.c - what the builder tells the person running it
 *
 * SPDX-License-Identifier: MIT
 */
#include "ui.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void ui_init(struct ui *ui, enum ui_level level)
{
	memset(ui, 0, sizeof(*ui));
	ui->level = level;
	ui->tty = isatty(STDERR_FILENO) == 1;
}

void ui_progress_end(struct ui *ui)
{
	if (ui->progress_shown) {
		fputs("\r\033[K", stderr);
		ui->progress_shown = false;
	}
}

/* One line of progress on stderr, after any progress meter. */
static void ui_line(struct ui *ui, const char *prefix, const char *format, va_list ap)
{
	ui_progress_end(ui);
	fputs(prefix, stderr);
	vfprintf(stderr, format, ap);
	fputc('\n', stderr);
}

void ui_step(struct ui *ui, const char *format, ...)
{
	va_list ap;

	if (ui->level < UI_NORMAL)
		return;
	va_start(ap, format);
	ui_line(ui, "win7gen2: ", format, ap);
	va_end(ap);
}

void ui_detail(struct ui *ui, const char *format, ...)
{
	va_list ap;

	if (ui->level < UI_VERBOSE)
		return;
	va_start(ap, format);
	ui_line(ui, "win7gen2:   ", format, ap);
	va_end(ap);
}

void ui_progress(struct ui *ui, uint64_t done, uint64_t total)
{
	if (ui->level < UI_NORMAL || !ui->tty || total == 0)
		return;
	fprintf(stderr, "\r\033[K  %3u%%  %" PRIu64 " of %" PRIu64 " MiB",
		(unsigned)(done * 100 / total), done >> 20, total >> 20);
	ui->progress_shown = true;
}

void ui_error(struct ui *ui, const char *command, const char *format, ...)
{
	va_list ap;

	ui_progress_end(ui);
	fprintf(stderr, "win7gen2 %s: ", command);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ui_copy_progress(void *ctx, uint64_t done, uint64_t total)
{
	ui_progress(ctx, done, total);
}
