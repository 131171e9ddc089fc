/*
 * wrap_rule.h - what to do with what is found at a loader path: one rule
 *
 * The payload's rescue (payload/wrap.c, in firmware) and the fix engine
 * (fixengine/esp.c: win7gen2 fix, the WinPE agent) both put win7gen2.efi
 * in front of Windows' boot manager.  They read the files, say what they
 * found in a struct wrap_input, and carry out what wrap_decide_esp
 * answers, so both do the same on the same ESP.  The paths are in
 * win7gen2.h.  Per loader (<stem>.efi, its <stem>.original.efi):
 *
 *   <stem>.efi        <stem>.original.efi  action
 *   ----------------  -------------------  -------------------------------
 *   unreadable        any                  REFUSE_UNREADABLE: both left
 *   any               unreadable           REFUSE_UNREADABLE: both left
 *   missing           missing              NONE: nothing to wrap here
 *   missing           loader               RESTORE: the payload back in front
 *   missing           payload, not x64     REFUSE_NO_LOADER
 *   not x64           any                  REFUSE_NOT_X64: left alone
 *   loader            missing              WRAP: loader copied to the
 *                                          original, payload in front
 *   loader            the same loader      RESTORE: the payload back in front
 *   loader            another loader       REWRAP: an update replaced the
 *                                          payload; the original moves to
 *                                          <stem>.original.old.efi (one
 *                                          generation), the newer loader
 *                                          becomes the original
 *   loader            payload, not x64     REPLACE_ORIGINAL: the loader
 *                                          replaces it as the original
 *   payload (given)   any                  RIGHT
 *   payload (newer)   any                  KEEP_NEWER
 *   payload (older,   any                  UPGRADE: the payload given
 *    or another build                      replaces it
 *    of its version)
 *
 * "loader" is any x64 EFI image without our marker: Windows' boot manager,
 * the project's stand-in for it in tests, or another system's loader at
 * the fallback path; "payload" an x64 image with it (efi_image.h).  A
 * file larger than WIN7GEN2_LOADER_MAX_SIZE counts as unreadable.
 *
 * When the payload is in front afterwards, its original must be a loader
 * to start.  One that stays missing is fine if the other loader's
 * original is there (the payload falls back to it); one that holds our
 * payload or junk is a problem a person must solve.
 *
 * Plain C without a C library.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_WRAP_RULE_H
#define WIN7GEN2_WRAP_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "marker.h"

/* \EFI\Microsoft\Boot\bootmgfw.efi, then \EFI\Boot\bootx64.efi. */
#define WRAP_LOADER_COUNT 2

struct wrap_loader {
	const char *dir;  /* WIN7GEN2_BOOTMGFW_DIR: '\' at both ends */
	const char *stem; /* "bootmgfw": the file is stem + WIN7GEN2_LOADER_SUFFIX */
};

/* The loaders in that order (the payload's fallback order too). */
extern const struct wrap_loader wrap_loaders[WRAP_LOADER_COUNT];

/* What one file is, as the rule sees it. */
enum wrap_found {
	WRAP_FOUND_MISSING,    /* no such file */
	WRAP_FOUND_UNREADABLE, /* there, but it could not be read (or is too large) */
	WRAP_FOUND_NOT_X64,    /* read, but not an x64 EFI image */
	WRAP_FOUND_LOADER,     /* an x64 EFI image without our marker */
	WRAP_FOUND_PAYLOAD,    /* an x64 EFI image with our marker: win7gen2.efi */
};

struct wrap_input {
	enum wrap_found loader;   /* <stem>.efi */
	enum wrap_found original; /* <stem>.original.efi */
	/* loader WRAP_FOUND_PAYLOAD: */
	bool loader_is_given;     /* byte for byte the payload being installed */
	char loader_version[MARKER_VERSION_MAX]; /* its version */
	const char *given_version; /* the payload being installed's */
	/* both WRAP_FOUND_LOADER: */
	bool original_is_loader;  /* byte for byte the file at <stem>.efi */
};

/* One file as the caller found it. */
struct wrap_file {
	bool present;        /* false: no such file */
	bool read;           /* present and read whole: data and size are it */
	const uint8_t *data;
	size_t size;
};

/*
 * What the caller read, as the rule sees it: each file identified
 * (efi_image.h) and compared with the other and with the payload being
 * installed.  given_version is kept by pointer: it must outlive in.
 */
void wrap_input_from_files(const struct wrap_file *loader, const struct wrap_file *original,
			   const uint8_t *payload, size_t payload_size,
			   const char *given_version, struct wrap_input *in);

enum wrap_action {
	/* nothing is written */
	WRAP_NONE,              /* neither file: nothing to wrap here */
	WRAP_RIGHT,             /* the payload given is in front already */
	WRAP_KEEP_NEWER,        /* a newer payload is in front: kept */
	WRAP_REFUSE_UNREADABLE, /* a file cannot be read: both left as they are */
	WRAP_REFUSE_NOT_X64,    /* <stem>.efi is not an x64 EFI image: left alone */
	WRAP_REFUSE_NO_LOADER,  /* no <stem>.efi, and the original is no loader */
	/* the payload given goes in front */
	WRAP_WRAP,              /* <stem>.efi -> original, then the payload */
	WRAP_REWRAP,            /* original -> .original.old, <stem>.efi -> original,
				 * then the payload */
	WRAP_REPLACE_ORIGINAL,  /* <stem>.efi over the original, then the payload */
	WRAP_RESTORE,           /* the original stays; the payload at <stem>.efi */
	WRAP_UPGRADE,           /* the original stays; the payload over the older one */
};

/* <stem>.original.efi once the action is done, while the payload is in
 * front (WRAP_ORIGINAL_UNUSED when it is not). */
enum wrap_original {
	WRAP_ORIGINAL_UNUSED,
	WRAP_ORIGINAL_LOADER,     /* a loader to start: kept, or written */
	WRAP_ORIGINAL_FALLBACK,   /* missing; the other loader's is there */
	WRAP_ORIGINAL_MISSING,    /* missing, and no other: a problem */
	WRAP_ORIGINAL_NOT_LOADER, /* our payload or junk: a problem */
};

struct wrap_decision {
	enum wrap_action action;
	enum wrap_original original;
};

/*
 * The rule for one loader alone: a missing original comes out as
 * WRAP_ORIGINAL_MISSING, since only both loaders together tell whether
 * there is one to fall back to.
 */
void wrap_decide(const struct wrap_input *in, struct wrap_decision *out);

/* The rule for an ESP: both loaders, in wrap_loaders' order. */
void wrap_decide_esp(const struct wrap_input in[WRAP_LOADER_COUNT],
		     struct wrap_decision out[WRAP_LOADER_COUNT]);

/* What an action writes. */
bool wrap_writes_payload(enum wrap_action action);
bool wrap_writes_original(enum wrap_action action);
bool wrap_keeps_old_original(enum wrap_action action);

/* The payload is in front once the action is done. */
bool wrap_payload_after(enum wrap_action action);

/* Something a person must put right: a refusal, or a payload in front
 * with no loader to start. */
bool wrap_is_problem(const struct wrap_decision *decision);

/*
 * The action puts back a wrap that was there: a loader is kept as the
 * original already, and the payload is no longer (or never was again)
 * in front of it - WRAP_REWRAP after an update, WRAP_RESTORE.  What the
 * payload does by itself at boot (payload/selfrepair.c): it never wraps
 * a loader for the first time, upgrades or replaces originals; that is
 * for win7gen2 fix, the agent and the ISO's rescue, which a person starts.
 */
bool wrap_restores_wrap(enum wrap_action action);

/*
 * WIN7GEN2_OWN_PATH, the copy of the payload its own boot entry starts:
 * what to do with the file found there (file as wrap_input_from_files
 * takes it).  Our payload byte for byte: nothing; a newer payload: kept,
 * as at a loader path; anything else readable (missing, an older payload
 * or another build, not ours at all: the folder is ours): written; a file
 * that cannot be read: left alone.
 */
enum wrap_copy {
	WRAP_COPY_RIGHT,
	WRAP_COPY_KEEP_NEWER,
	WRAP_COPY_WRITE,
	WRAP_COPY_REFUSE_UNREADABLE,
};

enum wrap_copy wrap_decide_copy(const struct wrap_file *file, const uint8_t *payload,
				size_t payload_size, const char *given_version);

/* "wrapped", "already wrapped", ...: short, for logs and tests. */
const char *wrap_action_text(enum wrap_action action);
const char *wrap_original_text(enum wrap_original original);

#endif
