/*
 * vmscript.h - the PowerShell that makes the Hyper-V VM for a built ISO
 *
 * One template, builder/New-Win7Gen2VM.ps1.in (compiled in, embedded.h),
 * gives both the lines `win7gen2 build` prints at its end and the whole
 * script a user runs as administrator on the Hyper-V host: a Generation 2
 * VM with one virtual processor, Secure Boot off, the ISO as first boot
 * device and COM1 on a named pipe, started, and its COM1 read to the
 * console.  Every value goes into a PowerShell single-quoted string
 * (vmscript_quote), so nothing in it is run.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_VMSCRIPT_H
#define WIN7GEN2_VMSCRIPT_H

#include <stdint.h>

#include "text.h"

/* What a user calls the script (build may name its copy otherwise). */
#define VMSCRIPT_FILE_NAME "New-Win7Gen2VM.ps1"

#define VMSCRIPT_ISO_DIR "C:\\ISO"
#define VMSCRIPT_MEMORY_DEFAULT (UINT64_C(2) << 30)    /* 2GB */
#define VMSCRIPT_DISK_DEFAULT (UINT64_C(64) << 30)     /* 64GB */

struct vmscript_settings {
	const char *vm_name;     /* Hyper-V's name for the VM; required */
	const char *iso_name;    /* the ISO's file name, for the default iso_path */
	const char *iso_path;    /* where the ISO is on the host; NULL: C:\ISO\<iso_name> */
	const char *vhd_path;    /* NULL: "<vm_name>.vhdx", in the host's default folder */
	const char *pipe_name;   /* COM1's pipe \\.\pipe\<pipe_name>; NULL: "<vm_name>-com1" */
	const char *switch_name; /* NULL: the short form has no -SwitchName and the
				  * script takes the host's first switch, if any */
	uint64_t memory_bytes;   /* 0: VMSCRIPT_MEMORY_DEFAULT; a multiple of 2 MiB */
	uint64_t disk_bytes;     /* 0: VMSCRIPT_DISK_DEFAULT */
};

enum vmscript_form {
	/* The commands alone, as build prints them: each line indented by two
	 * spaces and ended by "\n", values written out, to paste into one
	 * PowerShell session. */
	VMSCRIPT_LINES,
	/* The whole .ps1: a UTF-8 byte order mark, CRLF line ends, the values
	 * as its param() defaults. */
	VMSCRIPT_FILE,
};

/*
 * Appends the form of the built-in template with the settings.  0, or -1
 * with err naming the setting that cannot go into a script (out may then
 * hold part of the text).
 */
int vmscript_render(const struct vmscript_settings *settings, enum vmscript_form form,
		    struct text *out, struct text *err);

/* The same from another template (tests). */
int vmscript_render_template(const char *template_text,
			     const struct vmscript_settings *settings,
			     enum vmscript_form form, struct text *out, struct text *err);

/*
 * Appends value as a PowerShell single-quoted string: ' and the quotes
 * PowerShell takes for it (U+2018, U+2019, U+201A, U+201B) doubled, all
 * else literal ($, `, ").  A value that is not UTF-8 or has a control
 * character (line breaks included) is refused: -1, out untouched, and err
 * says what is wrong with it, naming it by what ("the VM name").
 */
int vmscript_quote(struct text *out, const char *value, const char *what, struct text *err);

#endif
