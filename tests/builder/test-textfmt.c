/*
 * test-textfmt.c - values escaped for the answer file (XML) and
 * `inspect --json`
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "tap.h"
#include "text.h"
#include "textfmt.h"

static void test_xml(void)
{
	struct text out = TEXT_INIT;

	tap_ok(textfmt_xml(&out, "<a&b>\"c'\td\r\n\xc3\xa9"), "printable text and tab/CR/LF escape");
	tap_is_str(text_string(&out), "&lt;a&amp;b&gt;&quot;c&apos;\td\r\n\xc3\xa9",
		   "markup characters become entities; UTF-8 passes through");
	text_reset(&out);
	tap_ok(!textfmt_xml(&out, "a\x01" "b"), "a control character XML cannot carry is refused");
	text_free(&out);
}

static void test_json(void)
{
	struct text out = TEXT_INIT;

	textfmt_json(&out, "C:\\x \"y\"\n\r\t\x01\x7f\xc3\xa9");
	tap_is_str(text_string(&out), "\"C:\\\\x \\\"y\\\"\\n\\r\\t\\u0001\\u007f\xc3\xa9\"",
		   "quotes, backslashes and control characters are escaped, UTF-8 kept");
	text_reset(&out);
	textfmt_json(&out, "");
	tap_is_str(text_string(&out), "\"\"", "an empty string is two quotes");
	text_free(&out);
}

int main(void)
{
	test_xml();
	test_json();
	return tap_done();
}
