/*
 * selfrepair.c - put the wrap back when an update has replaced the payload
 *
 * Windows' boot-file servicing copies a newer boot manager over
 * \EFI\Microsoft\Boot\bootmgfw.efi (and \EFI\Boot\bootx64.efi) when an
 * update brings one - over win7gen2.efi.  The next boot that reaches us
 * anyway (through our own boot entry, bootentry.c, or the other loader
 * path) finds a Microsoft loader where the payload was, with the older
 * one kept behind it as <name>.original.efi.  The wrap goes back as
 * win7gen2 fix would put it (common/wrap_rule.h, carried out by wrap.c
 * as for the ISO's rescue): the newer loader becomes the original, the
 * previous one <name>.original.old.efi.  Only a wrap that was there is
 * put back: wrapping a loader for the first time is a person's decision
 * (win7gen2 fix, the agent, Rescue), not something to do at every boot
 * of whatever the firmware finds.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "file.h"
#include "selfrepair.h"
#include "win7gen2.h"
#include "wrap.h"

static UINTN report(struct log *log, struct disklog *record, const struct wrap_loader *loader,
		    const struct wrap_report *report)
{
	CHAR16 path[FILE_PATH_MAX];
	const char *done = wrap_action_text(report->decision.action);

	if (!wrap_loader_path(loader, WIN7GEN2_LOADER_SUFFIX, path, FILE_PATH_MAX))
		path[0] = 0;
	if (report->out_of_scope) {
		/* Not ours to start at boot; win7gen2 fix will say so. */
		log_print(log, LOG_DEBUG, L"win7gen2: %s: %a: left for win7gen2 fix\n", path, done);
		return 0;
	}
	if (!wrap_restores_wrap(report->decision.action))
		return 0;
	if (report->decision.action == WRAP_REWRAP)
		log_print(log, LOG_ERROR,
			  L"win7gen2: %s holds another boot loader, not win7gen2.efi "
			  L"(a Windows update?)\n", path);
	else
		log_print(log, LOG_ERROR,
			  L"win7gen2: %s is no longer win7gen2.efi; its original is still there\n",
			  path);
	if (report->failed) {
		log_print(log, LOG_ERROR,
			  L"win7gen2: could not put win7gen2.efi back in front of it: %r\n"
			  L"  booting on; run win7gen2 fix or the ISO's Rescue to repair it\n",
			  report->status);
		disklog_add(record, "failed", L"%s: %a; %r", path, done, report->status);
		return 0;
	}
	log_print(log, LOG_ERROR, L"win7gen2: %s: %a\n", path, done);
	disklog_add(record, "changed", L"%s: %a", path, done);
	return 1;
}

UINTN self_repair(struct log *log, struct disklog *record, EFI_HANDLE device,
		  const void *payload, UINTN payload_size, const char *version)
{
	struct wrap_report reports[WRAP_LOADER_COUNT];
	UINTN repaired = 0;

	wrap_esp(device, payload, payload_size, version, WRAP_SCOPE_RESTORE, reports);
	for (UINTN i = 0; i < WRAP_LOADER_COUNT; i++)
		repaired += report(log, record, &wrap_loaders[i], &reports[i]);
	return repaired;
}
