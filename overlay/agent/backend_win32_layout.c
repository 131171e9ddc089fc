/*
 * backend_win32_layout.c - which partitions the ESP and Windows are
 *
 * Windows knows: each root lies on a volume, and the volume's storage
 * device number names its disk and partition.  That partition number
 * is the one ARC names use (the kernel resolves partition(N) to
 * \Device\HarddiskX\PartitionN).  Anything short of both roots being
 * partitions of one disk is reported unknown, never guessed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_win32.h"
#include "disk.h"
#include "win32util.h"

static bool locate(const struct win32_fix *fix, enum fix_volume volume, unsigned *disk,
		   unsigned *partition, char *how, size_t how_size)
{
	char root[RELPATH_MAX], reason[256];
	wchar_t *wide;
	DWORD error;
	bool ok;

	relpath_join(fix->root[volume], "", root, sizeof(root));
	wide = wide_from_utf8(root);
	if (!wide) {
		snprintf(how, how_size, "%s: not a name Windows can use", root);
		return false;
	}
	ok = directory_device_number(wide, disk, partition, &error);
	free(wide);
	if (!ok) {
		win32_error_text(error, reason, sizeof(reason));
		snprintf(how, how_size, "%s is not on a disk partition Windows can name (%s)",
			 root, reason);
	}
	return ok;
}

void win32_probe_layout(void *ctx, struct fix_disk_layout *out)
{
	const struct win32_fix *fix = ctx;
	unsigned esp_disk, esp_partition, windows_disk, windows_partition;

	memset(out, 0, sizeof(*out));
	if (!locate(fix, FIX_VOLUME_ESP, &esp_disk, &esp_partition, out->how, sizeof(out->how)) ||
	    !locate(fix, FIX_VOLUME_WINDOWS, &windows_disk, &windows_partition, out->how,
		    sizeof(out->how)))
		return;
	if (esp_disk != windows_disk) {
		snprintf(out->how, sizeof(out->how), "the ESP (disk %u) and Windows (disk %u) are "
			 "on different disks", esp_disk, windows_disk);
		return;
	}
	if (esp_partition == windows_partition) {
		snprintf(out->how, sizeof(out->how), "the ESP and Windows are the same partition "
			 "(%u)", esp_partition);
		return;
	}
	out->known = true;
	out->esp_partition = esp_partition;
	out->windows_partition = windows_partition;
	snprintf(out->how, sizeof(out->how), "from Windows: disk %u, ESP partition %u, Windows "
		 "partition %u", esp_disk, esp_partition, windows_partition);
}
