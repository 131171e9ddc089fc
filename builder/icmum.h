/*
 * icmum.h - the manifest of a Windows servicing package (update.mum)
 *
 * A package CAB (a KB's .cab, the .cab inside its .msu, vmguest.iso's
 * Windows6.x-HyperVIntegrationServices-x64.cab) holds update.mum at its
 * root: XML whose <assembly> names the package in an <assemblyIdentity>
 * (name, version, processorArchitecture, publicKeyToken, language) and
 * lists in <package> what it installs, each again by <assemblyIdentity>.
 *
 * The manifest comes from the user's file: it is parsed with libxml2,
 * without network, DTD or entity expansion, within a size and depth
 * bound, and every string kept is checked for length and characters.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ICMUM_H
#define WIN7GEN2_ICMUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Real manifests are a few KiB (a cumulative update's reach a few
 * hundred); anything near this is not one. */
#define ICMUM_MAX_SIZE (4u * 1024 * 1024)
#define ICMUM_NAME_MAX 200        /* longest package name kept */
#define ICMUM_WORD_MAX 32         /* processorArchitecture, language */
#define ICMUM_TOKEN_LENGTH 16     /* publicKeyToken: 16 hex digits */
#define ICMUM_MAX_DEPTH 64        /* elements nested deeper are refused */

/* A Windows file or assembly version: four numbers of 16 bits each. */
struct icver {
	uint16_t part[4];
};
#define ICVER_TEXT_MAX 24 /* "65535.65535.65535.65535" and the NUL */

/* "6.3.9600.17903": exactly four decimal numbers 0..65535 of one to
 * five digits, separated by dots; no sign or blank anywhere. */
bool icver_parse(const char *text, struct icver *version);
/* <0, 0, >0 as a is older than, the same as, newer than b. */
int icver_compare(const struct icver *a, const struct icver *b);
void icver_format(const struct icver *version, char text[ICVER_TEXT_MAX]);

struct icmum {
	/* The package's own identity (<assembly>'s <assemblyIdentity>). */
	char name[ICMUM_NAME_MAX + 1];
	char arch[ICMUM_WORD_MAX];        /* processorArchitecture: "amd64" */
	char language[ICMUM_WORD_MAX];    /* "neutral"; "" when absent */
	char public_key_token[ICMUM_TOKEN_LENGTH + 1]; /* "" when absent */
	struct icver package_version;
	/*
	 * What the package installs: the newest <assemblyIdentity> inside
	 * <package>, leaving out <parent> (the system it applies to).  A
	 * KB's package numbers itself ("Package_for_KB3063109", 6.x.1.y)
	 * while its components carry the Integration Services build
	 * (6.3.9600.17903); a package listing no component gives its own
	 * version here.
	 */
	struct icver version;
	unsigned components;              /* identities inside <package> */
	/*
	 * The system the package applies to: the first <assemblyIdentity>
	 * inside a <parent> of <package>.  A Windows 7 SP1 update names
	 * Microsoft-Windows-Foundation-Package (or, for features, a
	 * ...-Features-Package) 6.1.7601.17514, or 6.1.7600.16385 for one
	 * that also applies before SP1: what tells Windows versions apart is
	 * the version's first two numbers, 6.1 for Windows 7 and Windows
	 * Server 2008 R2, whatever the name.
	 */
	bool has_parent;
	char parent_name[ICMUM_NAME_MAX + 1];
	struct icver parent_version;
	/* The package's or a component's name has "Hyper-V" in it, as the
	 * Integration Services packages' (Microsoft-Hyper-V-...) do and no
	 * ordinary update's does. */
	bool names_hyper_v;
};

/*
 * Parses update.mum's bytes (UTF-8 or UTF-16 with its byte order mark,
 * as libxml2 detects them).  0 with mum filled; -1 with *why set to a
 * static explanation ("the manifest ...") and mum zeroed.
 */
int icmum_parse(const uint8_t *data, size_t size, struct icmum *mum, const char **why);

#endif
