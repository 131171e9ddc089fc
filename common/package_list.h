/*
 * package_list.h - packages.txt: the update packages to install, in order
 *
 * `win7gen2 build --package` puts each package CAB on the DVD under
 * \win7gen2\packages\ (WIN7GEN2_PACKAGES_DIR) with this list beside
 * them; `win7gen2 fix --package` stages the same folder on an installed
 * system's Windows volume.  The agent in Windows PE reads the list and
 * runs DISM once per line, in the list's order; `inspect` shows it.
 *
 * The text, ASCII:
 *
 *   # written by win7gen2 build; one package a line, in install order
 *   servicing-stack Windows6.1-KB4490628-x64.cab
 *   package Windows6.1-KB4474419-v3-x64.cab
 *
 * Lines end in LF or CRLF; a line starting with '#' and a blank line
 * are skipped.  Each other line is a kind, one space, and the CAB's file
 * name in the same folder: 1 to PACKAGE_LIST_NAME_MAX characters of
 * A-Z a-z 0-9 . _ -, not starting with '.', ending in ".cab" in any
 * case.  Servicing stack updates come first (Microsoft requires the
 * servicing stack in place before the packages that need it), so a
 * "servicing-stack" line after a "package" line is refused, as is a
 * name given twice (compared without regard to case, as Windows does).
 *
 * The bytes come from a DVD or a disk: every length is checked, and a
 * list that breaks any rule is refused whole, never half read.  Plain C
 * without a C library, shared by the builder and the agent.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PACKAGE_LIST_H
#define WIN7GEN2_PACKAGE_LIST_H

#include <stdbool.h>
#include <stddef.h>

#define PACKAGE_LIST_MAX 64             /* entries */
#define PACKAGE_LIST_NAME_MAX 100       /* characters of a file name */
#define PACKAGE_LIST_MAX_FILE (16u * 1024)

enum package_kind {
	PACKAGE_SERVICING_STACK, /* "servicing-stack": its own DISM call, before the rest */
	PACKAGE_UPDATE,          /* "package" */
};

struct package_entry {
	enum package_kind kind;
	char name[PACKAGE_LIST_NAME_MAX + 1];
};

struct package_list {
	unsigned count;
	struct package_entry entry[PACKAGE_LIST_MAX];
};

/* What a refusal says: the 1-based line (0 for the file as a whole) and
 * a static sentence. */
struct package_list_error {
	unsigned line;
	const char *why;
};

/* "servicing-stack", "package" */
const char *package_kind_word(enum package_kind kind);

/* The rule above for a file name of length bytes (no NUL needed). */
bool package_name_valid(const char *name, size_t length);

/*
 * Reads a list.  true with list filled; false with error set and
 * list->count 0.
 */
bool package_list_parse(const char *data, size_t size, struct package_list *list,
			struct package_list_error *error);

/*
 * Adds an entry at the end, keeping the rules: false with error->why
 * set (name invalid, given twice, list full, or a servicing stack after
 * a package) and the list unchanged.
 */
bool package_list_add(struct package_list *list, enum package_kind kind, const char *name,
		      struct package_list_error *error);

/*
 * The list as text, CRLF line ends, a comment line naming the writer
 * ("win7gen2 build") first.  Returns the length written, NUL not
 * counted, or 0 when size is too small (buf then holds "").
 * PACKAGE_LIST_MAX_FILE bytes are always enough.
 */
size_t package_list_format(const struct package_list *list, const char *writer, char *buf,
			   size_t size);

#endif
