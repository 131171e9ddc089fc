/*
 * setuplogs.c - Windows Setup's own logs, when Setup failed
 *
 * SPDX-License-Identifier: MIT
 */
#include "setuplogs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "backend_win32.h"
#include "report_text.h"
#include "win32util.h"

#define LOG_MAX_SIZE (16u * 1024 * 1024)
#define SETUPACT_TAIL_LINES 60
#define SETUPERR_TAIL_LINES 200

/* A log file's text: UTF-16 (with its byte order mark) becomes UTF-8;
 * bytes a terminal should not get become '?'.  NULL when unreadable. */
static char *read_log(const wchar_t *path, size_t *length)
{
	LARGE_INTEGER size;
	HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				  OPEN_EXISTING, 0, NULL);
	uint8_t *bytes;
	DWORD got = 0;
	char *text;

	if (file == INVALID_HANDLE_VALUE)
		return NULL;
	if (!GetFileSizeEx(file, &size) || size.QuadPart > LOG_MAX_SIZE) {
		CloseHandle(file);
		return NULL;
	}
	bytes = malloc((size_t)size.QuadPart + 2);
	if (!bytes || !ReadFile(file, bytes, (DWORD)size.QuadPart, &got, NULL)) {
		free(bytes);
		CloseHandle(file);
		return NULL;
	}
	CloseHandle(file);
	bytes[got] = bytes[got + 1] = 0;
	if (got >= 2 && bytes[0] == 0xff && bytes[1] == 0xfe) {
		text = utf8_from_wide((const wchar_t *)(bytes + 2));
		free(bytes);
		if (!text)
			return NULL;
	} else {
		text = (char *)bytes;
	}
	*length = strlen(text);
	for (size_t i = 0; i < *length; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n' && text[i] != '\r' &&
		    text[i] != '\t')
			text[i] = '?';
	return text;
}

struct log_place {
	wchar_t dir[MAX_PATH];  /* the Panther directory */
	char tag[16];           /* names the copies: "pe", "C" */
};

static void report_one(const struct log_place *place, const wchar_t *name, unsigned lines,
		       const char *esp_root, struct win32_fix *esp, bool have_esp,
		       struct output *out)
{
	wchar_t path[MAX_PATH + 32];
	char shown[MAX_PATH * 3], copy[96];
	size_t length = 0, start;
	char *text;
	struct fix_error err;

	swprintf(path, sizeof(path) / sizeof(path[0]), L"%ls\\%ls", place->dir, name);
	text = read_log(path, &length);
	if (!text)
		return;
	utf8_from_wide_buf(path, shown, sizeof(shown));
	start = text_tail_start(text, length, lines);
	output_line(out, "---- %s%s ----", shown, start ? " (its end)" : "");
	output_text(out, text + start);
	output_line(out, "---- end of %s ----", shown);
	if (have_esp) {
		char name_utf8[32];

		utf8_from_wide_buf(name, name_utf8, sizeof(name_utf8));
		snprintf(copy, sizeof(copy), "%s\\%s-%s", AGENT_SETUP_LOGS_DIR, place->tag,
			 name_utf8);
		if (win32_fix_backend.write_file(esp, FIX_VOLUME_ESP, copy, text, length,
						 FIX_WRITE_REPLACE, &err) == FIX_OK)
			output_line(out, "copied to %s\\%s", esp_root, copy);
		else
			output_line(out, "not copied to the ESP: %s", err.message);
	}
	free(text);
}

void setup_logs_report(const char *esp_root, char skip_letter, struct output *out)
{
	struct log_place places[1 + 24];
	size_t count = 0;
	struct win32_fix esp;
	struct fix_error err;
	bool have_esp = false;
	DWORD drives = GetLogicalDrives();
	UINT n;

	n = GetWindowsDirectoryW(places[0].dir, MAX_PATH - 16);
	if (n > 0 && n < MAX_PATH - 16) {
		wcscat(places[0].dir, L"\\Panther");
		snprintf(places[0].tag, sizeof(places[0].tag), "pe");
		count++;
	}
	for (char letter = 'C'; letter <= 'Z'; letter++) {
		if (letter == skip_letter || !(drives & (1u << (letter - 'A'))))
			continue;
		swprintf(places[count].dir, MAX_PATH, L"%c:\\$WINDOWS.~BT\\Sources\\Panther", letter);
		snprintf(places[count].tag, sizeof(places[count].tag), "%c", letter);
		count++;
	}
	if (esp_root) {
		have_esp = win32_fix_init(&esp, esp_root, esp_root, false, &err) == FIX_OK;
		if (!have_esp)
			output_line(out, "Setup's logs are not copied: %s", err.message);
	}
	output_line(out, "Windows Setup's logs:");
	for (size_t i = 0; i < count; i++) {
		report_one(&places[i], L"setuperr.log", SETUPERR_TAIL_LINES, esp_root, &esp,
			   have_esp, out);
		report_one(&places[i], L"setupact.log", SETUPACT_TAIL_LINES, esp_root, &esp,
			   have_esp, out);
	}
}
