/*
 * registry_table.h - every registry value win7gen2 fix checks or writes
 *
 * Two tables, both in registry_table.c so one file holds the whole set
 * for an audit:
 *
 *   registry_services  services that must already be installed before
 *                      anything is set for them; win7gen2 never creates
 *                      a service (its driver package does that).
 *   registry_settings  each value set in every ControlSet00N, with the
 *                      service it belongs to (or none); a value the
 *                      caller may choose says so (source) and holds its
 *                      default.
 *
 * FirmwareBootDevice and SystemBootDevice depend on the disk, not on a
 * table; registry.c decides them (see the comment there).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_REGISTRY_TABLE_H
#define WIN7GEN2_FIX_REGISTRY_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct registry_service {
	const char *name;      /* key under ControlSet00N\Services */
	uint32_t type;         /* the Type it must have: 1 kernel driver, 2 file system */
	const char *driver;    /* file under Windows\System32\drivers if no ImagePath */
	const char *package;   /* what installs it, for the "not installed" message */
};

/* Where a DWORD setting's value comes from. */
enum registry_source {
	REGISTRY_FIXED = 0,     /* dword below */
	REGISTRY_BOOT_WAIT_MS,  /* fix_options.boot_wait_ms; dword is its default */
};

struct registry_setting {
	const char *service;   /* registry_services[].name it needs, or NULL */
	const char *key;       /* under ControlSet00N; created if missing */
	const char *value;
	uint32_t type;         /* FIX_REG_DWORD or FIX_REG_SZ */
	uint32_t dword;
	const char *string;    /* ASCII; compared case-insensitively, as Windows does */
	const char *why;       /* one line for the report */
	enum registry_source source;
};

extern const struct registry_service registry_services[];
extern const size_t registry_service_count;
extern const struct registry_setting registry_settings[];
extern const size_t registry_setting_count;

/* The registry_services entry of that name, or NULL. */
const struct registry_service *registry_service_find(const char *name);

#endif
