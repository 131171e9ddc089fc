/*
 * layout.c - which partitions the ESP and the Windows volume are (Linux)
 *
 * Windows' ARC names count partitions from 1 in partition-table order
 * (registry.c).  Linux numbers them by their slot in the table, which
 * gives the same numbers as long as the used slots have no gaps; with a
 * gap (or MBR logical partitions, which start at 5) the two differ, and
 * the layout is reported unknown rather than guessed.
 *
 * How a mount point leads to its partition:
 *   1. /proc/self/mountinfo: the mount holding the directory (longest
 *      mount point that is a prefix of its real path, same device
 *      number).  For a FUSE mount such as ntfs-3g the device number is
 *      anonymous; the mount source (/dev/sda3) names the block device.
 *   2. /sys/dev/block/MAJOR:MINOR/partition holds the partition number,
 *      and the directory above it is the whole disk.
 * Both volumes must be partitions of the same disk.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

#define MAX_PARTITIONS 128

struct partition {
	char disk[PATH_MAX]; /* /sys/devices/.../sda */
	char name[64];       /* sda3 */
	unsigned number;
};

/* Says why the layout is unknown; a long name may cut it short. */
static void __attribute__((format(printf, 3, 4)))
say(char *why, size_t size, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(why, size, format, ap);
	va_end(ap);
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static bool is_prefix_dir(const char *mount, const char *path)
{
	size_t n = strlen(mount);

	if (strcmp(mount, "/") == 0)
		return true;
	return strncmp(mount, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The block device number behind a directory, or false with why. */
static bool block_device_of(const char *mountinfo, const char *dir, dev_t *device, char *why,
			    size_t why_size)
{
	char real[PATH_MAX], best_source[PATH_MAX] = "", *line = NULL;
	size_t line_size = 0, best_length = 0;
	struct stat st, source;
	FILE *mounts;

	if (!realpath(dir, real) || stat(real, &st) != 0) {
		say(why, why_size, "%s: %s", dir, strerror(errno));
		return false;
	}
	mounts = fopen(mountinfo, "re");
	if (!mounts) {
		say(why, why_size, "%s: %s", mountinfo, strerror(errno));
		return false;
	}
	while (getline(&line, &line_size, mounts) > 0) {
		unsigned major_number, minor_number;
		char mount_point[PATH_MAX], source_name[PATH_MAX];
		char *dash = strstr(line, " - ");

		/* id parent major:minor root mount-point ... - fstype source ... */
		if (!dash || sscanf(line, "%*u %*u %u:%u %*s %4095s", &major_number,
				    &minor_number, mount_point) != 3 ||
		    sscanf(dash + 3, "%*s %4095s", source_name) != 1)
			continue;
		if (makedev(major_number, minor_number) != st.st_dev)
			continue;
		unescape(mount_point);
		unescape(source_name);
		if (!is_prefix_dir(mount_point, real) || strlen(mount_point) < best_length)
			continue;
		best_length = strlen(mount_point);
		snprintf(best_source, sizeof(best_source), "%s", source_name);
	}
	free(line);
	fclose(mounts);

	*device = st.st_dev;
	if (best_source[0] && stat(best_source, &source) == 0 && S_ISBLK(source.st_mode))
		*device = source.st_rdev;
	return true;
}

static bool read_number(const char *path, unsigned *number)
{
	FILE *file = fopen(path, "re");
	int ok;

	if (!file)
		return false;
	ok = fscanf(file, "%u", number) == 1;
	fclose(file);
	return ok;
}

static bool partition_of(const char *sys_dev_block, dev_t device, struct partition *out,
			 char *why, size_t why_size)
{
	char link[PATH_MAX], path[PATH_MAX + 32], real[PATH_MAX], *slash;

	snprintf(link, sizeof(link), "%s/%u:%u", sys_dev_block, major(device), minor(device));
	if (!realpath(link, real)) {
		say(why, why_size, "device %u:%u is not a block device partition",
			 major(device), minor(device));
		return false;
	}
	snprintf(path, sizeof(path), "%s/partition", real);
	if (!read_number(path, &out->number)) {
		say(why, why_size, "device %u:%u is not a partition", major(device),
			 minor(device));
		return false;
	}
	slash = strrchr(real, '/');
	if (!slash) {
		say(why, why_size, "%s: unexpected sysfs path", real);
		return false;
	}
	snprintf(out->name, sizeof(out->name), "%s", slash + 1);
	*slash = '\0';
	snprintf(out->disk, sizeof(out->disk), "%s", real);
	return true;
}

/* Linux's numbers equal Windows' only if the slots 1..N are all used. */
static bool numbered_without_gaps(const char *disk, char *why, size_t why_size)
{
	bool seen[MAX_PARTITIONS + 1] = { false };
	unsigned count = 0, highest = 0;
	struct dirent *entry;
	DIR *dir = opendir(disk);

	if (!dir) {
		say(why, why_size, "%s: %s", disk, strerror(errno));
		return false;
	}
	while ((entry = readdir(dir)) != NULL) {
		char path[PATH_MAX + 300];
		unsigned number;

		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/partition", disk, entry->d_name);
		if (!read_number(path, &number))
			continue;
		if (number == 0 || number > MAX_PARTITIONS || seen[number]) {
			closedir(dir);
			say(why, why_size, "%s: unusual partition numbering", disk);
			return false;
		}
		seen[number] = true;
		count++;
		highest = number > highest ? number : highest;
	}
	closedir(dir);
	if (count != highest) {
		say(why, why_size, "the disk's partition numbers have gaps (%u partitions, "
			 "highest %u), so Windows numbers them differently", count, highest);
		return false;
	}
	return true;
}

void posix_probe_layout_at(const struct posix_fix *fix, const char *mountinfo,
			   const char *sys_dev_block, struct fix_disk_layout *out)
{
	struct partition esp, windows;
	dev_t esp_device, windows_device;
	char *why = out->how;
	size_t why_size = sizeof(out->how);

	memset(out, 0, sizeof(*out));
	if (!block_device_of(mountinfo, fix->root[FIX_VOLUME_ESP], &esp_device, why, why_size) ||
	    !block_device_of(mountinfo, fix->root[FIX_VOLUME_WINDOWS], &windows_device, why,
			     why_size))
		return;
	if (!partition_of(sys_dev_block, esp_device, &esp, why, why_size) ||
	    !partition_of(sys_dev_block, windows_device, &windows, why, why_size))
		return;
	if (strcmp(esp.disk, windows.disk) != 0) {
		say(why, why_size, "the ESP (%s) and Windows (%s) are on different disks",
			 esp.name, windows.name);
		return;
	}
	if (esp.number == windows.number) {
		say(why, why_size, "the ESP and Windows are the same partition (%s)",
			 esp.name);
		return;
	}
	if (!numbered_without_gaps(esp.disk, why, why_size))
		return;
	out->known = true;
	out->esp_partition = esp.number;
	out->windows_partition = windows.number;
	say(why, why_size, "from the mounts: ESP %s, Windows %s", esp.name, windows.name);
}

void posix_probe_layout(void *ctx, struct fix_disk_layout *out)
{
	posix_probe_layout_at(ctx, "/proc/self/mountinfo", "/sys/dev/block", out);
}
