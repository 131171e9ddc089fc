/*
 * prompt.c - answer the CD boot manager's "Press any key to boot from CD"
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "prompt.h"

/* The proxy is the first member, so the interface pointer is ours. */
static struct prompt_answer *answer_of(SIMPLE_INPUT_INTERFACE *proxy)
{
	return (struct prompt_answer *)proxy;
}

static EFI_STATUS EFIAPI proxy_reset(SIMPLE_INPUT_INTERFACE *proxy, BOOLEAN extended)
{
	struct prompt_answer *answer = answer_of(proxy);

	/* Loaders reset the input before the prompt to drop typed-ahead
	 * keys; our key must survive that. */
	return answer->original->Reset(answer->original, extended);
}

static EFI_STATUS EFIAPI proxy_read_key(SIMPLE_INPUT_INTERFACE *proxy, EFI_INPUT_KEY *key)
{
	struct prompt_answer *answer = answer_of(proxy);

	if (answer->pending) {
		answer->pending = FALSE;
		key->ScanCode = SCAN_NULL;
		key->UnicodeChar = CHAR_CARRIAGE_RETURN;
		return EFI_SUCCESS;
	}
	return answer->original->ReadKeyStroke(answer->original, key);
}

/*
 * WaitForKey of the proxy: a wait event whose notify function checks for
 * our pending key first, then the real keyboard.
 */
static VOID EFIAPI proxy_wait_notify(EFI_EVENT event, VOID *context)
{
	struct prompt_answer *answer = context;

	if (answer->pending ||
	    BS->CheckEvent(answer->original->WaitForKey) == EFI_SUCCESS)
		BS->SignalEvent(event);
}

static void update_crc(EFI_SYSTEM_TABLE *system_table)
{
	UINT32 crc = 0;

	system_table->Hdr.CRC32 = 0;
	BS->CalculateCrc32(system_table, system_table->Hdr.HeaderSize, &crc);
	system_table->Hdr.CRC32 = crc;
}

EFI_STATUS prompt_answer_install(struct prompt_answer *answer,
				 EFI_SYSTEM_TABLE *system_table)
{
	EFI_STATUS status;

	answer->original = system_table->ConIn;
	answer->system_table = system_table;
	answer->pending = TRUE;
	answer->proxy.Reset = proxy_reset;
	answer->proxy.ReadKeyStroke = proxy_read_key;
	status = BS->CreateEvent(EVT_NOTIFY_WAIT, TPL_NOTIFY, proxy_wait_notify,
				 answer, &answer->proxy.WaitForKey);
	if (EFI_ERROR(status))
		return status;
	system_table->ConIn = &answer->proxy;
	update_crc(system_table);
	return EFI_SUCCESS;
}

void prompt_answer_remove(struct prompt_answer *answer)
{
	if (answer->system_table->ConIn != &answer->proxy)
		return;
	answer->system_table->ConIn = answer->original;
	update_crc(answer->system_table);
	BS->CloseEvent(answer->proxy.WaitForKey);
}
