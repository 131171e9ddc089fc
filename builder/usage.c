/*
 * usage.c - what a command says when it is called wrongly
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "usage.h"

int usage_error(const char *command, const char *format, ...)
{
	va_list args;

	fprintf(stderr, "win7gen2 %s: ", command);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fprintf(stderr, "; see 'win7gen2 %s --help'\n", command);
	return EXIT_USAGE;
}

/* The long options whose names begin with the first length bytes of
 * word: how many, and they are listed in names. */
static unsigned matching_options(const struct option *options, const char *word, size_t length,
				 char *names, size_t size)
{
	unsigned count = 0;
	size_t used = 0;

	names[0] = '\0';
	for (const struct option *o = options; o->name; o++) {
		if (strncmp(o->name, word, length) != 0)
			continue;
		count++;
		if (used < size)
			used += (size_t)snprintf(names + used, size - used, "%s--%s",
						 count > 1 ? ", " : "", o->name);
	}
	return count;
}

int usage_option_error(const char *command, int result, char **argv,
		       const struct option *options)
{
	/* glibc has stepped past a long option's word (and past the value
	 * it found missing); a short option may sit inside a cluster, so
	 * only optopt names it. */
	const char *word = argv[optind - 1];
	const char *name = strncmp(word, "--", 2) == 0 ? word + 2 : NULL;
	size_t length = name ? strcspn(name, "=") : 0;
	char names[256];

	if (result == ':')
		return name ? usage_error(command, "%s needs a value", word)
			    : usage_error(command, "-%c needs a value", optopt);
	if (optopt) {
		/* "--force=yes", or "--fo=yes": optopt is the option's own
		 * value, and getopt has already found the abbreviation fits it
		 * alone. */
		if (name && name[length] == '=')
			for (const struct option *o = options; o->name; o++)
				if (o->val == optopt && strncmp(o->name, name, length) == 0)
					return usage_error(command, "--%s takes no value",
							   o->name);
		return usage_error(command, "-%c is not an option of %s", optopt, command);
	}
	if (!name)
		return usage_error(command, "%s is not an option of %s", word, command);
	if (matching_options(options, name, length, names, sizeof(names)) > 1)
		return usage_error(command, "--%.*s could be %s; write more of it", (int)length,
				   name, names);
	return usage_error(command, "--%.*s is not an option of %s", (int)length, name, command);
}
