/*
 * regvalue.c - registry values as bytes, and as people read them
 *
 * SPDX-License-Identifier: MIT
 */
#include "regvalue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"

bool regvalue_encode_ascii(const char *text, uint8_t **data, size_t *size)
{
	size_t length = strlen(text);
	uint8_t *bytes;

	for (size_t i = 0; i < length; i++)
		if ((unsigned char)text[i] >= 0x80)
			return false;
	bytes = malloc((length + 1) * 2);
	if (!bytes)
		return false;
	for (size_t i = 0; i <= length; i++) {
		bytes[2 * i] = (uint8_t)text[i];
		bytes[2 * i + 1] = 0;
	}
	*data = bytes;
	*size = (length + 1) * 2;
	return true;
}

void regvalue_encode_dword(uint32_t value, uint8_t data[4])
{
	data[0] = (uint8_t)value;
	data[1] = (uint8_t)(value >> 8);
	data[2] = (uint8_t)(value >> 16);
	data[3] = (uint8_t)(value >> 24);
}

bool regvalue_ascii(const struct fix_reg_value *value, char *buf, size_t size)
{
	size_t units = value->data ? value->size / 2 : 0, n = 0;
	bool exact = true;

	if (size == 0)
		return false;
	for (size_t i = 0; i < units; i++) {
		unsigned unit = (unsigned)value->data[2 * i] |
				(unsigned)value->data[2 * i + 1] << 8;

		if (unit == 0)
			break;
		if (n + 1 == size) {
			exact = false;
			break;
		}
		if (unit < 0x20 || unit > 0x7e) {
			exact = false;
			unit = '?';
		}
		buf[n++] = (char)unit;
	}
	buf[n] = '\0';
	return exact;
}

bool regvalue_dword(const struct fix_reg_value *value, uint32_t *out)
{
	const uint8_t *d = value->data;

	if (value->type != FIX_REG_DWORD || value->size != 4 || !d)
		return false;
	*out = get_le32(d);
	return true;
}

const char *regvalue_type_name(uint32_t type)
{
	static const char *const names[] = {
		"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
		"REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ",
		"REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
		"REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
	};

	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	return "an unknown type";
}

void regvalue_describe(const struct fix_reg_value *value, char *buf, size_t size)
{
	char text[REGVALUE_TEXT_MAX - 40];
	uint32_t dword;

	if (regvalue_dword(value, &dword)) {
		snprintf(buf, size, "%lu", (unsigned long)dword);
		return;
	}
	if (value->type == FIX_REG_SZ) {
		bool exact = regvalue_ascii(value, text, sizeof(text));

		snprintf(buf, size, "\"%s\"%s", text, exact ? "" : " (shortened)");
		return;
	}
	if (value->type == FIX_REG_EXPAND_SZ) {
		regvalue_ascii(value, text, sizeof(text));
		snprintf(buf, size, "REG_EXPAND_SZ \"%s\"", text);
		return;
	}
	snprintf(buf, size, "%s, %lu bytes", regvalue_type_name(value->type),
		 (unsigned long)value->size);
}

void regvalue_free(struct fix_reg_value *value)
{
	free(value->data);
	value->data = NULL;
	value->size = 0;
}
