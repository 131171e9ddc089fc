/*
 * wrap-cases.h - one table of ESPs for the wrap rule, run on every side
 *
 * Each case is what an ESP holds at the two loader paths and their
 * originals, and what common/wrap_rule.h must decide for it.  The same
 * table is run three ways, so the rule is proven for everyone who
 * follows it:
 *
 *   tests/unit/test-wrap-rule           the rule itself, from the symbols
 *                                       below and from synthetic images;
 *   tests/fixengine/test-fix-wrap       the fix engine on an ESP tree per
 *                                       case (win7gen2 fix, the agent);
 *   tests/firmware/t0165-rescue-table   the payload's rescue in OVMF, one
 *                                       GPT partition per case, from
 *                                       test-wrap-rule --shell.
 *
 * What each file is afterwards follows from the decision alone
 * (wrap_case_after): the payload given at <stem>.efi when the action
 * writes it, the loader found as the original when it writes that, the
 * previous original as <stem>.original.old.efi when it keeps it, and
 * every other file as it was.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_TEST_WRAP_CASES_H
#define WIN7GEN2_TEST_WRAP_CASES_H

#include <stddef.h>

#include "win7gen2.h"
#include "wrap_rule.h"

/* What a test puts at a path.  Every side makes its own bytes for each. */
enum wrap_case_file {
	CF_NONE,     /* no file */
	CF_LOADER_A, /* an x64 EFI loader without the marker: the boot manager */
	CF_LOADER_B, /* another one: the newer boot manager an update wrote */
	CF_GIVEN,    /* the payload being installed, byte for byte */
	CF_OLDER,    /* our payload, an older version */
	CF_NEWER,    /* our payload, a newer version */
	CF_REBUILT,  /* our payload, the same version, other bytes */
	CF_TEXT,     /* a text file: not an x64 EFI image */
	CF_BIG,      /* larger than WIN7GEN2_LOADER_MAX_SIZE: cannot be read */
	CF_COUNT
};

/* Versions the unit test uses for the payloads (the other sides make
 * theirs older, newer or equal to the payload they install). */
#define WRAP_CASE_GIVEN_VERSION "0.2.0"
#define WRAP_CASE_OLDER_VERSION "0.1.9"
#define WRAP_CASE_NEWER_VERSION "0.10.0"

/* Slots of one loader. */
enum { WC_LOADER, WC_ORIGINAL, WC_OLD_ORIGINAL, WC_SLOTS };

struct wrap_case {
	const char *name;
	enum wrap_case_file file[WRAP_LOADER_COUNT][2]; /* WC_LOADER, WC_ORIGINAL */
	struct wrap_decision want[WRAP_LOADER_COUNT];
};

/* bootmgfw.efi and its original, bootx64.efi and its; what each gets. */
#define BOTH(a, o, a2, o2, action, original, action2, original2) \
	.file = { { a, o }, { a2, o2 } }, \
	.want = { { action, original }, { action2, original2 } }
#define ALONE(a, o, action, original) \
	BOTH(a, o, CF_NONE, CF_NONE, action, original, WRAP_NONE, WRAP_ORIGINAL_UNUSED)

static const struct wrap_case wrap_cases[] = {
	/* bootmgfw.efi alone (bootx64.efi and its original missing) */
	{ "an empty ESP: nothing to do", ALONE(CF_NONE, CF_NONE, WRAP_NONE, WRAP_ORIGINAL_UNUSED) },
	{ "a bare boot manager is wrapped",
	  ALONE(CF_LOADER_A, CF_NONE, WRAP_WRAP, WRAP_ORIGINAL_LOADER) },
	{ "an update over the payload is re-wrapped, the previous original kept",
	  ALONE(CF_LOADER_B, CF_LOADER_A, WRAP_REWRAP, WRAP_ORIGINAL_LOADER) },
	{ "a loader beside a copy of itself gets the payload back",
	  ALONE(CF_LOADER_A, CF_LOADER_A, WRAP_RESTORE, WRAP_ORIGINAL_LOADER) },
	{ "a missing loader with its original there gets the payload back",
	  ALONE(CF_NONE, CF_LOADER_A, WRAP_RESTORE, WRAP_ORIGINAL_LOADER) },
	{ "a loader replaces our payload where the original belongs",
	  ALONE(CF_LOADER_A, CF_GIVEN, WRAP_REPLACE_ORIGINAL, WRAP_ORIGINAL_LOADER) },
	{ "a loader replaces junk where the original belongs",
	  ALONE(CF_LOADER_A, CF_TEXT, WRAP_REPLACE_ORIGINAL, WRAP_ORIGINAL_LOADER) },
	{ "the payload given with its original is right",
	  ALONE(CF_GIVEN, CF_LOADER_A, WRAP_RIGHT, WRAP_ORIGINAL_LOADER) },
	{ "an older payload is updated, the original kept",
	  ALONE(CF_OLDER, CF_LOADER_A, WRAP_UPGRADE, WRAP_ORIGINAL_LOADER) },
	{ "another build of the same version is replaced",
	  ALONE(CF_REBUILT, CF_LOADER_A, WRAP_UPGRADE, WRAP_ORIGINAL_LOADER) },
	{ "a newer payload is kept",
	  ALONE(CF_NEWER, CF_LOADER_A, WRAP_KEEP_NEWER, WRAP_ORIGINAL_LOADER) },
	{ "a text file at the loader path is left alone",
	  ALONE(CF_TEXT, CF_NONE, WRAP_REFUSE_NOT_X64, WRAP_ORIGINAL_UNUSED) },
	{ "a text file is left alone even with an original beside it",
	  ALONE(CF_TEXT, CF_LOADER_A, WRAP_REFUSE_NOT_X64, WRAP_ORIGINAL_UNUSED) },
	{ "a loader too large to read is left alone",
	  ALONE(CF_BIG, CF_NONE, WRAP_REFUSE_UNREADABLE, WRAP_ORIGINAL_UNUSED) },
	{ "an original too large to read leaves both alone",
	  ALONE(CF_LOADER_A, CF_BIG, WRAP_REFUSE_UNREADABLE, WRAP_ORIGINAL_UNUSED) },
	{ "an unreadable original beside our payload leaves both alone",
	  ALONE(CF_GIVEN, CF_BIG, WRAP_REFUSE_UNREADABLE, WRAP_ORIGINAL_UNUSED) },
	{ "no loader and our payload as the original: nothing to wrap",
	  ALONE(CF_NONE, CF_GIVEN, WRAP_REFUSE_NO_LOADER, WRAP_ORIGINAL_UNUSED) },
	{ "no loader and junk as the original: nothing to wrap",
	  ALONE(CF_NONE, CF_TEXT, WRAP_REFUSE_NO_LOADER, WRAP_ORIGINAL_UNUSED) },
	{ "the payload without an original and no other: a problem",
	  ALONE(CF_GIVEN, CF_NONE, WRAP_RIGHT, WRAP_ORIGINAL_MISSING) },
	{ "a newer payload without an original and no other: kept, a problem",
	  ALONE(CF_NEWER, CF_NONE, WRAP_KEEP_NEWER, WRAP_ORIGINAL_MISSING) },
	{ "the payload in front of our payload: a problem",
	  ALONE(CF_GIVEN, CF_GIVEN, WRAP_RIGHT, WRAP_ORIGINAL_NOT_LOADER) },
	{ "an older payload in front of junk: updated, a problem",
	  ALONE(CF_OLDER, CF_TEXT, WRAP_UPGRADE, WRAP_ORIGINAL_NOT_LOADER) },

	/* both loaders: a payload without its own original falls back to
	 * the other loader's, when one is there afterwards */
	{ "two payloads, one original: the other falls back to it",
	  BOTH(CF_GIVEN, CF_NONE, CF_GIVEN, CF_LOADER_A,
	       WRAP_RIGHT, WRAP_ORIGINAL_FALLBACK, WRAP_RIGHT, WRAP_ORIGINAL_LOADER) },
	{ "two payloads, no original: both are problems",
	  BOTH(CF_GIVEN, CF_NONE, CF_GIVEN, CF_NONE,
	       WRAP_RIGHT, WRAP_ORIGINAL_MISSING, WRAP_RIGHT, WRAP_ORIGINAL_MISSING) },
	{ "the fallback loader wrapped now serves the payload without an original",
	  BOTH(CF_GIVEN, CF_NONE, CF_LOADER_A, CF_NONE,
	       WRAP_RIGHT, WRAP_ORIGINAL_FALLBACK, WRAP_WRAP, WRAP_ORIGINAL_LOADER) },
	{ "an original behind a refused loader still serves as the fallback",
	  BOTH(CF_GIVEN, CF_NONE, CF_TEXT, CF_LOADER_A,
	       WRAP_RIGHT, WRAP_ORIGINAL_FALLBACK, WRAP_REFUSE_NOT_X64, WRAP_ORIGINAL_UNUSED) },
	{ "our payload as the other original is no fallback",
	  BOTH(CF_GIVEN, CF_NONE, CF_NONE, CF_GIVEN,
	       WRAP_RIGHT, WRAP_ORIGINAL_MISSING, WRAP_REFUSE_NO_LOADER, WRAP_ORIGINAL_UNUSED) },
	{ "the fallback path falls back to the boot manager's original",
	  BOTH(CF_LOADER_B, CF_LOADER_A, CF_OLDER, CF_NONE,
	       WRAP_REWRAP, WRAP_ORIGINAL_LOADER, WRAP_UPGRADE, WRAP_ORIGINAL_FALLBACK) },
};

#undef ALONE
#undef BOTH

#define WRAP_CASE_COUNT (sizeof(wrap_cases) / sizeof(wrap_cases[0]))

/* What is at a slot of loader i once the decision is carried out. */
static inline enum wrap_case_file wrap_case_after(const struct wrap_case *c, unsigned i,
						  unsigned slot)
{
	enum wrap_action action = c->want[i].action;

	switch (slot) {
	case WC_LOADER:
		return wrap_writes_payload(action) ? CF_GIVEN : c->file[i][WC_LOADER];
	case WC_ORIGINAL:
		return wrap_writes_original(action) ? c->file[i][WC_LOADER] :
						      c->file[i][WC_ORIGINAL];
	default:
		return wrap_keeps_old_original(action) ? c->file[i][WC_ORIGINAL] : CF_NONE;
	}
}

/* "loader-a", "given", ...: for messages and the shell listing. */
static inline const char *wrap_case_file_name(enum wrap_case_file file)
{
	static const char *const names[CF_COUNT] = {
		[CF_NONE] = "none",       [CF_LOADER_A] = "loader-a", [CF_LOADER_B] = "loader-b",
		[CF_GIVEN] = "given",     [CF_OLDER] = "older",       [CF_NEWER] = "newer",
		[CF_REBUILT] = "rebuilt", [CF_TEXT] = "text",         [CF_BIG] = "big",
	};

	return file < CF_COUNT ? names[file] : "?";
}

/* The suffix of a slot: ".efi", ".original.efi", ".original.old.efi". */
static inline const char *wrap_case_suffix(unsigned slot)
{
	return slot == WC_LOADER ? WIN7GEN2_LOADER_SUFFIX :
	       slot == WC_ORIGINAL ? WIN7GEN2_ORIGINAL_SUFFIX : WIN7GEN2_OLD_ORIGINAL_SUFFIX;
}

#endif
