/*
 * commands.h - the subcommands of the win7gen2 host command
 *
 * Each takes the arguments after its name (argv[0] is the subcommand
 * name) and returns the process exit status: 0 success, 1 failure, 2
 * usage error.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_COMMANDS_H
#define WIN7GEN2_COMMANDS_H

#define EXIT_USAGE 2

int cmd_inspect(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_convert(int argc, char **argv);

#endif
