/*
 * backend.h - what the fix engine needs from the system it runs on
 *
 * The engine (the .c files in fixengine/) is portable C11: it decides what to change
 * and checks the result, but never touches a file or a registry hive
 * itself.  A backend does that:
 *
 *   fixengine/posix/   Linux host: POSIX files + hivex (win7gen2 fix, tests)
 *   overlay/agent/backend_win32*.c   Windows PE or a Windows host: Win32
 *                      file APIs and RegLoadKey/RegSaveKeyEx on a copy of
 *                      the hive (win7gen2pe.exe)
 *
 * Conventions every operation follows:
 *
 * - A file is named by its volume and a path relative to the volume's
 *   root, with '\' between components and no leading '\':
 *   "EFI\\Microsoft\\Boot\\bootmgfw.efi".  The backend resolves each
 *   component case-insensitively (FAT and NTFS are case-insensitive; a
 *   Linux mount may show EFI/Microsoft or efi/microsoft), and must never
 *   follow a link out of the volume or write outside it.
 * - A registry key is a path relative to the hive's root, '\'-separated:
 *   "ControlSet001\\Services\\vmbus".  Key and value names compare
 *   case-insensitively, as in Windows.
 * - Every operation returns FIX_OK, FIX_NOT_FOUND (only where documented)
 *   or FIX_ERROR.  On FIX_ERROR the backend fills err->message with one
 *   line that names the file and says what went wrong ("/mnt/esp/EFI/Boot:
 *   Read-only file system"); the engine adds what it was trying to do.
 * - Memory handed to the engine (struct fix_bytes, struct fix_reg_value)
 *   comes from malloc(); the engine releases it with free().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_BACKEND_H
#define WIN7GEN2_FIX_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fix_volume {
	FIX_VOLUME_WINDOWS, /* the volume holding \Windows */
	FIX_VOLUME_ESP,     /* the EFI system partition */
};

enum fix_status {
	FIX_OK = 0,
	FIX_NOT_FOUND = 1,
	FIX_ERROR = -1,
};

#define FIX_ERROR_MAX 512

struct fix_error {
	char message[FIX_ERROR_MAX];
};

struct fix_bytes {
	uint8_t *data; /* malloc()ed; may be NULL when size is 0 */
	size_t size;
};

/* Registry value types, as Windows numbers them. */
enum {
	FIX_REG_SZ = 1,
	FIX_REG_EXPAND_SZ = 2,
	FIX_REG_BINARY = 3,
	FIX_REG_DWORD = 4,
	FIX_REG_MULTI_SZ = 7,
};

struct fix_reg_value {
	uint32_t type;
	uint8_t *data; /* raw bytes as stored (strings: UTF-16LE); malloc()ed */
	size_t size;
};

/* How the disk is laid out, when the backend can tell: the partition
 * numbers Windows' ARC names use (see arcname.h). */
struct fix_disk_layout {
	bool known;                 /* false: the fields below mean nothing */
	unsigned esp_partition;     /* 1-based */
	unsigned windows_partition; /* 1-based, same disk as the ESP */
	char how[160];              /* how it was found, or why it is unknown */
};

/* An open hive; each backend defines the struct. */
struct fix_hive;

/* Called once per subkey name (UTF-8); return false to stop early. */
typedef bool (*fix_name_fn)(void *ctx, const char *name);

enum fix_write_mode {
	FIX_WRITE_REPLACE, /* atomically replace the file if it exists */
	FIX_WRITE_NEW,     /* fail if the file exists */
};

struct fix_backend {
	/*
	 * Files.
	 *
	 * read_file: the whole file, refusing (FIX_ERROR) files larger than
	 * max bytes.  FIX_NOT_FOUND when the file or a directory on the way
	 * does not exist.
	 */
	enum fix_status (*read_file)(void *ctx, enum fix_volume volume, const char *path,
				     size_t max, struct fix_bytes *out, struct fix_error *err);

	/*
	 * write_file: the new content reaches the disk under a temporary name
	 * in the same directory, is flushed, and only then takes the final
	 * name with one rename: a crash leaves the old file or the new one,
	 * never a mix.  Missing directories on the way are created.  When a
	 * file with a differently-cased name exists, that file is replaced
	 * (FAT would see one file, so must we).
	 */
	enum fix_status (*write_file)(void *ctx, enum fix_volume volume, const char *path,
				      const void *data, size_t size, enum fix_write_mode mode,
				      struct fix_error *err);

	/* file_exists: FIX_OK if a regular file is there, FIX_NOT_FOUND if
	 * nothing is (a directory or a link there is FIX_ERROR). */
	enum fix_status (*file_exists)(void *ctx, enum fix_volume volume, const char *path,
				       struct fix_error *err);

	/* rename_file: one atomic rename in the same directory; replaces to. */
	enum fix_status (*rename_file)(void *ctx, enum fix_volume volume, const char *from,
				       const char *to, struct fix_error *err);

	/* How a file is shown to the user, e.g. "/mnt/esp/EFI/Boot/bootx64.efi"
	 * or "S:\EFI\Boot\bootx64.efi".  Always NUL-terminates buf. */
	void (*display_path)(void *ctx, enum fix_volume volume, const char *path,
			     char *buf, size_t size);

	/*
	 * Registry hives, by the path of their file.
	 *
	 * hive_open: a hive that cannot be opened or does not parse is
	 * FIX_ERROR with the reason; the file must be left as it was.  A
	 * hive opened with writable = false is never written.
	 */
	enum fix_status (*hive_open)(void *ctx, enum fix_volume volume, const char *path,
				     bool writable, struct fix_hive **out, struct fix_error *err);

	/* hive_subkeys: the names of key's direct subkeys ("" = the root).
	 * FIX_NOT_FOUND if key does not exist. */
	enum fix_status (*hive_subkeys)(struct fix_hive *hive, const char *key,
					fix_name_fn fn, void *fn_ctx, struct fix_error *err);

	/* hive_key_exists: FIX_OK or FIX_NOT_FOUND. */
	enum fix_status (*hive_key_exists)(struct fix_hive *hive, const char *key,
					   struct fix_error *err);

	/* hive_get: FIX_NOT_FOUND if the key or the value does not exist. */
	enum fix_status (*hive_get)(struct fix_hive *hive, const char *key, const char *name,
				    struct fix_reg_value *out, struct fix_error *err);

	/* hive_set: creates missing keys on the way; replaces the value,
	 * keeps the key's other values.  In memory until hive_commit. */
	enum fix_status (*hive_set)(struct fix_hive *hive, const char *key, const char *name,
				    uint32_t type, const void *data, size_t size,
				    struct fix_error *err);

	/* hive_commit: every hive_set reaches the hive file, atomically (the
	 * old hive or the new one, never a torn one). */
	enum fix_status (*hive_commit)(struct fix_hive *hive, struct fix_error *err);

	/* hive_close: releases the hive; uncommitted changes are dropped. */
	void (*hive_close)(struct fix_hive *hive);

	/*
	 * probe_layout: which partitions the ESP and the Windows volume are,
	 * if this backend can tell (may be NULL).  Anything short of a sure
	 * answer is known = false with the reason in how.
	 */
	void (*probe_layout)(void *ctx, struct fix_disk_layout *out);

	/*
	 * read_boot_variable: a UEFI global variable ("BootOrder", "Boot0003")
	 * of the machine whose disk this is, for the report on win7gen2's own
	 * boot entry (bootentry.c).  May be NULL: only a backend running on
	 * that machine offers it - the agent in the VM's Windows PE, not a
	 * host with the VM's disk mounted, whose variables are its own.
	 * FIX_NOT_FOUND when the variable does not exist.
	 */
	enum fix_status (*read_boot_variable)(void *ctx, const char *name,
					      struct fix_bytes *out, struct fix_error *err);
};

#endif
