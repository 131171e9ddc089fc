/*
 * test-languages.c - language tags, sources\lang.ini, and which
 * languages the answer file names
 *
 * The WIM XML is written here as Microsoft's media have it (UTF-16LE,
 * WINDOWS/LANGUAGES with LANGUAGE and DEFAULT) and goes through the same
 * reader the builder uses.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "languages.h"
#include "tap.h"

static const char *normalized(const char *tag)
{
	static char out[LANGTAG_SIZE];

	return langtag_normalize(tag, strlen(tag), out) ? NULL : out;
}

static void test_tags(void)
{
	tap_is_str(normalized("de-DE"), "de-DE", "de-DE is a tag");
	tap_is_str(normalized("zh-cn"), "zh-CN", "zh-cn in Windows' case");
	tap_is_str(normalized("SR-LATN-CS"), "sr-Latn-CS", "script tags: sr-Latn-CS");
	tap_is_str(normalized("es-419"), "es-419", "a numeric region");
	tap_is_str(normalized("haw-US"), "haw-US", "a three-letter language");
	tap_ok(!normalized("en"), "a language without a region is refused");
	tap_ok(!normalized("en-US-x"), "a trailing part is refused");
	tap_ok(!normalized("en_US"), "an underscore is refused");
	tap_ok(!normalized("en-U1"), "a region of letter and digit is refused");
	tap_ok(!normalized("en-US "), "a blank is refused");
	tap_ok(!normalized("e1-US"), "a digit in the language is refused");
	tap_ok(!normalized("sr-Latn-"), "a missing region after a script is refused");
	tap_ok(!normalized("de-DE<x/>"), "markup is refused");
	tap_ok(!normalized(""), "an empty tag is refused");
	tap_ok(!normalized("abc-Abcd-ABCDEFGHIJ"), "an overlong tag is refused");
	tap_ok(langtag_equal("de-de", "DE-DE"), "tags compare without case");
}

static int parse(const char *text, size_t size, struct lang_ini *ini, const char **why,
		 unsigned *line)
{
	return lang_ini_parse((const uint8_t *)text, size, ini, why, line);
}

static int parse_text(const char *text, struct lang_ini *ini, const char **why, unsigned *line)
{
	return parse(text, strlen(text), ini, why, line);
}

static void test_lang_ini(void)
{
	static const char ansi[] = "; lang.ini\r\n[Available UI Languages]\r\nde-DE = 3\r\n"
				   "fr-fr=3\r\n\r\n[Fallback Languages]\r\nde-DE = en-us\r\n";
	static const char bad_tag[] = "[Available UI Languages]\r\nde-DE = 3\r\nGerman = 3\r\n";
	struct lang_ini ini;
	uint8_t utf16[512];
	const char *why = NULL;
	unsigned line = 0;
	size_t n = 0;

	tap_ok(parse(ansi, sizeof(ansi) - 1, &ini, &why, &line) == 0, "ANSI lang.ini, CRLF");
	tap_is_u64(ini.count, 2, "two UI languages");
	tap_is_str(ini.languages[0], "de-DE", "the first, in file order");
	tap_is_str(ini.languages[1], "fr-FR", "the second, in Windows' case");

	utf16[n++] = 0xff;
	utf16[n++] = 0xfe;
	for (const char *p = "[Available UI Languages]\r\nja-JP = 3\r\n; \x01\r\n"; *p; p++) {
		utf16[n++] = *p == 1 ? 0xe5 : (uint8_t)*p; /* U+65E5 in a comment */
		utf16[n++] = *p == 1 ? 0x65 : 0;
	}
	tap_ok(parse((const char *)utf16, n, &ini, &why, &line) == 0 && ini.count == 1 &&
	       strcmp(ini.languages[0], "ja-JP") == 0,
	       "UTF-16LE with a byte order mark, non-ASCII in a comment");
	tap_ok(parse((const char *)utf16, n - 1, &ini, &why, &line) < 0 && ini.count == 0,
	       "UTF-16 of an odd length is refused");

	tap_ok(parse(bad_tag, sizeof(bad_tag) - 1, &ini, &why, &line) < 0 && ini.count == 0,
	       "a key that is no language tag is refused");
	tap_is_u64(line, 3, "and its line named");
	tap_ok(parse_text("[Available UI Languages]\nde-DE\n", &ini, &why, &line) < 0,
	       "a line without = is refused");
	tap_ok(parse_text("[Available UI Languages\n", &ini, &why, &line) < 0,
	       "an unterminated section is refused");
	tap_ok(parse("[Available UI Languages]\nde-DE = 3\0\n", 36, &ini, &why, &line) < 0,
	       "a NUL is refused");
	tap_ok(parse_text("[Available UI Languages]\nde-DE = 3\nDE-de = 1\n", &ini, &why,
		     &line) == 0 && ini.count == 1, "a language listed twice counts once");
	tap_ok(parse_text("[Other]\nx = y\n", &ini, &why, &line) == 0 && ini.count == 0,
	       "no [Available UI Languages]: none, no error");
	tap_ok(parse("", 0, &ini, &why, &line) == 0 && ini.count == 0, "an empty file");
}

/* ASCII XML as UTF-16LE with a byte order mark, parsed. */
static void parse_xml(const char *text, struct wim_meta *meta)
{
	size_t len = strlen(text), n = 0;
	uint8_t *xml = malloc(2 * len + 2);
	const char *why = NULL;

	xml[n++] = 0xff;
	xml[n++] = 0xfe;
	for (; *text; text++) {
		xml[n++] = (uint8_t)*text;
		xml[n++] = 0;
	}
	if (wim_xml_parse(xml, n, meta, &why) < 0)
		tap_diag("wim_xml_parse: %s", why);
	free(xml);
}

static const char media_xml[] =
	"<WIM>"
	"<IMAGE INDEX=\"1\"><NAME>German</NAME><WINDOWS><LANGUAGES>"
	"<LANGUAGE>de-DE</LANGUAGE><DEFAULT>de-DE</DEFAULT></LANGUAGES></WINDOWS></IMAGE>"
	"<IMAGE INDEX=\"2\"><NAME>two</NAME><WINDOWS><LANGUAGES>"
	"<LANGUAGE>fr-FR</LANGUAGE><LANGUAGE>de-DE</LANGUAGE><LANGUAGE>&lt;x&gt;</LANGUAGE>"
	"<LANGUAGE/>"
	"<DEFAULT>fr-FR</DEFAULT></LANGUAGES></WINDOWS></IMAGE>"
	"<IMAGE INDEX=\"3\"><NAME>none</NAME></IMAGE>"
	"</WIM>";

static void test_choice(void)
{
	struct wim_meta meta;
	struct lang_ini ini = { 2, { "zh-CN", "en-US" } };
	struct language_set german, two, none, from_ini;
	struct language_choice choice;
	struct text err = TEXT_INIT, out = TEXT_INIT;

	parse_xml(media_xml, &meta);
	tap_is_u64(meta.count, 3, "three images");
	tap_is_u64(meta.images[1].language_count, 4, "every LANGUAGE element read, an empty one too");
	tap_is_str(meta.images[1].default_language, "fr-FR", "DEFAULT read");

	languages_of_image(&meta.images[0], NULL, &german);
	languages_of_image(&meta.images[1], NULL, &two);
	languages_of_image(&meta.images[2], NULL, &none);
	languages_of_image(&meta.images[2], &ini, &from_ini);
	tap_ok(german.count == 1 && strcmp(german.default_tag, "de-DE") == 0 &&
	       german.source == LANGUAGES_FROM_IMAGE, "a German image holds de-DE");
	tap_ok(two.count == 2 && two.not_tags == 2 && strcmp(two.default_tag, "fr-FR") == 0,
	       "two languages, the ones that are no tag left out, DEFAULT fr-FR");
	tap_ok(none.count == 1 && strcmp(none.default_tag, "en-US") == 0 &&
	       none.source == LANGUAGES_ASSUMED, "an image naming none: en-US assumed");
	tap_ok(from_ini.count == 2 && strcmp(from_ini.default_tag, "zh-CN") == 0 &&
	       from_ini.source == LANGUAGES_FROM_LANG_INI, "else lang.ini's, the first first");

	tap_ok(languages_choose(&german, &german, 1, NULL, NULL, &choice, &err) == 0 &&
	       strcmp(choice.setup_ui, "de-DE") == 0 && strcmp(choice.system_ui, "de-DE") == 0 &&
	       strcmp(choice.locale, "de-DE") == 0, "German media: de-DE everywhere");
	tap_ok(languages_choose(&german, &german, 1, NULL, "fr-FR", &choice, &err) == 0 &&
	       strcmp(choice.setup_ui, "de-DE") == 0 && strcmp(choice.system_ui, "de-DE") == 0 &&
	       strcmp(choice.locale, "fr-FR") == 0 && choice.locale_from_option,
	       "--locale alone: formats and keyboard only");
	tap_ok(languages_choose(&german, &german, 1, "fr-FR", NULL, &choice, &err) < 0,
	       "--ui-language the edition lacks is refused");
	tap_ok(strstr(text_string(&err), "edition 1 holds de-DE only") != NULL,
	       "naming the languages it has");
	tap_diag("%s", text_string(&err));
	text_reset(&err);
	tap_ok(languages_choose(&german, &none, 3, "de-DE", NULL, &choice, &err) < 0 &&
	       strstr(text_string(&err), "edition 3 holds en-US only (assumed"),
	       "an edition naming no language: the refusal says en-US was assumed");
	text_reset(&err);
	tap_ok(languages_choose(&german, &from_ini, 3, "zh-CN", NULL, &choice, &err) == 0 &&
	       strcmp(choice.system_ui, "zh-CN") == 0, "or checks against lang.ini's");
	text_reset(&out);
	languages_report(&choice, &german, 3, &out);
	tap_ok(strstr(text_string(&out), "edition 3, which names no language: from "
				      "sources\\lang.ini)") != NULL,
	       "and the report says where the list came from");
	tap_diag("%s", text_string(&out));
	tap_ok(languages_choose(&german, &two, 2, "fr-FR", NULL, &choice, &err) == 0 &&
	       strcmp(choice.setup_ui, "de-DE") == 0 && choice.setup_lacks_option &&
	       strcmp(choice.system_ui, "fr-FR") == 0 && strcmp(choice.locale, "fr-FR") == 0,
	       "a language the edition holds but Setup lacks: Setup keeps its own");
	tap_ok(languages_choose(&two, &two, 2, "de-DE", NULL, &choice, &err) == 0 &&
	       strcmp(choice.setup_ui, "de-DE") == 0 && strcmp(choice.system_ui, "de-DE") == 0,
	       "--ui-language de-DE on a two-language DVD");
	tap_ok(languages_choose(&two, &two, 2, NULL, NULL, &choice, &err) == 0 &&
	       strcmp(choice.system_ui, "fr-FR") == 0, "without it, the DEFAULT");

	languages_choose(&german, &german, 1, NULL, "fr-FR", &choice, &err);
	languages_report(&choice, &german, 1, &out);
	tap_ok(strstr(text_string(&out), "formats and keyboard     fr-FR  (--locale)") &&
	       strstr(text_string(&out), "Windows UI               de-DE  (media"),
	       "the report says where each value came from");
	text_reset(&out);
	tap_ok(!languages_disagree(&german, &german, 1, NULL, &out), "one language: agree");
	tap_ok(languages_disagree(&german, &two, 2, NULL, &out) &&
	       strstr(text_string(&out), "edition 2         fr-FR, de-DE\n"),
	       "a language pack in one image only is said");
	text_reset(&out);
	tap_ok(languages_disagree(&german, &german, 1, &ini, &out) &&
	       strstr(text_string(&out), "lang.ini lists    zh-CN, en-US\n"),
	       "lang.ini that differs from the images is said");
	text_free(&err);
	text_free(&out);
	wim_meta_free(&meta);
}

int main(void)
{
	test_tags();
	test_lang_ini();
	test_choice();
	return tap_done();
}
