/*
 * config.c - win7gen2.cfg, the payload's settings file
 *
 * The file is written by hand, often in Notepad, and read before anything
 * else happens, so the parser is forgiving in what it skips (blank lines,
 * comments, a byte order mark, CRLF) and strict in what it applies: a
 * value is only stored once it has been checked completely, and anything
 * doubtful is reported and dropped, keeping the value from before.
 *
 * No C library: this file is compiled freestanding into win7gen2.efi.
 *
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include "acpi_fix.h"  /* ACPI_SRAT_DEFAULT_LIMIT: the fixer owns the default */

/* Longer lines are not settings anyone wrote on purpose. */
#define CONFIG_MAX_LINE 1024

#define CONFIG_STR_(x) #x
#define CONFIG_STR(x) CONFIG_STR_(x)

/* A piece of the file: not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_control(char c)
{
	unsigned char u = (unsigned char)c;

	/* Tabs are whitespace; bytes from 0x80 up may be UTF-8 in comments. */
	return (u < 0x20 && c != '\t') || u == 0x7f;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static struct span trim(struct span s)
{
	while (s.n && is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* Case-insensitive comparison with a lowercase keyword. */
static bool span_is(struct span s, const char *word)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (!word[i] || to_lower(s.p[i]) != word[i])
			return false;
	}
	return !word[i];
}

static bool span_has_control(struct span s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (is_control(s.p[i]))
			return true;
	}
	return false;
}

/*
 * "#" opens a comment at the start of the line or after whitespace.  A
 * "#" glued to other text stays, because it is a legal file name
 * character and target paths may contain it.
 */
static struct span strip_comment(struct span s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '#' && (i == 0 || is_blank(s.p[i - 1]))) {
			s.n = i;
			break;
		}
	}
	return s;
}

/* Plain decimal, no sign, at most max.  Leading zeros are harmless. */
static bool parse_uint(struct span s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!s.n)
		return false;
	for (i = 0; i < s.n; i++) {
		unsigned d;

		if (!is_digit(s.p[i]))
			return false;
		d = (unsigned)(s.p[i] - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_bool(struct span s, bool *out)
{
	if (span_is(s, "on") || span_is(s, "yes") || span_is(s, "true") ||
	    span_is(s, "1")) {
		*out = true;
		return true;
	}
	if (span_is(s, "off") || span_is(s, "no") || span_is(s, "false") ||
	    span_is(s, "0")) {
		*out = false;
		return true;
	}
	return false;
}

/* Bit shift for a unit letter, or -1. */
static int unit_shift(char c)
{
	switch (to_lower(c)) {
	case 'k': return 10;
	case 'm': return 20;
	case 'g': return 30;
	case 't': return 40;
	case 'p': return 50;
	default:  return -1;
	}
}

bool config_parse_size(const char *text, size_t length, uint64_t *bytes)
{
	struct span num = { text, 0 }, unit;
	uint64_t value;
	int shift = 0;

	if (!length)
		return false;
	while (num.n < length && is_digit(text[num.n]))
		num.n++;
	unit.p = text + num.n;
	unit.n = length - num.n;

	/* "2 TiB" reads naturally, so a unit may follow a space; a space
	 * with no unit after it is junk like any other. */
	while (unit.n && is_blank(unit.p[0])) {
		unit.p++;
		unit.n--;
		if (!unit.n)
			return false;
	}

	if (unit.n && unit_shift(unit.p[0]) >= 0) {
		shift = unit_shift(unit.p[0]);
		unit.p++;
		unit.n--;
		if (!unit.n || span_is(unit, "b") || span_is(unit, "ib"))
			unit.n = 0;
	} else if (span_is(unit, "b")) {
		unit.n = 0;
	}
	if (unit.n)
		return false;

	if (!parse_uint(num, UINT64_MAX >> shift, &value))
		return false;
	*bytes = value << shift;
	return true;
}

/* ------------------------------------------------------------------ */
/* One setter per key: NULL on success, else why the value was refused. */

static const char *set_gen2(struct config *config, struct span v)
{
	if (span_is(v, "auto"))
		config->gen2 = CONFIG_GEN2_AUTO;
	else if (span_is(v, "force"))
		config->gen2 = CONFIG_GEN2_FORCE;
	else if (span_is(v, "off"))
		config->gen2 = CONFIG_GEN2_OFF;
	else
		return "expected auto, force or off";
	return NULL;
}

static const char *set_bool(bool *field, struct span v)
{
	return parse_bool(v, field) ? NULL : "expected on or off";
}

/*
 * "off" is the natural way to say "no limit"; it switches the SRAT fix
 * off rather than storing some huge number.  A size only sets the limit,
 * so the on/off state is always the last of fix_srat and srat_limit=off.
 */
static const char *set_srat_limit(struct config *config, struct span v)
{
	uint64_t limit;

	if (span_is(v, "off")) {
		config->fix_srat = false;
		return NULL;
	}
	if (!config_parse_size(v.p, v.n, &limit))
		return "expected a size such as 2T, or off";
	if (!limit)
		return "srat_limit 0 would remove all memory";
	config->srat_limit = limit;
	return NULL;
}

/* FAT cannot store these, so a path with them can never be opened. */
static bool is_fat_forbidden(char c)
{
	return c == '"' || c == '*' || c == ':' || c == '<' || c == '>' ||
	       c == '?' || c == '|';
}

/*
 * The chainload target is opened relative to our own volume.  ".." is
 * refused so the path stays an ordinary absolute one that firmware file
 * systems agree on; empty components (a doubled or trailing separator)
 * can never name a loader.
 */
static const char *set_target(struct config *config, struct span v)
{
	size_t i, component = 0;

	if (v.p[0] != '\\' && v.p[0] != '/')
		return "target must start with \\";
	if (v.n >= CONFIG_MAX_PATH)
		return "target is too long";

	for (i = 0; i <= v.n; i++) {
		char c = i < v.n ? v.p[i] : '\\';

		if (c == '\\' || c == '/') {
			if (i && i - component == 0)
				return "target has an empty path component";
			if (i - component == 2 && v.p[component] == '.' &&
			    v.p[component + 1] == '.')
				return "target must not contain ..";
			component = i + 1;
			continue;
		}
		if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
			return "target must be printable ASCII";
		if (is_fat_forbidden(c))
			return "target contains a character FAT cannot store";
	}

	for (i = 0; i < v.n; i++)
		config->target[i] = v.p[i] == '/' ? '\\' : v.p[i];
	config->target[v.n] = '\0';
	return NULL;
}

static const char *set_verbose(struct config *config, struct span v)
{
	uint64_t level;

	if (span_is(v, "quiet"))
		level = 0;
	else if (span_is(v, "normal"))
		level = 1;
	else if (span_is(v, "debug"))
		level = 2;
	else if (!parse_uint(v, 2, &level))
		return "expected 0, 1, 2, quiet, normal or debug";
	config->verbose = (unsigned)level;
	return NULL;
}

static const char *set_menu_default(struct config *config, struct span v)
{
	if (span_is(v, "install"))
		config->menu_default = CONFIG_MODE_INSTALL;
	else if (span_is(v, "rescue"))
		config->menu_default = CONFIG_MODE_RESCUE;
	else if (span_is(v, "continue"))
		config->menu_default = CONFIG_MODE_CONTINUE;
	else
		return "expected install, rescue or continue";
	return NULL;
}

static const char *set_seconds(unsigned *field, struct span v)
{
	uint64_t seconds;

	if (!parse_uint(v, CONFIG_MAX_TIMEOUT, &seconds))
		return "expected seconds from 0 to " CONFIG_STR(CONFIG_MAX_TIMEOUT);
	*field = (unsigned)seconds;
	return NULL;
}

/* An if-chain rather than a table: no pointers in data to relocate. */
static const char *apply(struct config *config, struct span key,
			 struct span value)
{
	if (span_is(key, "gen2"))
		return set_gen2(config, value);
	if (span_is(key, "fix_madt"))
		return set_bool(&config->fix_madt, value);
	if (span_is(key, "fix_fadt"))
		return set_bool(&config->fix_fadt, value);
	if (span_is(key, "fix_srat"))
		return set_bool(&config->fix_srat, value);
	if (span_is(key, "srat_limit"))
		return set_srat_limit(config, value);
	if (span_is(key, "target"))
		return set_target(config, value);
	if (span_is(key, "verbose"))
		return set_verbose(config, value);
	if (span_is(key, "error_timeout"))
		return set_seconds(&config->error_timeout, value);
	if (span_is(key, "menu"))
		return set_bool(&config->menu, value);
	if (span_is(key, "menu_timeout"))
		return set_seconds(&config->menu_timeout, value);
	if (span_is(key, "menu_default"))
		return set_menu_default(config, value);
	if (span_is(key, "answer_prompt"))
		return set_bool(&config->answer_prompt, value);
	if (span_is(key, "wipe_unattended"))
		return set_bool(&config->wipe_unattended, value);
	if (span_is(key, "self_repair"))
		return set_bool(&config->self_repair, value);
	if (span_is(key, "boot_entry"))
		return set_bool(&config->boot_entry, value);
	return "unknown key";
}

/* One line without its line end: NULL if understood or empty. */
static const char *parse_line(struct config *config, struct span line)
{
	struct span key, value;
	size_t eq;

	if (line.n > CONFIG_MAX_LINE)
		return "line too long";
	if (span_has_control(line))
		return "control character in line";

	line = trim(strip_comment(line));
	if (!line.n)
		return NULL;

	for (eq = 0; eq < line.n && line.p[eq] != '='; eq++)
		;
	if (eq == line.n || eq == 0)
		return "expected key = value";

	key = trim((struct span){ line.p, eq });
	value = trim((struct span){ line.p + eq + 1, line.n - eq - 1 });
	if (!value.n)
		return "missing value";
	return apply(config, key, value);
}

static unsigned warn_line(config_warn_fn warn, void *warn_ctx, unsigned line,
			  const char *message)
{
	if (warn)
		warn(warn_ctx, line, message);
	return 1;
}

void config_defaults(struct config *config)
{
	config->gen2 = CONFIG_GEN2_AUTO;
	config->fix_madt = true;
	config->fix_fadt = true;
	config->fix_srat = true;
	config->srat_limit = ACPI_SRAT_DEFAULT_LIMIT;
	config->target[0] = '\0';
	config->verbose = 1;
	config->error_timeout = 10;
	config->menu = false;
	config->menu_timeout = 10;
	config->menu_default = CONFIG_MODE_INSTALL;
	config->answer_prompt = false;
	config->wipe_unattended = false;
	config->self_repair = true;
	config->boot_entry = true;
}

unsigned config_parse(struct config *config, const char *text, size_t length,
		      config_warn_fn warn, void *warn_ctx)
{
	size_t pos = 0, usable = length;
	unsigned line = 1, warnings = 0;

	/* Notepad's "Unicode" is UTF-16: every other byte is NUL, so no line
	 * would parse.  Say so once instead of once per line. */
	if (length >= 2 && (((unsigned char)text[0] == 0xff &&
			     (unsigned char)text[1] == 0xfe) ||
			    ((unsigned char)text[0] == 0xfe &&
			     (unsigned char)text[1] == 0xff)))
		return warn_line(warn, warn_ctx, 1,
				 "file is UTF-16, save it as UTF-8 or ASCII");

	if (length >= 3 && (unsigned char)text[0] == 0xef &&
	    (unsigned char)text[1] == 0xbb && (unsigned char)text[2] == 0xbf)
		pos = 3;

	if (usable > CONFIG_MAX_FILE_SIZE)
		usable = CONFIG_MAX_FILE_SIZE;

	while (pos < length) {
		struct span s = { text + pos, 0 };
		const char *message;

		while (pos + s.n < usable && s.p[s.n] != '\n')
			s.n++;

		/* A line the size limit cuts must not be half applied:
		 * "srat_limit = 1024G" could become "srat_limit = 10". */
		if (pos + s.n == usable && usable < length) {
			warnings += warn_line(warn, warn_ctx, line,
					      "file too large, rest ignored");
			break;
		}

		pos += s.n + 1; /* past the '\n', or past the end: done */
		if (s.n && s.p[s.n - 1] == '\r')
			s.n--;

		message = parse_line(config, s);
		if (message)
			warnings += warn_line(warn, warn_ctx, line, message);
		line++;
	}
	return warnings;
}
