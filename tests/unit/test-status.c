/*
 * test-status.c - the repair outcome the payload shows at boot
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "tap.h"
#include "win7gen2.h"

static void parse(const char *text, struct status *status)
{
	status_parse(text, strlen(text), status);
}

static bool line_equals(const struct status *status, unsigned i, const char *want)
{
	return i < status->count && status->line[i].length == strlen(want) &&
	       memcmp(status->line[i].text, want, strlen(want)) == 0;
}

int main(void)
{
	struct status status;
	char *big;

	parse(WIN7GEN2_STATUS_OK "\nall fine\n", &status);
	tap_ok(!status.failed, "ok status is not a failure");
	tap_is_u64(status.count, 0, "and has no summary to show");

	parse(WIN7GEN2_STATUS_FAILED "\r\nSetup failed: see setupact.log\r\n\r\n"
	      "the VM was stopped\n", &status);
	tap_ok(status.failed, "failed status read, CRLF");
	tap_is_u64(status.count, 2, "two summary lines, the empty one skipped");
	tap_ok(line_equals(&status, 0, "Setup failed: see setupact.log"), "first line without CR");
	tap_ok(line_equals(&status, 1, "the VM was stopped"), "last line without a line end");

	parse(WIN7GEN2_STATUS_FAILED "  \nx\n", &status);
	tap_ok(status.failed, "trailing blanks after the keyword are fine");

	parse("win7gen2 status: failedX\nx\n", &status);
	tap_ok(!status.failed, "a longer keyword is not the keyword");
	parse("win7gen2 status: fail\n", &status);
	tap_ok(!status.failed, "a shorter keyword is not the keyword");
	parse("garbage", &status);
	tap_ok(!status.failed, "garbage is not a failure");
	status_parse(NULL, 0, &status);
	tap_ok(!status.failed && status.count == 0, "no file is not a failure");
	status_parse(WIN7GEN2_STATUS_FAILED, strlen(WIN7GEN2_STATUS_FAILED) - 1, &status);
	tap_ok(!status.failed, "the length given is respected");

	big = malloc(STATUS_MAX_SIZE * 2);
	memset(big, 'a', STATUS_MAX_SIZE * 2);
	memcpy(big, WIN7GEN2_STATUS_FAILED "\n", strlen(WIN7GEN2_STATUS_FAILED) + 1);
	status_parse(big, STATUS_MAX_SIZE * 2, &status);
	tap_ok(status.failed, "a huge status still parses");
	tap_is_u64(status.count, 1, "as one summary line");
	tap_is_u64(status.line[0].length, STATUS_MAX_LINE, "cut to STATUS_MAX_LINE");
	for (size_t i = strlen(WIN7GEN2_STATUS_FAILED) + 1; i < STATUS_MAX_SIZE * 2; i += 2)
		big[i] = '\n';
	status_parse(big, STATUS_MAX_SIZE * 2, &status);
	tap_is_u64(status.count, STATUS_MAX_LINES, "at most STATUS_MAX_LINES lines");
	free(big);
	return tap_done();
}
