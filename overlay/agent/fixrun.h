/*
 * fixrun.h - one run of the fix engine through the Win32 backend
 *
 * Plan, show the plan, make the changes, show how they went, leave the
 * outcome in \EFI\win7gen2\status.txt for the payload: the same steps for
 * Windows PE (after Setup, in rescue) and for a Windows host.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_FIXRUN_H
#define WIN7GEN2_AGENT_FIXRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fix.h"
#include "output.h"
#include "win7gen2.h"

#define PAYLOAD_MAX_SIZE WIN7GEN2_LOADER_MAX_SIZE /* win7gen2.h says why */

struct fixrun_request {
	const char *windows_root;    /* "C:\", "D:\mnt\win", ... (UTF-8) */
	const char *esp_root;
	const uint8_t *payload;      /* win7gen2.efi */
	size_t payload_size;
	const char *payload_name;
	bool dry_run;
	enum fix_verbosity verbosity;
	struct fix_disk_layout layout; /* known = false: the backend finds out */
	const char *where;           /* "Windows PE", "Windows host": for the log */
	bool copies_in_temp;         /* hive copies in %TEMP% (backend_win32.h) */
	bool write_status;           /* leave status.txt on the ESP */
	bool esp_by_type;            /* the ESP was found by its partition type, so
				      * status.txt goes there even when the engine
				      * cannot start */
	bool firmware_is_the_vms;    /* Windows PE on the VM: its firmware variables
				      * are the disk's, and the report shows
				      * win7gen2's boot entry (a host's are not) */
	const char *packages_line;   /* the update packages' tally for status.txt
				      * (updates.h), or NULL */
};

struct fixrun_outcome {
	bool planned;                /* the engine could start */
	bool succeeded;              /* everything right at the end (fix_succeeded) */
	bool status_written;
};

void fixrun(const struct fixrun_request *request, struct output *out,
	    struct fixrun_outcome *outcome);

/* Read win7gen2.efi (or any file up to PAYLOAD_MAX_SIZE) whole. */
bool fixrun_read_payload(const char *path, uint8_t **data, size_t *size, char *why,
			 size_t why_size);

/*
 * Write status.txt (and, when record is not NULL, append record to
 * log.txt) on an ESP given by its root, through the backend's atomic
 * writes.  For failures the engine never saw (Windows Setup failed).
 */
bool fixrun_write_esp_report(const char *esp_root, bool ok, const char *const *lines,
			     size_t count, const char *record, struct output *out);

/* Append record to log.txt on that ESP (the same atomic replacement),
 * for what the agent did beside the engine (the Integration Services
 * package). */
bool fixrun_append_esp_log(const char *esp_root, const char *record, struct output *out);

#endif
