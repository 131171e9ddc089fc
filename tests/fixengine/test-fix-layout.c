/*
 * test-fix-layout.c - partition numbers from the mounts (Linux backend)
 *
 * FirmwareBootDevice and SystemBootDevice are only set when the backend
 * is sure which partitions the ESP and Windows are.  The probe reads
 * /proc/self/mountinfo and /sys/dev/block; here both are stand-ins in a
 * scratch directory: device nodes made with mknod (root only; otherwise
 * the tests are skipped), a mountinfo naming them as the sources of the
 * two directories, as ntfs-3g's FUSE mount does, and a sysfs tree.
 *
 * SPDX-License-Identifier: MIT
 */
#define _XOPEN_SOURCE 700 /* realpath, mknod */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "posix/posix.h"
#include "fixture.h"
#include "tap.h"

struct fake_system {
	struct tree tree;
	char windows[PATH_MAX / 2]; /* real paths of the two volumes */
	char esp[PATH_MAX / 2];
	char mountinfo[PATH_MAX];
	char sys_dev_block[PATH_MAX];
	dev_t volumes;              /* what stat() says for both directories */
};

/* /sys/devices/<disk>/<partition>/partition and /sys/dev/block/M:m. */
static bool add_sys_partition(struct fake_system *s, const char *disk, const char *name,
			      unsigned number, dev_t device)
{
	char dir[PATH_MAX], file[PATH_MAX + 16], link[PATH_MAX + 32], text[16];

	snprintf(dir, sizeof(dir), "%s/sys/devices/%s/%s", s->tree.root, disk, name);
	snprintf(file, sizeof(file), "%s/partition", dir);
	snprintf(text, sizeof(text), "%u\n", number);
	snprintf(link, sizeof(link), "%s/%u:%u", s->sys_dev_block, major(device), minor(device));
	return file_write(file, text, strlen(text)) && symlink(dir, link) == 0;
}

static bool add_device_node(struct fake_system *s, const char *name, dev_t device)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/dev/%s", s->tree.root, name);
	return mknod(path, S_IFBLK | 0600, device) == 0;
}

/* mountinfo: the ESP mounted from dev/<esp>, Windows from dev/<windows>. */
static bool write_mountinfo(struct fake_system *s, const char *esp, const char *windows)
{
	char text[4 * PATH_MAX];
	int n;

	n = snprintf(text, sizeof(text),
		     "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
		     "40 27 %u:%u / %s rw,relatime shared:1 - vfat %s/dev/%s rw\n"
		     "41 27 %u:%u / %s rw,relatime - fuseblk %s/dev/%s rw,user_id=0\n",
		     major(s->volumes), minor(s->volumes), s->esp, s->tree.root, esp,
		     major(s->volumes), minor(s->volumes), s->windows, s->tree.root, windows);
	return n > 0 && (size_t)n < sizeof(text) && file_write(s->mountinfo, text, (size_t)n);
}

/* realpath() into a buffer of SIZE bytes (realpath itself wants
 * PATH_MAX, which _FORTIFY_SOURCE checks). */
static bool real_path(const char *path, char *out, size_t size)
{
	char *real = realpath(path, NULL);
	bool ok = real && strlen(real) < size;

	if (ok)
		memcpy(out, real, strlen(real) + 1);
	free(real);
	return ok;
}

static bool fake_system_new(struct fake_system *s)
{
	char dir[PATH_MAX];
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (!tree_new(&s->tree) || !real_path(s->tree.windows, s->windows, sizeof(s->windows)) ||
	    !real_path(s->tree.esp, s->esp, sizeof(s->esp)) || stat(s->windows, &st) != 0)
		return false;
	s->volumes = st.st_dev;
	snprintf(s->mountinfo, sizeof(s->mountinfo), "%s/mountinfo", s->tree.root);
	snprintf(s->sys_dev_block, sizeof(s->sys_dev_block), "%s/sys/dev/block", s->tree.root);
	snprintf(dir, sizeof(dir), "%s/dev", s->tree.root);
	return file_write(tree_path(&s->tree, "sys/dev/block/.keep", (char[PATH_MAX]){ 0 }), "",
			  0) && mkdir(dir, 0755) == 0;
}

static void probe(struct fake_system *s, struct fix_disk_layout *layout)
{
	struct posix_fix fix;
	struct fix_error err;

	memset(layout, 0, sizeof(*layout));
	if (posix_fix_init(&fix, s->windows, s->esp, &err) != FIX_OK) {
		tap_diag("posix_fix_init: %s", err.message);
		snprintf(layout->how, sizeof(layout->how), "posix_fix_init failed");
		return;
	}
	posix_probe_layout_at(&fix, s->mountinfo, s->sys_dev_block, layout);
}

int main(void)
{
	const dev_t sda = makedev(8, 0), sda1 = makedev(8, 1), sda2 = makedev(8, 2),
		    sda3 = makedev(8, 3), sdb1 = makedev(8, 17), sdc1 = makedev(8, 33),
		    sdc3 = makedev(8, 35);
	struct fake_system s;
	struct fix_disk_layout layout;
	bool ok;

	ok = fake_system_new(&s);
	tap_ok(ok, "setup: a scratch /proc and /sys");
	if (!ok)
		return tap_done();
	if (!add_device_node(&s, "sda1", sda1)) {
		if (errno == EPERM) {
			printf("ok %u - # SKIP making device nodes is not permitted here\n",
			       ++tap_count);
			tree_remove(&s.tree);
			return tap_done();
		}
		tap_ok(false, "setup: mknod: %s", strerror(errno));
		return tap_done();
	}
	ok = add_device_node(&s, "sda3", sda3) && add_device_node(&s, "sdb1", sdb1) &&
	     add_device_node(&s, "sda", sda) && add_device_node(&s, "sdc1", sdc1) &&
	     add_device_node(&s, "sdc3", sdc3) &&
	     add_sys_partition(&s, "sda", "sda1", 1, sda1) &&
	     add_sys_partition(&s, "sda", "sda2", 2, sda2) &&
	     add_sys_partition(&s, "sda", "sda3", 3, sda3) &&
	     add_sys_partition(&s, "sdb", "sdb1", 1, sdb1) &&
	     add_sys_partition(&s, "sdc", "sdc1", 1, sdc1) &&
	     add_sys_partition(&s, "sdc", "sdc3", 3, sdc3) &&
	     file_write(tree_path(&s.tree, "sys/devices/sda/size", (char[PATH_MAX]){ 0 }), "1", 1) &&
	     symlink(tree_path(&s.tree, "sys/devices/sda", (char[PATH_MAX]){ 0 }),
		     tree_path(&s.tree, "sys/dev/block/8:0", (char[PATH_MAX]){ 0 })) == 0;
	tap_ok(ok, "setup: sda with partitions 1-3, sdb1, sdc with 1 and 3 only");

	ok = write_mountinfo(&s, "sda1", "sda3");
	probe(&s, &layout);
	tap_ok(ok && layout.known && layout.esp_partition == 1 && layout.windows_partition == 3,
	       "ESP on sda1 and Windows on sda3 (FUSE-mounted): partitions 1 and 3 (%s)",
	       layout.how);

	ok = write_mountinfo(&s, "sda1", "sdb1");
	probe(&s, &layout);
	tap_ok(ok && !layout.known && strstr(layout.how, "different disks"),
	       "on two disks: unknown, and why (%s)", layout.how);

	ok = write_mountinfo(&s, "sdc1", "sdc3");
	probe(&s, &layout);
	tap_ok(ok && !layout.known && strstr(layout.how, "gaps"),
	       "partition numbers with a gap: unknown, since Windows counts otherwise (%s)",
	       layout.how);

	ok = write_mountinfo(&s, "sda1", "sda");
	probe(&s, &layout);
	tap_ok(ok && !layout.known && strstr(layout.how, "not a partition"),
	       "a whole disk mounted: unknown (%s)", layout.how);

	ok = write_mountinfo(&s, "sda1", "sda1");
	probe(&s, &layout);
	tap_ok(ok && !layout.known && strstr(layout.how, "same partition"),
	       "both from one partition: unknown (%s)", layout.how);

	ok = file_write(s.mountinfo, "", 0);
	probe(&s, &layout);
	tap_ok(ok && !layout.known && strstr(layout.how, "not a block device partition"),
	       "directories on no known block device: unknown (%s)", layout.how);

	tree_remove(&s.tree);
	return tap_done();
}
