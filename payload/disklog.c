/*
 * disklog.c - a record of what the payload changed at boot, for log.txt
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "disklog.h"
#include "file.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define LINE_MAX 512

/*
 * The fix engine and the agent keep the log to WIN7GEN2_LOG_MAX_SIZE by
 * dropping its oldest records when they rewrite the file; the payload
 * only appends, so it stops there rather than grow the file without end.
 */
#define LOG_APPEND_LIMIT WIN7GEN2_LOG_MAX_SIZE

/* The folder of WIN7GEN2_LOG_PATH ("\EFI\win7gen2"), made when missing. */
static const CHAR16 log_dir[] = L"\\EFI\\win7gen2";

/* Kept free by every line but the last: "== result: failed" and CRLF. */
#define RESULT_ROOM 24

/* Narrow text into the record, leaving reserve bytes free; FALSE (and
 * nothing added) if it does not fit. */
static BOOLEAN put(struct disklog *record, const CHAR16 *text, UINTN reserve)
{
	UINTN length = StrLen(text);

	if (record->length + length + 2 + reserve > DISKLOG_MAX)
		return FALSE;
	for (UINTN i = 0; i < length; i++) {
		CHAR16 c = text[i];

		record->text[record->length++] = c >= 0x20 && c <= 0x7e ? (CHAR8)c : '?';
	}
	record->text[record->length++] = '\r';
	record->text[record->length++] = '\n';
	return TRUE;
}

void disklog_start(struct disklog *record, const CHAR16 *own_path)
{
	CHAR16 line[LINE_MAX];
	EFI_TIME now;

	record->length = 0;
	record->entries = 0;
	record->failures = 0;
	if (EFI_ERROR(RT->GetTime(&now, NULL)))
		ZeroMem(&now, sizeof(now));
	UnicodeSPrint(line, sizeof(line),
		      L"== %04d-%02d-%02d %02d:%02d:%02d win7gen2.efi %a at boot (%s)",
		      now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second,
		      WIN7GEN2_VERSION, own_path);
	put(record, line, RESULT_ROOM);
}

void disklog_add(struct disklog *record, const char *label, const CHAR16 *format, ...)
{
	CHAR16 line[LINE_MAX], text[LINE_MAX];
	va_list args;

	va_start(args, format);
	UnicodeVSPrint(text, sizeof(text), format, args);
	va_end(args);
	UnicodeSPrint(line, sizeof(line), L"%a %s", label, text);
	if (!put(record, line, RESULT_ROOM))
		return;
	record->entries++;
	if (label[0] == 'f')
		record->failures++;
}

EFI_STATUS disklog_write(struct disklog *record, EFI_HANDLE device)
{
	EFI_STATUS status;

	if (record->entries == 0)
		return EFI_SUCCESS;
	put(record, record->failures ? L"== result: failed" : L"== result: ok", 0);
	status = file_make_dir(device, log_dir);
	if (EFI_ERROR(status))
		return status;
	return file_append(device, WIDE(WIN7GEN2_LOG_PATH), record->text, record->length,
			   LOG_APPEND_LIMIT);
}
