/*
 * efi_image.h - tell our payload from a Microsoft loader, by its bytes
 *
 * win7gen2.efi carries WIN7GEN2_PAYLOAD_MARKER followed by its version
 * and a NUL (common/win7gen2.h, found by marker.h); a Microsoft boot
 * manager never does.  Both are x64 PE images (pe_header.h); anything
 * else at a loader's path is left alone (wrap_rule.h).
 *
 * Plain C without a C library: the payload's rescue and the fix engine
 * identify files with the same code.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_EFI_IMAGE_H
#define WIN7GEN2_EFI_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "marker.h"

enum efi_image_kind {
	EFI_IMAGE_NOT_X64,   /* not an x64 PE image (or truncated) */
	EFI_IMAGE_FOREIGN,   /* an x64 PE image without our marker: a Microsoft loader */
	EFI_IMAGE_PAYLOAD,   /* an x64 PE image with our marker and a version */
};

struct efi_image_id {
	enum efi_image_kind kind;
	int has_marker;      /* marker with a valid version found (even if not x64 PE) */
	int microsoft;       /* UTF-16 "Microsoft" in it, as in every Microsoft
			      * image's version resource: only for reports, a
			      * stand-in loader without it is wrapped all the same */
	char version[MARKER_VERSION_MAX]; /* "" unless has_marker */
};

void efi_image_identify(const uint8_t *data, size_t size, struct efi_image_id *id);

/* Short description for reports: "win7gen2 payload", "Microsoft loader",
 * "x64 EFI loader (not Microsoft's)", "not an x64 EFI application". */
const char *efi_image_name(const struct efi_image_id *id);

/*
 * Compare two payload versions: <0 if a is older than b, 0 if equal, >0
 * if newer.  Runs of digits compare as numbers ("0.10.0" > "0.9.0"),
 * anything else byte by byte; a version that ends where the other goes on
 * with "-" is the newer one ("1.0" > "1.0-rc1"), one that ends where the
 * other goes on otherwise is the older ("1.0" < "1.0.1").
 */
int efi_image_version_compare(const char *a, const char *b);

#endif
