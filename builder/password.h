/*
 * password.h - the new system's administrator password: a strong one
 * made up, one read from a file, and its form in the answer file
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PASSWORD_H
#define WIN7GEN2_PASSWORD_H

#include <stddef.h>

#include "base64.h"
#include "text.h"

#define PASSWORD_LENGTH 16
/* The longest password, in bytes of UTF-8 (unattend_check_text's limit). */
#define PASSWORD_MAX_BYTES 256
/* The longest element name password_encode takes, in ASCII characters. */
#define PASSWORD_MAX_ELEMENT 31
/* Room for password_encode's result and its NUL: every byte of UTF-8
 * gives at most two bytes of UTF-16. */
#define PASSWORD_ENCODED_SIZE (BASE64_LENGTH(2 * (PASSWORD_MAX_BYTES + PASSWORD_MAX_ELEMENT)) + 1)

/* PASSWORD_LENGTH characters from the kernel's random source, with upper
 * and lower case letters, digits and a symbol (Windows' complexity
 * rule), none easily mistaken for another (no 0/O, 1/l/I).  out needs
 * PASSWORD_LENGTH + 1 bytes.  0, or -1 when no randomness could be had. */
int password_generate(char *out);

/*
 * The password as Windows System Image Manager writes it into an answer
 * file with <PlainText>false</PlainText>: the Base64 of the UTF-16LE
 * encoding of the password followed by the name of the element that
 * holds it, "Password" for UserAccounts/LocalAccounts/LocalAccount/
 * Password, "AdministratorPassword" for UserAccounts/AdministratorPassword
 * ("pw" there: cAB3AEEAZABtAGkA...).  It hides the password from a
 * glance, not from anyone who decodes it.  out needs
 * PASSWORD_ENCODED_SIZE bytes.  0, or -1 when the password is not UTF-8
 * or too long, or the element name too long.
 */
int password_encode(const char *password, const char *element, char *out);

/* NULL when password_encode takes the password, else what is wrong. */
const char *password_check(const char *password);

/*
 * The first line of path ("-": standard input) without its line end
 * (LF or CRLF), malloc'd: a password that need not stand on the command
 * line.  -1 with err naming the file when it cannot be read or its
 * first line is empty.
 */
int password_read_file(const char *path, char **password, struct text *err);

/* Overwrites and frees a password password_read_file returned. */
void password_free(char *password);

#endif
