/*
 * embedded.h - text files compiled into the builder (builder/embed-text.sh)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_EMBEDDED_H
#define WIN7GEN2_EMBEDDED_H

/* overlay/autounattend.xml: the answer file template. */
extern const char unattend_template[];

/* builder/New-Win7Gen2VM.ps1.in: the Hyper-V VM script and the lines
 * build prints (vmscript.h). */
extern const char vmscript_template[];

#endif
