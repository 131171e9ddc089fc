/*
 * config.h - win7gen2.cfg, the payload's settings file
 *
 * The file sits beside win7gen2.efi.  It is plain text, one "key = value"
 * per line, "#" starts a comment, blank lines are ignored.  A line that
 * cannot be understood is reported through the warning callback and
 * otherwise ignored: a typo in the settings must never cost a boot.
 *
 * Plain C without a C library, shared by the payload and the host tests.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_CONFIG_H
#define WIN7GEN2_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_PATH 260          /* bytes including the NUL */
#define CONFIG_MAX_FILE_SIZE (64u * 1024)
#define CONFIG_MAX_TIMEOUT 3600      /* seconds */

enum config_gen2 {
	CONFIG_GEN2_AUTO,  /* CPUID "Microsoft Hv" or Gen2 ACPI OEM IDs */
	CONFIG_GEN2_FORCE, /* fix whatever the machine is */
	CONFIG_GEN2_OFF,   /* never fix, only chainload */
};

/* What the ISO menu does when nobody chooses. */
enum config_mode {
	CONFIG_MODE_INSTALL,  /* unattended install (WinPE reads "install") */
	CONFIG_MODE_RESCUE,   /* repair installed systems ("rescue") */
	CONFIG_MODE_CONTINUE, /* start the original loader, no mode set */
};

struct config {
	enum config_gen2 gen2;
	bool fix_madt;
	bool fix_fadt;
	bool fix_srat;            /* false also when srat_limit = off */
	uint64_t srat_limit;      /* bytes */
	char target[CONFIG_MAX_PATH]; /* "" = default: <own name>.original.efi */
	unsigned verbose;         /* 0 quiet, 1 normal, 2 debug (adds timing) */
	unsigned error_timeout;   /* seconds to show an error before returning */
	bool menu;                /* ISO: offer Install / Rescue / Continue */
	unsigned menu_timeout;    /* seconds until menu_default is taken */
	enum config_mode menu_default;
	bool answer_prompt;       /* press a key for the CD loader's prompt */
	bool wipe_unattended;     /* ISO: Install after the timeout even over a disk that
				   * holds data, and tell Windows PE it may wipe disk 0
				   * (build --wipe-unattended; off by default) */
	bool self_repair;         /* disk: put the wrap back after an update */
	bool boot_entry;          /* disk: keep our own Boot#### first in BootOrder */
};

/* line is 1-based; message is a constant string. */
typedef void (*config_warn_fn)(void *ctx, unsigned line, const char *message);

/* Defaults: gen2 auto, every fix on, SRAT limit ACPI_SRAT_DEFAULT_LIMIT (2 TiB), default target,
 * verbose 1, error_timeout 10, no menu (menu_timeout 10, menu_default
 * install), answer_prompt off, wipe_unattended off, self_repair and boot_entry on: right for
 * a wrapped disk. */
void config_defaults(struct config *config);

/*
 * Apply the settings in text[0..length) on top of *config.  Accepts CRLF
 * or LF line ends and a UTF-8 byte order mark.  Returns the number of
 * lines that were warned about (0 = the whole file was understood).
 *
 * "#" starts a comment at the start of a line or after a space or tab;
 * glued to text ("\dir#1") it is data.  Keys and keywords are
 * case-insensitive; a repeated key: the last good line wins.  A value is
 * stored only if it is valid as a whole.  Warned about and skipped: lines
 * over 1024 bytes, lines with a control character (NUL, lone CR, ...),
 * no "=", empty key or value, unknown key, bad value.  Text beyond
 * CONFIG_MAX_FILE_SIZE is ignored with one warning, including a line the
 * limit cuts; UTF-16 text (FF FE / FE FF) gets one warning and nothing
 * else is read.  warn may be NULL.
 *
 * srat_limit = off sets fix_srat = false; a size only sets srat_limit and
 * never re-enables the fix, so on/off is decided by the last fix_srat or
 * srat_limit = off line.  srat_limit = 0 is refused.  target must start
 * with '\' or '/', be printable ASCII that FAT can store, fit
 * CONFIG_MAX_PATH, have no ".." or empty components; '/' is stored as
 * '\'.  verbose also takes quiet/normal/debug.
 */
unsigned config_parse(struct config *config, const char *text, size_t length,
		      config_warn_fn warn, void *warn_ctx);

/*
 * Parse a size such as "2T", "512G", "4096", "1M" (binary multiples,
 * K M G T P, optional trailing "B"/"iB", case-insensitive).  Returns
 * false on junk or overflow.  Whole decimal numbers only; spaces or tabs
 * may separate number and unit ("2 TiB"), but none may lead or trail.
 * "B" alone means bytes; "KB" is 1024 like "KiB".  0 is a valid size.
 * *bytes is written only on success.
 */
bool config_parse_size(const char *text, size_t length, uint64_t *bytes);

#endif
