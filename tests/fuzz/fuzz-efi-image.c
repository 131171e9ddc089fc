/*
 * fuzz-efi-image.c - libFuzzer target: the PE check and the wrap rule on
 * any bytes
 *
 * The payload's rescue (in firmware) and the fix engine identify
 * whatever file sits at a loader path (common/efi_image.c on
 * common/pe_header.c) and decide from it (common/wrap_rule.c); the WinPE
 * agent reads ntoskrnl.exe's headers and version resource with the same
 * PE code.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "efi_image.h"
#include "pe_header.h"
#include "wrap_rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pe(const uint8_t *data, size_t size)
{
	struct pe_info info;
	unsigned major = 0, minor = 0, build = 0;

	if (!pe_headers(data, size, &info))
		return;
	/* The resources as the agent reads them: from the file, in bounds. */
	if (info.has_resources && info.resource_offset <= size &&
	    info.resource_size <= size - info.resource_offset)
		pe_file_version(data + info.resource_offset, info.resource_size, &info, &major,
				&minor, &build);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct efi_image_id id;
	struct wrap_file file = { true, true, data, size };
	struct wrap_input in[WRAP_LOADER_COUNT];
	struct wrap_decision out[WRAP_LOADER_COUNT];
	size_t half = size / 2;

	check_pe(data, size);
	efi_image_identify(data, size, &id);
	if (id.has_marker && strnlen(id.version, sizeof(id.version)) >= sizeof(id.version))
		abort();
	if (id.kind == EFI_IMAGE_PAYLOAD && !id.has_marker)
		abort();

	/* The bytes as the loader and its original, and split in two. */
	wrap_input_from_files(&file, &file, data, size, id.version, &in[0]);
	{
		struct wrap_file first = { true, true, data, half };
		struct wrap_file second = { true, true, data + half, size - half };

		wrap_input_from_files(&first, &second, data, size, "0.1.0", &in[1]);
	}
	wrap_decide_esp(in, out);
	for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
		if (wrap_writes_original(out[i].action) && !wrap_writes_payload(out[i].action))
			abort();
	return 0;
}
