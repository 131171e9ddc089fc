/*
 * test-config.c - win7gen2.cfg parsing, on the host
 *
 * Every check compares exact values: a parser that silently keeps the
 * defaults would otherwise pass most of them.
 *
 * SPDX-License-Identifier: MIT
 */
#include "config.h"
#include "tap.h"

#include <stdlib.h>

#define MAX_WARNINGS 16

struct warnings {
	unsigned count;
	unsigned line[MAX_WARNINGS];
	const char *message[MAX_WARNINGS];
};

static void record(void *ctx, unsigned line, const char *message)
{
	struct warnings *w = ctx;

	if (w->count < MAX_WARNINGS) {
		w->line[w->count] = line;
		w->message[w->count] = message;
	}
	w->count++;
}

/* Defaults, then text (explicit length, so NULs can be embedded). */
static unsigned parse_n(struct config *c, struct warnings *w, const char *text,
			size_t length)
{
	config_defaults(c);
	memset(w, 0, sizeof(*w));
	return config_parse(c, text, length, record, w);
}

static unsigned parse(struct config *c, struct warnings *w, const char *text)
{
	return parse_n(c, w, text, strlen(text));
}

/* The parse warned exactly once, on line, and returned 1. */
static void one_warning(const char *text, unsigned line, const char *what)
{
	struct config c;
	struct warnings w;
	unsigned r = parse(&c, &w, text);

	tap_is_u64(r, 1, "%s: one warned line", what);
	tap_is_u64(w.count, 1, "%s: one callback", what);
	tap_is_u64(w.line[0], line, "%s: on line %u", what, line);
}

static void test_defaults(void)
{
	struct config c;

	memset(&c, 0xa5, sizeof(c));
	config_defaults(&c);
	tap_is_u64(c.gen2, CONFIG_GEN2_AUTO, "default gen2 auto");
	tap_ok(c.fix_madt && c.fix_fadt && c.fix_srat, "default fixes all on");
	tap_is_u64(c.srat_limit, 2ull << 40, "default srat_limit 2 TiB");
	tap_is_str(c.target, "", "default target empty");
	tap_is_u64(c.verbose, 1, "default verbose 1");
	tap_is_u64(c.error_timeout, 10, "default error_timeout 10");
	tap_is_u64(c.menu, false, "default: no menu (a wrapped disk boots straight on)");
	tap_is_u64(c.menu_timeout, 10, "default menu_timeout 10");
	tap_is_u64(c.menu_default, CONFIG_MODE_INSTALL, "default menu_default install");
	tap_is_u64(c.answer_prompt, false, "default answer_prompt off");
	tap_is_u64(c.wipe_unattended, false, "default wipe_unattended off: a disk with data is never wiped unasked");
	tap_is_u64(c.self_repair, true, "default self_repair on (a disk repairs its own wrap)");
	tap_is_u64(c.boot_entry, true, "default boot_entry on");
}

static void test_empty(void)
{
	struct config c, d;
	struct warnings w;

	config_defaults(&d);
	tap_is_u64(parse(&c, &w, ""), 0, "empty file: no warning");
	tap_is_u64(w.count, 0, "empty file: no callback");
	tap_ok(c.gen2 == d.gen2 && c.srat_limit == d.srat_limit &&
	       c.verbose == d.verbose && c.error_timeout == d.error_timeout &&
	       c.fix_madt && c.fix_fadt && c.fix_srat && !c.target[0],
	       "empty file: defaults kept");

	config_defaults(&c);
	tap_is_u64(config_parse(&c, NULL, 0, NULL, NULL), 0,
		   "NULL text of length 0 is an empty file");

	tap_is_u64(parse(&c, &w,
			 "# win7gen2.cfg\n"
			 "#gen2 = off\n"
			 "   # fix_madt = off\n"
			 "\t#\n"
			 "\n"
			 "   \t \n"
			 "# target = \\x.efi"),
		   0, "comments only: no warning");
	tap_ok(c.gen2 == CONFIG_GEN2_AUTO && c.fix_madt && !c.target[0],
	       "comments only: nothing applied");
}

static void test_every_key(void)
{
	struct config c;
	struct warnings w;
	unsigned r;

	r = parse(&c, &w,
		  "gen2 = force\n"
		  "fix_madt = off\n"
		  "fix_fadt = no\n"
		  "fix_srat = false\n"
		  "srat_limit = 512G\n"
		  "target = \\EFI\\Microsoft\\Boot\\bootmgfw.original.efi\n"
		  "verbose = 2\n"
		  "error_timeout = 0\n");
	tap_is_u64(r, 0, "every key: no warning");
	tap_is_u64(w.count, 0, "every key: no callback");
	tap_is_u64(c.gen2, CONFIG_GEN2_FORCE, "gen2 = force");
	tap_is_u64(c.fix_madt, false, "fix_madt = off");
	tap_is_u64(c.fix_fadt, false, "fix_fadt = no");
	tap_is_u64(c.fix_srat, false, "fix_srat = false");
	tap_is_u64(c.srat_limit, 512ull << 30, "srat_limit = 512G");
	tap_is_str(c.target, "\\EFI\\Microsoft\\Boot\\bootmgfw.original.efi",
		   "target stored");
	tap_is_u64(c.verbose, 2, "verbose = 2");
	tap_is_u64(c.error_timeout, 0, "error_timeout = 0");
}

/* The ISO's settings: the menu and the CD loader's prompt. */
static void test_menu_keys(void)
{
	struct config c;
	struct warnings w;

	tap_is_u64(parse(&c, &w,
			 "menu = on\n"
			 "menu_timeout = 5\n"
			 "menu_default = rescue\n"
			 "answer_prompt = yes\n"
			 "wipe_unattended = on\n"), 0, "menu keys: no warning");
	tap_is_u64(c.menu, true, "menu = on");
	tap_is_u64(c.menu_timeout, 5, "menu_timeout = 5");
	tap_is_u64(c.menu_default, CONFIG_MODE_RESCUE, "menu_default = rescue");
	tap_is_u64(c.answer_prompt, true, "answer_prompt = yes");
	tap_is_u64(c.wipe_unattended, true, "wipe_unattended = on");

	tap_is_u64(parse(&c, &w, "menu_default = Continue"), 0, "menu_default = Continue");
	tap_is_u64(c.menu_default, CONFIG_MODE_CONTINUE, "menu_default continue, any case");

	tap_is_u64(parse(&c, &w, "menu_default = install\nmenu_default = reboot\n"), 1,
		   "menu_default = reboot refused");
	tap_is_u64(w.line[0], 2, "menu_default refusal on line 2");
	tap_is_u64(c.menu_default, CONFIG_MODE_INSTALL, "refused menu_default keeps install");
	tap_is_u64(parse(&c, &w, "menu_timeout = 3601"), 1, "menu_timeout above 3600 refused");
	tap_is_u64(c.menu_timeout, 10, "refused menu_timeout keeps the default");
	tap_is_u64(parse(&c, &w, "menu = maybe"), 1, "menu = maybe refused");
}

/* The installed disk's own upkeep at boot (payload/selfrepair.c,
 * payload/bootentry.c): each can be switched off alone. */
static void test_disk_keys(void)
{
	struct config c;
	struct warnings w;

	tap_is_u64(parse(&c, &w, "self_repair = off\n"), 0, "self_repair = off: no warning");
	tap_is_u64(c.self_repair, false, "self_repair = off");
	tap_is_u64(c.boot_entry, true, "self_repair = off leaves boot_entry on");

	tap_is_u64(parse(&c, &w, "Boot_Entry = NO\n"), 0, "boot_entry = NO: no warning");
	tap_is_u64(c.boot_entry, false, "boot_entry = NO, any case");
	tap_is_u64(c.self_repair, true, "boot_entry = off leaves self_repair on");

	tap_is_u64(parse(&c, &w, "self_repair = off\nself_repair = on\n"), 0,
		   "self_repair twice: no warning");
	tap_is_u64(c.self_repair, true, "self_repair: the last line wins");

	tap_is_u64(parse(&c, &w, "self_repair = off\nself_repair = sometimes\n"), 1,
		   "self_repair = sometimes refused");
	tap_is_u64(w.line[0], 2, "self_repair refusal on line 2");
	tap_is_u64(c.self_repair, false, "a refused self_repair keeps the value before it");
	one_warning("boot_entry =\n", 1, "boot_entry without a value");
	one_warning("selfrepair = off\n", 1, "a misspelt self_repair is an unknown key");
}

static void test_keywords(void)
{
	static const struct {
		const char *text;
		bool value;
	} bools[] = {
		{ "on", true }, { "off", false }, { "yes", true },
		{ "no", false }, { "true", true }, { "false", false },
		{ "1", true }, { "0", false }, { "ON", true }, { "Off", false },
		{ "YES", true }, { "No", false }, { "TRUE", true },
		{ "fAlSe", false },
	};
	static const char *const bool_keys[] = { "fix_madt", "fix_fadt",
						 "fix_srat" };
	static const struct {
		const char *text;
		enum config_gen2 value;
	} gen2[] = {
		{ "auto", CONFIG_GEN2_AUTO }, { "force", CONFIG_GEN2_FORCE },
		{ "off", CONFIG_GEN2_OFF }, { "AUTO", CONFIG_GEN2_AUTO },
		{ "Force", CONFIG_GEN2_FORCE }, { "OFF", CONFIG_GEN2_OFF },
	};
	static const struct {
		const char *text;
		unsigned value;
	} verbose[] = {
		{ "0", 0 }, { "1", 1 }, { "2", 2 }, { "quiet", 0 },
		{ "normal", 1 }, { "debug", 2 }, { "QUIET", 0 },
		{ "Debug", 2 }, { "00", 0 },
	};
	struct config c;
	struct warnings w;
	char text[128];
	size_t i, k;

	for (k = 0; k < sizeof(bool_keys) / sizeof(bool_keys[0]); k++) {
		for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
			bool *field;

			snprintf(text, sizeof(text), "%s = %s", bool_keys[k],
				 bools[i].text);
			/* Start from the opposite, so "kept the default"
			 * cannot pass. */
			config_defaults(&c);
			field = k == 0 ? &c.fix_madt :
				k == 1 ? &c.fix_fadt : &c.fix_srat;
			*field = !bools[i].value;
			memset(&w, 0, sizeof(w));
			tap_is_u64(config_parse(&c, text, strlen(text), record,
						&w), 0, "%s: no warning", text);
			tap_is_u64(*field, bools[i].value, "%s", text);
		}
	}

	for (i = 0; i < sizeof(gen2) / sizeof(gen2[0]); i++) {
		snprintf(text, sizeof(text), "gen2=%s", gen2[i].text);
		config_defaults(&c);
		c.gen2 = gen2[i].value == CONFIG_GEN2_FORCE ? CONFIG_GEN2_OFF :
			 CONFIG_GEN2_FORCE;
		tap_is_u64(config_parse(&c, text, strlen(text), NULL, NULL), 0,
			   "%s: no warning", text);
		tap_is_u64(c.gen2, gen2[i].value, "%s", text);
	}

	for (i = 0; i < sizeof(verbose) / sizeof(verbose[0]); i++) {
		snprintf(text, sizeof(text), "verbose = %s", verbose[i].text);
		config_defaults(&c);
		c.verbose = verbose[i].value == 1 ? 2 : 1;
		tap_is_u64(config_parse(&c, text, strlen(text), NULL, NULL), 0,
			   "%s: no warning", text);
		tap_is_u64(c.verbose, verbose[i].value, "%s", text);
	}

	tap_is_u64(parse(&c, &w, "error_timeout = 3600"), 0,
		   "error_timeout = 3600 accepted");
	tap_is_u64(c.error_timeout, 3600, "error_timeout = 3600");
	tap_is_u64(parse(&c, &w, "error_timeout = 007"), 0,
		   "error_timeout = 007 accepted");
	tap_is_u64(c.error_timeout, 7, "error_timeout = 007 is 7");
}

static void test_case_and_spacing(void)
{
	struct config c;
	struct warnings w;

	tap_is_u64(parse(&c, &w,
			 "GEN2=OFF\n"
			 "  Fix_MADT\t=\tOff  \n"
			 "SRAT_LIMIT = 1TiB\n"
			 "Target=/efi/boot/x.efi\n"
			 "VERBOSE = Quiet\n"
			 "Error_Timeout    =    42\t\n"),
		   0, "mixed case keys: no warning");
	tap_is_u64(c.gen2, CONFIG_GEN2_OFF, "GEN2=OFF");
	tap_is_u64(c.fix_madt, false, "Fix_MADT\\t=\\tOff");
	tap_is_u64(c.fix_fadt, true, "fix_fadt untouched");
	tap_is_u64(c.srat_limit, 1ull << 40, "SRAT_LIMIT = 1TiB");
	tap_is_str(c.target, "\\efi\\boot\\x.efi",
		   "target: slashes become backslashes, case kept");
	tap_is_u64(c.verbose, 0, "VERBOSE = Quiet");
	tap_is_u64(c.error_timeout, 42, "spaces and tabs around key and value");
}

static void test_line_ends(void)
{
	static const char crlf_bom[] =
		"\xef\xbb\xbfgen2 = force\r\n"
		"fix_fadt = off\r\n"
		"\r\n"
		"# comment\r\n"
		"target = \\a.efi\r\n"
		"bogus = 1\r\n"
		"error_timeout = 5";
	struct config c;
	struct warnings w;

	tap_is_u64(parse(&c, &w, crlf_bom), 1, "CRLF + BOM: one warning");
	tap_is_u64(w.line[0], 6, "CRLF + BOM: warning on line 6");
	tap_is_u64(c.gen2, CONFIG_GEN2_FORCE, "BOM skipped before first key");
	tap_is_u64(c.fix_fadt, false, "CRLF value parsed");
	tap_is_str(c.target, "\\a.efi", "CR not part of target");
	tap_is_u64(c.error_timeout, 5, "last line without line end");

	tap_is_u64(parse(&c, &w, "verbose = 2\r"), 0,
		   "CR at end of file without LF");
	tap_is_u64(c.verbose, 2, "verbose before final CR");

	tap_is_u64(parse(&c, &w, "\xef\xbb\xbf"), 0, "BOM only: no warning");
	tap_is_u64(parse(&c, &w, "\xef\xbb\xbf# x\nverbose=0\n"), 0,
		   "BOM then comment");
	tap_is_u64(c.verbose, 0, "BOM then comment then key");

	/* A BOM is only a BOM at the very start. */
	one_warning("verbose = 0\n\xef\xbb\xbfverbose = 2\n", 2,
		    "BOM in the middle");

	tap_is_u64(parse(&c, &w, "verbose = 0\nverbose = 2\n"), 0,
		   "duplicate key");
	tap_is_u64(c.verbose, 2, "duplicate key: last wins");

	tap_is_u64(parse_n(&c, &w, "\xff\xfeg\0e\0n\0", 8), 1,
		   "UTF-16 LE: one warning");
	tap_is_u64(w.count, 1, "UTF-16 LE: one callback");
	tap_is_u64(parse_n(&c, &w, "\xfe\xff\0g\0e", 6), 1,
		   "UTF-16 BE: one warning");
}

static void test_comments(void)
{
	struct config c;
	struct warnings w;

	tap_is_u64(parse(&c, &w,
			 "fix_madt = off   # Windows 7 needs it, but testing\n"
			 "fix_fadt = off\t# tab before #\n"
			 "target = \\dir#1\\x#.efi # trailing\n"
			 "verbose = 2 #\n"),
		   0, "trailing comments: no warning");
	tap_is_u64(c.fix_madt, false, "value before trailing comment");
	tap_is_u64(c.fix_fadt, false, "tab before trailing comment");
	tap_is_str(c.target, "\\dir#1\\x#.efi", "# glued to text is kept");
	tap_is_u64(c.verbose, 2, "empty trailing comment");

	one_warning("fix_madt = off#glued\n", 1, "# glued to a keyword");
	one_warning("\n\nverbose = # nothing\n", 3, "value is all comment");
}

static void test_sizes(void)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{ "2T", 2ull << 40 }, { "512G", 512ull << 30 },
		{ "1M", 1ull << 20 }, { "4096", 4096 }, { "1KiB", 1024 },
		{ "1KB", 1024 }, { "1k", 1024 }, { "2tib", 2ull << 40 },
		{ "2 TiB", 2ull << 40 }, { "3\tG", 3ull << 30 },
		{ "4096B", 4096 }, { "4096 b", 4096 }, { "1P", 1ull << 50 },
		{ "16383P", 16383ull << 50 }, { "0", 0 }, { "0T", 0 },
		{ "18446744073709551615", UINT64_MAX },
		{ "0000000000000000000000001K", 1024 },
	};
	static const char *const bad[] = {
		"", "99999999P", "16384P", "18446744073709551616", "12X",
		"T", "iB", "1iB", "1Ki", "1KiBB", "1.5T", "-1", "+1", " 1",
		"1 ", "1T ", "0x10", "1 2", "1TB!", "off",
	};
	uint64_t bytes;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		bytes = 0xdeadbeef;
		tap_ok(config_parse_size(good[i].text, strlen(good[i].text),
					 &bytes), "size \"%s\" accepted",
		       good[i].text);
		tap_is_u64(bytes, good[i].bytes, "size \"%s\"", good[i].text);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bytes = 0xdeadbeef;
		tap_ok(!config_parse_size(bad[i], strlen(bad[i]), &bytes),
		       "size \"%s\" refused", bad[i]);
		tap_is_u64(bytes, 0xdeadbeef, "size \"%s\": output untouched",
			   bad[i]);
	}

	/* The length bounds the text: no reading past it. */
	tap_ok(config_parse_size("2T", 1, &bytes) && bytes == 2,
	       "size honours length");
	tap_ok(!config_parse_size(NULL, 0, &bytes), "size of nothing refused");
}

static void test_srat_limit(void)
{
	struct config c;
	struct warnings w;

	tap_is_u64(parse(&c, &w, "srat_limit = off\n"), 0, "srat_limit = off");
	tap_is_u64(c.fix_srat, false, "srat_limit = off clears fix_srat");
	tap_is_u64(c.srat_limit, 2ull << 40, "srat_limit = off keeps limit");

	tap_is_u64(parse(&c, &w, "srat_limit = OFF\nsrat_limit = 1T\n"), 0,
		   "off then size");
	tap_is_u64(c.fix_srat, false, "a size does not re-enable fix_srat");
	tap_is_u64(c.srat_limit, 1ull << 40, "a size after off still stored");

	tap_is_u64(parse(&c, &w, "srat_limit = off\nfix_srat = on\n"), 0,
		   "off then fix_srat = on");
	tap_is_u64(c.fix_srat, true, "fix_srat = on after srat_limit = off");

	tap_is_u64(parse(&c, &w, "srat_limit = 1T\nsrat_limit = 0\n"), 1,
		   "srat_limit = 0 warns");
	tap_is_u64(w.line[0], 2, "srat_limit = 0 on line 2");
	tap_is_u64(c.srat_limit, 1ull << 40, "srat_limit = 0 keeps previous");
	tap_is_u64(c.fix_srat, true, "srat_limit = 0 leaves fix_srat");

	one_warning("srat_limit = 0G", 1, "srat_limit = 0G");
	one_warning("srat_limit = 99999999P", 1, "srat_limit overflow");
	one_warning("srat_limit = 12X", 1, "srat_limit = 12X");
	one_warning("srat_limit = on", 1, "srat_limit = on");
	tap_is_u64(parse(&c, &w, "srat_limit = 64 GiB # half\n"), 0,
		   "srat_limit with inner space and comment");
	tap_is_u64(c.srat_limit, 64ull << 30, "srat_limit = 64 GiB");
}

static void test_bad_lines(void)
{
	struct config c;
	struct warnings w;
	unsigned r;

	r = parse(&c, &w,
		  "gen2 = force\n"         /* 1 */
		  "gen2 = maybe\n"         /* 2 bad value */
		  "fix_madt = off\n"       /* 3 */
		  "fix_madt = sometimes\n" /* 4 bad value */
		  "verbose = 2\n"          /* 5 */
		  "verbose = 3\n"          /* 6 out of range */
		  "error_timeout = 30\n"   /* 7 */
		  "error_timeout = 3601\n" /* 8 out of range */
		  "error_timeout = -1\n"   /* 9 */
		  "error_timeout = 5s\n"   /* 10 */
		  "colour = blue\n"        /* 11 unknown key */
		  "fix_fadt off\n"         /* 12 no '=' */
		  "fix_fadt =\n"           /* 13 empty value */
		  "= on\n"                 /* 14 no key */
		  "fix madt = on\n"        /* 15 unknown key */
		  "srat_limit = 1T\n"      /* 16 */
		  "srat_limit = 1.5T\n"    /* 17 bad size */
		  "fix_srat = 2\n"         /* 18 bad bool */
		  "verbose = 99999999999999999999999\n"); /* 19 overflow */
	tap_is_u64(r, 14, "bad lines: 14 warned");
	tap_is_u64(w.count, 14, "bad lines: 14 callbacks");
	{
		static const unsigned want[] = { 2, 4, 6, 8, 9, 10, 11, 12,
						 13, 14, 15, 17, 18, 19 };
		size_t i;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			tap_is_u64(w.line[i], want[i], "warning %zu on line %u",
				   i + 1, want[i]);
	}
	tap_is_str(w.message[0], "expected auto, force or off",
		   "gen2 message");
	tap_is_str(w.message[1], "expected on or off", "bool message");
	tap_is_str(w.message[3], "expected seconds from 0 to 3600",
		   "timeout message");
	tap_is_str(w.message[6], "unknown key", "unknown key message");
	tap_is_str(w.message[7], "expected key = value", "missing = message");
	tap_is_str(w.message[8], "missing value", "empty value message");
	tap_is_u64(c.gen2, CONFIG_GEN2_FORCE, "bad gen2 keeps previous");
	tap_is_u64(c.fix_madt, false, "bad fix_madt keeps previous");
	tap_is_u64(c.fix_fadt, true, "bad fix_fadt keeps default");
	tap_is_u64(c.fix_srat, true, "bad fix_srat keeps default");
	tap_is_u64(c.verbose, 2, "bad verbose keeps previous");
	tap_is_u64(c.error_timeout, 30, "bad error_timeout keeps previous");
	tap_is_u64(c.srat_limit, 1ull << 40, "bad srat_limit keeps previous");

	/* warn may be NULL; the count is the same. */
	config_defaults(&c);
	tap_is_u64(config_parse(&c, "a\nb = c\nverbose = 0\n", 20, NULL, NULL),
		   2, "NULL warn: count still returned");
	tap_is_u64(c.verbose, 0, "NULL warn: good line applied");
}

static void test_target(void)
{
	static const struct {
		const char *text;
		const char *stored;
	} good[] = {
		{ "\\x.efi", "\\x.efi" },
		{ "/EFI/Boot/bootx64.original.efi",
		  "\\EFI\\Boot\\bootx64.original.efi" },
		{ "\\EFI/mixed\\seps.efi", "\\EFI\\mixed\\seps.efi" },
		{ "\\My Loaders\\a b.efi", "\\My Loaders\\a b.efi" },
		{ "\\a\\...\\b.efi", "\\a\\...\\b.efi" },
		{ "\\a\\.\\b.efi", "\\a\\.\\b.efi" },
		{ "\\..x\\x..\\b.efi", "\\..x\\x..\\b.efi" },
	};
	static const char *const bad[] = {
		"x.efi", "EFI\\x.efi", "\\..\\x.efi", "\\a\\..\\x.efi",
		"/a/../x.efi", "\\a\\..", "\\", "\\a\\", "\\\\a.efi",
		"\\a//b.efi", "\\a\\b\xc3\xa9.efi", "\\a?.efi", "\\a*.efi",
		"\\a:b.efi", "\\a\"b.efi", "\\a<b>.efi", "\\a|b.efi",
		"C:\\x.efi", "\\a\x7f.efi",
	};
	struct config c;
	struct warnings w;
	char text[600];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "target = %s\n", good[i].text);
		tap_is_u64(parse(&c, &w, text), 0, "target %s accepted",
			   good[i].text);
		tap_is_str(c.target, good[i].stored, "target %s stored",
			   good[i].text);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "target = \\keep.efi\ntarget = %s\n",
			 bad[i]);
		tap_is_u64(parse(&c, &w, text), 1, "target %s refused", bad[i]);
		tap_is_u64(w.line[0], 2, "target %s: warning on line 2",
			   bad[i]);
		tap_is_str(c.target, "\\keep.efi",
			   "target %s: previous kept", bad[i]);
	}

	/* CONFIG_MAX_PATH counts the NUL: 259 characters fit, 260 do not. */
	{
		char path[CONFIG_MAX_PATH + 1];

		memset(path, 'a', sizeof(path));
		path[0] = '\\';
		path[CONFIG_MAX_PATH - 1] = '\0';
		snprintf(text, sizeof(text), "target = %s", path);
		tap_is_u64(parse(&c, &w, text), 0, "target of 259 accepted");
		tap_is_u64(strlen(c.target), CONFIG_MAX_PATH - 1,
			   "target of 259 stored whole");
		tap_is_str(c.target, path, "target of 259 content");

		path[CONFIG_MAX_PATH - 1] = 'a';
		path[CONFIG_MAX_PATH] = '\0';
		snprintf(text, sizeof(text), "target = %s", path);
		tap_is_u64(parse(&c, &w, text), 1, "target of 260 refused");
		tap_is_str(c.target, "", "target of 260 not stored");
	}
}

static void test_control_chars(void)
{
	static const char nul_line[] = "verbose = 0\nverbose\0 = 2\nfix_madt = off\n";
	static const char nul_value[] = "error_timeout = 5\0 9\n";
	static const char nul_comment[] = "verbose = 2 # a\0b\n";
	struct config c;
	struct warnings w;

	tap_is_u64(parse_n(&c, &w, nul_line, sizeof(nul_line) - 1), 1,
		   "NUL in a line: one warning");
	tap_is_u64(w.line[0], 2, "NUL in a line: warning on line 2");
	tap_is_str(w.message[0], "control character in line",
		   "NUL in a line: message");
	tap_is_u64(c.verbose, 0, "NUL line not applied");
	tap_is_u64(c.fix_madt, false, "line after the NUL still parsed");

	tap_is_u64(parse_n(&c, &w, nul_value, sizeof(nul_value) - 1), 1,
		   "NUL in a value warns");
	tap_is_u64(c.error_timeout, 10, "NUL in a value: not cut short to 5");

	tap_is_u64(parse_n(&c, &w, nul_comment, sizeof(nul_comment) - 1), 1,
		   "NUL in a comment warns");

	one_warning("verbose = 0\n\nverbose = 2\x1b\n", 3, "ESC in a line");
	one_warning("verbose = 0\rverbose = 2\n", 1, "lone CR (old Mac)");
	one_warning("verbose = 2\x7f\n", 1, "DEL in a line");

	tap_is_u64(parse(&c, &w, "# caf\xc3\xa9\nverbose = 0\n"), 0,
		   "UTF-8 in a comment is fine");
	one_warning("verbose = 0\n\xc3\xa9 = 1\n", 2, "UTF-8 key is unknown");
}

static void test_long_lines(void)
{
	struct config c;
	struct warnings w;
	char *text = malloc(4096);
	size_t n;

	if (!text)
		abort();

	/* 1024 bytes is the longest line; the line end does not count. */
	n = (size_t)snprintf(text, 4096, "verbose = %01014d\r\n", 2);
	tap_is_u64(n - 2, 1024, "long line is 1024 bytes");
	tap_is_u64(parse(&c, &w, text), 0, "line of 1024 accepted");
	tap_is_u64(c.verbose, 2, "line of 1024 applied");

	n = (size_t)snprintf(text, 4096, "verbose = 0\nverbose = %01015d\n"
			     "fix_madt = off\n", 2);
	tap_is_u64(parse(&c, &w, text), 1, "line of 1025 warns");
	tap_is_u64(w.line[0], 2, "line of 1025: line 2");
	tap_is_str(w.message[0], "line too long", "line of 1025: message");
	tap_is_u64(c.verbose, 0, "line of 1025 not applied");
	tap_is_u64(c.fix_madt, false, "line after the long one applied");
	free(text);
}

/* Comment lines of 64 bytes over text[0..end); returns how many. */
static size_t fill_comments(char *text, size_t end)
{
	size_t i;

	for (i = 0; i + 64 <= end; i += 64) {
		memset(text + i, ' ', 63);
		text[i] = '#';
		text[i + 63] = '\n';
	}
	return i / 64;
}

static void test_huge_file(void)
{
	enum { MAX = CONFIG_MAX_FILE_SIZE };
	struct config c;
	struct warnings w;
	size_t size = MAX + 4096, lines;
	char *text = malloc(size);

	if (!text)
		abort();

	/* 64 KiB of comments, then a setting and more lines. */
	lines = fill_comments(text, MAX);
	memcpy(text + MAX, "verbose = 2\n", 12);
	memset(text + MAX + 12, '\n', size - MAX - 12);
	tap_is_u64(parse_n(&c, &w, text, size), 1, "huge file: one warning");
	tap_is_u64(w.count, 1, "huge file: one callback");
	tap_is_u64(w.line[0], lines + 1, "huge file: warned at first lost line");
	tap_is_str(w.message[0], "file too large, rest ignored",
		   "huge file: message");
	tap_is_u64(c.verbose, 1, "huge file: text past the limit ignored");

	tap_is_u64(parse_n(&c, &w, text, MAX), 0,
		   "file of exactly the limit: no warning");
	tap_is_u64(parse_n(&c, &w, text, MAX + 1), 1,
		   "limit plus one byte: warned");

	/* The last line that fits, its LF the last byte, is applied. */
	memcpy(text + MAX - 64, "srat_limit = 1024G", 18);
	tap_is_u64(parse_n(&c, &w, text, MAX), 0,
		   "setting on the last line that fits");
	tap_is_u64(c.srat_limit, 1024ull << 30, "last line that fits applied");

	/* Cut "srat_limit = 1024G" after "10": the line is dropped, not
	 * read as 10 bytes. */
	lines = fill_comments(text, MAX - 64);
	memset(text + MAX - 64, ' ', 48);
	text[MAX - 64] = '#';
	text[MAX - 16] = '\n';
	memcpy(text + MAX - 15, "srat_limit = 1024G\n", 19);
	tap_is_u64(parse_n(&c, &w, text, MAX + 4), 1, "cut line: one warning");
	tap_is_u64(w.line[0], lines + 2, "cut line: warned on the cut line");
	tap_is_u64(c.srat_limit, 2ull << 40, "cut line: not applied");

	/* With a BOM the limit still counts from the first byte. */
	memcpy(text, "\xef\xbb\xbf", 3);
	tap_is_u64(parse_n(&c, &w, text, MAX + 4), 1, "BOM + cut line: warned");
	free(text);
}

int main(void)
{
	test_defaults();
	test_empty();
	test_every_key();
	test_keywords();
	test_menu_keys();
	test_disk_keys();
	test_case_and_spacing();
	test_line_ends();
	test_comments();
	test_sizes();
	test_srat_limit();
	test_bad_lines();
	test_target();
	test_control_chars();
	test_long_lines();
	test_huge_file();
	return tap_done();
}
