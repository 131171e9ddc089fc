/*
 * test-marker.c - telling our payload from a Microsoft loader
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "marker.h"
#include "tap.h"
#include "win7gen2.h"

/* A stand-in for a PE file: bytes around a marker as the compiler lays
 * it out, with its terminating NUL. */
static size_t image_with(uint8_t *image, size_t size, const char *text)
{
	size_t length = strlen(text) + 1;

	memset(image, 0xcc, size);
	memcpy(image + size / 2, text, length);
	return size;
}

int main(void)
{
	uint8_t image[4096];
	char version[MARKER_VERSION_MAX];
	size_t size;

	size = image_with(image, sizeof(image), WIN7GEN2_PAYLOAD_MARKER "0.1.0");
	tap_ok(marker_find(image, size, version), "payload marker found");
	tap_is_str(version, "0.1.0", "its version is read up to the NUL");
	tap_ok(marker_find(image, size, NULL), "version may be ignored");

	memset(image, 0, sizeof(image));
	memcpy(image, "MZ", 2);
	tap_ok(!marker_find(image, sizeof(image), version), "a loader without it is not ours");

	size = image_with(image, sizeof(image), WIN7GEN2_PAYLOAD_MARKER);
	tap_ok(!marker_find(image, size, version), "marker without a version does not count");

	/* A marker cut off by the end of the file. */
	memset(image, 0xcc, sizeof(image));
	memcpy(image + sizeof(image) - 10, WIN7GEN2_PAYLOAD_MARKER, 10);
	tap_ok(!marker_find(image, sizeof(image), version), "truncated marker at the end");

	/* A version that never ends within the file. */
	memset(image, 'x', sizeof(image));
	memcpy(image + sizeof(image) - strlen(WIN7GEN2_PAYLOAD_MARKER) - 3,
	       WIN7GEN2_PAYLOAD_MARKER, strlen(WIN7GEN2_PAYLOAD_MARKER));
	tap_ok(!marker_find(image, sizeof(image), version), "version without its NUL");

	size = image_with(image, sizeof(image),
			  WIN7GEN2_PAYLOAD_MARKER "0123456789012345678901234567890123456789");
	tap_ok(!marker_find(image, size, version), "overlong version is refused");

	size = image_with(image, sizeof(image), WIN7GEN2_PAYLOAD_MARKER "0.1\n");
	tap_ok(!marker_find(image, size, version), "control character in the version");

	/* A false start right before the real one. */
	memset(image, 0xcc, sizeof(image));
	memcpy(image + 100, "win7gen2-pay", 12);
	memcpy(image + 112, WIN7GEN2_PAYLOAD_MARKER "2.0", strlen(WIN7GEN2_PAYLOAD_MARKER) + 4);
	tap_ok(marker_find(image, sizeof(image), version), "found after a false start");
	tap_is_str(version, "2.0", "and its version read");

	tap_ok(!marker_find(NULL, 0, version), "no bytes, no marker");
	return tap_done();
}
