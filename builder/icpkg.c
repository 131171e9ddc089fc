/*
 * icpkg.c - the user's Hyper-V Integration Services package, checked
 *
 * SPDX-License-Identifier: MIT
 */
#include "icpkg.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

const char *icpkg_form_name(enum icpkg_form form)
{
	return package_form_name((enum package_form)form);
}

const char *icpkg_effect(bool package_given)
{
	/* Gen2 has no VGA: the screen is the IC synthetic video driver. */
	if (package_given)
		return "keyboard, mouse and screen on Gen2";
	return "no keyboard, mouse or screen on Gen2: reach it by Remote Desktop";
}

void icpkg_free(struct icpkg *pkg)
{
	free(pkg->cab);
	free(pkg->inside);
	memset(pkg, 0, sizeof(*pkg));
}

int icpkg_open(const char *path, const char *tempdir, struct icpkg *pkg, struct text *err)
{
	char *staged = path_join(tempdir, WIN7GEN2_IC_PACKAGE_NAME);
	struct package found;
	int rc = -1;

	memset(pkg, 0, sizeof(*pkg));
	if (!staged) {
		text_append(err, "out of memory");
		return -1;
	}
	if (package_open(path, staged, PACKAGE_FOR_INTEGRATION_SERVICES, &found, err) == 0) {
		pkg->form = (enum icpkg_form)found.form;
		pkg->mum = found.mum;
		icver_format(&pkg->mum.version, pkg->version);
		pkg->cab = found.cab;
		pkg->inside = found.inside;
		rc = 0;
	}
	free(staged);
	return rc;
}
