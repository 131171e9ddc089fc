/*
 * bootopt.c - firmware boot options (Boot####, BootOrder), as bytes
 *
 * SPDX-License-Identifier: MIT
 */
#include "bootopt.h"

#include "byteorder.h"

#define NODE_HEADER 4
#define TYPE_MEDIA 4
#define SUBTYPE_HARD_DRIVE 1
#define SUBTYPE_FILE_PATH 4
#define TYPE_END 0x7f
#define SUBTYPE_END_ENTIRE 0xff
#define HD_FORMAT_GPT 2      /* MBRType */
#define HD_SIGNATURE_GUID 2  /* SignatureType */
#define OPTION_HEADER 6      /* Attributes, FilePathListLength */

static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* FAT compares names this way, and so does the firmware finding them. */
static uint16_t fold(uint16_t c)
{
	if (c == '/')
		return '\\';
	if (c >= 'a' && c <= 'z')
		return (uint16_t)(c - 'a' + 'A');
	return c;
}

bool bootopt_parse(const uint8_t *data, size_t size, struct bootopt *opt)
{
	size_t at = OPTION_HEADER, chars = 0;

	if (!data || size < OPTION_HEADER)
		return false;
	opt->attributes = get_le32(data);
	opt->file_path_size = get_le16(data + 4);
	opt->description = data + at;
	for (;;) {
		if (size - at < 2)
			return false; /* no NUL before the end */
		if (get_le16(data + at) == 0)
			break;
		at += 2;
		chars++;
	}
	at += 2;
	opt->description_chars = chars;
	if (opt->file_path_size > size - at)
		return false;
	opt->file_path = data + at;
	at += opt->file_path_size;
	opt->optional = data + at;
	opt->optional_size = size - at;
	return true;
}

bool bootopt_is_gpt_hd(const uint8_t *node, size_t size)
{
	return size == BOOTOPT_HD_NODE_SIZE && node[0] == TYPE_MEDIA &&
	       node[1] == SUBTYPE_HARD_DRIVE && get_le16(node + 2) == BOOTOPT_HD_NODE_SIZE &&
	       node[40] == HD_FORMAT_GPT && node[41] == HD_SIGNATURE_GUID;
}

/* The next character of the path matches c. */
static bool next_is(const char *path, size_t *p, uint16_t c)
{
	if (!path[*p] || fold(c) != fold((uint8_t)path[*p]))
		return false;
	(*p)++;
	return true;
}

/*
 * The file-path nodes from at onwards spell path, joined the way
 * firmware joins them: one '\' between two nodes unless one has it.
 */
static bool file_nodes_spell(const uint8_t *list, size_t size, size_t at, const char *path)
{
	size_t p = 0;
	uint16_t last = 0;
	bool any = false;

	while (size - at >= NODE_HEADER) {
		const uint8_t *node = list + at;
		size_t length = get_le16(node + 2);

		if (length < NODE_HEADER || length > size - at)
			return false;
		if (node[0] == TYPE_END)
			break;
		if (node[0] != TYPE_MEDIA || node[1] != SUBTYPE_FILE_PATH)
			return false;
		for (size_t i = 0; i < (length - NODE_HEADER) / 2; i++) {
			uint16_t c = get_le16(node + NODE_HEADER + 2 * i);

			if (c == 0)
				break;
			if (i == 0 && any && fold(last) != '\\' && fold(c) != '\\' &&
			    !next_is(path, &p, '\\'))
				return false;
			if (!next_is(path, &p, c))
				return false;
			last = c;
		}
		any = true;
		at += length;
	}
	return any && path[p] == '\0';
}

bool bootopt_starts(const struct bootopt *opt, const uint8_t hd[BOOTOPT_HD_NODE_SIZE],
		    const char *path)
{
	const uint8_t *list = opt->file_path;
	size_t size = opt->file_path_size, at = 0;

	while (size - at >= NODE_HEADER) {
		const uint8_t *node = list + at;
		size_t length = get_le16(node + 2);

		if (length < NODE_HEADER || length > size - at || node[0] == TYPE_END)
			return false;
		at += length;
		if (length == BOOTOPT_HD_NODE_SIZE && same_bytes(node, hd, BOOTOPT_HD_NODE_SIZE))
			return file_nodes_spell(list, size, at, path);
	}
	return false;
}

bool bootopt_file_is(const struct bootopt *opt, const char *path)
{
	const uint8_t *list = opt->file_path;
	size_t size = opt->file_path_size, at = 0;

	while (size - at >= NODE_HEADER) {
		const uint8_t *node = list + at;
		size_t length = get_le16(node + 2);

		if (length < NODE_HEADER || length > size - at || node[0] == TYPE_END)
			return false;
		if (node[0] == TYPE_MEDIA && node[1] == SUBTYPE_FILE_PATH)
			return file_nodes_spell(list, size, at, path);
		at += length;
	}
	return false;
}

size_t bootopt_description(const struct bootopt *opt, char *buf, size_t size)
{
	size_t n = 0;

	for (; n < opt->description_chars && n + 1 < size; n++) {
		uint16_t c = get_le16(opt->description + 2 * n);

		buf[n] = c >= 0x20 && c <= 0x7e ? (char)c : '?';
	}
	buf[n] = '\0';
	return n;
}

static size_t ascii_length(const char *text)
{
	size_t n = 0;

	while (text[n]) {
		if ((uint8_t)text[n] < 0x20 || (uint8_t)text[n] > 0x7e)
			return (size_t)-1;
		n++;
	}
	return n;
}

static uint8_t *put_utf16(uint8_t *at, const char *text, size_t chars)
{
	for (size_t i = 0; i < chars; i++, at += 2)
		put_le16(at, (uint8_t)text[i]);
	put_le16(at, 0);
	return at + 2;
}

size_t bootopt_build(uint8_t *buf, size_t buf_size, const char *description,
		     const uint8_t hd[BOOTOPT_HD_NODE_SIZE], const char *path)
{
	size_t description_chars = ascii_length(description);
	size_t path_chars = ascii_length(path);
	size_t file_node, list, total;
	uint8_t *at;

	if (description_chars == (size_t)-1 || path_chars == (size_t)-1 ||
	    !bootopt_is_gpt_hd(hd, BOOTOPT_HD_NODE_SIZE))
		return 0;
	file_node = NODE_HEADER + 2 * (path_chars + 1);
	list = BOOTOPT_HD_NODE_SIZE + file_node + NODE_HEADER;
	if (file_node > 0xffff || list > 0xffff)
		return 0;
	total = OPTION_HEADER + 2 * (description_chars + 1) + list;
	if (total > buf_size)
		return 0;

	at = buf;
	at[0] = (uint8_t)BOOTOPT_ACTIVE;
	at[1] = at[2] = at[3] = 0;
	put_le16(at + 4, (uint16_t)list);
	at = put_utf16(at + OPTION_HEADER, description, description_chars);
	for (size_t i = 0; i < BOOTOPT_HD_NODE_SIZE; i++)
		*at++ = hd[i];
	at[0] = TYPE_MEDIA;
	at[1] = SUBTYPE_FILE_PATH;
	put_le16(at + 2, (uint16_t)file_node);
	at = put_utf16(at + NODE_HEADER, path, path_chars);
	at[0] = TYPE_END;
	at[1] = SUBTYPE_END_ENTIRE;
	put_le16(at + 2, NODE_HEADER);
	return total;
}

uint16_t bootorder_at(const uint8_t *order, size_t i)
{
	return get_le16(order + 2 * i);
}

size_t bootorder_put_first(const uint8_t *order, size_t size, uint16_t number, uint8_t *out)
{
	size_t written = 2;

	put_le16(out, number);
	for (size_t i = 0; i < size / 2; i++) {
		uint16_t entry = bootorder_at(order, i);

		if (entry == number)
			continue;
		put_le16(out + written, entry);
		written += 2;
	}
	return written;
}

bool bootorder_is_first(const uint8_t *order, size_t size, uint16_t number)
{
	return size >= 2 && bootorder_at(order, 0) == number;
}

static const char hex_digits[] = "0123456789ABCDEF";

void bootopt_name(uint16_t number, uint16_t name[BOOTOPT_NAME_CHARS])
{
	name[0] = 'B';
	name[1] = 'o';
	name[2] = 'o';
	name[3] = 't';
	for (int i = 0; i < 4; i++)
		name[4 + i] = (uint16_t)hex_digits[(number >> (12 - 4 * i)) & 0xf];
	name[8] = 0;
}

bool bootopt_name_number(const uint16_t *name, uint16_t *number)
{
	uint16_t value = 0;

	if (name[0] != 'B' || name[1] != 'o' || name[2] != 'o' || name[3] != 't')
		return false;
	for (int i = 4; i < 8; i++) {
		uint16_t c = name[i];

		if (c >= '0' && c <= '9')
			value = (uint16_t)(value << 4 | (c - '0'));
		else if (c >= 'A' && c <= 'F')
			value = (uint16_t)(value << 4 | (c - 'A' + 10));
		else
			return false;
	}
	if (name[8] != 0)
		return false;
	*number = value;
	return true;
}
