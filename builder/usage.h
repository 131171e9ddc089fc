/*
 * usage.h - what a command says when it is called wrongly
 *
 * One line on standard error, always "win7gen2 COMMAND: ", then what is
 * wrong and the option it concerns, then where help is: a person who
 * mistyped needs the one line, not the whole --help.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_USAGE_H
#define WIN7GEN2_USAGE_H

#include <getopt.h>

/*
 * The options string for getopt_long with opterr off: a leading ':'
 * makes a missing value tell itself from an unknown option.  prefix is
 * "" or "+" (stop at the first word that is no option).
 */
#define USAGE_OPTSTRING(prefix, letters) prefix ":" letters

/* Prints the message and returns EXIT_USAGE (commands.h). */
int __attribute__((format(printf, 2, 3))) usage_error(const char *command, const char *format,
						      ...);

/*
 * For getopt_long's result ':' or '?' (opterr 0, optstring from
 * USAGE_OPTSTRING): names the word of argv that stopped it and why:
 * a value missing, a value given to an option that takes none, an
 * abbreviation that fits several options, or no such option.  Returns
 * EXIT_USAGE.
 */
int usage_option_error(const char *command, int result, char **argv,
		       const struct option *options);

#endif
