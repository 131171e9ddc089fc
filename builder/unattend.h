/*
 * unattend.h - the answer file Windows Setup runs from
 *
 * Rendered from overlay/autounattend.xml (compiled in, embedded.h) with
 * the user's values, each checked and XML-escaped; or the user's own
 * file, checked to be well-formed XML.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_UNATTEND_H
#define WIN7GEN2_UNATTEND_H

#include "text.h"

struct unattend_settings {
	unsigned image_index;       /* install.wim image (/IMAGE/INDEX) */
	const char *locale;         /* formats, keyboard: "en-US" */
	const char *setup_ui_language; /* Setup's and Windows PE's; NULL: locale */
	const char *ui_language;    /* the new system's; NULL: locale */
	const char *timezone;       /* "UTC", "W. Europe Standard Time" */
	const char *computer_name;
	const char *user;
	const char *password;
	const char *product_key;    /* NULL: none */
	const char *driver_path;    /* NULL: no drivers staged */
};

/* Fills the template.  0, or -1 with err saying which value or which
 * template field was wrong. */
int unattend_render(const char *template_text, const struct unattend_settings *settings,
		    struct text *out, struct text *err);

/* Each returns NULL when the value is fine, else what is wrong with it. */
const char *unattend_check_computer_name(const char *name);
const char *unattend_check_user(const char *user);
const char *unattend_check_product_key(const char *key);
const char *unattend_check_locale(const char *locale);
const char *unattend_check_text(const char *text);

/* A user's answer file: well-formed XML whose root is <unattend>. */
int unattend_check_file(const char *path, struct text *err);

#endif
