/*
 * test-agent-units.c - the WinPE agent's decisions and texts, on the host
 *
 * Everything win7gen2pe.exe decides or writes that does not need Windows
 * lives in portable files (overlay/agent/local.mk: agent_portable_sources);
 * they are compiled here with the host compiler.  status.txt is read back
 * with the payload's own parser (common/status.c).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "args.h"
#include "cmdline.h"
#include "decide.h"
#include "icpackage.h"
#include "package_list.h"
#include "packages.h"
#include "pe_header.h"
#include "relpath.h"
#include "report_text.h"
#include "status.h"
#include "win7gen2.h"

/* ---- the command line ------------------------------------------------ */

static void parse(struct agent_args *args, const char *line)
{
	char copy[512], *argv[32], *token;
	int argc = 0;

	snprintf(copy, sizeof(copy), "win7gen2pe.exe %s", line);
	for (token = strtok(copy, " "); token && argc < 31; token = strtok(NULL, " "))
		argv[argc++] = token;
	argv[argc] = NULL;
	agent_args_parse(argc, argv, args);
}

static void test_args(void)
{
	struct agent_args a;

	parse(&a, "");
	tap_ok(a.action == AGENT_ACTION_PE && !a.mode_given && !a.no_power,
	       "no arguments: the Windows PE agent, mode from the boot menu");
	parse(&a, "--mode rescue --no-reboot");
	tap_ok(a.action == AGENT_ACTION_PE && a.mode_given && a.mode == AGENT_MODE_RESCUE &&
	       a.no_power, "--mode rescue --no-reboot");
	parse(&a, "--mode=Continue -v");
	tap_ok(a.action == AGENT_ACTION_PE && a.mode == AGENT_MODE_CONTINUE &&
	       a.verbosity == FIX_VERBOSE, "--mode=VALUE, case-insensitive, with -v");
	parse(&a, "--mode wipe");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR && strstr(a.error, "\"wipe\"") &&
	       strstr(a.error, "install-confirmed"),
	       "an unknown mode is a usage error naming it and the modes");
	parse(&a, "--mode install");
	tap_ok(a.action == AGENT_ACTION_PE && a.mode == AGENT_MODE_INSTALL && !a.confirmed,
	       "--mode install: unconfirmed");
	parse(&a, "--mode install-confirmed");
	tap_ok(a.action == AGENT_ACTION_PE && a.mode_given && a.mode == AGENT_MODE_INSTALL &&
	       a.confirmed, "--mode install-confirmed: install, confirmed");
	parse(&a, "--mode=install-confirmed --mode rescue");
	tap_ok(a.mode == AGENT_MODE_RESCUE && !a.confirmed,
	       "the last --mode wins, confirmation included");
	parse(&a, "--mode install-confirmedx");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR, "no prefix matching of mode names");
	parse(&a, "--mode convert:0a1b2c3d --no-reboot");
	tap_ok(a.action == AGENT_ACTION_PE && a.mode_given && a.mode == AGENT_MODE_CONVERT &&
	       a.convert_signature == 0x0a1b2c3d && !a.confirmed,
	       "--mode convert:SSSSSSSS: the menu's Convert, with the disk's signature");
	parse(&a, "--mode convert:0A1B2C3D");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR && strstr(a.error, "convert:SSSSSSSS"),
	       "upper-case digits are no signature the menu writes: a usage error");
	parse(&a, "--mode convert");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR, "convert without a signature names no disk");

	parse(&a, "--windows D:\\ --esp S:\\");
	tap_ok(a.action == AGENT_ACTION_FIX && strcmp(a.windows, "D:\\") == 0 &&
	       strcmp(a.esp, "S:\\") == 0 && !a.dry_run && !a.payload && a.esp_partition == 0,
	       "--windows D:\\ --esp S:\\ fixes a mounted disk");
	parse(&a, "--windows=D: --esp=S: --payload=p.efi -n -q --esp-partition 1 "
		  "--windows-partition=3");
	tap_ok(a.action == AGENT_ACTION_FIX && a.dry_run && a.verbosity == FIX_QUIET &&
	       strcmp(a.payload, "p.efi") == 0 && a.esp_partition == 1 &&
	       a.windows_partition == 3, "every host option, in both spellings");
	parse(&a, "--windows D:\\");
	tap_is_str(a.error, "give both --windows DIR and --esp DIR", "--esp missing");
	parse(&a, "--dry-run");
	tap_is_str(a.error, "give both --windows DIR and --esp DIR",
		   "--dry-run alone is a host option without its volumes");
	parse(&a, "--windows a --esp b --esp-partition 1");
	tap_is_str(a.error, "give --esp-partition and --windows-partition together",
		   "one partition number alone");
	parse(&a, "--windows a --esp b --esp-partition 2 --windows-partition 2");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR && strstr(a.error, "same partition (2)"),
	       "the same partition twice");
	parse(&a, "--windows a --esp b --esp-partition x --windows-partition 2");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR &&
	       strstr(a.error, "wants a partition number from 1 to 128, not \"x\""),
	       "a partition number that is not one");
	parse(&a, "--windows a --esp b --esp-partition 129 --windows-partition 2");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR, "partition 129 is refused");
	parse(&a, "--windows a --esp b --esp-partition -1 --windows-partition 2");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR, "a negative partition is refused");
	parse(&a, "--windows a --esp b --mode install");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR && strstr(a.error, "not both"),
	       "Windows PE and host options together are refused");
	parse(&a, "--windows");
	tap_is_str(a.error, "--windows needs a value", "an option without its value");
	parse(&a, "--bogus");
	tap_is_str(a.error, "--bogus: unknown option", "an unknown option");
	parse(&a, "extra");
	tap_is_str(a.error, "unexpected argument \"extra\"", "an argument that is no option");
	parse(&a, "--windows a --help");
	tap_ok(a.action == AGENT_ACTION_HELP, "--help wins");
	parse(&a, "/?");
	tap_ok(a.action == AGENT_ACTION_HELP, "/? is help, as on Windows");
	parse(&a, "--version");
	tap_ok(a.action == AGENT_ACTION_VERSION, "--version");
	parse(&a, "--convert \\\\.\\PhysicalDrive2 --dry-run");
	tap_ok(a.action == AGENT_ACTION_CONVERT && a.dry_run && !a.undo &&
	       strcmp(a.convert, "\\\\.\\PhysicalDrive2") == 0, "--convert DISK --dry-run");
	parse(&a, "--convert=d --undo");
	tap_ok(a.action == AGENT_ACTION_CONVERT && a.undo && !a.dry_run, "--convert=DISK --undo");
	parse(&a, "--convert d --mode rescue");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR && strstr(a.error, "--convert DISK takes only"),
	       "--convert with a Windows PE option is refused");
	parse(&a, "--convert d --windows a --esp b");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR, "--convert with --windows/--esp is refused");
	parse(&a, "--undo");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR && strstr(a.error, "--undo is for --convert"),
	       "--undo alone is refused");
	parse(&a, "--windows a --esp b --undo");
	tap_ok(a.action == AGENT_ACTION_USAGE_ERROR, "--undo does not go with --windows/--esp");
	tap_ok(strstr(agent_usage(), "--windows DIR") && strstr(agent_usage(), "--esp DIR") &&
	       strstr(agent_usage(), "--dry-run") && strstr(agent_usage(), "--mode MODE") &&
	       strstr(agent_usage(), "Exit status: 0"), "the help names every option");
}

/* ---- the mode -------------------------------------------------------- */

static bool last_confirmed;

static enum mode_decision mode_of(enum mode_variable_read read, const char *value,
				  size_t size, enum agent_mode *mode, char *why)
{
	last_confirmed = true; /* each case must set it */
	return decide_mode(read, (const uint8_t *)value, size, mode, &last_confirmed, why, 300);
}

static void test_mode(void)
{
	enum agent_mode mode = AGENT_MODE_CONTINUE;
	char why[300];

	tap_ok(mode_of(MODE_VARIABLE_ABSENT, NULL, 0, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_INSTALL && strstr(why, "no Win7Gen2Mode variable"),
	       "no variable: install, and why");
	tap_ok(mode_of(MODE_VARIABLE_NO_UEFI, NULL, 0, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_INSTALL && strstr(why, "BIOS") && strstr(why, "unconfirmed"),
	       "BIOS boot: install, unconfirmed, and why");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "rescue", 6, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_RESCUE && strstr(why, "chosen on the boot menu: rescue"),
	       "\"rescue\" as the payload writes it (no NUL)");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "continue", 9, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_CONTINUE, "\"continue\" with a NUL is accepted too");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "install", 7, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_INSTALL && !last_confirmed &&
	       strstr(why, "unconfirmed: Setup runs only if disk 0 is blank"),
	       "\"install\" (the menu's timeout): install, unconfirmed");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "install-confirmed", 17, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_INSTALL && last_confirmed &&
	       strstr(why, "chosen on the boot menu: install-confirmed"),
	       "\"install-confirmed\": install, confirmed");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "install-confirmed", 18, &mode, why) == MODE_DECIDED &&
	       last_confirmed, "\"install-confirmed\" with a NUL");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "install-confirme", 16, &mode, why) == MODE_REFUSED &&
	       !last_confirmed, "a cut-off \"install-confirmed\" is refused, unconfirmed");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "INSTALL-CONFIRMED", 17, &mode, why) == MODE_REFUSED,
	       "\"INSTALL-CONFIRMED\" is not what the payload writes: refused");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "rescue", 6, &mode, why) == MODE_DECIDED &&
	       !last_confirmed && mode_of(MODE_VARIABLE_ABSENT, NULL, 0, &mode, why) ==
	       MODE_DECIDED && !last_confirmed &&
	       mode_of(MODE_VARIABLE_NO_UEFI, NULL, 0, &mode, why) == MODE_DECIDED &&
	       !last_confirmed, "rescue, no variable, a BIOS boot: never confirmed");
	tap_ok(mode_of(MODE_VARIABLE_UNREADABLE, NULL, 0, &mode, why) == MODE_REFUSED &&
	       !last_confirmed && strstr(why, "install-confirmed"),
	       "an unreadable variable: refused, unconfirmed, naming the modes");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "installx", 8, &mode, why) == MODE_REFUSED,
	       "\"installx\" is no choice: refused");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "RESCUE", 6, &mode, why) == MODE_REFUSED,
	       "the payload writes lower case; anything else is refused");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "convert:1234abcd", 16, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_CONVERT && !last_confirmed && strstr(why, "1234abcd"),
	       "\"convert:1234abcd\": convert, naming the disk");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "convert:1234abcd", 17, &mode, why) == MODE_DECIDED &&
	       mode == AGENT_MODE_CONVERT, "\"convert:1234abcd\" with a NUL");
	{
		static const char *const bad[] = {
			"convert", "convert:", "convert:1234abc", "convert:1234abcd0",
			"convert:1234ABCD", "convert:1234abcg", "convert 1234abcd",
			"Convert:1234abcd", "convert:-234abcd", "convert:1234abc\x01",
		};
		bool all_refused = true;

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (mode_of(MODE_VARIABLE_FOUND, bad[i], strlen(bad[i]), &mode, why) !=
			    MODE_REFUSED || mode != AGENT_MODE_INSTALL || last_confirmed)
				all_refused = false;
		tap_ok(all_refused, "a malformed convert value is refused, nothing done");
	}
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "convert:12", 10, &mode, why) == MODE_REFUSED &&
	       strstr(why, "convert:SSSSSSSS") && strstr(why, "no partition table is changed"),
	       "a cut-off convert value says what the value must be");
	{
		uint32_t signature = 0;
		const uint8_t value[] = "convert:00c0ffee";

		tap_ok(mode_convert_signature(value, sizeof(value) - 1, &signature) &&
		       signature == 0x00c0ffeeu, "the signature is the value's hex digits");
		tap_ok(!mode_convert_signature((const uint8_t *)"rescue", 6, &signature),
		       "no signature in another mode");
	}
	tap_ok(strcmp(agent_mode_name(AGENT_MODE_CONVERT), "convert") == 0, "convert's name");
	{
		enum agent_mode parsed;
		bool confirmed;

		tap_ok(!agent_mode_parse("convert", &parsed, &confirmed),
		       "--mode convert is no mode: it names no disk");
	}
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "res\x01ue", 6, &mode, why) == MODE_REFUSED &&
	       strstr(why, "\"res?ue\"") && strstr(why, "no disk is wiped"),
	       "an unknown value is shown safely and refused, saying why");
	tap_ok(mode_of(MODE_VARIABLE_FOUND, "", 0, &mode, why) == MODE_REFUSED,
	       "an empty value is refused");
	tap_ok(mode_of(MODE_VARIABLE_UNREADABLE, NULL, 0, &mode, why) == MODE_REFUSED &&
	       strstr(why, "--mode"), "an unreadable variable is refused, naming --mode");
	tap_is_str(agent_mode_name(AGENT_MODE_RESCUE), "rescue", "mode names");
	tap_is_str(agent_mode_choice_name(AGENT_MODE_INSTALL, true), "install-confirmed",
		   "a confirmed install's name");
	tap_is_str(agent_mode_choice_name(AGENT_MODE_INSTALL, false), "install",
		   "an unconfirmed install's name");
}

/* ---- the install guard ------------------------------------------------ */

static struct disk_facts disk_read(unsigned number, enum disk_style style, uint64_t size,
				   unsigned partitions)
{
	struct disk_facts disk = { .number = number, .state = DISK_READ, .style = style,
				   .size_known = true, .size = size, .partitions = partitions };

	for (unsigned i = 0; i < partitions && i < DISK_FACTS_SIZES; i++)
		disk.partition_size[i] = UINT64_C(100) << 20;
	return disk;
}

static struct disk_facts disk_in_state(unsigned number, enum disk_state state)
{
	struct disk_facts disk = { .number = number, .state = state };

	snprintf(disk.error, sizeof(disk.error), "Access is denied.");
	return disk;
}

#define GIB (UINT64_C(1) << 30)

static void test_wipe(void)
{
	struct disk_facts disks[4];
	char why[400], shown[400];

	/* The decision table: disk 0's state x confirmation. */
	disks[0] = disk_read(0, DISK_STYLE_RAW, 127 * GIB, 0);
	tap_ok(decide_wipe(disks, 1, 0, false, why, sizeof(why)) &&
	       strstr(why, "disk 0") && strstr(why, "DiskID 0") && strstr(why, "blank"),
	       "raw disk 0, unconfirmed: Setup may run (blank)");
	disks[0] = disk_read(0, DISK_STYLE_GPT, 127 * GIB, 0);
	tap_ok(decide_wipe(disks, 1, 0, false, why, sizeof(why)),
	       "GPT disk 0 with no entry in use, unconfirmed: blank, Setup may run");
	disks[0] = disk_read(0, DISK_STYLE_MBR, 127 * GIB, 0);
	tap_ok(decide_wipe(disks, 1, 0, false, why, sizeof(why)),
	       "MBR disk 0 with only empty entries, unconfirmed: blank, Setup may run");
	disks[0] = disk_read(0, DISK_STYLE_GPT, 127 * GIB, 4);
	tap_ok(!decide_wipe(disks, 1, 0, false, why, sizeof(why)) &&
	       strstr(why, "disk 0") && strstr(why, "DiskID 0") && strstr(why, "4 partitions") &&
	       strstr(why, "nobody confirmed"),
	       "GPT disk 0 with 4 partitions, unconfirmed: no Setup, saying which disk and why");
	disks[0] = disk_read(0, DISK_STYLE_MBR, 127 * GIB, 1);
	tap_ok(!decide_wipe(disks, 1, 0, false, why, sizeof(why)) &&
	       strstr(why, "1 partition;"), "MBR disk 0 with 1 partition, unconfirmed: no Setup");
	tap_ok(decide_wipe(disks, 1, 0, true, why, sizeof(why)) && strstr(why, "confirmed") &&
	       strstr(why, "wipes disk 0"), "the same, confirmed: Setup runs, saying it wipes disk 0");
	disks[0] = disk_in_state(0, DISK_UNREADABLE);
	tap_ok(!decide_wipe(disks, 1, 0, false, why, sizeof(why)) &&
	       strstr(why, "cannot be read"), "unreadable disk 0, unconfirmed: never guessed blank");
	tap_ok(decide_wipe(disks, 1, 0, true, why, sizeof(why)),
	       "unreadable disk 0, confirmed: Setup runs");
	disks[0] = disk_in_state(0, DISK_ABSENT);
	tap_ok(!decide_wipe(disks, 1, 0, false, why, sizeof(why)) && strstr(why, "not found"),
	       "disk 0 not found, unconfirmed: no Setup");
	disks[0] = disk_read(1, DISK_STYLE_RAW, GIB, 0);
	tap_ok(!decide_wipe(disks, 1, 0, false, why, sizeof(why)) && strstr(why, "not found"),
	       "disk 0 missing from the facts (only a blank disk 1): no Setup");
	tap_ok(!decide_wipe(disks, 0, 0, false, why, sizeof(why)), "no facts at all: no Setup");

	/* Several disks: only the answer file's disk counts. */
	disks[0] = disk_read(0, DISK_STYLE_RAW, 127 * GIB, 0);
	disks[1] = disk_read(1, DISK_STYLE_GPT, 500 * GIB, 2);
	disks[2] = disk_in_state(2, DISK_UNREADABLE);
	tap_ok(decide_wipe(disks, 3, 0, false, why, sizeof(why)) && strstr(why, "disk 0") &&
	       !strstr(why, "disk 1"), "blank disk 0 beside disks with data: Setup may run");
	disks[0] = disk_read(1, DISK_STYLE_RAW, 127 * GIB, 0);
	disks[1] = disk_read(0, DISK_STYLE_GPT, 500 * GIB, 2);
	tap_ok(!decide_wipe(disks, 3, 0, false, why, sizeof(why)) && strstr(why, "disk 0") &&
	       strstr(why, "2 partitions"), "a blank disk 1 does not make disk 0 blank");
	tap_ok(decide_wipe(disks, 3, 1, false, why, sizeof(why)) && strstr(why, "disk 1") &&
	       strstr(why, "DiskID 1"), "the target is a parameter, not a hidden 0");
	tap_ok(SETUP_TARGET_DISK == 0, "the answer file's disk is disk 0");

	/* What the report shows of each disk. */
	disks[0] = disk_read(0, DISK_STYLE_GPT, 127 * GIB, 3);
	disks[0].partition_size[0] = UINT64_C(100) << 20;
	disks[0].partition_size[1] = UINT64_C(16) << 20;
	disks[0].partition_size[2] = 126 * GIB + (UINT64_C(900) << 20);
	describe_disk(&disks[0], shown, sizeof(shown));
	tap_is_str(shown, "disk 0: GPT, 127 GiB, 3 partitions (100 MiB, 16 MiB, 126 GiB)",
		   "a GPT disk: style, size, partition count and sizes");
	disks[0] = disk_read(2, DISK_STYLE_MBR, 512, 1);
	disks[0].partition_size[0] = 1536;
	describe_disk(&disks[0], shown, sizeof(shown));
	tap_is_str(shown, "disk 2: MBR, 512 bytes, 1 partition (1.5 KiB)", "small sizes");
	disks[0] = disk_read(1, DISK_STYLE_RAW, 20 * GIB, 0);
	disks[0].size_known = false;
	describe_disk(&disks[0], shown, sizeof(shown));
	tap_is_str(shown, "disk 1: no partition table, size unknown, no partitions (blank)",
		   "a raw disk of unknown size");
	disks[0] = disk_read(0, DISK_STYLE_GPT, 127 * GIB, 20);
	describe_disk(&disks[0], shown, sizeof(shown));
	tap_ok(strstr(shown, "20 partitions (100 MiB") && strstr(shown, ", ...)"),
	       "more partitions than kept: the first sizes, then \"...\"");
	disks[0] = disk_in_state(3, DISK_UNREADABLE);
	describe_disk(&disks[0], shown, sizeof(shown));
	tap_is_str(shown, "disk 3: its layout cannot be read (Access is denied.), so it may "
		   "hold anything", "an unreadable disk, with the reason");
	disks[0] = disk_read(0, DISK_STYLE_GPT, UINT64_MAX, 0);
	describe_disk(&disks[0], shown, sizeof(shown));
	tap_ok(strstr(shown, "15.9 EiB") != NULL, "the largest size does not overflow");
	describe_disk(&disks[0], shown, 12);
	tap_ok(strlen(shown) == 11, "a short buffer is cut, not overrun");
	disks[0] = disk_read(0, DISK_STYLE_GPT, 127 * GIB, 8);
	describe_disk(&disks[0], shown, 40);
	tap_ok(strlen(shown) == 39, "a short buffer is cut in the list of sizes");
}

/* ---- drivers, installations, ESP, letters ---------------------------- */

static void test_drivers(void)
{
	char a[] = "X:\\win7gen2\\drivers\\user\\b.inf";
	char b[] = "X:\\win7gen2\\drivers\\wstorvsc.inf_amd64_neutral_1\\wstorvsc.inf";
	char c[] = "X:\\win7gen2\\drivers\\wvmbus.inf_amd64_neutral_2\\wVMBus.inf";
	char d[] = "X:\\win7gen2\\drivers\\user\\A.inf";
	char *paths[] = { a, b, c, d };

	tap_ok(!drivers_needed(true, true), "both drivers run: nothing to load");
	tap_ok(drivers_needed(true, false) && drivers_needed(false, true) &&
	       drivers_needed(false, false), "either missing: load the packages");
	order_inf_paths(paths, 4);
	tap_ok(paths[0] == c && paths[1] == d && paths[2] == a && paths[3] == b,
	       "the VMBus package loads first, the rest by file name");
}

static struct install_candidate candidate(char letter, uint64_t time, unsigned major,
					  unsigned minor, uint16_t machine)
{
	struct install_candidate c = {
		.letter = letter, .hive_time = time, .version_known = true, .major = major,
		.minor = minor, .build = 7601, .machine_known = true, .machine = machine,
	};

	return c;
}

static void test_installs(void)
{
	struct install_candidate list[5];
	char text[200];

	list[0] = candidate('C', 100, 6, 1, PE_MACHINE_AMD64);
	list[1] = candidate('D', 300, 6, 1, PE_MACHINE_AMD64);
	list[2] = candidate('E', 900, 6, 0, PE_MACHINE_AMD64); /* Vista, newest */
	list[3] = candidate('F', 800, 6, 1, 0x014c);           /* Windows 7 x86 */
	list[4] = candidate('G', 950, 6, 1, PE_MACHINE_AMD64);
	list[4].version_known = false;                         /* kernel unreadable */

	tap_ok(classify_install(&list[0]) == INSTALL_WINDOWS7_X64, "6.1 x64 is Windows 7 x64");
	tap_ok(classify_install(&list[2]) == INSTALL_NOT_WINDOWS7, "6.0 is not Windows 7");
	tap_ok(classify_install(&list[3]) == INSTALL_NOT_X64, "6.1 i386 is not ours");
	tap_ok(classify_install(&list[4]) == INSTALL_UNKNOWN, "an unreadable kernel is unknown");
	tap_is_u64(newest_install(list, 5), 1,
		   "the newest Windows 7 x64 is the one Setup made, newer others ignored");
	tap_is_u64(newest_install(list, 1), 0, "one installation");
	tap_ok(newest_install(list + 2, 3) == -1, "no Windows 7 x64: none");
	list[1].hive_time = 100;
	tap_is_u64(newest_install(list, 2), 0, "a tie goes to the lower letter");
	describe_install(&list[2], text, sizeof(text));
	tap_ok(strstr(text, "Windows 6.0") && strstr(text, "left alone"), "Vista is described: %s",
	       text);
	describe_install(&list[3], text, sizeof(text));
	tap_ok(strstr(text, "0x014c") && strstr(text, "not x64"), "x86 is described: %s", text);
}

static void test_esp_and_letters(void)
{
	struct partition_fact none[] = { { 1, false }, { 2, false } };
	struct partition_fact two[] = { { 4, true }, { 1, false }, { 2, true }, { 3, false } };
	uint32_t all_but_d = 0x03ffffffu & ~(UINT32_C(1) << ('D' - 'A'));

	tap_ok(choose_esp(none, 2) == -1, "a disk without an ESP");
	tap_is_u64(choose_esp(two, 4), 2, "the lowest-numbered ESP");
	tap_ok(choose_esp(two, 0) == -1, "an empty disk");

	tap_ok(pick_free_letter(0) == 'S', "S first");
	tap_ok(pick_free_letter(UINT32_C(1) << ('S' - 'A')) == 'T', "then T");
	tap_ok(pick_free_letter(0xffffffffu & ~(UINT32_C(1) << ('X' - 'A'))) == 0,
	       "never X, Windows PE's drive");
	tap_ok(pick_free_letter(0xffffffffu & ~(UINT32_C(1) << ('C' - 'A')) &
				~(UINT32_C(1) << ('B' - 'A'))) == 0, "never A, B or C");
	tap_ok(pick_free_letter(all_but_d) == 'D', "D when everything else is taken");
}

static void test_setup_and_power(void)
{
	tap_ok(decide_setup(true, 0, true) == SETUP_INSTALLED, "exit 0 and a new Windows 7");
	tap_ok(decide_setup(true, 0, false) == SETUP_NO_INSTALLATION,
	       "exit 0 without a Windows 7 on the disks");
	tap_ok(decide_setup(true, 31, true) == SETUP_FAILED, "a nonzero exit code fails");
	tap_ok(decide_setup(false, 0, true) == SETUP_FAILED, "Setup that did not start fails");

	tap_ok(decide_power(AGENT_MODE_INSTALL, true, false) == POWER_REBOOT,
	       "install done: restart into the new system");
	tap_ok(decide_power(AGENT_MODE_INSTALL, false, false) == POWER_SHUTDOWN,
	       "install failed: stop the VM, no reboot loop");
	tap_ok(decide_power(AGENT_MODE_RESCUE, true, false) == POWER_REBOOT, "rescue done");
	tap_ok(decide_power(AGENT_MODE_RESCUE, false, false) == POWER_SHUTDOWN,
	       "rescue failed or found nothing: stop");
	tap_ok(decide_power(AGENT_MODE_CONTINUE, true, false) == POWER_NONE &&
	       decide_power(AGENT_MODE_CONTINUE, false, false) == POWER_NONE,
	       "continue: Setup restarts the machine itself");
	tap_ok(decide_power(AGENT_MODE_INSTALL, false, true) == POWER_NONE,
	       "--no-reboot: neither");
	tap_ok(decide_power(AGENT_MODE_CONVERT, true, false) == POWER_SHUTDOWN &&
	       decide_power(AGENT_MODE_CONVERT, false, false) == POWER_SHUTDOWN,
	       "convert: stop either way (the disk boots in a Gen2 VM, not this one)");
	tap_is_str(power_action_name(POWER_SHUTDOWN), "shut down", "power names");
}

/* ---- command lines --------------------------------------------------- */

/* Split a command line the way Microsoft's C runtime does (the reference
 * the quoting is checked against).  Returns the number of arguments. */
static int split_like_windows(const char *line, char out[][128], int max)
{
	int count = 0;

	for (;;) {
		size_t n = 0;
		bool quoted = false;

		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || count == max)
			return count;
		while (*line && (quoted || (*line != ' ' && *line != '\t'))) {
			size_t backslashes = 0;

			while (*line == '\\') {
				backslashes++;
				line++;
			}
			if (*line == '"') {
				for (size_t i = 0; i < backslashes / 2; i++)
					out[count][n++] = '\\';
				if (backslashes % 2) {
					out[count][n++] = '"';
				} else if (quoted && line[1] == '"') {
					out[count][n++] = '"';
					line++;
				} else {
					quoted = !quoted;
				}
				line++;
			} else {
				for (size_t i = 0; i < backslashes; i++)
					out[count][n++] = '\\';
				if (*line && (quoted || (*line != ' ' && *line != '\t')))
					out[count][n++] = *line++;
			}
		}
		out[count][n] = '\0';
		count++;
	}
}

static void test_cmdline(void)
{
	static const char *const args[] = {
		"X:\\sources\\setup.exe",
		"/unattend:X:\\win7gen2\\autounattend.xml",
		"/noreboot",
		"C:\\Program Files\\x",
		"ends with a backslash\\",
		"quote \" inside",
		"back\\\\\"slashes",
		"",
		"tab\there",
		"\\\\server\\share\\",
	};
	const int count = (int)(sizeof(args) / sizeof(args[0]));
	struct text line = TEXT_INIT;
	char parsed[16][128];
	int n;
	bool same = true;

	cmdline_append(&line, "X:\\sources\\setup.exe");
	cmdline_append(&line, "/unattend:X:\\win7gen2\\autounattend.xml");
	cmdline_append(&line, "/noreboot");
	tap_is_str(text_string(&line),
		   "X:\\sources\\setup.exe /unattend:X:\\win7gen2\\autounattend.xml /noreboot",
		   "Setup's command line needs no quotes");
	text_free(&line);

	cmdline_append(&line, "C:\\Program Files\\ends\\");
	tap_is_str(text_string(&line), "\"C:\\Program Files\\ends\\\\\"",
		   "a space quotes; a final backslash is doubled before the quote");
	text_free(&line);

	for (int i = 0; i < count; i++)
		cmdline_append(&line, args[i]);
	n = split_like_windows(text_string(&line), parsed, 16);
	for (int i = 0; i < count && i < n; i++)
		if (strcmp(parsed[i], args[i]) != 0) {
			tap_diag("argument %d: got \"%s\", want \"%s\"", i, parsed[i], args[i]);
			same = false;
		}
	tap_ok(n == count && same, "every argument reads back as given (%d of %d): %s", n, count,
	       text_string(&line));
	text_free(&line);
}

/* ---- the Integration Services package: DISM ------------------------- */

static void test_dism_command(void)
{
	struct ic_dism_paths paths = {
		.dism = "X:\\Windows\\System32\\dism.exe",
		.image = "D:\\",
		.package = "X:\\win7gen2\\integration-services.cab",
		.scratch = "D:\\Windows\\Temp\\win7gen2-dism",
		.log = "S:\\EFI\\win7gen2\\dism.log",
	};
	static const char *const spaced_args[] = {
		"C:\\Program Files\\Windows AIK\\dism.exe",
		"/Image:C:\\mnt\\win 7\\",
		"/Add-Package",
		"/PackagePath:C:\\my packages\\IC 6.3.cab",
		"/ScratchDir:C:\\mnt\\win 7\\Windows\\Temp\\win7gen2-dism",
		"/LogPath:C:\\the esp\\EFI\\win7gen2\\dism.log",
		"/NoRestart",
		"/English",
	};
	const int count = (int)(sizeof(spaced_args) / sizeof(spaced_args[0]));
	struct text line = TEXT_INIT;
	char parsed[16][128];
	bool same = true;
	int n;

	ic_dism_command(&line, &paths);
	tap_is_str(text_string(&line),
		   "X:\\Windows\\System32\\dism.exe /Image:D:\\ /Add-Package "
		   "/PackagePath:X:\\win7gen2\\integration-services.cab "
		   "/ScratchDir:D:\\Windows\\Temp\\win7gen2-dism "
		   "/LogPath:S:\\EFI\\win7gen2\\dism.log /NoRestart /English",
		   "DISM: the offline image, the package, scratch and log, no restart, English");
	text_free(&line);

	paths.dism = "C:\\Program Files\\Windows AIK\\dism.exe";
	paths.image = "C:\\mnt\\win 7\\";
	paths.package = "C:\\my packages\\IC 6.3.cab";
	paths.scratch = "C:\\mnt\\win 7\\Windows\\Temp\\win7gen2-dism";
	paths.log = "C:\\the esp\\EFI\\win7gen2\\dism.log";
	ic_dism_command(&line, &paths);
	tap_is_str(text_string(&line),
		   "\"C:\\Program Files\\Windows AIK\\dism.exe\" \"/Image:C:\\mnt\\win 7\\\\\" "
		   "/Add-Package \"/PackagePath:C:\\my packages\\IC 6.3.cab\" "
		   "\"/ScratchDir:C:\\mnt\\win 7\\Windows\\Temp\\win7gen2-dism\" "
		   "\"/LogPath:C:\\the esp\\EFI\\win7gen2\\dism.log\" /NoRestart /English",
		   "paths with spaces: each option quoted whole, the final backslash doubled");
	n = split_like_windows(text_string(&line), parsed, 16);
	for (int i = 0; i < count && i < n; i++)
		if (strcmp(parsed[i], spaced_args[i]) != 0) {
			tap_diag("argument %d: got \"%s\", want \"%s\"", i, parsed[i],
				 spaced_args[i]);
			same = false;
		}
	tap_ok(n == count && same, "DISM reads back each of its %d arguments as meant", count);
	text_free(&line);
}

static void test_dism_outcome(void)
{
	struct ic_context install_fixed = { true, true }, install_no_esp = { true, false };
	struct ic_context rescue_fixed = { false, true }, rescue_no_esp = { false, false };
	const char *cab = "X:\\win7gen2\\integration-services.cab";
	const char *log = "\\EFI\\win7gen2\\dism.log";
	char buf[600];

	tap_ok(ic_dism_succeeded(0) && ic_dism_succeeded(3010), "DISM exit 0 and 3010 succeed");
	tap_ok(!ic_dism_succeeded(1) && !ic_dism_succeeded(2) && !ic_dism_succeeded(87) &&
	       !ic_dism_succeeded(3011) && !ic_dism_succeeded(0x800f081eu) &&
	       !ic_dism_succeeded(0xffffffffu), "any other exit code fails");

	ic_dism_exit_text(0, buf, sizeof(buf));
	tap_is_str(buf, "exit 0", "exit 0 as it is");
	ic_dism_exit_text(3010, buf, sizeof(buf));
	tap_is_str(buf, "exit 3010, finished when Windows starts", "3010 explained");
	ic_dism_exit_text(2, buf, sizeof(buf));
	tap_is_str(buf, "exit 2", "a Win32 error code in decimal");
	ic_dism_exit_text(87, buf, sizeof(buf));
	tap_is_str(buf, "exit 87, DISM did not accept its options", "87 explained");
	ic_dism_exit_text(0x800f081eu, buf, sizeof(buf));
	tap_is_str(buf, "exit 0x800f081e, the package does not apply to this Windows",
		   "CBS_E_NOT_APPLICABLE explained");
	ic_dism_exit_text(0x80070005u, buf, sizeof(buf));
	tap_is_str(buf, "exit 0x80070005", "an HRESULT in hex");

	ic_outcome_line(IC_INSTALLED, &install_fixed, cab, "exit 0", log, buf, sizeof(buf));
	tap_is_str(buf, "Integration Services: X:\\win7gen2\\integration-services.cab installed "
		   "by DISM (exit 0), log \\EFI\\win7gen2\\dism.log", "installed");
	ic_outcome_line(IC_FAILED, &install_fixed, cab, "exit 2", log, buf, sizeof(buf));
	tap_is_str(buf, "Integration Services: X:\\win7gen2\\integration-services.cab: DISM failed "
		   "(exit 2), see \\EFI\\win7gen2\\dism.log; the system still gets the Gen2 fix "
		   "but has the in-box 6.1 Integration Services (no keyboard on Gen2)",
		   "install: failed, the fix follows");
	ic_outcome_line(IC_FAILED, &install_no_esp, cab, "dism.exe is not in this Windows PE",
			NULL, buf, sizeof(buf));
	tap_is_str(buf, "Integration Services: X:\\win7gen2\\integration-services.cab: DISM failed "
		   "(dism.exe is not in this Windows PE); the system has the in-box 6.1 "
		   "Integration Services (no keyboard on Gen2)",
		   "install: DISM never ran, no fix to promise: no log, no fix named");
	ic_outcome_line(IC_FAILED, &rescue_fixed, "D:\\win7gen2\\integration-services.cab",
			"exit 2", log, buf, sizeof(buf));
	tap_is_str(buf, "Integration Services: D:\\win7gen2\\integration-services.cab: DISM failed "
		   "(exit 2), see \\EFI\\win7gen2\\dism.log; the Gen2 fix is still made, and "
		   "the installation keeps the Integration Services it has",
		   "rescue: failed, the fix follows");
	ic_outcome_line(IC_FAILED, &rescue_no_esp, cab, "exit 2", log, buf, sizeof(buf));
	tap_ok(strstr(buf, "; the installation keeps the Integration Services it has") &&
	       !strstr(buf, "Gen2 fix"), "rescue without an ESP: no fix promised");
	ic_outcome_line(IC_NONE_INSTALL, &install_fixed, NULL, NULL, NULL, buf, sizeof(buf));
	tap_is_str(buf, "Integration Services: in-box 6.1.7601 (no Gen2 keyboard or video; "
		   "Remote Desktop works)", "install without a package: one line, in-box");
	ic_outcome_line(IC_NONE_RESCUE, &rescue_fixed, NULL, NULL, NULL, buf, sizeof(buf));
	tap_is_str(buf, "Integration Services: no package given; the installation keeps the "
		   "ones it has", "rescue without a package: nothing claimed about the version");

	tap_is_str(ic_run_end_text(true, false), "done: everything is right", "the end: all right");
	tap_is_str(ic_run_end_text(false, false), "FAILED (see above)", "the end: the fix failed");
	tap_is_str(ic_run_end_text(true, true), "done, but the Integration Services package was "
		   "not installed (see above); Windows is ready for Gen2",
		   "the end: ready for Gen2, the package failed: said, not hidden");
	tap_is_str(ic_run_end_text(false, true), "FAILED (see above), and the Integration Services "
		   "package was not installed either", "the end: both failed");
}

/* ---- update packages: one DISM call each ----------------------------- */

/* The report's line for one package of a list of count. */
static const char *result_line(unsigned place, unsigned count, enum package_kind kind,
			       enum package_result result, uint32_t exit_code, const char *log)
{
	static char buf[600];
	struct package_report report = {
		.place = place, .count = count, .kind = kind,
		.cab = kind == PACKAGE_SERVICING_STACK ? "Windows6.1-KB4490628-x64.cab" :
		       "Windows6.1-KB4474419-v3-x64.cab",
		.result = result, .exited = true, .exit_code = exit_code, .log = log,
		.folder = "F:\\win7gen2\\packages",
	};

	package_result_line(&report, buf, sizeof(buf));
	return buf;
}

static void test_packages(void)
{
	const char *log = "\\EFI\\win7gen2\\dism-02-Windows6.1-KB4474419-v3-x64.log";
	struct package_report report = {
		.place = 1, .count = 3, .kind = PACKAGE_SERVICING_STACK,
		.cab = "Windows6.1-KB4490628-x64.cab", .result = PACKAGE_FAILED,
		.why = "dism.exe is not in this Windows PE",
	};
	struct package_tally tally = { 0 };
	struct package_list list;
	struct package_list_error error;
	struct text status_text = TEXT_INIT;
	struct status status;
	const char *status_lines[1];
	char buf[600], name[200];

	tap_ok(package_result_of_exit(0) == PACKAGE_INSTALLED &&
	       package_result_of_exit(3010) == PACKAGE_INSTALLED_RESTART &&
	       package_result_of_exit(0x800f081eu) == PACKAGE_NOT_APPLICABLE,
	       "DISM exit 0, 3010 and 0x800f081e: installed, at restart, not applicable");
	tap_ok(package_result_of_exit(0x800f0922u) == PACKAGE_FAILED &&
	       package_result_of_exit(2) == PACKAGE_FAILED &&
	       package_result_of_exit(87) == PACKAGE_FAILED, "any other exit code fails");
	tap_ok(!package_result_is_failure(PACKAGE_NOT_APPLICABLE) &&
	       !package_result_is_failure(PACKAGE_INSTALLED_RESTART) &&
	       package_result_is_failure(PACKAGE_MISSING) &&
	       package_result_is_failure(PACKAGE_FAILED),
	       "not applicable is no failure; a missing CAB is one");

	/* The names the builder's list allows, as the log is named on the ESP. */
	tap_ok(package_list_parse("servicing-stack Windows6.1-KB4490628-x64.CAB\n"
				  "package Windows6.1-KB4474419-v3-x64.cab\n", 85, &list, &error) &&
	       list.count == 2, "a list as the builder writes it");
	package_log_file_name(1, list.entry[0].name, name, sizeof(name));
	tap_is_str(name, "dism-01-Windows6.1-KB4490628-x64.log",
		   "the log: two-digit place, the name without .CAB (any case)");
	snprintf(buf, sizeof(buf), "%s", WIN7GEN2_OWN_DIR);
	package_log_file_name(64, list.entry[1].name, name, sizeof(name));
	tap_ok(strcmp(name, "dism-64-Windows6.1-KB4474419-v3-x64.log") == 0 &&
	       strncmp(WIN7GEN2_PACKAGE_LOG_PREFIX, buf, strlen(buf)) == 0 &&
	       strstr(WIN7GEN2_PACKAGE_LOG_PREFIX, "dism-"),
	       "the last place a list can have; the prefix is the contract's");

	package_progress_line(2, 5, "Windows6.1-KB4474419-v3-x64.cab", buf, sizeof(buf));
	tap_is_str(buf, "package 2/5 Windows6.1-KB4474419-v3-x64.cab: running DISM (can take "
		   "minutes)", "the line while DISM runs");

	tap_is_str(result_line(2, 3, PACKAGE_UPDATE, PACKAGE_INSTALLED, 0, log),
		   "package 2/3 Windows6.1-KB4474419-v3-x64.cab: installed (exit 0), log "
		   "\\EFI\\win7gen2\\dism-02-Windows6.1-KB4474419-v3-x64.log", "installed");
	tap_is_str(result_line(2, 3, PACKAGE_UPDATE, PACKAGE_INSTALLED_RESTART, 3010, log),
		   "package 2/3 Windows6.1-KB4474419-v3-x64.cab: installed, finished when "
		   "Windows starts (exit 3010), log "
		   "\\EFI\\win7gen2\\dism-02-Windows6.1-KB4474419-v3-x64.log", "3010");
	tap_is_str(result_line(2, 3, PACKAGE_UPDATE, PACKAGE_NOT_APPLICABLE, 0x800f081eu, log),
		   "package 2/3 Windows6.1-KB4474419-v3-x64.cab: not applicable to this Windows, "
		   "nothing installed (exit 0x800f081e), log "
		   "\\EFI\\win7gen2\\dism-02-Windows6.1-KB4474419-v3-x64.log",
		   "not applicable: said as such, not as a failure");
	tap_is_str(result_line(2, 3, PACKAGE_UPDATE, PACKAGE_FAILED, 0x800f0922u, log),
		   "package 2/3 Windows6.1-KB4474419-v3-x64.cab: FAILED (exit 0x800f0922), see "
		   "\\EFI\\win7gen2\\dism-02-Windows6.1-KB4474419-v3-x64.log", "failed");
	tap_is_str(result_line(1, 3, PACKAGE_SERVICING_STACK, PACKAGE_FAILED, 2, log),
		   "package 1/3 Windows6.1-KB4490628-x64.cab (servicing stack): FAILED (exit 2), "
		   "see \\EFI\\win7gen2\\dism-02-Windows6.1-KB4474419-v3-x64.log; the packages "
		   "after it may fail too without it",
		   "a failed servicing stack: the packages after it may fail too");
	tap_ok(!strstr(result_line(3, 3, PACKAGE_SERVICING_STACK, PACKAGE_FAILED, 2, log),
		       "after it"), "... unless nothing comes after it");
	tap_ok(!strstr(result_line(1, 3, PACKAGE_SERVICING_STACK, PACKAGE_INSTALLED, 0, log),
		       "after it"), "... and only when it failed");
	package_result_line(&report, buf, sizeof(buf));
	tap_is_str(buf, "package 1/3 Windows6.1-KB4490628-x64.cab (servicing stack): FAILED "
		   "(dism.exe is not in this Windows PE); the packages after it may fail too "
		   "without it", "DISM never ran: the reason, no log to point at");
	report.result = PACKAGE_MISSING;
	report.kind = PACKAGE_UPDATE;
	report.folder = "D:\\win7gen2\\packages";
	package_result_line(&report, buf, sizeof(buf));
	tap_is_str(buf, "package 1/3 Windows6.1-KB4490628-x64.cab: not run, the file is not in "
		   "D:\\win7gen2\\packages", "a listed CAB that is not there");

	package_tally_add(&tally, PACKAGE_INSTALLED);
	package_tally_line(&tally, buf, sizeof(buf));
	tap_is_str(buf, "update packages: 1 of 1 installed", "the tally: all installed");
	package_tally_add(&tally, PACKAGE_INSTALLED_RESTART);
	package_tally_add(&tally, PACKAGE_NOT_APPLICABLE);
	package_tally_add(&tally, PACKAGE_FAILED);
	package_tally_add(&tally, PACKAGE_MISSING);
	package_tally_line(&tally, buf, sizeof(buf));
	tap_is_str(buf, "update packages: 2 of 5 installed (1 finishes when Windows starts), "
		   "1 not applicable, 2 FAILED (see \\EFI\\win7gen2\\log.txt)",
		   "the tally: every kind of end counted");
	status_lines[0] = buf;
	status_file_text(&status_text, false, status_lines, 1);
	status_parse(status_text.data, status_text.length, &status);
	tap_ok(status.count == 1 && status.line[0].length == strlen(buf),
	       "the tally fits whole in a line of a failed status.txt as the payload shows it");
	text_free(&status_text);

	tap_is_str(packages_run_end_text(true, false, false), "done: everything is right",
		   "the end: nothing failed");
	tap_is_str(packages_run_end_text(true, true, false), ic_run_end_text(true, true),
		   "the end: only the Integration Services package failed");
	tap_is_str(packages_run_end_text(true, false, true), "done, but an update package was "
		   "not installed (see above); Windows is ready for Gen2",
		   "the end: an update failed, the system is ready for Gen2");
	tap_is_str(packages_run_end_text(false, false, true), "FAILED (see above), and an "
		   "update package was not installed either", "the end: both failed");
	tap_ok(strstr(packages_run_end_text(true, true, true), "Integration Services") &&
	       strstr(packages_run_end_text(true, true, true), "update package"),
	       "the end: both packages' failures named");
}

/* ---- bytes from files ------------------------------------------------ */

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/*
 * A minimal x64 PE file with one section, .rsrc, holding a version
 * resource for FILEVERSION 6.1.7601.17514: the layout the PE/COFF
 * specification gives, as in a real ntoskrnl.exe.
 */
#define IMAGE_SIZE 0x600
#define RSRC_FILE 0x400
#define RSRC_RVA 0x2000u

static void make_image(uint8_t image[IMAGE_SIZE])
{
	uint8_t *res = image + RSRC_FILE;
	static const char key[] = "VS_VERSION_INFO";

	memset(image, 0, IMAGE_SIZE);
	image[0] = 'M';
	image[1] = 'Z';
	put32(image + 0x3c, 0x80);
	memcpy(image + 0x80, "PE\0\0", 4);
	put16(image + 0x84, PE_MACHINE_AMD64);
	put16(image + 0x86, 1);            /* sections */
	put16(image + 0x94, 240);          /* optional header size, PE32+ */
	put16(image + 0x98, 0x20b);
	put32(image + 0x98 + 108, 16);     /* data directories */
	put32(image + 0x98 + 112 + 16, RSRC_RVA);
	put32(image + 0x98 + 112 + 20, 0x200);
	memcpy(image + 0x188, ".rsrc", 5);
	put32(image + 0x188 + 8, 0x200);   /* virtual size */
	put32(image + 0x188 + 12, RSRC_RVA);
	put32(image + 0x188 + 16, 0x200);  /* raw size */
	put32(image + 0x188 + 20, RSRC_FILE);

	put16(res + 14, 1);                /* root: one id entry */
	put32(res + 16, 16);               /* RT_VERSION */
	put32(res + 20, 0x80000000u | 0x18);
	put16(res + 0x18 + 14, 1);         /* names: id 1 */
	put32(res + 0x28, 1);
	put32(res + 0x2c, 0x80000000u | 0x30);
	put16(res + 0x30 + 14, 1);         /* languages: 0x409, a leaf */
	put32(res + 0x40, 0x409);
	put32(res + 0x44, 0x48);
	put32(res + 0x48, RSRC_RVA + 0x60); /* the data: where, how long */
	put32(res + 0x4c, 92);
	put16(res + 0x60, 92);             /* VS_VERSIONINFO */
	put16(res + 0x62, 52);
	for (size_t i = 0; i < sizeof(key); i++)
		put16(res + 0x66 + 2 * i, (unsigned char)key[i]);
	put32(res + 0x88, 0xfeef04bdu);    /* VS_FIXEDFILEINFO at the next boundary */
	put32(res + 0x8c, 0x10000);
	put32(res + 0x90, 0x00060001);     /* 6.1 */
	put32(res + 0x94, 0x1db1448a);     /* 7601.17514 */
}

static bool version_of(const uint8_t *image, size_t size, unsigned *major, unsigned *minor)
{
	struct pe_info info;
	unsigned build;

	if (!pe_headers(image, size < PE_HEADER_READ ? size : PE_HEADER_READ, &info) ||
	    !info.has_resources || info.resource_offset > size)
		return false;
	return pe_file_version(image + info.resource_offset,
			       size - info.resource_offset < info.resource_size ?
			       size - info.resource_offset : info.resource_size,
			       &info, major, minor, &build);
}

static bool build_of(const uint8_t *image, size_t size, unsigned *build)
{
	struct pe_info info;
	unsigned major, minor;

	return pe_headers(image, size, &info) && info.has_resources &&
	       pe_file_version(image + info.resource_offset, info.resource_size, &info, &major,
			       &minor, build);
}

static void test_pe_header(void)
{
	uint8_t image[IMAGE_SIZE];
	struct pe_info info;
	unsigned major = 0, minor = 0, build = 0;

	make_image(image);
	tap_ok(pe_headers(image, sizeof(image), &info) && info.machine == PE_MACHINE_AMD64 &&
	       info.has_resources && info.resource_offset == RSRC_FILE &&
	       info.resource_rva == RSRC_RVA && info.resource_size == 0x200,
	       "an x64 PE header and where its resources are");
	tap_ok(version_of(image, sizeof(image), &major, &minor) && major == 6 && minor == 1,
	       "the file version from the version resource: %u.%u", major, minor);
	tap_ok(build_of(image, sizeof(image), &build) && build == 7601,
	       "and its build, which tells Service Pack 1: %u", build);
	tap_ok(pe_headers(image, 0x100, &info) && info.machine == PE_MACHINE_AMD64 &&
	       !info.has_resources, "headers cut before the section table: the machine only");
	tap_ok(!version_of(image, RSRC_FILE + 0x90, &major, &minor),
	       "resources cut inside the version data");

	put32(image + RSRC_FILE + 16, 15);
	tap_ok(!version_of(image, sizeof(image), &major, &minor), "no RT_VERSION entry");
	make_image(image);
	put32(image + RSRC_FILE + 0x48, RSRC_RVA - 4);
	tap_ok(!version_of(image, sizeof(image), &major, &minor), "data before the resources");
	make_image(image);
	put32(image + RSRC_FILE + 0x48, 0xfffffff0u);
	tap_ok(!version_of(image, sizeof(image), &major, &minor), "data beyond the file");
	make_image(image);
	put32(image + RSRC_FILE + 20, 0x80000000u);
	tap_ok(!version_of(image, sizeof(image), &major, &minor),
	       "a directory pointing back at the root ends, unread");
	make_image(image);
	put16(image + RSRC_FILE + 14, 0xffff);
	put32(image + RSRC_FILE + 16, 15);
	tap_ok(!version_of(image, sizeof(image), &major, &minor),
	       "more entries than bytes, none of them RT_VERSION: stops at the end");
	make_image(image);
	put32(image + RSRC_FILE + 0x88, 0);
	tap_ok(!version_of(image, sizeof(image), &major, &minor), "no fixed file info signature");

	make_image(image);
	put32(image + 0x3c, 0xfff0);
	tap_ok(!pe_headers(image, sizeof(image), &info), "a PE offset beyond the file");
	make_image(image);
	image[0x81] = 'X';
	tap_ok(!pe_headers(image, sizeof(image), &info), "no PE signature");
	make_image(image);
	image[0] = 'Z';
	tap_ok(!pe_headers(image, sizeof(image), &info), "no MZ");
	tap_ok(!pe_headers(NULL, 0, &info), "nothing");
	make_image(image);
	put16(image + 0x98, 0x10b);        /* PE32: directories 16 bytes earlier */
	tap_ok(pe_headers(image, sizeof(image), &info) && info.machine == PE_MACHINE_AMD64,
	       "another optional header kind still gives the machine");
}

/* ---- paths ----------------------------------------------------------- */

static void test_relpath(void)
{
	static const char *const bad[] = {
		"..", "a\\..\\b", ".", "a\\.\\b", "EFI\\", "\\EFI", "EFI\\\\Boot", "a:b",
		"file::$DATA", "a/b", "a*", "a?", "a\"b", "a<b", "a|b", "NUL", "nul.txt",
		"EFI\\CON", "COM1", "lpt9.log", "EFI.", "EFI ", "a\tb",
	};
	static const char *const good[] = {
		"", "EFI\\Microsoft\\Boot\\bootmgfw.efi", "Windows\\System32\\config\\SYSTEM",
		"$WINDOWS.~BT", "COM10", "console", "nul_", ".hidden", "a b",
		"vmbus#{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}",
	};
	char out[RELPATH_MAX], root[RELPATH_MAX], small[12];
	bool all = true;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (relpath_valid(bad[i])) {
			tap_diag("accepted: \"%s\"", bad[i]);
			all = false;
		}
	tap_ok(all, "names Win32 would read as something else are refused");
	all = true;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!relpath_valid(good[i])) {
			tap_diag("refused: \"%s\"", good[i]);
			all = false;
		}
	tap_ok(all, "plain names are accepted");

	tap_ok(relpath_root("D:\\", root, sizeof(root)) && strcmp(root, "D:") == 0,
	       "root D:\\ is kept as D:");
	tap_ok(relpath_root("Z:/tmp/esp//", root, sizeof(root)) &&
	       strcmp(root, "Z:\\tmp\\esp") == 0, "slashes become backslashes, trailing ones go");
	tap_ok(relpath_root("\\\\?\\Volume{x}\\", root, sizeof(root)) &&
	       strcmp(root, "\\\\?\\Volume{x}") == 0, "a volume GUID path");
	tap_ok(!relpath_root("", root, sizeof(root)) && !relpath_root("\\", root, sizeof(root)),
	       "an empty root or a bare backslash is refused");

	tap_ok(relpath_join("D:", "", out, sizeof(out)) && strcmp(out, "D:\\") == 0,
	       "the root of a drive is D:\\, never D:");
	tap_ok(relpath_join("D:", "EFI\\Boot", out, sizeof(out)) &&
	       strcmp(out, "D:\\EFI\\Boot") == 0, "joined below a drive");
	tap_ok(relpath_join("Z:\\tmp", "", out, sizeof(out)) && strcmp(out, "Z:\\tmp") == 0,
	       "a directory root as it is");
	tap_ok(!relpath_join("D:", "..\\x", out, sizeof(out)), "joining refuses a bad path");
	tap_ok(!relpath_join("D:", "EFI\\Microsoft", small, sizeof(small)),
	       "a result that does not fit is refused");
}

/* ---- what goes on the ESP -------------------------------------------- */

static void test_status_text(void)
{
	char long_line[400];
	const char *ok_lines[] = { "Windows on C:\\ is ready", "", "log: \\EFI\\win7gen2\\log.txt" };
	const char *many[20];
	struct text out = TEXT_INIT;
	struct status status;

	status_file_text(&out, true, ok_lines, 3);
	tap_ok(strncmp(text_string(&out), WIN7GEN2_STATUS_OK "\r\n", 21) == 0,
	       "ok: the first line the payload reads, CRLF");
	status_parse(out.data, out.length, &status);
	tap_ok(!status.failed, "the payload reads ok as not failed");
	text_free(&out);

	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	long_line[5] = '\x01';
	for (size_t i = 0; i < 20; i++)
		many[i] = i == 1 ? long_line : i == 2 ? "" : i == 3 ? "two\nlines" : "a line";
	status_file_text(&out, false, many, 20);
	status_parse(out.data, out.length, &status);
	tap_ok(status.failed && status.count == STATUS_MAX_LINES,
	       "failed: read back as failed, at most %d summary lines", STATUS_MAX_LINES);
	tap_ok(status.line[1].length == STATUS_MAX_LINE && status.line[1].text[5] == '?',
	       "a long line is cut to what the payload shows, control bytes as '?'");
	tap_ok(status.line[2].length == 3 && memcmp(status.line[2].text, "two", 3) == 0,
	       "an empty line is skipped; a line stops at its line end");
	tap_ok(!strstr(text_string(&out), "\n\n") && !strstr(text_string(&out), "\r\r"),
	       "no empty lines written");
	text_free(&out);
}

static void test_log_text(void)
{
	struct text record = TEXT_INIT, file = TEXT_INIT;
	char old[64 + 1];
	static const char expected[] =
		"== 2026-11-26 10:00:00 UTC win7gen2pe 0.1.0 (Windows PE)\r\n"
		"Mode: install\r\n"
		"Windows Setup ended: exit code 31\r\n"
		"== result: failed; Windows Setup did not install Windows\r\n";

	log_record_text(&record, "2026-11-26 10:00:00 UTC", "0.1.0", "Windows PE",
			"Mode: install\nWindows Setup ended: exit code 31\r\n",
			"failed; Windows Setup did not install Windows");
	tap_is_str(text_string(&record), expected, "a run record in the engine's shape, CRLF");

	log_file_append(&file, NULL, 0, text_string(&record), WIN7GEN2_LOG_MAX_SIZE);
	tap_is_str(text_string(&file), expected, "the first record of a new log");
	text_free(&file);

	log_file_append(&file, (const uint8_t *)"== old\r\nno end", 14, "== new\r\n", 1024);
	tap_is_str(text_string(&file), "== old\r\nno end\r\n== new\r\n",
		   "an old log without a final line end gets one");
	text_free(&file);

	/* 64 bytes of 8-byte lines, kept to at most 32 bytes: the newest. */
	for (int i = 0; i < 8; i++)
		memcpy(old + 8 * i, i < 4 ? "old....\n" : "new....\n", 8);
	old[64] = '\0';
	log_file_append(&file, (const uint8_t *)old, 64, "rec\r\n", 32);
	tap_is_str(text_string(&file), "new....\nnew....\nrec\r\n",
		   "an oversized log keeps its newest half, cut at a line start");
	text_free(&file);
	text_free(&record);
}

static void test_tail(void)
{
	static const char text[] = "one\ntwo\nthree\nfour\n", no_end[] = "a\nb";
	size_t n = strlen(text);

	tap_is_str(text + text_tail_start(text, n, 2), "three\nfour\n", "the last two lines");
	tap_is_str(text + text_tail_start(text, n, 10), text, "more lines than there are");
	tap_is_str(text + text_tail_start(text, n, 1), "four\n", "the last line");
	tap_is_str(no_end + text_tail_start(no_end, 3, 1), "b", "a last line without its end");
	tap_ok(text_tail_start(text, n, 0) == n, "no lines");
}

int main(void)
{
	test_args();
	test_mode();
	test_wipe();
	test_drivers();
	test_installs();
	test_esp_and_letters();
	test_setup_and_power();
	test_cmdline();
	test_dism_command();
	test_dism_outcome();
	test_packages();
	test_pe_header();
	test_relpath();
	test_status_text();
	test_log_text();
	test_tail();
	return tap_done();
}
