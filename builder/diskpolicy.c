/*
 * diskpolicy.c - what an installer ISO's Install does to the disks
 *
 * SPDX-License-Identifier: MIT
 */
#include "diskpolicy.h"

#include <stdlib.h>

#include "files.h"

void diskpolicy_describe(bool wipe_unattended, unsigned menu_timeout, struct text *out)
{
	if (wipe_unattended)
		text_appendf(out, "Install starts by itself after %u s and wipes disk 0, "
			     "whatever it holds (--wipe-unattended)", menu_timeout);
	else
		text_append(out, "Install starts by itself only when every disk is blank; "
			    "otherwise the menu waits (use --wipe-unattended to wipe disk 0 "
			    "unasked)");
}

int diskpolicy_read_config(const char *path, struct config *config, struct text *err)
{
	unsigned char *data;
	size_t size;

	if (read_file(path, CONFIG_MAX_FILE_SIZE, &data, &size, err) < 0)
		return -1;
	config_defaults(config);
	/* A line the payload would skip is skipped here too: inspect
	 * reports what the payload will do, not what the file meant. */
	config_parse(config, (const char *)data, size, NULL, NULL);
	free(data);
	return 0;
}
