/*
 * vmscript.c - the PowerShell that makes the Hyper-V VM for a built ISO
 *
 * The template's syntax is described at its top
 * (builder/New-Win7Gen2VM.ps1.in): "#%" lines are the template's own
 * comments, "+" lines are the short form, @FIELD@ and @$FIELD@ are values.
 *
 * SPDX-License-Identifier: MIT
 */
#include "vmscript.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)
#define PIPE_PREFIX "\\\\.\\pipe\\"   /* \\.\pipe\ */

/* The code point of the UTF-8 sequence at p and its length; 0 when it is
 * not one (overlong, a surrogate, beyond U+10FFFF, cut short). */
static size_t utf8_next(const unsigned char *p, uint32_t *code_point)
{
	uint32_t c = p[0], min;
	size_t n;

	if (c < 0x80) {
		*code_point = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* the NUL at the end stops here too */
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*code_point = c;
	return n;
}

/* PowerShell ends a single-quoted string at any of these (its tokenizer's
 * IsSingleQuote), and reads two of them in a row as the second one. */
static bool is_single_quote(uint32_t c)
{
	return c == '\'' || (c >= 0x2018 && c <= 0x201b);
}

/* Cc (C0, DEL, C1, NEL among them) and the Unicode line and paragraph
 * separators: none can sit on one line of a script or a pasted command. */
static const char *control_name(uint32_t c)
{
	if (c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029)
		return "a line break";
	if (c == '\t')
		return "a tab";
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return "a control character";
	return NULL;
}

/* value for a message: printable ASCII as it is, the rest as C escapes,
 * at most about 80 characters. */
static void append_shown(struct text *err, const char *value)
{
	size_t shown = 0;

	text_append(err, "\"");
	for (const unsigned char *p = (const unsigned char *)value; *p; p++, shown++) {
		if (shown == 80) {
			text_append(err, "...");
			break;
		}
		if (*p == '\n')
			text_append(err, "\\n");
		else if (*p == '\r')
			text_append(err, "\\r");
		else if (*p == '\t')
			text_append(err, "\\t");
		else if (*p == '"' || *p == '\\')
			text_appendf(err, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			text_appendf(err, "\\x%02x", *p);
		else
			text_append_bytes(err, p, 1);
	}
	text_append(err, "\"");
}

int vmscript_quote(struct text *out, const char *value, const char *what, struct text *err)
{
	const unsigned char *p = (const unsigned char *)value;
	uint32_t c;
	size_t n;

	for (size_t i = 0; p[i]; i += n) {
		const char *control;

		n = utf8_next(p + i, &c);
		if (n == 0) {
			text_appendf(err, "%s ", what);
			append_shown(err, value);
			text_append(err, " is not UTF-8 text; the PowerShell script is UTF-8");
			return -1;
		}
		control = control_name(c);
		if (control) {
			text_appendf(err, "%s ", what);
			append_shown(err, value);
			text_appendf(err, " has %s, which a PowerShell command cannot hold in "
				     "its line", control);
			return -1;
		}
	}
	text_append(out, "'");
	for (size_t i = 0; p[i]; i += n) {
		n = utf8_next(p + i, &c);
		text_append_bytes(out, p + i, n);
		if (is_single_quote(c))
			text_append_bytes(out, p + i, n);
	}
	text_append(out, "'");
	return 0;
}

/* ---- the values ------------------------------------------------------- */

enum field {
	F_NAME,
	F_ISO_PATH,
	F_MEMORY,
	F_VHD_PATH,
	F_VHD_SIZE,
	F_SWITCH_NAME,
	F_PIPE_PATH,
	F_SWITCH_ARG,
	F_COUNT
};

/* Each field's template name and, in the script, the variable (or
 * splatting) its @$FIELD@ stands for. */
static const struct {
	const char *name;
	const char *variable;
} fields[F_COUNT] = {
	[F_NAME] = { "NAME", "$Name" },
	[F_ISO_PATH] = { "ISO_PATH", "$IsoPath" },
	[F_MEMORY] = { "MEMORY", "$MemoryStartupBytes" },
	[F_VHD_PATH] = { "VHD_PATH", "$VhdPath" },
	[F_VHD_SIZE] = { "VHD_SIZE", "$VhdSizeBytes" },
	[F_SWITCH_NAME] = { "SWITCH_NAME", "$SwitchName" },
	[F_PIPE_PATH] = { "PIPE_PATH", "$PipePath" },
	/* -SwitchName only when there is a switch: the script builds the
	 * hashtable $switchArg, the short form writes it out or leaves it. */
	[F_SWITCH_ARG] = { "SWITCH_ARG", " @switchArg" },
};

struct values {
	struct text value[F_COUNT];         /* as the short form writes it */
	struct text script_default[F_COUNT]; /* @FIELD@ in the script */
	bool has_default[F_COUNT];
};

/* A size as PowerShell writes it: 2GB, 1536MB, or bytes. */
static void append_size(struct text *out, uint64_t bytes)
{
	if (bytes % GIB == 0)
		text_appendf(out, "%" PRIu64 "GB", bytes / GIB);
	else if (bytes % MIB == 0)
		text_appendf(out, "%" PRIu64 "MB", bytes / MIB);
	else
		text_appendf(out, "%" PRIu64, bytes);
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* The default is the value itself. */
static void same_default(struct values *v, enum field f)
{
	text_append(&v->script_default[f], text_string(&v->value[f]));
	v->has_default[f] = true;
}

static int fill_values(const struct vmscript_settings *s, struct values *v, struct text *err)
{
	uint64_t memory = s->memory_bytes ? s->memory_bytes : VMSCRIPT_MEMORY_DEFAULT;
	uint64_t disk = s->disk_bytes ? s->disk_bytes : VMSCRIPT_DISK_DEFAULT;
	struct text scratch = TEXT_INIT;
	int rc = -1;

	if (empty(s->vm_name)) {
		text_append(err, "the VM needs a name");
		return -1;
	}
	if (empty(s->iso_path) && empty(s->iso_name)) {
		text_append(err, "the VM script needs the ISO's name or path");
		return -1;
	}
	if (memory % (2 * MIB) != 0) {
		text_appendf(err, "the VM's memory, %" PRIu64 " bytes, is not a multiple of 2 MiB "
			     "as Hyper-V needs", memory);
		return -1;
	}

	if (vmscript_quote(&v->value[F_NAME], s->vm_name, "the VM name", err) < 0)
		return -1;
	same_default(v, F_NAME);

	if (!empty(s->iso_path))
		text_append(&scratch, s->iso_path);
	else
		text_appendf(&scratch, "%s\\%s", VMSCRIPT_ISO_DIR, s->iso_name);
	if (vmscript_quote(&v->value[F_ISO_PATH], text_string(&scratch), "the ISO's path on "
			   "the Hyper-V host", err) < 0)
		goto out;
	same_default(v, F_ISO_PATH);

	append_size(&v->value[F_MEMORY], memory);
	same_default(v, F_MEMORY);
	append_size(&v->value[F_VHD_SIZE], disk);
	same_default(v, F_VHD_SIZE);

	/* Unless given, the disk and the pipe are named after the VM, in the
	 * script after its -Name. */
	text_reset(&scratch);
	if (!empty(s->vhd_path))
		text_append(&scratch, s->vhd_path);
	else
		text_appendf(&scratch, "%s.vhdx", s->vm_name);
	if (vmscript_quote(&v->value[F_VHD_PATH], text_string(&scratch), "the virtual disk's "
			   "path", err) < 0)
		goto out;
	if (!empty(s->vhd_path))
		same_default(v, F_VHD_PATH);
	else
		text_append(&v->script_default[F_VHD_PATH], "($Name + '.vhdx')");
	v->has_default[F_VHD_PATH] = true;

	text_reset(&scratch);
	if (!empty(s->pipe_name))
		text_append(&scratch, s->pipe_name);
	else
		text_appendf(&scratch, "%s-com1", s->vm_name);
	if (strchr(text_string(&scratch), '\\')) {
		text_append(err, "the COM1 pipe name ");
		append_shown(err, text_string(&scratch));
		text_append(err, " has a backslash, which pipe names cannot hold");
		goto out;
	}
	{
		char *path = text_format(PIPE_PREFIX "%s", text_string(&scratch));

		if (!path) {
			text_append(err, "out of memory");
			goto out;
		}
		rc = vmscript_quote(&v->value[F_PIPE_PATH], path, "the COM1 pipe name", err);
		free(path);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	if (!empty(s->pipe_name))
		same_default(v, F_PIPE_PATH);
	else
		text_append(&v->script_default[F_PIPE_PATH], "('" PIPE_PREFIX "' + $Name + '-com1')");
	v->has_default[F_PIPE_PATH] = true;

	if (vmscript_quote(&v->value[F_SWITCH_NAME], s->switch_name ? s->switch_name : "",
			   "the virtual switch name", err) < 0)
		goto out;
	same_default(v, F_SWITCH_NAME);
	if (!empty(s->switch_name))
		text_appendf(&v->value[F_SWITCH_ARG], " -SwitchName %s",
			     text_string(&v->value[F_SWITCH_NAME]));
	rc = 0;
out:
	text_free(&scratch);
	return rc;
}

/* ---- the template ----------------------------------------------------- */

static bool field_char(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static int render_line(const char *line, size_t len, const struct values *v,
		       enum vmscript_form form, struct text *out, struct text *err)
{
	for (size_t i = 0; i < len; i++) {
		size_t start = i + 1, end;
		bool dollar;
		int f;

		if (line[i] != '@') {
			text_append_bytes(out, line + i, 1);
			continue;
		}
		dollar = start < len && line[start] == '$';
		start += dollar;
		for (end = start; end < len && field_char(line[end]); end++)
			;
		/* "@{}", "@switchArg" and the like are PowerShell, not fields. */
		if (end == start || end >= len || line[end] != '@') {
			text_append_bytes(out, line + i, 1);
			continue;
		}
		for (f = 0; f < F_COUNT; f++)
			if (strlen(fields[f].name) == end - start &&
			    memcmp(fields[f].name, line + start, end - start) == 0)
				break;
		if (f == F_COUNT) {
			text_appendf(err, "the VM script template has an unknown field @%.*s@",
				     (int)(end - i - 1), line + i + 1);
			return -1;
		}
		if (form == VMSCRIPT_LINES)
			text_append(out, text_string(&v->value[f]));
		else if (dollar)
			text_append(out, fields[f].variable);
		else if (v->has_default[f])
			text_append(out, text_string(&v->script_default[f]));
		else {
			text_appendf(err, "the VM script template's field @%s@ has no default; "
				     "it is used as @$%s@", fields[f].name, fields[f].name);
			return -1;
		}
		i = end;
	}
	return 0;
}

int vmscript_render_template(const char *template_text,
			     const struct vmscript_settings *settings,
			     enum vmscript_form form, struct text *out, struct text *err)
{
	struct values v;
	int rc = -1;

	memset(&v, 0, sizeof(v));
	if (fill_values(settings, &v, err) < 0)
		goto out;
	/* UTF-8 with a byte order mark: Windows PowerShell 5.1 reads a script
	 * without one in the ANSI code page, so a VM name that is not ASCII
	 * would come out garbled.  CRLF: Windows text. */
	if (form == VMSCRIPT_FILE)
		text_append(out, "\xef\xbb\xbf");
	for (const char *line = template_text; *line;) {
		const char *newline = strchr(line, '\n');
		size_t len = newline ? (size_t)(newline - line) : strlen(line);
		const char *next = line + len + (newline ? 1 : 0);
		bool in_short_form = len > 0 && line[0] == '+';

		if (len > 0 && line[len - 1] == '\r')
			len--;
		if ((len >= 2 && line[0] == '#' && line[1] == '%') ||
		    (form == VMSCRIPT_LINES && !in_short_form)) {
			line = next;
			continue;
		}
		if (in_short_form)
			line++, len--;
		if (form == VMSCRIPT_LINES)
			text_append(out, "  ");
		if (render_line(line, len, &v, form, out, err) < 0)
			goto out;
		text_append(out, form == VMSCRIPT_FILE ? "\r\n" : "\n");
		line = next;
	}
	if (text_failed(out)) {
		text_append(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	for (int f = 0; f < F_COUNT; f++) {
		text_free(&v.value[f]);
		text_free(&v.script_default[f]);
	}
	return rc;
}

int vmscript_render(const struct vmscript_settings *settings, enum vmscript_form form,
		    struct text *out, struct text *err)
{
	return vmscript_render_template(vmscript_template, settings, form, out, err);
}
