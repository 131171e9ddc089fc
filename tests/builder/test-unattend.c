/*
 * test-unattend.c - the answer file from the template, and value checks
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "password.h"
#include "tap.h"
#include "text.h"
#include "unattend.h"

static const struct unattend_settings defaults = {
	.image_index = 2,
	.locale = "en-US",
	.timezone = "UTC",
	.computer_name = "WIN7-GEN2",
	.user = "win7",
	.password = "pw",
	.product_key = NULL,
	.driver_path = NULL,
};

static char *render(const char *template_text, const struct unattend_settings *settings)
{
	struct text out = TEXT_INIT, err = TEXT_INIT;
	char *text = NULL;

	if (unattend_render(template_text, settings, &out, &err) == 0)
		text = text_take(&out, NULL);
	else
		tap_diag("render: %s", text_string(&err));
	text_free(&out);
	text_free(&err);
	return text;
}

static unsigned count(const char *text, const char *what)
{
	unsigned n = 0;

	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Each value in its elements: Setup's UI language in SetupUILanguage
 * and Windows PE's UILanguage, the new system's in oobeSystem's, the
 * locale in the three locale elements of both passes. */
static void test_languages(void)
{
	struct unattend_settings settings = defaults;
	char *text;

	settings.setup_ui_language = "de-DE";
	settings.ui_language = "fr-FR";
	settings.locale = "ja-JP";
	text = render(unattend_template, &settings);
	tap_ok(text != NULL, "renders with three languages");
	if (text) {
		tap_ok(strstr(text, "<SetupUILanguage>\r\n        <UILanguage>de-DE</UILanguage>"),
		       "SetupUILanguage: the Setup image's");
		tap_is_u64(count(text, "<UILanguage>de-DE</UILanguage>"), 2,
			   "Windows PE's UILanguage too");
		tap_is_u64(count(text, "<UILanguage>fr-FR</UILanguage>"), 1,
			   "the new system's UILanguage");
		tap_is_u64(count(text, "<UserLocale>ja-JP</UserLocale>") +
			   count(text, "<SystemLocale>ja-JP</SystemLocale>") +
			   count(text, "<InputLocale>ja-JP</InputLocale>"), 6,
			   "formats and keyboard in both passes");
	}
	free(text);
	settings.setup_ui_language = settings.ui_language = NULL;
	text = render(unattend_template, &settings);
	tap_ok(text && count(text, "<UILanguage>ja-JP</UILanguage>") == 3,
	       "no UI languages given: the locale's");
	free(text);
}

static void test_template(void)
{
	struct unattend_settings settings = defaults;
	char *text;

	text = render(unattend_template, &settings);
	tap_ok(text != NULL, "the shipped template renders");
	if (text) {
		tap_ok(strstr(text, "<Value>2</Value>") != NULL, "the image index is filled in");
		tap_ok(!strstr(text, "DriverPaths"), "no drivers: no DriverPaths sections");
		tap_ok(!strstr(text, "<ProductKey>"), "no key: no ProductKey");
		tap_ok(strstr(text, "@FirewallAPI.dll,-28752") != NULL,
		       "an at-sign that is no field stays as it is");
		tap_ok(!strstr(text, "<!--@"), "no section markers are left");
		tap_ok(strstr(text, "\r\n") != NULL, "Windows line ends");
	}
	free(text);

	settings.driver_path = "X:\\win7gen2\\drivers";
	settings.product_key = "ABCDE-12345-FGHIJ-67890-KLMNO";
	settings.password = "<a&b>\"'";
	text = render(unattend_template, &settings);
	if (text) {
		tap_ok(strstr(text, "<Path>X:\\win7gen2\\drivers</Path>") != NULL, "the driver path");
		tap_ok(strstr(text, "pass=\"offlineServicing\"") != NULL, "offlineServicing with drivers");
		tap_ok(strstr(text, "<Key>ABCDE-12345-FGHIJ-67890-KLMNO</Key>") != NULL, "the key");
		tap_ok(strstr(text, "<Value>&lt;a&amp;b&gt;&quot;&apos;</Value>") != NULL,
		       "the password is XML-escaped");
	} else {
		tap_ok(false, "the template renders with drivers and a key");
	}
	free(text);
}

static void test_render_errors(void)
{
	struct unattend_settings settings = defaults;
	struct text out = TEXT_INIT, err = TEXT_INIT;

	tap_ok(unattend_render("<a>@NOPE@</a>\n", &settings, &out, &err) < 0 &&
	       strstr(text_string(&err), "@NOPE@"), "an unknown field is an error naming it");
	text_reset(&err);
	tap_ok(unattend_render("<!--@end:drivers-->\n", &settings, &out, &err) < 0,
	       "an end without a start is an error");
	text_reset(&err);
	tap_ok(unattend_render("<!--@if:drivers-->\n", &settings, &out, &err) < 0,
	       "a section left open is an error");
	text_reset(&err);
	settings.user = "a\x01";
	tap_ok(unattend_render("<a>@USER@</a>\n", &settings, &out, &err) < 0,
	       "a control character cannot go into XML");
	text_free(&out);
	text_free(&err);
}

static void test_checks(void)
{
	tap_ok(!unattend_check_computer_name("WIN7-GEN2"), "computer name WIN7-GEN2");
	tap_ok(unattend_check_computer_name("ABCDEFGHIJKLMNOP") != NULL, "16 characters is too long");
	tap_ok(unattend_check_computer_name("12345") != NULL, "digits only");
	tap_ok(unattend_check_computer_name("a_b") != NULL, "underscore");
	tap_ok(unattend_check_computer_name("") != NULL, "empty");
	tap_ok(!unattend_check_user("Alice"), "user Alice");
	tap_ok(unattend_check_user("a/b") != NULL, "a slash in a user name");
	tap_ok(unattend_check_user("Administrator") != NULL, "the built-in Administrator");
	tap_ok(unattend_check_user("123456789012345678901") != NULL, "21 characters");
	tap_ok(!unattend_check_product_key("ABCDE-12345-FGHIJ-67890-KLMNO"), "a key");
	tap_ok(unattend_check_product_key("ABCDE-12345-FGHIJ-67890-KLMN") != NULL, "a short key");
	tap_ok(unattend_check_product_key("ABCDE_12345-FGHIJ-67890-KLMNO") != NULL, "a bad separator");
	tap_ok(!unattend_check_locale("sr-Latn-CS"), "locale sr-Latn-CS");
	tap_ok(unattend_check_locale("en US") != NULL, "a space in a locale");
}

static void test_password(void)
{
	char a[PASSWORD_LENGTH + 1], b[PASSWORD_LENGTH + 1];
	bool upper = false, lower = false, digit = false, other = false;

	tap_ok(password_generate(a) == 0 && password_generate(b) == 0, "passwords generated");
	tap_is_u64(strlen(a), PASSWORD_LENGTH, "its length");
	tap_ok(strcmp(a, b) != 0, "two differ");
	for (const char *p = a; *p; p++) {
		upper = upper || (*p >= 'A' && *p <= 'Z');
		lower = lower || (*p >= 'a' && *p <= 'z');
		digit = digit || (*p >= '0' && *p <= '9');
		other = other || strchr("#%+-=@_", *p);
	}
	tap_ok(upper && lower && digit && other, "upper, lower, digit and symbol: %s", a);
	tap_ok(!strpbrk(a, "0O1lI<>&\"'"), "nothing ambiguous or needing XML escapes");
}

int main(void)
{
	test_template();
	test_languages();
	test_render_errors();
	test_checks();
	test_password();
	return tap_done();
}
