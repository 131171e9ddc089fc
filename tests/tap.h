/*
 * tap.h - the C side of the test suite: Test Anything Protocol output
 *
 * Each check prints "ok N - name" or "not ok N - name" with the values
 * that differed, so a failure in the log says what went wrong without a
 * debugger.  tap_done() prints the plan and gives the exit status.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TAP_H
#define WIN7GEN2_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static unsigned tap_count;
static unsigned tap_failed;

static inline bool __attribute__((format(printf, 2, 3)))
tap_ok(bool pass, const char *name, ...)
{
	va_list ap;

	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %u - ", pass ? "" : "not ", tap_count);
	va_start(ap, name);
	vprintf(name, ap);
	va_end(ap);
	putchar('\n');
	return pass;
}

#define tap_is_u64(got, want, ...)                                            \
	do {                                                                  \
		uint64_t tap_got_ = (uint64_t)(got), tap_want_ = (uint64_t)(want);\
		if (!tap_ok(tap_got_ == tap_want_, __VA_ARGS__))              \
			printf("#   got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", \
			       tap_got_, tap_want_);                          \
	} while (0)

#define tap_is_str(got, want, ...)                                            \
	do {                                                                  \
		const char *tap_got_ = (got), *tap_want_ = (want);            \
		bool tap_same_ = tap_got_ && tap_want_ ?                      \
			strcmp(tap_got_, tap_want_) == 0 : tap_got_ == tap_want_; \
		if (!tap_ok(tap_same_, __VA_ARGS__))                          \
			printf("#   got \"%s\", want \"%s\"\n",               \
			       tap_got_ ? tap_got_ : "(null)",                \
			       tap_want_ ? tap_want_ : "(null)");             \
	} while (0)

static inline void __attribute__((format(printf, 1, 2)))
tap_diag(const char *format, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, format);
	vprintf(format, ap);
	va_end(ap);
	putchar('\n');
}

static inline int tap_done(void)
{
	printf("1..%u\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
