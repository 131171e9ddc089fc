/*
 * fuzz-bootopt.c - libFuzzer target: a Boot#### variable, any bytes
 *
 * NVRAM holds what any OS or firmware menu wrote; the payload reads
 * every Boot#### there at each boot of an installed disk.  The input is
 * taken as the option, and also as BootOrder to reorder.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootopt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t hd[BOOTOPT_HD_NODE_SIZE] = { 4, 1, BOOTOPT_HD_NODE_SIZE, 0, 1,
							  [40] = 2, [41] = 2 };
	struct bootopt opt;
	char text[16] = "";
	uint8_t *order;
	size_t written;

	if (bootopt_parse(data, size, &opt)) {
		/* Every part lies inside the input, in order. */
		if (opt.description < data || opt.file_path < opt.description ||
		    opt.optional < opt.file_path || opt.optional + opt.optional_size != data + size ||
		    opt.file_path + opt.file_path_size != opt.optional)
			abort();
		(void)bootopt_starts(&opt, hd, "\\EFI\\win7gen2\\win7gen2.efi");
		(void)bootopt_starts(&opt, hd, "");
		(void)bootopt_file_is(&opt, "\\EFI\\win7gen2\\win7gen2.efi");
		/* Cut to the buffer, NUL-terminated. */
		if (bootopt_description(&opt, text, sizeof(text)) != strlen(text) ||
		    strlen(text) >= sizeof(text))
			abort();
	}

	order = malloc(size + 2);
	if (!order)
		return 0;
	written = bootorder_put_first(data, size, 0x0003, order);
	if (written > size / 2 * 2 + 2 || written < 2 || !bootorder_is_first(order, written, 3))
		abort();
	free(order);
	return 0;
}
