/*
 * plan.h - the plan: every thing checked, and what to do about it
 *
 * Internal to the engine.  The planners (esp.c, registry.c) add items;
 * execute.c carries out each item's action and records the result;
 * report.c shows them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_FIX_PLAN_H
#define WIN7GEN2_FIX_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fix.h"

enum fix_area {
	FIX_AREA_ESP,
	FIX_AREA_REGISTRY,
};

enum fix_item_state {
	FIX_ITEM_RIGHT,   /* already right, nothing to do */
	FIX_ITEM_CHANGE,  /* wrong, and the action puts it right */
	FIX_ITEM_PROBLEM, /* wrong, and this run cannot put it right */
	FIX_ITEM_NOTE,    /* worth knowing; nothing wrong */
};

enum fix_item_result {
	FIX_RESULT_PENDING,
	FIX_RESULT_DONE,    /* made, read back and found as planned */
	FIX_RESULT_FAILED,  /* the backend failed, or it read back wrong */
	FIX_RESULT_SKIPPED, /* an earlier step of its group failed */
};

enum fix_action_kind {
	FIX_ACTION_NONE,
	FIX_ACTION_WRITE_FILE,  /* write content to path */
	FIX_ACTION_RENAME_FILE, /* rename source to path; content is what it holds */
	FIX_ACTION_BACKUP_FILE, /* copy source to path, which must not exist */
	FIX_ACTION_SET_VALUE,   /* set key\name in the SYSTEM hive */
};

struct fix_action {
	enum fix_action_kind kind;
	enum fix_volume volume;
	char *path;          /* file written, or the registry key */
	char *source;        /* rename/backup: the file it comes from */
	char *name;          /* registry value name */
	uint32_t type;       /* registry value type */
	/* Content expected afterwards (file or value bytes).  Backups learn
	 * theirs when they are made. */
	const uint8_t *content;
	size_t size;
	uint8_t *owned;      /* content when the plan owns it (else borrowed) */
};

struct fix_item {
	enum fix_area area;
	enum fix_item_state state;
	char *subject;  /* "\EFI\Boot\bootx64.efi", "ControlSet001\Services\vmbus: Start" */
	char *before;   /* what was found (NULL: not shown) */
	char *after;    /* CHANGE: what it becomes; RIGHT: may repeat the value */
	char *detail;   /* why, or what the user can do */
	/* Steps of one group depend on each other: after a failure the rest
	 * of the group is skipped.  0 = on its own. */
	unsigned group;
	struct fix_action action;
	enum fix_item_result result;
	char *failure;  /* FAILED: why */
};

struct fix_plan {
	const struct fix_backend *backend;
	void *backend_ctx;
	struct fix_options options;
	struct fix_disk_layout layout;  /* as used */
	char payload_version[64];

	struct fix_item *items;
	size_t count, capacity;
	unsigned next_group;
	bool out_of_memory;
	bool executed;

	char *log_status;  /* after fix_execute: where the record went, or why not */
	bool log_written;
	char *status_error; /* after fix_execute: why status.txt was not written */
};

/* Appends an item; its strings are formatted copies.  Returns NULL when
 * out of memory (plan->out_of_memory is then set). */
struct fix_item *plan_add(struct fix_plan *plan, enum fix_area area,
			  enum fix_item_state state, const char *subject_format, ...)
	__attribute__((format(printf, 4, 5)));

/* Moves the last item to position index (items after it shift up). */
void plan_move_last_to(struct fix_plan *plan, size_t index);

/* Set an item's text; each is a formatted copy.  item may be NULL. */
void item_before(struct fix_plan *plan, struct fix_item *item, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
void item_after(struct fix_plan *plan, struct fix_item *item, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
void item_detail(struct fix_plan *plan, struct fix_item *item, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* Copies path/source/name; content is borrowed unless owned is given
 * (then content = owned and the plan frees it).  False when out of memory. */
bool item_action(struct fix_plan *plan, struct fix_item *item, enum fix_action_kind kind,
		 enum fix_volume volume, const char *path, const char *source,
		 const uint8_t *content, size_t size, uint8_t *owned);

/* A registry value to set: key under the hive's root, bytes owned by the
 * plan from now on.  False when out of memory. */
bool item_set_value(struct fix_plan *plan, struct fix_item *item, const char *key,
		    const char *name, uint32_t type, uint8_t *owned, size_t size);

/* A group number for steps that belong together. */
unsigned plan_new_group(struct fix_plan *plan);

/* Planners, in the order fix_make_plan runs them.  plan_esp returns
 * false, adding nothing, when the ESP holds no Windows loader at all. */
bool plan_esp(struct fix_plan *plan);
void plan_registry(struct fix_plan *plan);
void plan_boot_entry(struct fix_plan *plan);

#endif
