/*
 * test-unattend.c - the answer file from the template, value checks,
 * and the administrator's password: made up, read from a file, encoded
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
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
		/* "pw" + "Password" as UTF-16LE, Base64: by Python's codecs. */
		tap_ok(strstr(text, "<Value>cAB3AFAAYQBzAHMAdwBvAHIAZAA=</Value>\r\n"
			      "              <PlainText>false</PlainText>") != NULL,
		       "the account's password is encoded, PlainText false");
		tap_ok(!strstr(text, "<PlainText>true"), "no password as plain text");
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
		tap_ok(strstr(text, "<Value>PABhACYAYgA+ACIAJwBQAGEAcwBzAHcAbwByAGQA</Value>") != NULL,
		       "a password with XML's special characters: encoded, nothing to escape");
		tap_ok(!strstr(text, "&lt;a&amp;b"), "and not there as text");
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
	text_reset(&err);
	settings = defaults;
	settings.password = "\xff\xfe";
	tap_ok(unattend_render("<a>@LOCAL_ACCOUNT_PASSWORD@</a>\n", &settings, &out, &err) < 0 &&
	       strstr(text_string(&err), "password"), "a password that is not UTF-8 is refused");
	text_reset(&err);
	tap_ok(unattend_render("<a>@PASSWORD@</a>\n", &settings, &out, &err) < 0,
	       "no field gives the password as plain text");
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

static void test_base64(void)
{
	/* RFC 4648, section 10. */
	static const char *const vectors[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	char out[16];

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		base64_encode(vectors[i][0], strlen(vectors[i][0]), out);
		tap_is_str(out, vectors[i][1], "Base64 of \"%s\"", vectors[i][0]);
	}
	base64_encode("\xff\xfe\xfd\x00", 4, out);
	tap_is_str(out, "//79AA==", "the last characters of the alphabet, a NUL byte");
}

static void test_password_encode(void)
{
	char out[PASSWORD_ENCODED_SIZE], longest[PASSWORD_MAX_BYTES + 2];

	/* Microsoft's own example (unattend reference, UserAccounts |
	 * AdministratorPassword | Value): the password "pw". */
	tap_ok(password_encode("pw", "AdministratorPassword", out) == 0, "encode pw");
	tap_is_str(out, "cAB3AEEAZABtAGkAbgBpAHMAdAByAGEAdABvAHIAUABhAHMAcwB3AG8AcgBkAA==",
		   "AdministratorPassword: as Windows System Image Manager writes it");
	/* The rest from Python: base64.b64encode((pw + element).encode("utf-16-le")). */
	tap_ok(password_encode("pw", "Password", out) == 0, "encode pw for a LocalAccount");
	tap_is_str(out, "cAB3AFAAYQBzAHMAdwBvAHIAZAA=", "LocalAccount/Password: suffix Password");
	tap_ok(password_encode("a", "Password", out) == 0, "encode a");
	tap_is_str(out, "YQBQAGEAcwBzAHcAbwByAGQA", "no padding when the bytes fill the groups");
	tap_ok(password_encode("P\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac\xf0\x9d\x84\x9e",
			       "Password", out) == 0, "encode a password beyond ASCII");
	tap_is_str(out, "UADkAHMAcwB3APYAcgBkAKwgNNge3VAAYQBzAHMAdwBvAHIAZAA=",
		   "UTF-16LE: umlauts, the euro sign, a surrogate pair for U+1D11E");
	tap_ok(password_encode("\xc3", "Password", out) < 0, "a cut UTF-8 sequence is refused");
	tap_ok(password_encode("\xed\xa0\x80", "Password", out) < 0,
	       "a UTF-8-encoded surrogate is refused");
	memset(longest, 'x', PASSWORD_MAX_BYTES);
	longest[PASSWORD_MAX_BYTES] = '\0';
	tap_ok(password_encode(longest, "AdministratorPassword", out) == 0 &&
	       strlen(out) == BASE64_LENGTH(2 * (PASSWORD_MAX_BYTES + 21)),
	       "the longest password fits");
	longest[PASSWORD_MAX_BYTES] = 'x';
	longest[PASSWORD_MAX_BYTES + 1] = '\0';
	tap_ok(password_encode(longest, "Password", out) < 0, "a longer one is refused");
	tap_ok(password_check("p\xc3\xa4ss") == NULL, "password_check takes UTF-8");
	tap_ok(password_check("\xff") != NULL, "password_check refuses other bytes");
}

/* password_read_file on a file holding text; NULL when it refuses. */
static char *read_password(const char *content, size_t size, struct text *err)
{
	char path[] = "password-file.XXXXXX";
	int fd = mkstemp(path);
	char *password = NULL;

	text_reset(err);
	if (fd < 0 || write(fd, content, size) != (ssize_t)size) {
		tap_diag("cannot write %s", path);
	} else if (password_read_file(path, &password, err) < 0) {
		password = NULL;
		if (!strstr(text_string(err), path))
			tap_diag("the error does not name the file: %s", text_string(err));
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	return password;
}

static void test_password_file(void)
{
	struct text err = TEXT_INIT;
	char *password;

	password = read_password("s3cret pass\nsecond line\n", 24, &err);
	tap_is_str(password ? password : "(refused)", "s3cret pass", "the first line, LF gone");
	password_free(password);
	password = read_password("crlf\r\n", 6, &err);
	tap_is_str(password ? password : "(refused)", "crlf", "CRLF gone");
	password_free(password);
	password = read_password("no line end", 11, &err);
	tap_is_str(password ? password : "(refused)", "no line end", "no line end at all");
	password_free(password);
	password = read_password(" x \n", 4, &err);
	tap_is_str(password ? password : "(refused)", " x ", "blanks are kept: they are the password's");
	password_free(password);
	tap_ok(!read_password("", 0, &err) && strstr(text_string(&err), "is empty"),
	       "an empty file is refused");
	tap_ok(!read_password("\nsecond\n", 8, &err) && strstr(text_string(&err), "is empty"),
	       "an empty first line is refused");
	tap_ok(!read_password("\r\n", 2, &err), "a first line of CRLF alone is refused");
	text_reset(&err);
	tap_ok(password_read_file("no-such-password-file", &password, &err) < 0 &&
	       strstr(text_string(&err), "no-such-password-file"), "a missing file: named");
	text_free(&err);
}

int main(void)
{
	test_template();
	test_languages();
	test_render_errors();
	test_checks();
	test_password();
	test_base64();
	test_password_encode();
	test_password_file();
	return tap_done();
}
