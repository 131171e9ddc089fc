/*
 * test-vmscript.c - the Hyper-V VM script and the lines build prints
 *
 * No PowerShell here (Debian has none), so the script is held to what can
 * be checked without running it: PowerShell's own rules for single-quoted
 * strings, read back by a small reader written here from the language
 * specification (a quote ends the string unless another follows, and the
 * four typographic single quotes count as quotes); brackets, strings and
 * comments that open and close; param() as the first statement; CRLF and
 * the byte order mark; and the printed lines being the script's commands.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "tap.h"
#include "text.h"
#include "vmscript.h"

#define BOM "\xef\xbb\xbf"
#define RSQUO "\xe2\x80\x99" /* U+2019 */

static const struct vmscript_settings defaults = {
	.vm_name = "WIN7-GEN2",
	.iso_name = "win7-gen2.iso",
};

/* ---- PowerShell's single-quoted strings, read independently ---------- */

/* Length of the single quote at p (ASCII ' or U+2018..U+201B), else 0. */
static size_t quote_at(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (*u == '\'')
		return 1;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9b)
		return 3;
	return 0;
}

/*
 * Reads the single-quoted string that starts at p: its value (malloc()ed)
 * and where it ends, or NULL when p is no closed string on one line.
 */
static char *read_single_quoted(const char *p, const char **end)
{
	struct text value = TEXT_INIT;
	size_t q = quote_at(p);

	if (!q)
		return NULL;
	p += q;
	for (;;) {
		if (!*p || *p == '\n' || *p == '\r') {
			text_free(&value);
			return NULL;
		}
		q = quote_at(p);
		if (q) {
			size_t q2 = quote_at(p + q);

			if (!q2)
				break;
			/* Two quotes: the second one, literally. */
			text_append_bytes(&value, p + q, q2);
			p += q + q2;
			continue;
		}
		text_append_bytes(&value, p, 1);
		p++;
	}
	if (end)
		*end = p + q;
	return text_take(&value, NULL);
}

static char *quoted(const char *value, int *rc, char **error)
{
	struct text out = TEXT_INIT, err = TEXT_INIT;
	char *text;

	*rc = vmscript_quote(&out, value, "the VM name", &err);
	text = text_take(&out, NULL);
	*error = text_take(&err, NULL);
	return text;
}

/* value quoted, then read back: the same value, and the string is all of it. */
static void check_round_trip(const char *value, const char *want, const char *name)
{
	int rc;
	char *error, *text = quoted(value, &rc, &error);
	const char *end = NULL;
	char *back = rc == 0 ? read_single_quoted(text, &end) : NULL;

	if (want)
		tap_is_str(text, want, "quote %s", name);
	tap_ok(rc == 0 && back && strcmp(back, value) == 0 && end && *end == '\0',
	       "%s reads back as itself, one string", name);
	free(back);
	free(text);
	free(error);
}

static void check_refused(const char *value, const char *what_in_error, const char *name)
{
	int rc;
	char *error, *text = quoted(value, &rc, &error);

	tap_ok(rc < 0 && text && !*text, "refused, nothing written: %s", name);
	tap_ok(error && strstr(error, "the VM name") && strstr(error, what_in_error),
	       "the error names the value and says \"%s\"", what_in_error);
	if (error)
		tap_diag("%s", error);
	free(text);
	free(error);
}

static void test_quote(void)
{
	check_round_trip("WIN7-GEN2", "'WIN7-GEN2'", "a plain name");
	check_round_trip("O'Brien", "'O''Brien'", "O'Brien");
	check_round_trip("a" RSQUO "b", "'a" RSQUO RSQUO "b'", "a U+2019 b");
	check_round_trip("\xe2\x80\x98x\xe2\x80\x9ay\xe2\x80\x9b", "'\xe2\x80\x98\xe2\x80\x98x"
			 "\xe2\x80\x9a\xe2\x80\x9ay\xe2\x80\x9b\xe2\x80\x9b'", "U+2018, U+201A, U+201B");
	check_round_trip("$(calc)`n$env:TEMP", "'$(calc)`n$env:TEMP'",
			 "$(calc), a backtick and a variable stay literal");
	check_round_trip("say \"hi\"", "'say \"hi\"'", "double quotes");
	check_round_trip("''", "''''''", "two quotes");
	check_round_trip("", "''", "empty");
	check_round_trip("x'; Remove-Item C:\\ -Recurse; '$(calc)", NULL, "an injection attempt");
	check_round_trip("\xc3\x9c" "berpr\xc3\xbc" "fung \xe6\xb5\x8b\xe8\xaf\x95", NULL,
			 "non-ASCII letters");
	/* Two different quotes in a row: PowerShell keeps the second, so each
	 * is doubled by itself, never paired with its neighbour. */
	check_round_trip("'" RSQUO, "'''" RSQUO RSQUO "'", "' then U+2019");

	check_refused("a\nb", "line break", "a newline");
	check_refused("a\r", "line break", "a carriage return");
	check_refused("a\tb", "tab", "a tab");
	check_refused("a\x01", "control character", "U+0001");
	check_refused("a\x7f", "control character", "DEL");
	check_refused("a\xc2\x85", "line break", "NEL (U+0085)");
	check_refused("a\xc2\x9b", "control character", "CSI (U+009B)");
	check_refused("a\xe2\x80\xa8", "line break", "U+2028");
	check_refused("a\xff", "not UTF-8", "a byte that is no UTF-8");
	check_refused("a\xc0\xaf", "not UTF-8", "an overlong sequence");
	check_refused("a\xe2\x80", "not UTF-8", "a cut sequence");
	check_refused("a\xed\xa0\x80", "not UTF-8", "a surrogate");

	{
		int rc;
		char *error, *text = quoted("a\nb", &rc, &error);

		tap_ok(error && strstr(error, "\"a\\nb\""), "the value is shown escaped: %s",
		       error ? error : "(none)");
		free(text);
		free(error);
	}
}

/* ---- rendering -------------------------------------------------------- */

static char *render(const struct vmscript_settings *settings, enum vmscript_form form,
		    char **error)
{
	struct text out = TEXT_INIT, err = TEXT_INIT;
	char *text = NULL;

	if (vmscript_render(settings, form, &out, &err) == 0)
		text = text_take(&out, NULL);
	if (error)
		*error = text_take(&err, NULL);
	else if (!text)
		tap_diag("render: %s", text_string(&err));
	text_free(&out);
	text_free(&err);
	return text;
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The line holding what (without its line end), malloc()ed, or NULL. */
static char *line_with(const char *text, const char *what)
{
	const char *hit = strstr(text, what), *start, *end;
	char *line;

	if (!hit)
		return NULL;
	for (start = hit; start > text && start[-1] != '\n'; start--)
		;
	end = start + strcspn(start, "\r\n");
	line = malloc((size_t)(end - start) + 1);
	if (line) {
		memcpy(line, start, (size_t)(end - start));
		line[end - start] = '\0';
	}
	return line;
}

/*
 * The script's shape, as PowerShell's tokenizer would see it: brackets
 * (, [, { closed in order outside strings and comments, every string
 * closed on its line, <# #> closed, ` escaping the next character.  NULL
 * when it holds, else what is wrong.
 */
static const char *check_structure(const char *s)
{
	char stack[64];
	size_t depth = 0;

	for (const char *p = s; *p;) {
		size_t q = quote_at(p);

		if (q) {
			const char *end;
			char *value = read_single_quoted(p, &end);

			if (!value)
				return "a single-quoted string is not closed on its line";
			free(value);
			p = end;
		} else if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (!*p || *p == '\n')
					return "a double-quoted string is not closed on its line";
				if (*p == '`' && p[1])
					p++;
			}
			p++;
		} else if (p[0] == '<' && p[1] == '#') {
			const char *end = strstr(p + 2, "#>");

			if (!end)
				return "a <# comment is not closed";
			p = end + 2;
		} else if (*p == '#') {
			p += strcspn(p, "\n");
		} else if (*p == '`') {
			p += p[1] ? 2 : 1;
		} else if (*p == '(' || *p == '[' || *p == '{') {
			if (depth == sizeof(stack))
				return "brackets nest too deep";
			stack[depth++] = *p++;
		} else if (*p == ')' || *p == ']' || *p == '}') {
			char open = *p == ')' ? '(' : *p == ']' ? '[' : '{';

			if (depth == 0 || stack[--depth] != open)
				return "a bracket closes what it did not open";
			p++;
		} else {
			p++;
		}
	}
	return depth ? "a bracket is left open" : NULL;
}

/* After the byte order mark, comments and blank lines: the first code. */
static const char *first_code(const char *s)
{
	if (strncmp(s, BOM, 3) == 0)
		s += 3;
	for (;;) {
		s += strspn(s, " \t\r\n");
		if (s[0] == '<' && s[1] == '#') {
			const char *end = strstr(s, "#>");

			if (!end)
				return s;
			s = end + 2;
		} else if (*s == '#') {
			s += strcspn(s, "\n");
		} else {
			return s;
		}
	}
}

/*
 * A command line's shape: the cmdlet (after "$var = ") and its -Parameter
 * names in order, values left out.  "New-VM -Name -Generation ...".
 */
static void signature(const char *line, size_t len, char *out, size_t size)
{
	const char *p = line, *end = line + len;
	size_t n = 0;

	out[0] = '\0';
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '$') {
		const char *eq = memchr(p, '=', (size_t)(end - p));

		if (eq && eq[1] == ' ')
			p = eq + 2;
	}
	for (bool first = true; p < end;) {
		const char *word = p;

		if (quote_at(p)) {
			const char *after;
			char *value = read_single_quoted(p, &after);

			free(value);
			p = value ? after : end;
			continue;
		}
		while (p < end && *p != ' ')
			p++;
		if ((first || *word == '-') && n + (size_t)(p - word) + 2 < size) {
			n += (size_t)snprintf(out + n, size - n, "%s%.*s", n ? " " : "",
					      (int)(p - word), word);
		}
		first = false;
		while (p < end && *p == ' ')
			p++;
	}
}

/* A command that makes or changes a VM: New-VM, Set-VMComPort, ... (not
 * Get-VM and other reads). */
static bool is_vm_change(const char *line, size_t len)
{
	static const char *const verbs[] = { "New-VM", "Set-VM", "Add-VM", "Start-VM", "Stop-VM",
					     "Remove-VM", "Connect-VM", "Enable-VM", "Disable-VM" };
	char sig[256];

	signature(line, len, sig, sizeof(sig));
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncmp(sig, verbs[i], strlen(verbs[i])) == 0)
			return true;
	return false;
}

static void test_script(void)
{
	char *text = render(&defaults, VMSCRIPT_FILE, NULL), *line;
	bool crlf = true;
	const char *why;

	tap_ok(text != NULL, "the script renders");
	if (!text)
		return;
	tap_ok(strncmp(text, BOM, 3) == 0, "it starts with a UTF-8 byte order mark");
	for (const char *p = text; *p; p++)
		if ((*p == '\n' && (p == text || p[-1] != '\r')) || (*p == '\r' && p[1] != '\n'))
			crlf = false;
	tap_ok(crlf, "CRLF line ends, and no other");
	tap_ok(text[strlen(text) - 1] == '\n', "it ends with a line end");
	tap_ok(!strstr(text, "#%"), "none of the template's own comments");
	tap_ok(!strstr(text, "\n+"), "no \"+\" markers");
	why = check_structure(text);
	tap_ok(!why, "brackets, strings and comments close: %s", why ? why : "yes");
	tap_ok(strncmp(first_code(text), "#Requires -RunAsAdministrator", 29) == 0 ||
	       strncmp(first_code(text), "[CmdletBinding()]\r\nparam(", 25) == 0,
	       "only help and comments come before the code");
	tap_ok(strstr(text, "#Requires -RunAsAdministrator\r\n[CmdletBinding()]\r\nparam(\r\n"),
	       "#Requires, then param() as the first statement");
	tap_ok(strstr(text, "Set-StrictMode -Version") && strstr(text, "$ErrorActionPreference = 'Stop'"),
	       "strict mode, and errors stop it");

	tap_ok(strstr(text, "    [string]$Name = 'WIN7-GEN2',\r\n") != NULL, "default: the VM name");
	tap_ok(strstr(text, "    [string]$IsoPath = 'C:\\ISO\\win7-gen2.iso',\r\n") != NULL,
	       "default: the ISO in C:\\ISO");
	tap_ok(strstr(text, "    [long]$MemoryStartupBytes = 2GB,\r\n") != NULL, "default: 2GB");
	tap_ok(strstr(text, "    [string]$VhdPath = ($Name + '.vhdx'),\r\n") != NULL,
	       "default: the disk named after -Name");
	tap_ok(strstr(text, "    [uint64]$VhdSizeBytes = 64GB,\r\n") != NULL, "default: 64GB");
	tap_ok(strstr(text, "    [string]$SwitchName = '',\r\n") != NULL, "default: no switch named");
	tap_ok(strstr(text, "    [string]$PipePath = ('\\\\.\\pipe\\' + $Name + '-com1'),\r\n") != NULL,
	       "default: the pipe named after -Name");

	tap_is_u64(count(text, "Set-VMProcessor"), 1, "Set-VMProcessor once");
	line = line_with(text, "Set-VMProcessor");
	tap_is_str(line, "Set-VMProcessor -VM $vm -Count 1", "one virtual processor");
	free(line);
	tap_ok(strstr(text, "the only public proof of Windows 7 SP1 x64 on\r\n"
		       "# Generation 2 shows one; more than one is unproven.\r\n"
		       "Set-VMProcessor") != NULL, "the reason stands above it");
	line = line_with(text, "Set-VMComPort");
	tap_is_str(line, "Set-VMComPort -VM $vm -Number 1 -Path $PipePath", "COM1 on the pipe");
	free(line);
	line = line_with(text, "-NewVHDPath ");
	tap_is_str(line, "$vm = New-VM -Name $Name -Generation 2 -MemoryStartupBytes "
		   "$MemoryStartupBytes -NewVHDPath $VhdPath -NewVHDSizeBytes $VhdSizeBytes "
		   "@switchArg", "New-VM: Generation 2, the switch splatted");
	free(line);
	tap_ok(strstr(text, "$dvd = Add-VMDvdDrive -VM $vm -Path $IsoPath -Passthru\r\n") != NULL,
	       "the ISO in a DVD drive");
	tap_ok(strstr(text, "Set-VMFirmware -VM $vm -EnableSecureBoot Off -FirstBootDevice $dvd\r\n")
	       != NULL, "Secure Boot off, the DVD first");
	tap_ok(strstr(text, "Start-VM -VM $vm\r\n") != NULL, "started");
	tap_ok(strstr(text, "System.IO.Pipes.NamedPipeClientStream -ArgumentList '.', $pipeName, "
		       "([System.IO.Pipes.PipeDirection]::In)") != NULL,
	       "COM1 read through NamedPipeClientStream, inbound");
	tap_ok(strstr(text, "PuTTY") != NULL, "PuTTY mentioned");
	tap_ok(strstr(text, "Get-VMSwitch | Select-Object -First 1") != NULL,
	       "no switch given: the host's first");
	tap_ok(strstr(text, "byte order mark") && strstr(text, "ANSI code page"),
	       "the script says why it has a byte order mark");
	free(text);
}

/* Each printed line is one of the script's commands, in the script's order. */
static void test_same_template(const struct vmscript_settings *settings, const char *name)
{
	char *lines = render(settings, VMSCRIPT_LINES, NULL);
	char *script = render(settings, VMSCRIPT_FILE, NULL);
	const char *from = script;
	size_t printed = 0, matched = 0, script_cmdlets = 0;

	if (!lines || !script) {
		tap_ok(false, "%s: both forms render", name);
		free(lines);
		free(script);
		return;
	}
	for (const char *p = lines; *p;) {
		size_t len = strcspn(p, "\n");
		char want[256], got[256];

		printed++;
		signature(p, len, want, sizeof(want));
		for (const char *q = from; *q;) {
			size_t qlen = strcspn(q, "\r\n");

			signature(q, qlen, got, sizeof(got));
			q += qlen;
			q += strspn(q, "\r\n");
			if (strcmp(want, got) == 0) {
				matched++;
				from = q;
				break;
			}
		}
		p += len + (p[len] == '\n');
	}
	for (const char *q = script; *q;) {
		size_t qlen = strcspn(q, "\r\n");

		/* -ConvertVhd's own commands are indented; the short form
		 * makes a new VM only. */
		if (*q != ' ' && is_vm_change(q, qlen))
			script_cmdlets++;
		q += qlen;
		q += strspn(q, "\r\n");
	}
	tap_is_u64(printed, 6, "%s: six printed lines", name);
	tap_is_u64(matched, printed, "%s: each is a command of the script, in its order", name);
	tap_is_u64(script_cmdlets, printed, "%s: and the script changes the VM with no other command",
		   name);
	free(lines);
	free(script);
}

/* The offset of what in text, or SIZE_MAX when it is not there. */
static size_t offset_of(const char *text, const char *what)
{
	const char *hit = strstr(text, what);

	return hit ? (size_t)(hit - text) : SIZE_MAX;
}

/*
 * -ConvertVhd: a Gen2 VM on an existing Generation 1 VHDX, checked
 * before anything is made, booting the ISO with the disk first and
 * Secure Boot off, and the script tells the user what to pick.
 */
static void test_convert(void)
{
	char *text = render(&defaults, VMSCRIPT_FILE, NULL);
	char *lines = render(&defaults, VMSCRIPT_LINES, NULL);
	char *line;
	size_t first_change;

	if (!text || !lines) {
		tap_ok(false, "-ConvertVhd: both forms render");
		free(text);
		free(lines);
		return;
	}
	tap_ok(strstr(text, "    [string]$ConvertVhd = '',\r\n") != NULL,
	       "-ConvertVhd: a parameter, empty by default");
	line = line_with(text, "-VHDPath $ConvertVhd");
	tap_is_str(line, "    $vm = New-VM -Name $Name -Generation 2 -MemoryStartupBytes "
		   "$MemoryStartupBytes -VHDPath $ConvertVhd @switchArg",
		   "-ConvertVhd: a Generation 2 VM with the old disk as its first disk");
	free(line);
	tap_ok(strstr(text, "if ($ConvertVhd) {\r\n    $vm = New-VM") &&
	       strstr(text, "} else {\r\n$vm = New-VM") && strstr(text, "-NewVHDSizeBytes $VhdSizeBytes @switchArg\r\n}\r\n"),
	       "-ConvertVhd: instead of the new disk, not beside it");
	/* The DVD, Secure Boot and Start-VM lines stand outside the branch. */
	tap_ok(offset_of(text, "-VHDPath $ConvertVhd") <
		       offset_of(text, "\n$dvd = Add-VMDvdDrive -VM $vm -Path $IsoPath -Passthru\r\n") &&
	       offset_of(text, "\nSet-VMFirmware -VM $vm -EnableSecureBoot Off -FirstBootDevice $dvd\r\n")
		       != SIZE_MAX,
	       "-ConvertVhd: the DVD after the disk, Secure Boot off, the DVD boots");

	/* Everything is checked before anything is made. */
	first_change = offset_of(text, "New-VM -Name");
	tap_ok(offset_of(text, "Test-Path -LiteralPath $ConvertVhd -PathType Leaf") < first_change,
	       "-ConvertVhd: a missing file is refused first");
	tap_ok(offset_of(text, "GetExtension($ConvertVhd) -ne '.vhdx'") < first_change &&
	       strstr(text, "Generation 2 VMs take VHDX only: Convert-VHD"),
	       "-ConvertVhd: a VHD is refused, saying how to make a VHDX");
	tap_ok(offset_of(text, "(Get-VHD -Path $ConvertVhd).Attached") < first_change &&
	       strstr(text, "Dismount-VHD -Path"),
	       "-ConvertVhd: a disk mounted on the host is refused");
	tap_ok(offset_of(text, "(Get-VM -Id $drive.VMId).State -ne 'Off'") < first_change &&
	       strstr(text, "and is not off: shut it down"),
	       "-ConvertVhd: a disk a VM that is not off uses is refused");
	tap_ok(offset_of(text, "has checkpoints on {1}") < first_change,
	       "-ConvertVhd: a disk under a checkpoint is refused");
	tap_ok(offset_of(text, "leave out -VhdPath and -VhdSizeBytes") < first_change,
	       "-ConvertVhd with -VhdPath or -VhdSizeBytes is refused");

	tap_ok(count(text, "\"Convert a Generation 1 disk\"") == 2,
	       "the help and the message after Start-VM name the menu entry");
	tap_ok(strstr(text, "Set-VMDvdDrive -VMName") != NULL,
	       "and say how to take the ISO out once converted");
	tap_ok(!strstr(lines, "ConvertVhd") && !strstr(lines, "-VHDPath "),
	       "the short form build prints makes a new VM only");
	free(text);
	free(lines);
}

static void test_lines(void)
{
	struct vmscript_settings settings = defaults;
	char *text = render(&settings, VMSCRIPT_LINES, NULL);
	bool indented = true;

	tap_ok(text != NULL, "the short form renders");
	if (!text)
		return;
	tap_ok(!strchr(text, '\r') && strncmp(text, BOM, 3) != 0, "plain text for the terminal");
	for (const char *p = text; *p; p += strcspn(p, "\n") + 1)
		if (strncmp(p, "  ", 2) != 0 || p[2] == ' ')
			indented = false;
	tap_ok(indented, "each line indented by two spaces");
	tap_is_str(text,
		   "  $vm = New-VM -Name 'WIN7-GEN2' -Generation 2 -MemoryStartupBytes 2GB "
		   "-NewVHDPath 'WIN7-GEN2.vhdx' -NewVHDSizeBytes 64GB\n"
		   "  Set-VMProcessor -VM $vm -Count 1\n"
		   "  Set-VMComPort -VM $vm -Number 1 -Path '\\\\.\\pipe\\WIN7-GEN2-com1'\n"
		   "  $dvd = Add-VMDvdDrive -VM $vm -Path 'C:\\ISO\\win7-gen2.iso' -Passthru\n"
		   "  Set-VMFirmware -VM $vm -EnableSecureBoot Off -FirstBootDevice $dvd\n"
		   "  Start-VM -VM $vm\n",
		   "the printed lines, no -SwitchName without a switch");
	tap_ok(check_structure(text) == NULL, "their brackets and strings close");
	free(text);

	settings.switch_name = "LAN 1";
	settings.iso_path = "D:\\Images\\w7.iso";
	settings.vhd_path = "D:\\VMs\\w7.vhdx";
	settings.pipe_name = "w7serial";
	settings.memory_bytes = UINT64_C(1536) << 20;
	settings.disk_bytes = (UINT64_C(40) << 30) + 4096;
	text = render(&settings, VMSCRIPT_LINES, NULL);
	tap_ok(text && strstr(text, "-NewVHDSizeBytes 42949677056 -SwitchName 'LAN 1'\n"),
	       "a switch given: -SwitchName on New-VM");
	tap_ok(text && strstr(text, "-MemoryStartupBytes 1536MB "), "1536MB");
	tap_ok(text && strstr(text, "-Path '\\\\.\\pipe\\w7serial'\n"), "the pipe as given");
	tap_ok(text && strstr(text, "-Path 'D:\\Images\\w7.iso' -Passthru"), "the ISO path as given");
	free(text);
	text = render(&settings, VMSCRIPT_FILE, NULL);
	tap_ok(text && strstr(text, "    [string]$SwitchName = 'LAN 1',\r\n"), "script: the switch");
	tap_ok(text && strstr(text, "    [string]$VhdPath = 'D:\\VMs\\w7.vhdx',\r\n"),
	       "script: the disk as given");
	tap_ok(text && strstr(text, "    [string]$PipePath = '\\\\.\\pipe\\w7serial',\r\n"),
	       "script: the pipe as given");
	tap_ok(text && strstr(text, "    [long]$MemoryStartupBytes = 1536MB,\r\n"),
	       "script: the memory");
	free(text);

	test_same_template(&defaults, "defaults");
	settings.switch_name = NULL;
	test_same_template(&settings, "every setting given");
}

/* A name made to break out of its quotes stays one string in both forms. */
static void test_hostile_name(void)
{
	static const char name[] = "x'; Start-Process calc; '$(calc)`" RSQUO "\xc3\x9c";
	struct vmscript_settings settings = defaults;
	char *script, *lines, *value, *line;
	const char *at, *end = NULL;

	settings.vm_name = name;
	script = render(&settings, VMSCRIPT_FILE, NULL);
	lines = render(&settings, VMSCRIPT_LINES, NULL);
	if (!script || !lines) {
		tap_ok(false, "a hostile name renders");
		free(script);
		free(lines);
		return;
	}
	at = strstr(script, "[string]$Name = ");
	value = at ? read_single_quoted(at + 16, &end) : NULL;
	tap_is_str(value, name, "script: the default reads back as the name");
	tap_ok(end && strncmp(end, ",\r\n", 3) == 0, "and nothing follows it on its line");
	free(value);
	tap_ok(check_structure(script) == NULL, "the script's structure holds");

	at = strstr(lines, "-Name ");
	value = at ? read_single_quoted(at + 6, &end) : NULL;
	tap_is_str(value, name, "short form: -Name reads back as the name");
	tap_ok(end && strncmp(end, " -Generation 2", 14) == 0, "and the command goes on after it");
	free(value);
	at = strstr(lines, "-NewVHDPath ");
	value = at ? read_single_quoted(at + 12, NULL) : NULL;
	line = malloc(sizeof(name) + 5);
	if (line)
		strcat(strcpy(line, name), ".vhdx");
	tap_is_str(value, line, "short form: the disk named after it");
	free(value);
	free(line);
	tap_ok(check_structure(lines) == NULL, "the short form's structure holds");
	free(script);
	free(lines);
}

/* settings are refused in form, with an error that holds needle. */
static void expect_refused(const struct vmscript_settings *settings, enum vmscript_form form,
			   const char *needle, const char *what)
{
	char *error = NULL, *text = render(settings, form, &error);

	tap_ok(!text && error && strstr(error, needle), "%s: %s", what, error ? error : "(none)");
	free(text);
	free(error);
}

static void test_errors(void)
{
	struct vmscript_settings settings = defaults;
	struct text out = TEXT_INIT, err = TEXT_INIT;

	settings.vm_name = "a\nb";
	expect_refused(&settings, VMSCRIPT_LINES, "the VM name \"a\\nb\" has a line break",
		       "a newline in the VM name");
	settings = defaults;
	settings.vm_name = NULL;
	expect_refused(&settings, VMSCRIPT_FILE, "name", "no VM name");
	settings = defaults;
	settings.iso_name = NULL;
	expect_refused(&settings, VMSCRIPT_FILE, "ISO", "no ISO");
	settings = defaults;
	settings.iso_name = "x\ty.iso";
	expect_refused(&settings, VMSCRIPT_FILE, "the ISO's path", "a tab in the ISO name");
	settings = defaults;
	settings.switch_name = "LAN\r";
	expect_refused(&settings, VMSCRIPT_FILE, "switch", "a CR in the switch name");
	settings = defaults;
	settings.memory_bytes = (UINT64_C(2) << 30) + (1 << 20);
	expect_refused(&settings, VMSCRIPT_FILE, "2 MiB", "memory not in 2 MiB steps");
	settings = defaults;
	settings.pipe_name = "a\\b";
	expect_refused(&settings, VMSCRIPT_FILE, "backslash", "a backslash in the pipe name");

	tap_ok(vmscript_render_template("x @NOPE@\n", &defaults, VMSCRIPT_FILE, &out, &err) < 0 &&
	       strstr(text_string(&err), "@NOPE@"), "an unknown field is an error naming it");
	text_reset(&out);
	text_reset(&err);
	tap_ok(vmscript_render_template("x @SWITCH_ARG@\n", &defaults, VMSCRIPT_FILE, &out,
					&err) < 0, "@SWITCH_ARG@ has no default");
	text_reset(&out);
	text_reset(&err);
	tap_ok(vmscript_render_template("$a = @{}; f @switchArg @x@ me@host @$ @@\n", &defaults,
					VMSCRIPT_FILE, &out, &err) == 0 &&
	       strcmp(text_string(&out), BOM "$a = @{}; f @switchArg @x@ me@host @$ @@\r\n") == 0,
	       "an at-sign that starts no field stays as it is");
	text_reset(&out);
	tap_ok(vmscript_render_template("#% gone\n+one @$NAME@\r\ntwo @NAME@\n", &defaults,
					VMSCRIPT_LINES, &out, &err) == 0 &&
	       strcmp(text_string(&out), "  one 'WIN7-GEN2'\n") == 0,
	       "the short form: \"+\" lines only, CRLF in the template too");
	text_reset(&out);
	tap_ok(vmscript_render_template("#% gone\n+one @$NAME@\ntwo @NAME@", &defaults,
					VMSCRIPT_FILE, &out, &err) == 0 &&
	       strcmp(text_string(&out), BOM "one $Name\r\ntwo 'WIN7-GEN2'\r\n") == 0,
	       "the script: every line but \"#%%\" ones");
	text_free(&out);
	text_free(&err);
}

static void test_template_text(void)
{
	bool ascii = true;

	for (const unsigned char *p = (const unsigned char *)vmscript_template; *p; p++)
		if (*p >= 0x80 || (*p < 0x20 && *p != '\n'))
			ascii = false;
	tap_ok(ascii, "the template is ASCII, LF");
	tap_ok(!strstr(vmscript_template, "??"), "no trigraphs for the embedded C string");
}

int main(void)
{
	test_quote();
	test_script();
	test_lines();
	test_convert();
	test_hostile_name();
	test_errors();
	test_template_text();
	return tap_done();
}
