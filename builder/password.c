/*
 * password.c - a strong password for the new system's administrator
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "password.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>

static const char *const classes[] = {
	"ABCDEFGHJKLMNPQRSTUVWXYZ",
	"abcdefghijkmnopqrstuvwxyz",
	"23456789",
	"#%+-=@_",
};

static int random_bytes(unsigned char *out, size_t size)
{
	while (size) {
		ssize_t n = getrandom(out, size, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		out += n;
		size -= (size_t)n;
	}
	return 0;
}

/* A uniform index below limit (limit <= 256): rejection sampling, so no
 * character is likelier than another. */
static int random_below(unsigned limit, unsigned *value)
{
	unsigned char byte;
	unsigned ceiling = 256 - 256 % limit;

	do {
		if (random_bytes(&byte, 1) < 0)
			return -1;
	} while (byte >= ceiling);
	*value = byte % limit;
	return 0;
}

int password_generate(char *out)
{
	char alphabet[128] = "";
	size_t alphabet_size;

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		strcat(alphabet, classes[i]);
	alphabet_size = strlen(alphabet);
	for (;;) {
		bool has[sizeof(classes) / sizeof(classes[0])] = { false };
		bool all = true;

		for (size_t i = 0; i < PASSWORD_LENGTH; i++) {
			unsigned pick;

			if (random_below((unsigned)alphabet_size, &pick) < 0)
				return -1;
			out[i] = alphabet[pick];
			for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++)
				if (strchr(classes[c], out[i]))
					has[c] = true;
		}
		out[PASSWORD_LENGTH] = '\0';
		for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++)
			all = all && has[c];
		if (all)
			return 0;
	}
}
