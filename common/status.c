/*
 * status.c - read the outcome the last repair left on the ESP
 *
 * SPDX-License-Identifier: MIT
 */
#include "status.h"
#include "win7gen2.h"

/* The next line of text[*pos..length), without its CR LF or LF. */
static bool next_line(const char *text, size_t length, size_t *pos,
		      struct status_line *line)
{
	size_t start = *pos, end;

	if (start >= length)
		return false;
	for (end = start; end < length && text[end] != '\n'; end++)
		;
	*pos = end < length ? end + 1 : end;
	if (end > start && text[end - 1] == '\r')
		end--;
	line->text = text + start;
	line->length = end - start;
	return true;
}

static bool line_is(const struct status_line *line, const char *word)
{
	size_t i;

	for (i = 0; i < line->length && word[i]; i++)
		if (line->text[i] != word[i])
			return false;
	if (word[i])
		return false; /* the line ended inside the word */
	/* Trailing blanks after the keyword are tolerated. */
	for (; i < line->length; i++)
		if (line->text[i] != ' ' && line->text[i] != '\t')
			return false;
	return true;
}

void status_parse(const char *text, size_t length, struct status *status)
{
	struct status_line line;
	size_t pos = 0;

	status->failed = false;
	status->count = 0;
	if (!text)
		return;
	if (length > STATUS_MAX_SIZE)
		length = STATUS_MAX_SIZE;
	if (!next_line(text, length, &pos, &line) || !line_is(&line, WIN7GEN2_STATUS_FAILED))
		return;
	status->failed = true;
	while (status->count < STATUS_MAX_LINES && next_line(text, length, &pos, &line)) {
		if (line.length == 0)
			continue;
		if (line.length > STATUS_MAX_LINE)
			line.length = STATUS_MAX_LINE;
		status->line[status->count++] = line;
	}
}
