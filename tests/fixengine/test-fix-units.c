/*
 * test-fix-units.c - the fix engine's parts, without a backend
 *
 * How the engine tells our payload from a Microsoft loader, orders
 * payload versions, reads ARC names and registry strings, and writes
 * win7gen2.cfg: the decisions the plan is made of.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "arcname.h"
#include "diskcfg.h"
#include "efi_image.h"
#include "fake-pe.h"
#include "regvalue.h"
#include "text.h"
#include "config.h"
#include "tap.h"
#include "win7gen2.h"

#define IMAGE_SIZE 512

static size_t make_image(uint8_t image[IMAGE_SIZE], const void *text, size_t size)
{
	return fake_pe_image(image, IMAGE_SIZE, text, size);
}

static void test_efi_image(void)
{
	static const char payload[] = WIN7GEN2_PAYLOAD_MARKER "0.2.1";
	uint8_t image[IMAGE_SIZE];
	struct efi_image_id id;
	size_t size;

	size = make_image(image, payload, sizeof(payload)); /* with its NUL */
	efi_image_identify(image, size, &id);
	tap_ok(id.kind == EFI_IMAGE_PAYLOAD, "an x64 image with the marker is our payload");
	tap_is_str(id.version, "0.2.1", "its version follows the marker");

	size = make_image(image, "Windows Boot Manager", 21);
	efi_image_identify(image, size, &id);
	tap_ok(id.kind == EFI_IMAGE_FOREIGN && !id.has_marker,
	       "an x64 image without it is someone else's loader");
	tap_is_str(efi_image_name(&id), "x64 EFI loader (not Microsoft's)",
		   "reported as not Microsoft's when it does not name Microsoft in UTF-16");
	size = make_image(image, "M\0i\0c\0r\0o\0s\0o\0f\0t\0", 18);
	efi_image_identify(image, size, &id);
	tap_is_str(efi_image_name(&id), "Microsoft loader", "and as Microsoft's when it does");

	size = make_image(image, payload, sizeof(payload) - 1);
	efi_image_identify(image, size, &id);
	tap_ok(id.kind == EFI_IMAGE_FOREIGN, "a marker cut off at the end of the file is no marker");

	size = make_image(image, WIN7GEN2_PAYLOAD_MARKER "\0", sizeof(WIN7GEN2_PAYLOAD_MARKER) + 1);
	efi_image_identify(image, size, &id);
	tap_ok(!id.has_marker, "a marker without a version is no marker");

	size = make_image(image, payload, sizeof(payload));
	image[0x44] = 0x4c; /* i386 */
	image[0x45] = 0x01;
	efi_image_identify(image, size, &id);
	tap_ok(id.kind == EFI_IMAGE_NOT_X64 && id.has_marker,
	       "a 32-bit image is not an x64 loader, marker or not");

	size = make_image(image, "x", 2);
	image[0x3c] = 0xf0; /* PE header beyond the end */
	image[0x3d] = 0xff;
	efi_image_identify(image, size, &id);
	tap_ok(id.kind == EFI_IMAGE_NOT_X64, "a PE offset past the end of the file is refused");

	efi_image_identify(image, 10, &id);
	tap_ok(id.kind == EFI_IMAGE_NOT_X64, "a file shorter than an MZ header is refused");
	efi_image_identify((const uint8_t *)"", 0, &id);
	tap_ok(id.kind == EFI_IMAGE_NOT_X64, "an empty file is refused");
}

static void test_versions(void)
{
	tap_ok(efi_image_version_compare("0.1.0", "0.2.0") < 0, "0.1.0 < 0.2.0");
	tap_ok(efi_image_version_compare("0.10.0", "0.9.0") > 0, "0.10.0 > 0.9.0 (numbers, not text)");
	tap_ok(efi_image_version_compare("1.0", "1.0") == 0, "1.0 = 1.0");
	tap_ok(efi_image_version_compare("1.00", "1.0") == 0, "1.00 = 1.0");
	tap_ok(efi_image_version_compare("1.0", "1.0.1") < 0, "1.0 < 1.0.1");
	tap_ok(efi_image_version_compare("1.0", "1.0-rc1") > 0, "1.0 > 1.0-rc1");
	tap_ok(efi_image_version_compare("1.0-rc2", "1.0-rc10") < 0, "1.0-rc2 < 1.0-rc10");
	tap_ok(efi_image_version_compare("99999999999999999999.1", "99999999999999999999.2") < 0,
	       "numbers longer than any integer still compare");
}

static void test_arc_names(void)
{
	struct arc_name name;
	char text[ARC_NAME_MAX_TEXT];

	tap_ok(arc_name_parse("multi(0)disk(0)rdisk(1)partition(3)", &name) && name.count == 4,
	       "multi(0)disk(0)rdisk(1)partition(3) parses");
	tap_ok(arc_name_find(&name, "RDISK") && arc_name_find(&name, "RDISK")->number == 1 &&
	       arc_name_find(&name, "partition")->number == 3,
	       "components are found by type, ignoring case");
	arc_name_find(&name, "partition")->number = 1;
	tap_ok(arc_name_format(&name, text, sizeof(text)) &&
	       strcmp(text, "multi(0)disk(0)rdisk(1)partition(1)") == 0,
	       "and format back with a changed number");
	tap_ok(!arc_name_format(&name, text, 10), "a buffer too small is refused");
	tap_ok(!arc_name_parse("", &name), "empty is not an ARC name");
	tap_ok(!arc_name_parse("multi(0)disk(", &name), "cut short is not one");
	tap_ok(!arc_name_parse("multi()disk(0)", &name), "a missing number is not one");
	tap_ok(!arc_name_parse("(0)", &name), "a missing type is not one");
	tap_ok(!arc_name_parse("multi(0) disk(0)", &name), "a space is not allowed");
	tap_ok(!arc_name_parse("partition(9999999999)", &name), "an absurd number is refused");
	tap_ok(!arc_name_parse("\\Device\\HarddiskVolume2", &name), "an NT device path is not one");
}

static void test_registry_values(void)
{
	struct fix_reg_value value = { FIX_REG_SZ, NULL, 0 };
	char text[64];
	uint32_t dword;
	uint8_t four[4];

	tap_ok(regvalue_encode_ascii("SCSI miniport", &value.data, &value.size) &&
	       value.size == 28 && value.data[26] == 0 && value.data[27] == 0 &&
	       value.data[0] == 'S' && value.data[1] == 0,
	       "a REG_SZ is UTF-16LE with its NUL");
	tap_ok(regvalue_ascii(&value, text, sizeof(text)) && strcmp(text, "SCSI miniport") == 0,
	       "and reads back");
	tap_ok(!regvalue_ascii(&value, text, 5) && strcmp(text, "SCSI") == 0,
	       "a buffer too small gives what fits, and says it is not all");
	value.data[2] = 0xe9; /* é */
	tap_ok(!regvalue_ascii(&value, text, sizeof(text)) && text[1] == '?',
	       "text beyond ASCII never compares equal");
	regvalue_free(&value);
	tap_ok(!regvalue_encode_ascii("caf\xc3\xa9", &value.data, &value.size),
	       "only ASCII is written");

	regvalue_encode_dword(0x01020304, four);
	value.type = FIX_REG_DWORD;
	value.data = four;
	value.size = 4;
	tap_ok(regvalue_dword(&value, &dword) && dword == 0x01020304, "a DWORD is little-endian");
	value.size = 3;
	tap_ok(!regvalue_dword(&value, &dword), "a DWORD of three bytes is not a DWORD");
	value.size = 4;
	value.type = FIX_REG_BINARY;
	tap_ok(!regvalue_dword(&value, &dword), "four bytes of REG_BINARY are not a DWORD");
	regvalue_describe(&value, text, sizeof(text));
	tap_is_str(text, "REG_BINARY, 4 bytes", "other types are described by type and size");
}

static void test_disk_config(void)
{
	struct text text = TEXT_INIT, added = TEXT_INIT;
	struct config config;
	unsigned warnings = 0;
	char *big;

	diskcfg_new(&text, "9.9");
	config_defaults(&config);
	config.menu = true;
	config.answer_prompt = true;
	tap_ok(config_parse(&config, text_string(&text), text.length, NULL, NULL) == 0 &&
	       !config.menu && !config.answer_prompt,
	       "the new win7gen2.cfg parses without a warning and turns menu and prompt off");
	tap_ok(strstr(text_string(&text), "win7gen2 fix 9.9") != NULL &&
	       strstr(text_string(&text), "\r\n") != NULL,
	       "it names the version that wrote it and has CRLF line ends");
	tap_ok(diskcfg_check((const uint8_t *)text_string(&text), text.length, &added,
			     &warnings) == DISKCFG_RIGHT && added.length == 0,
	       "and is judged right as it is");
	text_free(&text);

	tap_ok(diskcfg_check((const uint8_t *)"verbose = 2\n", 12, &added, &warnings) ==
	       DISKCFG_RIGHT, "a file that does not switch the menu on is kept as it is");
	tap_ok(diskcfg_check((const uint8_t *)"menu = on\nbogus\n", 16, &added, &warnings) ==
	       DISKCFG_APPEND && warnings == 1 && strstr(text_string(&added), "menu = off"),
	       "one that does gets \"menu = off\" appended; its bad line is counted");
	text_free(&added);
	tap_ok(diskcfg_check((const uint8_t *)"answer_prompt = yes", 19, &added, &warnings) ==
	       DISKCFG_APPEND && strncmp(text_string(&added), "\r\n", 2) == 0 &&
	       strstr(text_string(&added), "answer_prompt = off"),
	       "a last line without a line end is ended before appending");
	text_free(&added);

	big = malloc(CONFIG_MAX_FILE_SIZE);
	if (big) {
		memset(big, '#', CONFIG_MAX_FILE_SIZE);
		memcpy(big, "menu = on\n", 10);
		big[CONFIG_MAX_FILE_SIZE - 1] = '\n';
		tap_ok(diskcfg_check((const uint8_t *)big, CONFIG_MAX_FILE_SIZE, &added,
				     &warnings) == DISKCFG_TOO_BIG,
		       "appending where the payload stops reading is refused");
		text_free(&added);
		free(big);
	}
}

static void test_text(void)
{
	struct text text = TEXT_INIT;
	char *taken;
	size_t length;

	tap_is_str(text_string(&text), "", "an empty text is \"\"");
	for (int i = 0; i < 1000; i++)
		text_appendf(&text, "%d,", i);
	tap_ok(!text.failed && text.length == strlen(text_string(&text)) &&
	       strncmp(text_string(&text) + text.length - 4, "999,", 4) == 0,
	       "appending grows the buffer and keeps the length right");
	taken = text_take(&text, &length);
	tap_ok(taken && length > 3000 && text.data == NULL && text.length == 0,
	       "taking hands the buffer over and resets");
	free(taken);
	taken = text_format("%s-%u", "x", 7u);
	tap_is_str(taken, "x-7", "text_format makes a new string");
	free(taken);

	taken = text_take(&text, &length);
	tap_ok(taken && *taken == '\0' && length == 0, "an empty text is taken as \"\", not NULL");
	free(taken);

	text_append(&text, "stderr: line one\nline two\n");
	text_keep_tail(&text, 9);
	tap_ok(text.length == 9 && strcmp(text_string(&text), "line two\n") == 0,
	       "keeping the tail keeps the last bytes");
	text_keep_tail(&text, 100);
	tap_is_str(text_string(&text), "line two\n", "a tail longer than the text keeps it all");
	text_reset(&text);
	tap_ok(text.length == 0 && text.data && strcmp(text_string(&text), "") == 0,
	       "reset empties the text and keeps its memory");
	text_append(&text, "partial");
	text.failed = true; /* as after a failed realloc */
	text_append(&text, " and more");
	tap_ok(text_failed(&text) && strcmp(text_string(&text), "partial") == 0 &&
	       text.length == 7, "after a failure appends do nothing; what came before stays");
	text_reset(&text);
	tap_ok(text_failed(&text), "a reset does not forget a failure");
	tap_ok(text_take(&text, &length) == NULL && length == 0 && text.data == NULL &&
	       !text.failed, "an incomplete text is not handed over, and is freed");
}

int main(void)
{
	test_efi_image();
	test_versions();
	test_arc_names();
	test_registry_values();
	test_disk_config();
	test_text();
	return tap_done();
}
