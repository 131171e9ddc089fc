/*
 * password.h - a strong password for the new system's administrator
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PASSWORD_H
#define WIN7GEN2_PASSWORD_H

#include <stddef.h>

#define PASSWORD_LENGTH 16

/* PASSWORD_LENGTH characters from the kernel's random source, with upper
 * and lower case letters, digits and a symbol (Windows' complexity
 * rule), none easily mistaken for another (no 0/O, 1/l/I).  out needs
 * PASSWORD_LENGTH + 1 bytes.  0, or -1 when no randomness could be had. */
int password_generate(char *out);

#endif
