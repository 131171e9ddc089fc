/*
 * diskcfg.c - win7gen2.cfg for a wrapped disk
 *
 * SPDX-License-Identifier: MIT
 */
#include "diskcfg.h"

#include "config.h"
#include "win7gen2.h"

void diskcfg_new(struct text *out, const char *tool_version)
{
	text_appendf(out,
		"# " WIN7GEN2_CONFIG_NAME " - settings for win7gen2.efi on an installed system\r\n"
		"#\r\n"
		"# Written by win7gen2 fix %s.  win7gen2.efi sits where the Windows\r\n"
		"# Boot Manager was, repairs the ACPI tables on Hyper-V Generation 2 and\r\n"
		"# starts the boot manager, kept beside it as <name>" WIN7GEN2_ORIGINAL_SUFFIX ".\r\n"
		"# An installed system boots straight through: no menu, no key to press.\r\n"
		"#\r\n"
		"# Every setting is described in win7gen2.cfg.example, which comes with\r\n"
		"# win7gen2.  Edit this file freely: win7gen2 fix keeps it, and only\r\n"
		"# adds \"menu = off\" or \"answer_prompt = off\" again if they were\r\n"
		"# switched on.\r\n"
		"menu = off\r\n"
		"answer_prompt = off\n",
		tool_version);
}

static void count_warning(void *ctx, unsigned line, const char *message)
{
	unsigned *warnings = ctx;

	(void)line;
	(void)message;
	(*warnings)++;
}

enum diskcfg_verdict diskcfg_check(const uint8_t *data, size_t size, struct text *out,
				   unsigned *warnings)
{
	struct config config;

	*warnings = 0;
	config_defaults(&config);
	config_parse(&config, (const char *)data, size, count_warning, warnings);
	if (!config.menu && !config.answer_prompt)
		return DISKCFG_RIGHT;

	if (size > 0 && data[size - 1] != '\n')
		text_append(out, "\r\n");
	text_append(out, "# Added by win7gen2 fix: an installed system boots without a menu.\r\n");
	if (config.menu)
		text_append(out, "menu = off\r\n");
	if (config.answer_prompt)
		text_append(out, "answer_prompt = off\r\n");
	if (size > CONFIG_MAX_FILE_SIZE || out->length > CONFIG_MAX_FILE_SIZE - size)
		return DISKCFG_TOO_BIG;
	return DISKCFG_APPEND;
}
