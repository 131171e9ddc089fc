/*
 * payload.h - finding and recognizing win7gen2.efi
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PAYLOAD_H
#define WIN7GEN2_PAYLOAD_H

#include <stddef.h>

#include "text.h"

/* Whether a file is the win7gen2 program asked about. */
enum recognized {
	RECOGNIZED,        /* it carries its marker */
	NOT_RECOGNIZED,    /* readable, but another file */
	UNREADABLE,        /* err says why */
};

/*
 * Where win7gen2.efi is when --payload is not given:
 * ../payload/win7gen2.efi from the program's own folder when that exists
 * (run from the build tree), else WIN7GEN2_PAYLOAD_DEFAULT when the
 * build defines it (the installed copy).  malloc'd.
 */
char *payload_default_path(void);

/*
 * The same for the WinPE agent: ../overlay/agent/win7gen2pe.exe from the
 * program's folder, else WIN7GEN2_AGENT_DEFAULT.  malloc'd.
 */
char *agent_default_path(void);

/* Whether path is a Windows program that says it is win7gen2pe.exe (it
 * carries WIN7GEN2_AGENT_MARKER). */
enum recognized agent_recognize(const char *path, struct text *err);

/* The whole of a payload file, refusing one larger than any
 * win7gen2.efi; the data is malloc'd.  -1 with the reason in err. */
int payload_read(const char *path, unsigned char **data, size_t *size, struct text *err);

/*
 * Looks for WIN7GEN2_PAYLOAD_MARKER in a file.  When it is our payload
 * its version (printable ASCII after the marker) goes to version.
 */
enum recognized payload_recognize(const char *path, char *version, size_t version_size,
				  struct text *err);
enum recognized payload_recognize_bytes(const unsigned char *data, size_t size, char *version,
			    size_t version_size);

#endif
