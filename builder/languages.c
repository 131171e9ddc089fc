/*
 * languages.c - which languages the answer file names, and why
 *
 * SPDX-License-Identifier: MIT
 */
#include "languages.h"

#include <stdio.h>
#include <string.h>

/* The caller's tags are checked already; this only keeps them in size. */
static void set_tag(char out[LANGTAG_SIZE], const char *tag)
{
	snprintf(out, LANGTAG_SIZE, "%s", tag);
}

static void add(struct language_set *set, const char *tag)
{
	if (set->count < WIM_MAX_LANGUAGES && !languages_has(set, tag))
		set_tag(set->tags[set->count++], tag);
}

void languages_of_image(const struct wim_image_meta *image, const struct lang_ini *ini,
			struct language_set *set)
{
	char tag[LANGTAG_SIZE];

	memset(set, 0, sizeof(*set));
	set->source = LANGUAGES_FROM_IMAGE;
	for (unsigned i = 0; image && i < image->language_count; i++) {
		const char *value = image->languages[i];

		if (langtag_normalize(value, strlen(value), tag))
			set->not_tags++;
		else
			add(set, tag);
	}
	/* The image's DEFAULT is one it holds, even when no LANGUAGE says so. */
	if (image && image->default_language &&
	    !langtag_normalize(image->default_language, strlen(image->default_language), tag)) {
		add(set, tag);
		if (languages_has(set, tag))
			memcpy(set->default_tag, tag, LANGTAG_SIZE);
	}
	if (!set->count && ini && ini->count) {
		set->source = LANGUAGES_FROM_LANG_INI;
		for (unsigned i = 0; i < ini->count; i++)
			add(set, ini->languages[i]);
	}
	if (!set->count) {
		set->source = LANGUAGES_ASSUMED;
		add(set, "en-US");
	}
	if (!set->default_tag[0])
		memcpy(set->default_tag, set->tags[0], LANGTAG_SIZE);
}

bool languages_has(const struct language_set *set, const char *tag)
{
	for (unsigned i = 0; i < set->count; i++)
		if (langtag_equal(set->tags[i], tag))
			return true;
	return false;
}

void languages_list(const struct language_set *set, struct text *out)
{
	for (unsigned i = 0; i < set->count; i++)
		text_appendf(out, "%s%s", i ? ", " : "", set->tags[i]);
}

int languages_choose(const struct language_set *setup, const struct language_set *edition,
		     unsigned edition_index, const char *ui_language, const char *locale,
		     struct language_choice *choice, struct text *err)
{
	memset(choice, 0, sizeof(*choice));
	choice->setup_source = setup->source;
	choice->system_source = edition->source;
	if (ui_language) {
		if (!languages_has(edition, ui_language)) {
			text_appendf(err, "--ui-language %s: edition %u holds ", ui_language,
				     edition_index);
			languages_list(edition, err);
			text_append(err, " only");
			if (edition->source == LANGUAGES_FROM_LANG_INI)
				text_append(err, " (its WIM XML names none: lang.ini's)");
			else if (edition->source == LANGUAGES_ASSUMED)
				text_append(err, " (assumed: neither its WIM XML nor lang.ini names one)");
			text_appendf(err, ", and Setup would stop to ask for a language where "
				     "nobody can answer; leave --ui-language out or name one the "
				     "edition holds (--locale %s gives %s formats and keyboard with "
				     "the media's UI language)", ui_language, ui_language);
			return -1;
		}
		choice->ui_from_option = true;
		set_tag(choice->system_ui, ui_language);
		/* Each image gets a language it holds. */
		if (languages_has(setup, ui_language)) {
			set_tag(choice->setup_ui, ui_language);
		} else {
			choice->setup_lacks_option = true;
			memcpy(choice->setup_ui, setup->default_tag, LANGTAG_SIZE);
		}
	} else {
		memcpy(choice->setup_ui, setup->default_tag, LANGTAG_SIZE);
		memcpy(choice->system_ui, edition->default_tag, LANGTAG_SIZE);
	}
	if (locale) {
		choice->locale_from_option = true;
		set_tag(choice->locale, locale);
	} else {
		memcpy(choice->locale, choice->system_ui, LANGTAG_SIZE);
	}
	return 0;
}

static const char *source_name(enum language_source source)
{
	switch (source) {
	case LANGUAGES_FROM_IMAGE:
		return "";
	case LANGUAGES_FROM_LANG_INI:
		return ", which names no language: from sources\\lang.ini";
	case LANGUAGES_ASSUMED:
		return ", which names no language, nor does lang.ini: assumed";
	}
	return "";
}

void languages_report(const struct language_choice *choice, const struct language_set *setup,
		      unsigned edition_index, struct text *out)
{
	text_appendf(out, "      Setup and Windows PE UI  %s  ", choice->setup_ui);
	if (choice->setup_lacks_option)
		text_appendf(out, "(the Setup image's default: it lacks %s; it holds ",
			     choice->system_ui);
	else if (choice->ui_from_option)
		text_append(out, "(--ui-language; the Setup image holds ");
	else
		text_append(out, "(media: the Setup image's default; it holds ");
	languages_list(setup, out);
	text_appendf(out, "%s)\n", source_name(choice->setup_source));
	text_appendf(out, "      Windows UI               %s  (%s edition %u%s)\n", choice->system_ui,
		     choice->ui_from_option ? "--ui-language, held by" : "media: the default of",
		     edition_index, source_name(choice->system_source));
	text_appendf(out, "      formats and keyboard     %s  (%s)\n", choice->locale,
		     choice->locale_from_option ? "--locale" :
		     choice->ui_from_option ? "--ui-language" : "media: as the Windows UI");
}

static bool same(const struct language_set *set, const char (*tags)[LANGTAG_SIZE],
		 unsigned count)
{
	if (set->count != count)
		return false;
	for (unsigned i = 0; i < count; i++)
		if (!languages_has(set, tags[i]))
			return false;
	return true;
}

bool languages_disagree(const struct language_set *setup, const struct language_set *edition,
			unsigned edition_index, const struct lang_ini *ini, struct text *out)
{
	bool ini_differs = ini && ini->count && setup->source == LANGUAGES_FROM_IMAGE &&
			   !same(setup, ini->languages, ini->count);

	if (!ini_differs && same(setup, edition->tags, edition->count))
		return false;
	text_append(out, "      The media disagree about languages; each image is given one it "
		    "holds:\n");
	if (ini && ini->count) {
		text_append(out, "        lang.ini lists    ");
		for (unsigned i = 0; i < ini->count; i++)
			text_appendf(out, "%s%s", i ? ", " : "", ini->languages[i]);
		text_append(out, "\n");
	}
	text_append(out, "        the Setup image   ");
	languages_list(setup, out);
	text_appendf(out, "\n        edition %-9u ", edition_index);
	languages_list(edition, out);
	text_append(out, "\n");
	return true;
}
