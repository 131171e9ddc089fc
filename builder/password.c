/*
 * password.c - the new system's administrator password: a strong one
 * made up, one read from a file, and its form in the answer file
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "password.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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

int password_encode(const char *password, const char *element, char *out)
{
	size_t password_len = strlen(password), element_len = strlen(element);
	char plain[PASSWORD_MAX_BYTES + PASSWORD_MAX_ELEMENT];
	char utf16[2 * sizeof(plain)];
	char *in = plain, *next = utf16;
	size_t in_left, out_left = sizeof(utf16);
	iconv_t to_utf16;
	int rc = -1;

	if (password_len > PASSWORD_MAX_BYTES || element_len > PASSWORD_MAX_ELEMENT)
		return -1;
	memcpy(plain, password, password_len);
	memcpy(plain + password_len, element, element_len);
	in_left = password_len + element_len;
	/* "UTF-16LE" names the byte order, so iconv writes no byte order
	 * mark; it refuses bytes that are not UTF-8 (EILSEQ, EINVAL). */
	to_utf16 = iconv_open("UTF-16LE", "UTF-8");
	if (to_utf16 == (iconv_t)-1)
		return -1;
	if (iconv(to_utf16, &in, &in_left, &next, &out_left) != (size_t)-1 && in_left == 0) {
		base64_encode(utf16, (size_t)(next - utf16), out);
		rc = 0;
	}
	iconv_close(to_utf16);
	explicit_bzero(plain, sizeof(plain));
	explicit_bzero(utf16, sizeof(utf16));
	return rc;
}

const char *password_check(const char *password)
{
	char encoded[PASSWORD_ENCODED_SIZE];

	if (strlen(password) > PASSWORD_MAX_BYTES)
		return "it is longer than 256 bytes";
	if (password_encode(password, "AdministratorPassword", encoded) < 0)
		return "it is not UTF-8 text";
	explicit_bzero(encoded, sizeof(encoded));
	return NULL;
}

/* getline's whole buffer: after EOF its bytes need not end in a NUL. */
static void free_line(char *line, size_t size)
{
	if (line) {
		explicit_bzero(line, size);
		free(line);
	}
}

int password_read_file(const char *path, char **password, struct text *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "standard input" : path;
	FILE *file = is_stdin ? stdin : fopen(path, "re");
	char *line = NULL;
	size_t size = 0;
	ssize_t len;

	*password = NULL;
	if (!file) {
		text_appendf(err, "--password-file %s: %s", path, strerror(errno));
		return -1;
	}
	errno = 0;
	len = getline(&line, &size, file);
	if (len < 0 && errno) {
		text_appendf(err, "--password-file: cannot read %s: %s", name, strerror(errno));
		len = -2;
	}
	if (!is_stdin)
		fclose(file);
	if (len == -2) {
		free_line(line, size);
		return -1;
	}
	if (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len <= 0) {
		text_appendf(err, "--password-file: the first line of %s is empty; put the "
			     "password on it, or leave out --password-file to have one made up",
			     name);
		free_line(line, size);
		return -1;
	}
	*password = line;
	return 0;
}

void password_free(char *password)
{
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
}
