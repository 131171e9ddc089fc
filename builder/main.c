/*
 * main.c - win7gen2: Windows 7 on Hyper-V Generation 2, the host command
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "inspect", cmd_inspect, "show what a Windows 7 ISO holds and whether it can be used" },
	{ "build", cmd_build, "write a Gen2-bootable, unattended installer ISO from a Windows 7 ISO" },
	{ "fix", cmd_fix, "make an installed Windows 7 (disk mounted here) boot on Gen2" },
	{ "convert", cmd_convert, "move a Generation 1 (MBR) Windows 7 disk to Gen2 (GPT)" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: win7gen2 COMMAND [OPTIONS]\n"
		"\n"
		"Make 64-bit Windows 7 SP1 install and run on Hyper-V Generation 2 VMs.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Run 'win7gen2 COMMAND --help' for a command's options.\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show the version\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("win7gen2 %s\n", WIN7GEN2_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "win7gen2: '%s' is not a command; see 'win7gen2 --help'\n", argv[1]);
	return EXIT_USAGE;
}
