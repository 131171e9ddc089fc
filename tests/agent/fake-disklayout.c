/*
 * fake-disklayout.c - a stand-in for the disk layout query, for the
 * agent under wine
 *
 * Linked into tests/agent/win7gen2pe-test.exe in place of
 * overlay/agent/disklayout_win32.c: wine has no \\.\PhysicalDriveN.  The
 * test writes disks.txt beside the agent, one disk a line:
 *
 *   NUMBER gpt|mbr|raw SIZE [PARTITION-SIZE...]   a layout that was read
 *   NUMBER unreadable                             the query failed
 *
 * sizes in bytes; '#' starts a comment.  A disk on no line is not there.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "disklayout.h"
#include "stand-in.h"

static bool parse_style(const char *word, struct disk_facts *facts)
{
	if (strcmp(word, "gpt") == 0)
		facts->style = DISK_STYLE_GPT;
	else if (strcmp(word, "mbr") == 0)
		facts->style = DISK_STYLE_MBR;
	else if (strcmp(word, "raw") == 0)
		facts->style = DISK_STYLE_RAW;
	else
		return false;
	return true;
}

/* One line of disks.txt into facts; false when it is not about number. */
static bool parse_line(char *line, unsigned number, struct disk_facts *facts)
{
	char *word = strtok(line, " \t\r\n");

	if (!word || word[0] == '#' || strtoul(word, NULL, 10) != number)
		return false;
	word = strtok(NULL, " \t\r\n");
	if (word && strcmp(word, "unreadable") == 0) {
		facts->state = DISK_UNREADABLE;
		snprintf(facts->error, sizeof(facts->error), "unreadable by the test's disks.txt");
		return true;
	}
	if (!word || !parse_style(word, facts) || !(word = strtok(NULL, " \t\r\n"))) {
		facts->state = DISK_UNREADABLE;
		snprintf(facts->error, sizeof(facts->error), "a bad line in the test's disks.txt");
		return true;
	}
	facts->state = DISK_READ;
	facts->size_known = true;
	facts->size = strtoull(word, NULL, 10);
	while ((word = strtok(NULL, " \t\r\n"))) {
		if (facts->partitions < DISK_FACTS_SIZES)
			facts->partition_size[facts->partitions] = strtoull(word, NULL, 10);
		facts->partitions++;
	}
	return true;
}

void disk_facts_read(unsigned number, struct disk_facts *facts)
{
	FILE *file = stand_in_open(L"disks.txt", L"rb");
	char line[1024];

	memset(facts, 0, sizeof(*facts));
	facts->number = number;
	facts->state = DISK_ABSENT;
	if (!file)
		return;
	while (fgets(line, sizeof(line), file))
		if (parse_line(line, number, facts))
			break;
	fclose(file);
}
