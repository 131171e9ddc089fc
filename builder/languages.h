/*
 * languages.h - which languages the answer file names, and why
 *
 * Windows Setup stops and asks when a UI language in the answer file is
 * one the image does not hold, and on Gen2 nobody can answer (Windows PE
 * has no keyboard there).  So the UI languages come from the media:
 * SetupUILanguage and Windows PE's UILanguage from boot.wim's Setup
 * image, the new system's UILanguage from the chosen edition; a UI
 * language asked for on the command line must be one the edition holds.
 * Formats and keyboard (UserLocale, SystemLocale, InputLocale) may be
 * any tag; they follow the new system's UI language unless chosen.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_LANGUAGES_H
#define WIN7GEN2_LANGUAGES_H

#include <stdbool.h>

#include "langini.h"
#include "langtag.h"
#include "text.h"
#include "wimxml.h"

/* Where an image's list of UI languages came from. */
enum language_source {
	LANGUAGES_FROM_IMAGE,    /* its WIM XML: WINDOWS/LANGUAGES */
	LANGUAGES_FROM_LANG_INI, /* the XML names none: sources\lang.ini */
	LANGUAGES_ASSUMED,       /* neither names one: en-US, as on old media */
};

/* The UI languages one image holds. */
struct language_set {
	unsigned count;
	char tags[WIM_MAX_LANGUAGES][LANGTAG_SIZE];
	char default_tag[LANGTAG_SIZE];  /* one of tags[] */
	enum language_source source;
	unsigned not_tags;               /* LANGUAGE values that are no language tag */
};

/* An image's languages from its XML; ini (NULL: no lang.ini) stands in
 * when the XML names none. */
void languages_of_image(const struct wim_image_meta *image, const struct lang_ini *ini,
			struct language_set *set);

bool languages_has(const struct language_set *set, const char *tag);

/* "de-DE, fr-FR" */
void languages_list(const struct language_set *set, struct text *out);

struct language_choice {
	char setup_ui[LANGTAG_SIZE];  /* SetupUILanguage, Windows PE's UILanguage */
	char system_ui[LANGTAG_SIZE]; /* the new system's UILanguage */
	char locale[LANGTAG_SIZE];    /* UserLocale, SystemLocale, InputLocale */
	bool ui_from_option;          /* --ui-language */
	bool setup_lacks_option;      /* --ui-language, but the Setup image lacks it */
	bool locale_from_option;      /* --locale */
	enum language_source setup_source, system_source;
};

/*
 * Chooses the answer file's languages.  ui_language and locale are the
 * command line's (NULL: not given; checked with langtag_normalize
 * already).  edition_index names the edition in messages.  0, or -1
 * with err saying which languages the edition holds.
 */
int languages_choose(const struct language_set *setup, const struct language_set *edition,
		     unsigned edition_index, const char *ui_language, const char *locale,
		     struct language_choice *choice, struct text *err);

/* The report's lines: each value and where it came from. */
void languages_report(const struct language_choice *choice, const struct language_set *setup,
		      unsigned edition_index, struct text *out);

/* When lang.ini, the Setup image and the edition do not name the same
 * languages: report lines saying so (each image's own are used), and
 * true. */
bool languages_disagree(const struct language_set *setup, const struct language_set *edition,
			unsigned edition_index, const struct lang_ini *ini, struct text *out);

#endif
