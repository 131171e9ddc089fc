/*
 * hive.h - questions the builder asks a SYSTEM registry hive (hivex)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_HIVE_H
#define WIN7GEN2_HIVE_H

#include <stdbool.h>

#include "text.h"

/*
 * Whether the hive's current control set (Select\Current) has a
 * Services\<name> key: Windows loads a driver only when it has one.
 * 0 with *present set; -1 when the file is no hive we can read.
 */
int hive_has_service(const char *hive_path, const char *name, bool *present, struct text *err);

#endif
