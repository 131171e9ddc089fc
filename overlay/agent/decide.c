/*
 * decide.c - the agent's decisions, as plain functions
 *
 * SPDX-License-Identifier: MIT
 */
#include "decide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "size_text.h"
#include "win7gen2.h"

static const char *const mode_names[] = {
	[AGENT_MODE_INSTALL] = WIN7GEN2_MODE_INSTALL,
	[AGENT_MODE_RESCUE] = WIN7GEN2_MODE_RESCUE,
	[AGENT_MODE_CONTINUE] = WIN7GEN2_MODE_CONTINUE,
};

const char *agent_mode_name(enum agent_mode mode)
{
	/* Not in mode_names: a bare "convert" names no disk and is no mode. */
	if (mode == AGENT_MODE_CONVERT)
		return WIN7GEN2_MODE_CONVERT;
	return (size_t)mode < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[mode] : "?";
}

const char *agent_mode_choice_name(enum agent_mode mode, bool confirmed)
{
	return mode == AGENT_MODE_INSTALL && confirmed ? WIN7GEN2_MODE_INSTALL_CONFIRMED :
							 agent_mode_name(mode);
}

bool agent_mode_parse(const char *name, enum agent_mode *mode, bool *confirmed)
{
	if (ascii_casecmp(name, WIN7GEN2_MODE_INSTALL_CONFIRMED) == 0) {
		*mode = AGENT_MODE_INSTALL;
		*confirmed = true;
		return true;
	}
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (ascii_casecmp(name, mode_names[i]) == 0) {
			*mode = (enum agent_mode)i;
			*confirmed = false;
			return true;
		}
	return false;
}

/* The payload writes the name without a NUL; tolerate one at the end. */
static bool value_is(const uint8_t *value, size_t size, const char *name)
{
	size_t length = strlen(name);

	if (size == length + 1 && value[length] == '\0')
		size = length;
	return size == length && memcmp(value, name, length) == 0;
}

/* The value as printable text for a message: '?' for anything else. */
static void printable(const uint8_t *value, size_t size, char *buf, size_t buf_size)
{
	size_t n = 0;

	for (size_t i = 0; i < size && n + 1 < buf_size && i < 32; i++)
		buf[n++] = value[i] >= 0x20 && value[i] < 0x7f ? (char)value[i] : '?';
	buf[n] = '\0';
}

bool mode_convert_signature(const uint8_t *value, size_t size, uint32_t *signature)
{
	const size_t prefix = strlen(WIN7GEN2_MODE_CONVERT) + 1;
	const size_t length = prefix + WIN7GEN2_MODE_CONVERT_SIGNATURE_DIGITS;
	uint32_t result = 0;

	if (size == length + 1 && value[length] == '\0')
		size = length;
	if (size != length || memcmp(value, WIN7GEN2_MODE_CONVERT ":", prefix) != 0)
		return false;
	for (size_t i = prefix; i < length; i++) {
		uint8_t c = value[i];

		if (c >= '0' && c <= '9')
			result = result << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			result = result << 4 | (uint32_t)(c - 'a' + 10);
		else
			return false;
	}
	*signature = result;
	return true;
}

static const char unconfirmed_note[] = "Setup runs only if disk 0 is blank";

enum mode_decision decide_mode(enum mode_variable_read read, const uint8_t *value, size_t size,
			       enum agent_mode *mode, bool *confirmed, char *why,
			       size_t why_size)
{
	char shown[40];
	uint32_t signature;

	*mode = AGENT_MODE_INSTALL;
	*confirmed = false;
	switch (read) {
	case MODE_VARIABLE_ABSENT:
		snprintf(why, why_size, "no %s variable: install (the boot menu's default, "
			 "or media started without the menu), unconfirmed: %s",
			 WIN7GEN2_MODE_VARIABLE, unconfirmed_note);
		return MODE_DECIDED;
	case MODE_VARIABLE_NO_UEFI:
		snprintf(why, why_size, "no UEFI variables on this machine (started by a BIOS): "
			 "install, unconfirmed: %s", unconfirmed_note);
		return MODE_DECIDED;
	case MODE_VARIABLE_UNREADABLE:
		snprintf(why, why_size, "the boot menu's choice (%s) cannot be read; nothing is "
			 "done, so that no disk is wiped by mistake: run win7gen2pe --mode "
			 "install|install-confirmed|rescue|continue", WIN7GEN2_MODE_VARIABLE);
		return MODE_REFUSED;
	case MODE_VARIABLE_FOUND:
		break;
	}
	if (value && value_is(value, size, WIN7GEN2_MODE_INSTALL_CONFIRMED)) {
		*confirmed = true;
		snprintf(why, why_size, "chosen on the boot menu: %s (the disk Setup uses may be "
			 "wiped)", WIN7GEN2_MODE_INSTALL_CONFIRMED);
		return MODE_DECIDED;
	}
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (value && value_is(value, size, mode_names[i])) {
			*mode = (enum agent_mode)i;
			if (*mode == AGENT_MODE_INSTALL)
				snprintf(why, why_size, "chosen on the boot menu: %s (by its "
					 "timeout), unconfirmed: %s", mode_names[i],
					 unconfirmed_note);
			else
				snprintf(why, why_size, "chosen on the boot menu: %s",
					 mode_names[i]);
			return MODE_DECIDED;
		}
	if (value && mode_convert_signature(value, size, &signature)) {
		*mode = AGENT_MODE_CONVERT;
		snprintf(why, why_size, "chosen on the boot menu: convert the Generation 1 disk "
			 "whose MBR disk signature is %08x to GPT", (unsigned)signature);
		return MODE_DECIDED;
	}
	printable(value, value ? size : 0, shown, sizeof(shown));
	if (value && size > strlen(WIN7GEN2_MODE_CONVERT) &&
	    memcmp(value, WIN7GEN2_MODE_CONVERT ":", strlen(WIN7GEN2_MODE_CONVERT) + 1) == 0) {
		snprintf(why, why_size, "the boot menu chose \"%s\", which does not name a disk "
			 "as convert:SSSSSSSS (8 lower-case hex digits of its MBR signature); "
			 "nothing is done, no partition table is changed", shown);
		return MODE_REFUSED;
	}
	snprintf(why, why_size, "the boot menu chose \"%s\", which this agent does not know "
		 "(a newer payload?); nothing is done, so that no disk is wiped by mistake",
		 shown);
	return MODE_REFUSED;
}

static const char *style_name(enum disk_style style)
{
	switch (style) {
	case DISK_STYLE_GPT:
		return "GPT";
	case DISK_STYLE_MBR:
		return "MBR";
	case DISK_STYLE_RAW:
		break;
	}
	return "no partition table";
}

void describe_disk(const struct disk_facts *disk, char *buf, size_t size)
{
	char shown[32];
	size_t n;

	switch (disk->state) {
	case DISK_ABSENT:
		snprintf(buf, size, "disk %u: not found", disk->number);
		return;
	case DISK_UNREADABLE:
		snprintf(buf, size, "disk %u: its layout cannot be read (%s), so it may hold "
			 "anything", disk->number, disk->error);
		return;
	case DISK_READ:
		break;
	}
	if (disk->size_known)
		size_text(disk->size, shown, sizeof(shown));
	else
		snprintf(shown, sizeof(shown), "size unknown");
	if (disk->partitions == 0) {
		snprintf(buf, size, "disk %u: %s, %s, no partitions (blank)", disk->number,
			 style_name(disk->style), shown);
		return;
	}
	n = (size_t)snprintf(buf, size, "disk %u: %s, %s, %u partition%s (", disk->number,
			     style_name(disk->style), shown, disk->partitions,
			     disk->partitions == 1 ? "" : "s");
	for (unsigned i = 0; i < disk->partitions && i < DISK_FACTS_SIZES && n < size; i++) {
		size_text(disk->partition_size[i], shown, sizeof(shown));
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", shown);
	}
	if (n < size)
		snprintf(buf + n, size - n, "%s)", disk->partitions > DISK_FACTS_SIZES ?
			 ", ..." : "");
}

bool decide_wipe(const struct disk_facts *disks, size_t count, unsigned target, bool confirmed,
		 char *why, size_t why_size)
{
	const struct disk_facts *disk = NULL;

	for (size_t i = 0; i < count && !disk; i++)
		if (disks[i].number == target)
			disk = &disks[i];
	if (confirmed) {
		snprintf(why, why_size, "Setup wipes disk %u (the answer file names DiskID %u): "
			 "confirmed on the boot menu", target, target);
		return true;
	}
	if (disk && disk->state == DISK_READ && disk->partitions == 0) {
		snprintf(why, why_size, "Setup uses disk %u (the answer file names DiskID %u), "
			 "which is blank: nothing on it is lost", target, target);
		return true;
	}
	if (!disk || disk->state == DISK_ABSENT)
		snprintf(why, why_size, "Setup would wipe disk %u (the answer file names DiskID "
			 "%u), which is not found, so what it holds cannot be told; nobody "
			 "confirmed the install", target, target);
	else if (disk->state == DISK_UNREADABLE)
		snprintf(why, why_size, "Setup would wipe disk %u (the answer file names DiskID "
			 "%u), whose layout cannot be read, so it may hold data; nobody "
			 "confirmed the install", target, target);
	else
		snprintf(why, why_size, "Setup would wipe disk %u (the answer file names DiskID "
			 "%u), which holds %u partition%s; nobody confirmed the install",
			 target, target, disk->partitions,
			 disk->partitions == 1 ? "" : "s");
	return false;
}

bool drivers_needed(bool vmbus_running, bool storvsc_running)
{
	return !(vmbus_running && storvsc_running);
}

/* The file name part of a path, after the last '\' or '/'. */
static const char *base_name(const char *path)
{
	const char *name = path;

	for (const char *c = path; *c; c++)
		if (*c == '\\' || *c == '/')
			name = c + 1;
	return name;
}

static bool contains_vmbus(const char *text)
{
	static const char word[] = "vmbus";

	for (; *text; text++) {
		size_t i = 0;

		while (word[i] && ascii_lower(text[i]) == word[i])
			i++;
		if (!word[i])
			return true;
	}
	return false;
}

static int compare_inf_paths(const void *a, const void *b)
{
	const char *pa = *(const char *const *)a, *pb = *(const char *const *)b;
	bool va = contains_vmbus(base_name(pa)), vb = contains_vmbus(base_name(pb));
	int by_name;

	if (va != vb)
		return va ? -1 : 1;
	by_name = ascii_casecmp(base_name(pa), base_name(pb));
	return by_name ? by_name : ascii_casecmp(pa, pb);
}

void order_inf_paths(char **paths, size_t count)
{
	if (count > 1)
		qsort(paths, count, sizeof(paths[0]), compare_inf_paths);
}

enum install_kind classify_install(const struct install_candidate *candidate)
{
	if (!candidate->version_known || !candidate->machine_known)
		return INSTALL_UNKNOWN;
	if (candidate->major != 6 || candidate->minor != 1)
		return INSTALL_NOT_WINDOWS7;
	if (candidate->machine != PE_MACHINE_AMD64)
		return INSTALL_NOT_X64;
	return INSTALL_WINDOWS7_X64;
}

void describe_install(const struct install_candidate *candidate, char *buf, size_t size)
{
	switch (classify_install(candidate)) {
	case INSTALL_WINDOWS7_X64:
		snprintf(buf, size, "Windows 7 x64 (kernel %u.%u)", candidate->major,
			 candidate->minor);
		break;
	case INSTALL_NOT_WINDOWS7:
		snprintf(buf, size, "Windows %u.%u, not Windows 7 (6.1): left alone",
			 candidate->major, candidate->minor);
		break;
	case INSTALL_NOT_X64:
		snprintf(buf, size, "Windows 7 for machine type 0x%04x, not x64: left alone",
			 (unsigned)candidate->machine);
		break;
	case INSTALL_UNKNOWN:
		snprintf(buf, size, "a Windows whose kernel (ntoskrnl.exe) cannot be read: "
			 "left alone");
		break;
	}
}

int newest_install(const struct install_candidate *candidates, size_t count)
{
	int best = -1;

	for (size_t i = 0; i < count; i++) {
		if (classify_install(&candidates[i]) != INSTALL_WINDOWS7_X64)
			continue;
		/* On a tie the lower letter wins: the order the scan found them. */
		if (best < 0 || candidates[i].hive_time > candidates[best].hive_time)
			best = (int)i;
	}
	return best;
}

int choose_esp(const struct partition_fact *partitions, size_t count)
{
	int best = -1;

	for (size_t i = 0; i < count; i++)
		if (partitions[i].is_esp &&
		    (best < 0 || partitions[i].number < partitions[best].number))
			best = (int)i;
	return best;
}

char pick_free_letter(uint32_t used)
{
	static const char order[] = "STUVWYZRQPONMLKJIHGFED";

	for (const char *letter = order; *letter; letter++)
		if (!(used & (UINT32_C(1) << (*letter - 'A'))))
			return *letter;
	return 0;
}

enum setup_verdict decide_setup(bool started, unsigned long exit_code, bool install_found)
{
	if (!started || exit_code != 0)
		return SETUP_FAILED;
	return install_found ? SETUP_INSTALLED : SETUP_NO_INSTALLATION;
}

enum power_action decide_power(enum agent_mode mode, bool all_right, bool no_power)
{
	if (no_power || mode == AGENT_MODE_CONTINUE)
		return POWER_NONE;
	/* A converted disk boots in a Generation 2 VM, not in this one: a
	 * person moves it, so the VM stops either way. */
	if (mode == AGENT_MODE_CONVERT)
		return POWER_SHUTDOWN;
	return all_right ? POWER_REBOOT : POWER_SHUTDOWN;
}

const char *power_action_name(enum power_action action)
{
	switch (action) {
	case POWER_REBOOT:
		return "restart";
	case POWER_SHUTDOWN:
		return "shut down";
	case POWER_NONE:
		break;
	}
	return "stay";
}
