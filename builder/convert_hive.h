/*
 * convert_hive.h - the registry hives win7gen2 convert reads and writes
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_CONVERT_HIVE_H
#define WIN7GEN2_CONVERT_HIVE_H

#include <stddef.h>
#include <stdint.h>

#include <hivex.h>

#include "convert.h"
#include "text.h"

/* A hive held in memory, opened by hivex through a memfd (hivex reads
 * files by name only); nothing reaches the disk's volume from here.
 * NULL when the bytes are no hive hivex can read. */
hive_h *convert_hive_open(const uint8_t *data, size_t size, int *fd, int flags);

/* The hive's bytes after its changes (malloc()ed); -1 with the reason,
 * naming what. */
int convert_hive_bytes(hive_h *hive, int fd, uint8_t **out, size_t *size, const char *what,
		       struct text *err);

/* The string value at key path ("a\\b") and name, malloc()ed UTF-8, or NULL. */
char *convert_hive_string(hive_h *hive, const char *key, const char *name);

/* The DWORD value there, or -1. */
int32_t convert_hive_dword(hive_h *hive, const char *key, const char *name);

/* MountedDevices entries of this disk's partitions to their GPT form, so
 * that C: stays C:; *hive_bytes (malloc()ed SYSTEM) is replaced by the
 * changed hive when anything changed, *changed says how many. */
int convert_mounted_devices(uint8_t **hive_bytes, size_t *hive_size,
			    const struct convert_layout *layout, unsigned *changed,
			    struct text *err);

#endif
