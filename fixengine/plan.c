/*
 * plan.c - building the list of plan items
 *
 * SPDX-License-Identifier: MIT
 */
#include "plan.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *__attribute__((format(printf, 2, 0)))
vformat(struct fix_plan *plan, const char *format, va_list ap)
{
	struct text text = TEXT_INIT;

	text_vappendf(&text, format, ap);
	if (text.failed || !text.data) {
		text_free(&text);
		plan->out_of_memory = true;
		return NULL;
	}
	return text_take(&text, NULL);
}

struct fix_item *plan_add(struct fix_plan *plan, enum fix_area area,
			  enum fix_item_state state, const char *subject_format, ...)
{
	struct fix_item *item;
	va_list ap;

	if (plan->count == plan->capacity) {
		size_t capacity = plan->capacity ? plan->capacity * 2 : 32;
		struct fix_item *items;

		if (capacity > SIZE_MAX / sizeof(*items)) {
			plan->out_of_memory = true;
			return NULL;
		}
		items = realloc(plan->items, capacity * sizeof(*items));
		if (!items) {
			plan->out_of_memory = true;
			return NULL;
		}
		plan->items = items;
		plan->capacity = capacity;
	}
	item = &plan->items[plan->count];
	memset(item, 0, sizeof(*item));
	item->area = area;
	item->state = state;
	va_start(ap, subject_format);
	item->subject = vformat(plan, subject_format, ap);
	va_end(ap);
	if (!item->subject)
		return NULL;
	plan->count++;
	return item;
}

void plan_move_last_to(struct fix_plan *plan, size_t index)
{
	struct fix_item last;

	if (plan->count == 0 || index >= plan->count - 1)
		return;
	last = plan->items[plan->count - 1];
	memmove(&plan->items[index + 1], &plan->items[index],
		(plan->count - 1 - index) * sizeof(plan->items[0]));
	plan->items[index] = last;
}

#define SET_TEXT(field)                                                        \
	do {                                                                   \
		va_list ap;                                                    \
		char *text;                                                    \
		if (!item)                                                     \
			return;                                                \
		va_start(ap, format);                                          \
		text = vformat(plan, format, ap);                              \
		va_end(ap);                                                    \
		free(item->field);                                             \
		item->field = text;                                            \
	} while (0)

void item_before(struct fix_plan *plan, struct fix_item *item, const char *format, ...)
{
	SET_TEXT(before);
}

void item_after(struct fix_plan *plan, struct fix_item *item, const char *format, ...)
{
	SET_TEXT(after);
}

void item_detail(struct fix_plan *plan, struct fix_item *item, const char *format, ...)
{
	SET_TEXT(detail);
}

static bool copy_string(struct fix_plan *plan, char **to, const char *from)
{
	if (!from) {
		*to = NULL;
		return true;
	}
	*to = malloc(strlen(from) + 1);
	if (!*to) {
		plan->out_of_memory = true;
		return false;
	}
	strcpy(*to, from);
	return true;
}

bool item_action(struct fix_plan *plan, struct fix_item *item, enum fix_action_kind kind,
		 enum fix_volume volume, const char *path, const char *source,
		 const uint8_t *content, size_t size, uint8_t *owned)
{
	struct fix_action *action;

	if (!item) {
		free(owned);
		return false;
	}
	action = &item->action;
	action->kind = kind;
	action->volume = volume;
	action->owned = owned;
	action->content = owned ? owned : content;
	action->size = size;
	return copy_string(plan, &action->path, path) &&
	       copy_string(plan, &action->source, source);
}

bool item_set_value(struct fix_plan *plan, struct fix_item *item, const char *key,
		    const char *name, uint32_t type, uint8_t *owned, size_t size)
{
	if (!item_action(plan, item, FIX_ACTION_SET_VALUE, FIX_VOLUME_WINDOWS, key, NULL,
			 NULL, size, owned))
		return false;
	item->action.type = type;
	return copy_string(plan, &item->action.name, name);
}

unsigned plan_new_group(struct fix_plan *plan)
{
	return ++plan->next_group;
}
