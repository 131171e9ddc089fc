/*
 * icpkg-open.c - icpkg_open() on one file, for tests/builder/t0280-icpkg.sh
 *
 *   icpkg-open FILE TEMPDIR
 *
 * Prints what icpkg found, one "key: value" line each, and exits 0; or
 * prints its refusal on stderr and exits 1 (2: wrong usage).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "icpkg.h"

int main(int argc, char **argv)
{
	struct text err = TEXT_INIT;
	char package_version[ICVER_TEXT_MAX];
	struct icpkg pkg;

	if (argc != 3) {
		fprintf(stderr, "usage: icpkg-open FILE TEMPDIR\n");
		return 2;
	}
	if (icpkg_open(argv[1], argv[2], &pkg, &err) < 0) {
		fprintf(stderr, "icpkg-open: %s\n", text_string(&err));
		text_free(&err);
		return 1;
	}
	icver_format(&pkg.mum.package_version, package_version);
	printf("form: %s\n", icpkg_form_name(pkg.form));
	printf("inside: %s\n", pkg.inside ? pkg.inside : "-");
	printf("name: %s\n", pkg.mum.name);
	printf("version: %s\n", pkg.version);
	printf("package version: %s\n", package_version);
	printf("components: %u\n", pkg.mum.components);
	printf("arch: %s\n", pkg.mum.arch);
	printf("language: %s\n", pkg.mum.language);
	printf("public key token: %s\n", pkg.mum.public_key_token);
	printf("staged: %s\n", pkg.cab);
	icpkg_free(&pkg);
	text_free(&err);
	return 0;
}
