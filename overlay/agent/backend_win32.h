/*
 * backend_win32.h - the fix engine's backend for Windows: Win32 files,
 * hives through RegLoadKey
 *
 * Used by win7gen2pe.exe in Windows PE and on a Windows host with a VM's
 * disk mounted.  The two volumes are roots given as Win32 paths ("C:\",
 * "S:\", "\\?\Volume{...}\" or any directory).  The engine's relative
 * paths are checked (relpath.h) before they reach Win32, and no
 * reparse point (link, junction, mount point) is followed on the way, so
 * nothing outside the two roots is read or written.  Case-insensitive
 * lookup is what NTFS and FAT do on Windows anyway.
 *
 * Hives: see backend_win32_hive.c for why the backend loads a copy of
 * the hive and replaces the hive file with a saved one on commit.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_AGENT_BACKEND_WIN32_H
#define WIN7GEN2_AGENT_BACKEND_WIN32_H

#include <stdbool.h>
#include <windows.h>

#include "backend.h"
#include "relpath.h"

struct win32_fix {
	char root[2][RELPATH_MAX];  /* by enum fix_volume, as relpath_root() makes it */
	/* Where hive copies are loaded from: "" beside the hive (Windows
	 * PE: its RAM disk is small), else a directory such as %TEMP% (a
	 * host: a dry run then writes nothing on the VM's disk). */
	wchar_t scratch_dir[MAX_PATH];
	unsigned hive_mounts;       /* names tried under HKLM so far: each is new */
	bool hive_privileges;       /* SeBackupPrivilege and SeRestorePrivilege are on */
};

/*
 * Both roots must be existing directories.  copies_in_temp puts hive
 * copies in the user's temporary directory (see scratch_dir).
 * FIX_ERROR with the reason.
 */
enum fix_status win32_fix_init(struct win32_fix *ctx, const char *windows_root,
			       const char *esp_root, bool copies_in_temp, struct fix_error *err);

extern const struct fix_backend win32_fix_backend;

/* ---- shared by the backend's files (not for callers) ---- */

/* A path resolved below a root. */
struct win32_path {
	char shown[RELPATH_MAX];  /* UTF-8, for messages */
	wchar_t *wide;            /* malloc()ed; free with win32_path_free */
	bool exists;
	DWORD attributes;         /* when exists */
};

/*
 * Resolve path below the volume's root: FIX_NOT_FOUND when a directory
 * on the way is missing (unless create_dirs, which makes them); a
 * missing last component is FIX_OK with exists = false.  A reparse point
 * anywhere on the way, or a file where a directory should be, is
 * FIX_ERROR.
 */
enum fix_status win32_resolve(const struct win32_fix *ctx, enum fix_volume volume,
			      const char *path, bool create_dirs, struct win32_path *out,
			      struct fix_error *err);
void win32_path_free(struct win32_path *path);

/* "<what>: <system message> (error N)" into err. */
void win32_fix_error(struct fix_error *err, DWORD code, const char *what);
void win32_fix_errorf(struct fix_error *err, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* Delete a file of ours if it is there (clearing read-only first). */
bool win32_remove_if_there(const wchar_t *path, DWORD *error);

/* Flush a closed file's data to the disk (open, FlushFileBuffers, close). */
bool win32_flush_file(const wchar_t *path, DWORD *error);

/* Hives (backend_win32_hive.c). */
enum fix_status win32_hive_open(void *ctx, enum fix_volume volume, const char *path,
				bool writable, struct fix_hive **out, struct fix_error *err);
enum fix_status win32_hive_subkeys(struct fix_hive *hive, const char *key, fix_name_fn fn,
				   void *fn_ctx, struct fix_error *err);
/* The names of key's values, for what needs more than the engine's
 * contract (convertwrite.c: MountedDevices, whose names it cannot know). */
enum fix_status win32_hive_values(struct fix_hive *hive, const char *key, fix_name_fn fn,
				  void *fn_ctx, struct fix_error *err);
enum fix_status win32_hive_key_exists(struct fix_hive *hive, const char *key,
				      struct fix_error *err);
enum fix_status win32_hive_get(struct fix_hive *hive, const char *key, const char *name,
			       struct fix_reg_value *out, struct fix_error *err);
enum fix_status win32_hive_set(struct fix_hive *hive, const char *key, const char *name,
			       uint32_t type, const void *data, size_t size,
			       struct fix_error *err);
enum fix_status win32_hive_commit(struct fix_hive *hive, struct fix_error *err);
void win32_hive_close(struct fix_hive *hive);

/* Disk layout (backend_win32_layout.c). */
void win32_probe_layout(void *ctx, struct fix_disk_layout *out);

#endif
