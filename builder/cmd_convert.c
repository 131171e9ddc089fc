/*
 * cmd_convert.c - win7gen2 convert: a Generation 1 Windows 7 disk made Gen2
 *
 * The Linux side of the conversion engine (fixengine/convert.h): it
 * reads the disk - a raw image or a block device, never mounted - hands
 * the bytes to the engine's checks, looks inside the NTFS partitions
 * through libntfs-3g (ntfspart.c) and hivex, and prints the plan.
 *
 * Every check runs before anything is written; a refusal names its
 * reason ("refused (bitlocker): ...") and leaves the disk as it was.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE /* F_OFD_GETLK */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

#include <ftw.h>
#include <hivex.h>
#include <zlib.h>

#include "byteorder.h"
#include "commands.h"
#include "convert.h"
#include "convert_bcd.h"
#include "convert_hive.h"
#include "fix.h"
#include "numbers.h"
#include "partition_table.h"
#include "payload.h"
#include "posix/posix.h"
#include "run.h"
#include "ntfspart.h"
#include "text.h"
#include "usage.h"

#define SOFTWARE_HIVE_PATH "Windows/System32/config/SOFTWARE"
#define SYSTEM_HIVE_PATH "Windows/System32/config/SYSTEM"
#define BOOT_EFI_PATH "Windows/Boot/EFI/bootmgfw.efi"
#define BCD_TEMPLATE_PATH "Windows/System32/config/BCD-Template"
/* Windows 7 SP1 and Server 2008 R2 SP1: NT 6.1, build 7601. */
#define WINDOWS_VERSION "6.1"
#define WINDOWS_SP1_BUILD 7601
/* CONVERT_UNDO_DIR as Windows shows it. */
#define UNDO_DIR_SHOWN "\\win7gen2\\gen1\\"

/* win7gen2.efi, read before anything is written. */
struct payload_file {
	char *path;
	unsigned char *data;
	size_t size;
};

static void usage(FILE *out)
{
	fputs("Usage: win7gen2 convert --disk IMAGE|DEVICE [OPTIONS]\n"
	      "\n"
	      "Move a 64-bit Windows 7 SP1 installed on a Hyper-V Generation 1 VM (BIOS,\n"
	      "MBR) to Generation 2 (UEFI, GPT), in place and undoably.  The disk is a\n"
	      "raw image or a block device; it must not be in use by a running VM.\n"
	      "\n"
	      "  --disk PATH       the disk: a raw image (qemu-img convert a VHDX to raw\n"
	      "                    first) or a device such as /dev/nbd0\n"
	      "  --payload FILE    the win7gen2.efi the Gen2 fix installs (default: the one\n"
	      "                    built beside this program, else the installed one)\n"
	      "  -n, --dry-run     check the disk and show the plan; change nothing\n"
	      "  --undo            put back what convert changed: the MBR, System\n"
	      "                    Reserved byte for byte, the SYSTEM hive (with\n"
	      "                    --dry-run: check the undo data only)\n"
	      "  -h, --help        show this help\n"
	      "\n"
	      "Checked before anything changes, each refused by name with nothing\n"
	      "written: a GPT disk, no MBR, extended or dynamic partitions, BitLocker,\n"
	      "a hibernated Windows, no 100 MiB System Reserved partition beside\n"
	      "Windows (shrinking Windows for an ESP is not done), no Windows 7 SP1\n"
	      "x64, no room for GPT's 33 sectors at the disk's end (the message says\n"
	      "how much to grow it), a disk that cannot be written, a disk in use (a\n"
	      "mounted partition, an image a running VM holds locked).\n"
	      "\n"
	      "Then, in this order: what --undo needs goes to \\win7gen2\\gen1\\ on the\n"
	      "Windows volume (the disk's first and last MiB, System Reserved gzipped,\n"
	      "the SYSTEM hive, and convert.txt saying where each goes) and is read\n"
	      "back; GPT is written with every partition on its old sectors; System\n"
	      "Reserved is formatted FAT32 as the ESP and receives \\Windows\\Boot\\EFI\\\n"
	      "as \\EFI\\Microsoft\\Boot\\ and \\EFI\\Boot\\bootx64.efi with a UEFI BCD\n"
	      "made from BCD-Template; MountedDevices takes the GPT form; then the\n"
	      "Gen2 fix runs on the new ESP and the SYSTEM hive as 'win7gen2 fix' does.\n"
	      "\n"
	      "Exit status: 0 the disk can be converted (dry run); 1 refused or\n"
	      "failed; 2 wrong usage.\n", out);
}

struct convert_args {
	const char *disk;
	const char *payload;
	bool dry_run;
	bool undo;
};

static int parse_args(int argc, char **argv, struct convert_args *args)
{
	enum { O_DISK = 256, O_UNDO, O_PAYLOAD };
	static const struct option options[] = {
		{ "disk", required_argument, NULL, O_DISK },
		{ "payload", required_argument, NULL, O_PAYLOAD },
		{ "undo", no_argument, NULL, O_UNDO },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int option;

	memset(args, 0, sizeof(*args));
	opterr = 0;
	optind = 1;
	while ((option = getopt_long(argc, argv, USAGE_OPTSTRING("+", "nh"), options,
				      NULL)) != -1) {
		switch (option) {
		case O_DISK: args->disk = optarg; break;
		case O_UNDO: args->undo = true; break;
		case O_PAYLOAD: args->payload = optarg; break;
		case 'n': args->dry_run = true; break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			return usage_option_error("convert", option, argv, options);
		}
	}
	if (optind < argc)
		return usage_error("convert", "unexpected argument \"%s\"", argv[optind]);
	if (!args->disk)
		return usage_error("convert", "--disk IMAGE|DEVICE is needed: the Generation 1 "
				   "disk to convert");
	return 0;
}

struct disk {
	const char *name;
	int fd;
	bool block_device;
	uint64_t blocks;
	size_t block_size;
};

static int disk_open(struct disk *disk, const char *name, struct text *err)
{
	struct stat st;

	memset(disk, 0, sizeof(*disk));
	disk->name = name;
	disk->fd = open(name, O_RDONLY | O_CLOEXEC);
	if (disk->fd < 0 || fstat(disk->fd, &st) < 0) {
		text_appendf(err, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode)) {
		uint64_t bytes;
		int sector;

		disk->block_device = true;
		if (ioctl(disk->fd, BLKGETSIZE64, &bytes) < 0 ||
		    ioctl(disk->fd, BLKSSZGET, &sector) < 0 || sector <= 0) {
			text_appendf(err, "%s: its size is unknown (%s)", name, strerror(errno));
			return -1;
		}
		disk->block_size = (size_t)sector;
		disk->blocks = bytes / (uint64_t)sector;
	} else if (S_ISREG(st.st_mode)) {
		disk->block_size = CONVERT_BLOCK_SIZE;
		if (st.st_size % CONVERT_BLOCK_SIZE) {
			text_appendf(err, "%s: %lld bytes is not a whole number of 512-byte "
				     "sectors: is this a raw disk image? (qemu-img convert -O raw "
				     "makes one from a VHDX)", name, (long long)st.st_size);
			return -1;
		}
		disk->blocks = (uint64_t)st.st_size / CONVERT_BLOCK_SIZE;
	} else {
		text_appendf(err, "%s: neither a disk image file nor a block device", name);
		return -1;
	}
	if (disk->blocks < 2 * CONVERT_GPT_END_BLOCKS + 2) {
		text_appendf(err, "%s: %llu sectors is too small to be a Windows disk", name,
			     (unsigned long long)disk->blocks);
		return -1;
	}
	return 0;
}

static int disk_read(const struct disk *disk, uint64_t lba, void *buf, size_t size,
		     struct text *err)
{
	size_t done = 0;

	while (done < size) {
		ssize_t got = pread(disk->fd, (char *)buf + done, size - done,
				    (off_t)(lba * disk->block_size + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			text_appendf(err, "%s: reading sector %llu failed (%s)", disk->name,
				     (unsigned long long)lba, got < 0 ? strerror(errno) :
				     "the disk ends there");
			return -1;
		}
		done += (size_t)got;
	}
	return 0;
}

struct windows_found {
	char product[128];
	char build[16];
};

/*
 * Is this partition's Windows one convert can move: Windows 7 or Server
 * 2008 R2 (NT 6.1) with SP1 (build 7601), x64 (the SYSTEM hive's
 * PROCESSOR_ARCHITECTURE is AMD64), with the UEFI boot manager Windows
 * keeps in \Windows\Boot\EFI?  0 yes; 1 no Windows here (err empty);
 * 1 with the reason in err when it is some other Windows; -1 error.
 */
static int check_windows(struct ntfspart *part, struct windows_found *found,
			 struct text *err)
{
	uint8_t *data = NULL;
	size_t size;
	hive_h *hive;
	int hive_fd, rc;
	char *value, key[96];
	int32_t current;

	rc = ntfspart_read_file(part, SYSTEM_HIVE_PATH, FIX_MAX_HIVE_SIZE, &data, &size, err);
	if (rc <= 0)
		return rc < 0 ? -1 : 1;
	hive = convert_hive_open(data, size, &hive_fd, 0);
	free(data);
	if (!hive) {
		text_append(err, "\\Windows\\System32\\config\\SYSTEM is not a registry hive "
			    "hivex can read");
		return 1;
	}
	current = convert_hive_dword(hive, "Select", "Current");
	snprintf(key, sizeof(key), "ControlSet%03d\\Control\\Session Manager\\Environment",
		 current > 0 && current < 1000 ? (int)current : 1);
	value = convert_hive_string(hive, key, "PROCESSOR_ARCHITECTURE");
	hivex_close(hive);
	close(hive_fd);
	if (!value || strcasecmp(value, "AMD64") != 0) {
		text_appendf(err, "this Windows is for %s, not x64: only 64-bit Windows boots "
			     "by UEFI", value ? value : "an unknown processor");
		free(value);
		return 1;
	}
	free(value);

	rc = ntfspart_read_file(part, SOFTWARE_HIVE_PATH, FIX_MAX_HIVE_SIZE, &data, &size, err);
	if (rc <= 0) {
		if (rc == 0)
			text_append(err, "\\Windows\\System32\\config\\SOFTWARE is missing");
		return rc < 0 ? -1 : 1;
	}
	hive = convert_hive_open(data, size, &hive_fd, 0);
	free(data);
	if (!hive) {
		text_append(err, "\\Windows\\System32\\config\\SOFTWARE is not a registry hive "
			    "hivex can read");
		return 1;
	}
	value = convert_hive_string(hive, "Microsoft\\Windows NT\\CurrentVersion", "CurrentVersion");
	if (value && strcmp(value, WINDOWS_VERSION) == 0) {
		char *build = convert_hive_string(hive, "Microsoft\\Windows NT\\CurrentVersion",
					  "CurrentBuild");
		char *product = convert_hive_string(hive, "Microsoft\\Windows NT\\CurrentVersion",
					    "ProductName");

		snprintf(found->build, sizeof(found->build), "%s", build ? build : "?");
		snprintf(found->product, sizeof(found->product), "%s",
			 product ? product : "Windows");
		free(build);
		free(product);
	}
	hivex_close(hive);
	close(hive_fd);
	if (!value || strcmp(value, WINDOWS_VERSION) != 0) {
		text_appendf(err, "this is Windows NT %s, not Windows 7 or Server 2008 R2 (6.1)",
			     value ? value : "of an unknown version");
		free(value);
		return 1;
	}
	free(value);
	if (atoi(found->build) < WINDOWS_SP1_BUILD) {
		text_appendf(err, "%s build %s has no Service Pack 1, which Gen2 needs: "
			     "install SP1 in the Gen1 VM first", found->product, found->build);
		return 1;
	}
	rc = ntfspart_read_file(part, BOOT_EFI_PATH, 16u << 20, &data, &size, err);
	free(data);
	if (rc == 0)
		text_append(err, "\\Windows\\Boot\\EFI\\bootmgfw.efi, the UEFI boot manager the "
			    "ESP receives, is missing");
	if (rc <= 0)
		return rc < 0 ? -1 : 1;
	rc = ntfspart_read_file(part, BCD_TEMPLATE_PATH, FIX_MAX_HIVE_SIZE, &data, &size, err);
	free(data);
	if (rc == 0)
		text_append(err, "\\Windows\\System32\\config\\BCD-Template, which the UEFI boot "
			    "store is made from, is missing");
	return rc < 0 ? -1 : rc == 0 ? 1 : 0;
}

/* What Windows 7 Setup and Windows itself put on System Reserved: the
 * boot manager and its store, the boot sector copy bootsect.exe keeps,
 * Windows RE, and NTFS's per-volume folders. */
static const char *const boot_files[] = {
	"bootmgr", "BOOTSECT.BAK", "Boot", "Recovery", "System Volume Information",
	"$RECYCLE.BIN",
};

struct root_check {
	char unexpected[256];
	bool has_windows;
};

static void note_root_name(void *ctx, const char *name)
{
	struct root_check *check = ctx;

	if (strcasecmp(name, "Windows") == 0)
		check->has_windows = true;
	for (size_t i = 0; i < sizeof(boot_files) / sizeof(boot_files[0]); i++)
		if (strcasecmp(name, boot_files[i]) == 0)
			return;
	if (!check->unexpected[0])
		snprintf(check->unexpected, sizeof(check->unexpected), "%s", name);
}

static enum convert_refusal refused(const struct disk *disk, enum convert_refusal refusal,
				    const char *message)
{
	fprintf(stderr, "win7gen2 convert: %s: refused (%s): %s\n"
		"Nothing was changed.\n", disk->name, convert_refusal_name(refusal), message);
	return refusal;
}

/* Every check that reads the disk, in order: 0 with layout complete, or
 * 1 with the refusal or the read error already printed. */
static int check_disk(struct disk *disk, struct convert_layout *layout,
		      struct windows_found *windows)
{
	uint8_t lba0[CONVERT_BLOCK_SIZE];
	uint8_t boot[CONVERT_MBR_SLOTS][CONVERT_BLOCK_SIZE];
	const uint8_t *boot_sector[CONVERT_MBR_SLOTS] = { NULL };
	struct fix_error fix_err;
	struct text err = TEXT_INIT;
	enum convert_refusal refusal;
	struct root_check root = { "", false };
	struct ntfspart *part;
	int rc = -1;

	if (disk->block_size != CONVERT_BLOCK_SIZE) {
		(void)convert_read_mbr(lba0, disk->block_size, disk->blocks, layout, &fix_err);
		refused(disk, CONVERT_REFUSE_BLOCK_SIZE, fix_err.message);
		return 1;
	}
	if (disk_read(disk, 0, lba0, sizeof(lba0), &err) < 0)
		goto io_error;
	refusal = convert_read_mbr(lba0, disk->block_size, disk->blocks, layout, &fix_err);
	if (refusal != CONVERT_ACCEPTED) {
		refused(disk, refusal, fix_err.message);
		return 1;
	}
	for (unsigned i = 0; i < layout->count; i++) {
		if (disk_read(disk, layout->partition[i].first_lba, boot[i], CONVERT_BLOCK_SIZE,
			      &err) < 0)
			goto io_error;
		boot_sector[i] = boot[i];
	}
	refusal = convert_check_volumes(layout, boot_sector, &fix_err);
	if (refusal != CONVERT_ACCEPTED) {
		refused(disk, refusal, fix_err.message);
		return 1;
	}

	/* System Reserved first: its content decides whether it can be the ESP. */
	part = ntfspart_open(disk->fd, disk->name,
			     layout->partition[layout->esp].first_lba * CONVERT_BLOCK_SIZE,
			     layout->partition[layout->esp].blocks * CONVERT_BLOCK_SIZE, false, &err);
	if (!part)
		goto io_error;
	rc = ntfspart_list_root(part, note_root_name, &root, &err);
	ntfspart_close(part);
	if (rc < 0)
		goto io_error;
	rc = -1;
	if (root.unexpected[0]) {
		text_reset(&err);
		if (root.has_windows)
			text_appendf(&err, "the active partition %d holds Windows itself: Windows "
				     "and its boot files share one partition, and shrinking it for "
				     "an ESP is not done (it moves data and cannot be undone byte "
				     "for byte)", layout->esp + 1);
		else
			text_appendf(&err, "System Reserved (partition %d) holds \"%s\", which is "
				     "not a boot file: it would be lost when the partition becomes "
				     "the ESP; move it to the Windows partition first",
				     layout->esp + 1, root.unexpected);
		refused(disk, CONVERT_REFUSE_NO_SYSTEM_RESERVED, text_string(&err));
		goto out_refused;
	}
	for (unsigned i = 0; i < layout->count && layout->windows < 0; i++) {
		const struct convert_partition *partition = &layout->partition[i];
		int found;

		if (!partition->ntfs || partition->role != CONVERT_ROLE_DATA)
			continue;
		part = ntfspart_open(disk->fd, disk->name, partition->first_lba * CONVERT_BLOCK_SIZE,
				     partition->blocks * CONVERT_BLOCK_SIZE, false, &err);
		if (!part)
			goto io_error;
		found = check_windows(part, windows, &err);
		ntfspart_close(part);
		if (found < 0)
			goto io_error;
		if (found == 0)
			convert_set_windows(layout, i);
		else if (err.length) {
			refused(disk, CONVERT_REFUSE_NO_WINDOWS, text_string(&err));
			goto out_refused;
		}
	}
	if (layout->windows >= 0) {
		/* A hibernated Windows resumes its memory image over whatever
		 * changed on disk, and libntfs-3g will not write its volume. */
		uint8_t head[4];
		size_t got;

		part = ntfspart_open(disk->fd, disk->name,
				     layout->partition[layout->windows].first_lba * CONVERT_BLOCK_SIZE,
				     layout->partition[layout->windows].blocks * CONVERT_BLOCK_SIZE,
				     false, &err);
		if (!part)
			goto io_error;
		rc = ntfspart_read_head(part, "hiberfil.sys", head, sizeof(head), &got, &err);
		ntfspart_close(part);
		if (rc < 0)
			goto io_error;
		if (rc > 0 && got == sizeof(head) && (memcmp(head, "hibr", 4) == 0 ||
						      memcmp(head, "HIBR", 4) == 0)) {
			refused(disk, CONVERT_REFUSE_HIBERNATED, "Windows is hibernated "
				"(\\hiberfil.sys holds its memory): start it in the Gen1 VM and "
				"shut it down, not hibernate, then convert");
			goto out_refused;
		}
		rc = -1;
	}
	if (layout->windows < 0) {
		refused(disk, CONVERT_REFUSE_NO_WINDOWS,
			"no NTFS partition holds \\Windows\\System32\\config\\SYSTEM: there is "
			"no installed Windows on this disk");
		goto out_refused;
	}

	text_free(&err);
	return 0;

io_error:
	fprintf(stderr, "win7gen2 convert: %s\nNothing was changed.\n", text_string(&err));
out_refused:
	text_free(&err);
	return 1;
}

/* A mounted partition (the kernel holds the device exclusively) or an
 * image QEMU has open (it keeps byte-range locks on it) would be written
 * under a running system's feet. */
static int check_not_in_use(const struct disk *disk)
{
	struct flock lock;
	int fd;

	if (disk->block_device) {
		fd = open(disk->name, O_RDONLY | O_EXCL | O_CLOEXEC);
		if (fd < 0 && errno == EBUSY) {
			refused(disk, CONVERT_REFUSE_IN_USE, "a partition of it is mounted or the "
				"device is held open: unmount it and stop the VM first");
			return 1;
		}
		if (fd >= 0)
			close(fd);
		return 0;
	}
	memset(&lock, 0, sizeof(lock));
	lock.l_type = F_WRLCK;
	lock.l_whence = SEEK_SET;
	fd = open(disk->name, O_RDWR | O_CLOEXEC);
	if (fd >= 0 && fcntl(fd, F_OFD_GETLK, &lock) == 0 && lock.l_type != F_UNLCK) {
		refused(disk, CONVERT_REFUSE_IN_USE, "another program holds a lock on the image "
			"(a running VM?): stop it first");
		close(fd);
		return 1;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

/* Opening for writing changes nothing, and tells a read-only image or
 * device (file mode, a read-only mount, a write-protected device) now
 * rather than after the checks have been believed. */
static int check_writable(const struct disk *disk)
{
	int fd = open(disk->name, O_RDWR | O_CLOEXEC);
	int read_only = 0;
	char message[512];

	if (fd < 0) {
		snprintf(message, sizeof(message), "it cannot be opened for writing (%s): "
			 "convert writes the partition table in place; give a writable "
			 "copy or run as a user who may write it", strerror(errno));
		refused(disk, CONVERT_REFUSE_READ_ONLY, message);
		return 1;
	}
	if (disk->block_device && ioctl(fd, BLKROGET, &read_only) == 0 && read_only) {
		refused(disk, CONVERT_REFUSE_READ_ONLY, "the block device is read-only "
			"(blockdev --setrw, or attach the disk read-write)");
		close(fd);
		return 1;
	}
	close(fd);
	return check_not_in_use(disk);
}

static int random_bytes(uint8_t *buf, size_t size)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t got = read(fd, buf + done, size - done);

		if (got <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)got;
	}
	close(fd);
	return 0;
}

/* 0 with the whole range in *out (malloc()ed), or -1 with the reason. */
static int read_blocks(const struct disk *disk, uint64_t lba, uint64_t blocks, uint8_t **out,
		       struct text *err)
{
	*out = malloc((size_t)(blocks * CONVERT_BLOCK_SIZE));
	if (!*out) {
		text_appendf(err, "out of memory reading %llu sectors", (unsigned long long)blocks);
		return -1;
	}
	if (disk_read(disk, lba, *out, (size_t)(blocks * CONVERT_BLOCK_SIZE), err) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int write_blocks(int fd, const char *name, uint64_t lba, const void *data, size_t size,
			struct text *err)
{
	size_t done = 0;

	while (done < size) {
		ssize_t put = pwrite(fd, (const char *)data + done, size - done,
				     (off_t)(lba * CONVERT_BLOCK_SIZE + done));

		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0) {
			text_appendf(err, "%s: writing sector %llu failed (%s)", name,
				     (unsigned long long)lba, put < 0 ? strerror(errno) : "no space");
			return -1;
		}
		done += (size_t)put;
	}
	return 0;
}

/* gzip (not raw deflate), so that a user without win7gen2 can restore
 * System Reserved with gunzip and dd. */
static int gzip_bytes(const uint8_t *in, size_t size, uint8_t **out, size_t *out_size,
		      struct text *err)
{
	z_stream z;
	size_t bound;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		text_append(err, "zlib does not start");
		return -1;
	}
	bound = deflateBound(&z, (uLong)size) + 64;
	*out = malloc(bound);
	if (!*out) {
		deflateEnd(&z);
		text_append(err, "out of memory compressing System Reserved");
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)size;
	z.next_out = *out;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(*out);
		text_append(err, "compressing System Reserved failed");
		return -1;
	}
	*out_size = z.total_out;
	deflateEnd(&z);
	return 0;
}

/* Exactly size bytes out of the gzip data, or -1. */
static int gunzip_bytes(const uint8_t *in, size_t in_size, size_t size, uint8_t **out,
			struct text *err)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	*out = malloc(size ? size : 1);
	if (!*out || inflateInit2(&z, 15 + 16) != Z_OK) {
		free(*out);
		text_append(err, "out of memory, or zlib does not start");
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)in_size;
	z.next_out = *out;
	z.avail_out = (uInt)size;
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (rc != Z_STREAM_END || z.total_out != size) {
		free(*out);
		text_appendf(err, "the System Reserved image is damaged or not %zu bytes", size);
		return -1;
	}
	return 0;
}

struct undo_files {
	uint8_t *first, *last, *sysres, *sysres_gz, *hive;
	size_t sysres_gz_size, hive_size;
	struct convert_undo undo;
};

static void undo_files_free(struct undo_files *files)
{
	free(files->first);
	free(files->last);
	free(files->sysres);
	free(files->sysres_gz);
	free(files->hive);
}

static const char *const undo_names[] = {
	CONVERT_UNDO_FIRST_MIB, CONVERT_UNDO_LAST_MIB, CONVERT_UNDO_SYSTEM_RESERVED, CONVERT_UNDO_HIVE,
};

static void undo_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", CONVERT_UNDO_DIR, name);
}

static uint32_t crc_of(const uint8_t *data, size_t size)
{
	return partition_crc32(data, size);
}

/* Step 1 of writing: what --undo needs, onto the Windows volume, read
 * back before anything else is touched. */
static int keep_undo(const struct disk *disk, int wfd, const struct convert_layout *layout,
		     struct undo_files *files, struct text *err)
{
	const struct convert_partition *windows = &layout->partition[layout->windows];
	const struct convert_partition *esp = &layout->partition[layout->esp];
	uint64_t edge = CONVERT_UNDO_EDGE_BYTES / CONVERT_BLOCK_SIZE;
	struct text manifest = TEXT_INIT;
	struct ntfspart *part;
	char path[128];
	int rc = -1;

	memset(files, 0, sizeof(*files));
	if (read_blocks(disk, 0, edge, &files->first, err) < 0 ||
	    read_blocks(disk, disk->blocks - edge, edge, &files->last, err) < 0 ||
	    read_blocks(disk, esp->first_lba, esp->blocks, &files->sysres, err) < 0 ||
	    gzip_bytes(files->sysres, (size_t)(esp->blocks * CONVERT_BLOCK_SIZE),
		       &files->sysres_gz, &files->sysres_gz_size, err) < 0)
		return -1;
	part = ntfspart_open(wfd, disk->name, windows->first_lba * CONVERT_BLOCK_SIZE,
			     windows->blocks * CONVERT_BLOCK_SIZE, true, err);
	if (!part)
		return -1;
	if (ntfspart_read_file(part, SYSTEM_HIVE_PATH, FIX_MAX_HIVE_SIZE, &files->hive,
			       &files->hive_size, err) <= 0) {
		ntfspart_close(part);
		return -1;
	}
	files->undo.disk_blocks = disk->blocks;
	files->undo.disk_signature = layout->disk_signature;
	files->undo.esp_first_lba = esp->first_lba;
	files->undo.esp_blocks = esp->blocks;
	files->undo.first_mib_crc = crc_of(files->first, CONVERT_UNDO_EDGE_BYTES);
	files->undo.last_mib_crc = crc_of(files->last, CONVERT_UNDO_EDGE_BYTES);
	files->undo.system_reserved_crc = crc_of(files->sysres,
						 (size_t)(esp->blocks * CONVERT_BLOCK_SIZE));
	files->undo.hive_size = files->hive_size;
	files->undo.hive_crc = crc_of(files->hive, files->hive_size);
	convert_undo_format(&files->undo, &manifest);
	{
		const uint8_t *data[] = { files->first, files->last, files->sysres_gz, files->hive };
		size_t sizes[] = { CONVERT_UNDO_EDGE_BYTES, CONVERT_UNDO_EDGE_BYTES,
				   files->sysres_gz_size, files->hive_size };

		for (size_t i = 0; i < 4; i++) {
			undo_path(path, sizeof(path), undo_names[i]);
			if (ntfspart_write_file(part, path, data[i], sizes[i], err) < 0)
				goto out;
		}
	}
	/* The manifest last: its presence says the set is complete. */
	undo_path(path, sizeof(path), CONVERT_UNDO_MANIFEST);
	if (manifest.failed || ntfspart_write_file(part, path, (const uint8_t *)manifest.data,
						   manifest.length, err) < 0)
		goto out;
	rc = 0;
out:
	if (ntfspart_close(part) < 0 && rc == 0) {
		text_appendf(err, "%s: the Windows volume did not reach the disk (%s)", disk->name,
			     strerror(errno));
		rc = -1;
	}
	text_free(&manifest);
	return rc;
}

/* The undo set as --undo will read it: every file, every CRC. */
static int load_undo(const struct disk *disk, uint64_t first_lba, uint64_t blocks,
		     struct undo_files *files, struct text *err)
{
	struct ntfspart *part = ntfspart_open(disk->fd, disk->name, first_lba * CONVERT_BLOCK_SIZE,
					      blocks * CONVERT_BLOCK_SIZE, false, err);
	uint8_t *manifest = NULL;
	size_t size, first_size = 0, last_size = 0;
	struct fix_error fix_err;
	char path[128];
	int found, rc = -1;

	memset(files, 0, sizeof(*files));
	if (!part)
		return -1;
	undo_path(path, sizeof(path), CONVERT_UNDO_MANIFEST);
	found = ntfspart_read_file(part, path, CONVERT_UNDO_MANIFEST_MAX, &manifest, &size, err);
	if (found <= 0) {
		rc = found < 0 ? -1 : 1;
		goto out;
	}
	if (!convert_undo_parse(manifest, size, &files->undo, &fix_err)) {
		text_appendf(err, "\\%s: %s", path, fix_err.message);
		goto out;
	}
	undo_path(path, sizeof(path), undo_names[0]);
	if (ntfspart_read_file(part, path, CONVERT_UNDO_EDGE_BYTES, &files->first, &first_size,
			       err) <= 0)
		goto missing;
	undo_path(path, sizeof(path), undo_names[1]);
	if (ntfspart_read_file(part, path, CONVERT_UNDO_EDGE_BYTES, &files->last, &last_size,
			       err) <= 0)
		goto missing;
	undo_path(path, sizeof(path), undo_names[2]);
	if (ntfspart_read_file(part, path, (size_t)(files->undo.esp_blocks * CONVERT_BLOCK_SIZE) +
			       (1u << 20), &files->sysres_gz, &files->sysres_gz_size, err) <= 0)
		goto missing;
	undo_path(path, sizeof(path), undo_names[3]);
	if (ntfspart_read_file(part, path, FIX_MAX_HIVE_SIZE, &files->hive, &files->hive_size,
			       err) <= 0)
		goto missing;
	if (gunzip_bytes(files->sysres_gz, files->sysres_gz_size,
			 (size_t)(files->undo.esp_blocks * CONVERT_BLOCK_SIZE), &files->sysres,
			 err) < 0)
		goto out;
	if (first_size != CONVERT_UNDO_EDGE_BYTES || last_size != CONVERT_UNDO_EDGE_BYTES ||
	    crc_of(files->first, first_size) != files->undo.first_mib_crc ||
	    crc_of(files->last, last_size) != files->undo.last_mib_crc ||
	    crc_of(files->sysres, (size_t)(files->undo.esp_blocks * CONVERT_BLOCK_SIZE)) !=
		    files->undo.system_reserved_crc ||
	    files->hive_size != files->undo.hive_size ||
	    crc_of(files->hive, files->hive_size) != files->undo.hive_crc) {
		text_append(err, UNDO_DIR_SHOWN ": a file there does not match its CRC-32 in "
			    CONVERT_UNDO_MANIFEST ": the undo data is damaged");
		goto out;
	}
	rc = 0;
	goto out;
missing:
	if (!err->length)
		text_appendf(err, "\\%s is missing: the undo data is incomplete", path);
out:
	free(manifest);
	ntfspart_close(part);
	return rc;
}

/* Step 2: the new table.  The backup first and the protective MBR last,
 * so that until the end the MBR still describes the disk. */
static int write_gpt(int wfd, const struct disk *disk, const struct convert_layout *layout,
		     struct text *err)
{
	static struct convert_gpt gpt;

	convert_build_gpt(layout, &gpt);
	if (write_blocks(wfd, disk->name, gpt.backup_entries_lba, gpt.entries,
			 sizeof(gpt.entries), err) < 0 ||
	    write_blocks(wfd, disk->name, gpt.backup_header_lba, gpt.backup_header,
			 sizeof(gpt.backup_header), err) < 0 ||
	    write_blocks(wfd, disk->name, gpt.primary_entries_lba, gpt.entries,
			 sizeof(gpt.entries), err) < 0 ||
	    write_blocks(wfd, disk->name, 1, gpt.primary_header, sizeof(gpt.primary_header),
			 err) < 0 ||
	    fsync(wfd) < 0 ||
	    write_blocks(wfd, disk->name, 0, gpt.protective_mbr, sizeof(gpt.protective_mbr),
			 err) < 0 ||
	    fsync(wfd) < 0) {
		if (!err->length)
			text_appendf(err, "%s: %s", disk->name, strerror(errno));
		return -1;
	}
	if (disk->block_device)
		(void)ioctl(wfd, BLKRRPART);
	return 0;
}

static const char *sbin_tool(const char *name, char *buf, size_t size)
{
	/* mkfs.fat lives in sbin, which a user's PATH may lack. */
	snprintf(buf, size, "/usr/sbin/%s", name);
	if (access(buf, X_OK) == 0)
		return buf;
	snprintf(buf, size, "/sbin/%s", name);
	return access(buf, X_OK) == 0 ? buf : name;
}

struct extract_job {
	struct ntfspart *part;
	const char *prefix;  /* "Windows/Boot/EFI" */
	const char *target;  /* local folder receiving it */
	struct text *err;
};

static int extract_one(void *ctx, const char *path, bool is_dir)
{
	struct extract_job *job = ctx;
	const char *rest = path + strlen(job->prefix);
	char local[4096];
	uint8_t *data;
	size_t size;
	FILE *file;
	int rc;

	if (strstr(rest, "/../") || snprintf(local, sizeof(local), "%s%s", job->target, rest) >=
	    (int)sizeof(local)) {
		text_appendf(job->err, "\\%s: a name there is not usable", path);
		return -1;
	}
	if (is_dir)
		return mkdir(local, 0700) < 0 && errno != EEXIST ?
		       (text_appendf(job->err, "%s: %s", local, strerror(errno)), -1) : 0;
	rc = ntfspart_read_file(job->part, path, 64u << 20, &data, &size, job->err);
	if (rc <= 0)
		return -1;
	file = fopen(local, "wbx");
	rc = file && fwrite(data, 1, size, file) == size ? 0 : -1;
	if (file && fclose(file) != 0)
		rc = -1;
	if (rc < 0)
		text_appendf(job->err, "%s: %s", local, strerror(errno));
	free(data);
	return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

struct placeholder_job {
	const char *prefix; /* "Windows/System32/drivers" */
	const char *target; /* its stand-in folder */
	struct text *err;
};

/* The fix engine asks only whether each boot driver's file exists: an
 * empty file of the same name answers it as the volume would. */
static int placeholder_one(void *ctx, const char *path, bool is_dir)
{
	struct placeholder_job *job = ctx;
	char local[4096];
	int fd;

	if (strstr(path, "/../") || snprintf(local, sizeof(local), "%s%s", job->target,
					     path + strlen(job->prefix)) >= (int)sizeof(local)) {
		text_appendf(job->err, "\\%s: a name there is not usable", path);
		return -1;
	}
	if (is_dir)
		return mkdir(local, 0700) < 0 && errno != EEXIST ?
		       (text_appendf(job->err, "%s: %s", local, strerror(errno)), -1) : 0;
	fd = open(local, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		text_appendf(job->err, "%s: %s", local, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int make_dirs(const char *root, const char *const *dirs, struct text *err)
{
	char path[512];

	for (; *dirs; dirs++) {
		snprintf(path, sizeof(path), "%s/%s", root, *dirs);
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			text_appendf(err, "%s: %s", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int write_local(const char *path, const uint8_t *data, size_t size, struct text *err)
{
	FILE *file = fopen(path, "wb");

	if (!file || fwrite(data, 1, size, file) != size || fclose(file) != 0) {
		text_appendf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int read_local(const char *path, uint8_t **data, size_t *size, struct text *err)
{
	FILE *file = fopen(path, "rb");
	long length;

	*data = NULL;
	if (!file || fseek(file, 0, SEEK_END) < 0 || (length = ftell(file)) < 0 ||
	    fseek(file, 0, SEEK_SET) < 0 || !(*data = malloc((size_t)length + 1)) ||
	    fread(*data, 1, (size_t)length, file) != (size_t)length) {
		text_appendf(err, "%s: %s", path, strerror(errno));
		free(*data);
		*data = NULL;
		if (file)
			fclose(file);
		return -1;
	}
	fclose(file);
	*size = (size_t)length;
	return 0;
}

/* The fix report with the stand-in folders named as what they become
 * ("ESP:\EFI\win7gen2\log.txt"): the temporary folder is gone when
 * the user reads this. */
static void print_staged_report(const char *report, const char *esp_root, const char *win_root)
{
	size_t esp_length = strlen(esp_root), win_length = strlen(win_root);

	while (*report) {
		if (strncmp(report, esp_root, esp_length) == 0) {
			fputs("ESP:", stdout);
			report += esp_length;
		} else if (strncmp(report, win_root, win_length) == 0) {
			fputs("Windows:", stdout);
			report += win_length;
		} else {
			putchar(*report);
			report++;
		}
	}
}

/*
 * The Gen2 fix, the plan 'win7gen2 fix' runs, on stand-ins: the new ESP
 * as it will be copied (esp_root) and the SYSTEM hive with the boot
 * drivers' names (win_root).  Its report is printed as fix prints it.
 */
static int run_gen2_fix(const struct convert_layout *layout, const struct payload_file *payload,
			const char *win_root, const char *esp_root, struct text *err)
{
	struct fix_options options;
	struct posix_fix backend;
	struct fix_plan *plan = NULL;
	struct fix_error fix_err;
	struct text report = TEXT_INIT;
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	bool ok;

	memset(&options, 0, sizeof(options));
	options.payload = payload->data;
	options.payload_size = payload->size;
	options.payload_name = payload->path;
	options.tool_version = WIN7GEN2_VERSION;
	if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(when, sizeof(when), "(time unknown)");
	options.timestamp = when;
	options.where = "Linux host (win7gen2 convert)";
	options.layout.known = true;
	options.layout.esp_partition = (unsigned)layout->esp + 1;
	options.layout.windows_partition = (unsigned)layout->windows + 1;
	snprintf(options.layout.how, sizeof(options.layout.how),
		 "the GPT win7gen2 convert wrote");
	if (posix_fix_init(&backend, win_root, esp_root, &fix_err) != FIX_OK ||
	    fix_make_plan(&posix_fix_backend, &backend, &options, &plan, &fix_err) != FIX_OK) {
		text_appendf(err, "the Gen2 fix does not start: %s", fix_err.message);
		return -1;
	}
	fix_execute(plan);
	fix_report(plan, FIX_NORMAL, &report);
	print_staged_report(text_string(&report), esp_root, win_root);
	fflush(stdout);
	text_free(&report);
	ok = fix_succeeded(plan);
	fix_plan_free(plan);
	if (!ok)
		text_append(err, "the Gen2 fix did not succeed (its report is above)");
	return ok ? 0 : -1;
}

/* The new ESP and SYSTEM hive, made in a temporary folder before the
 * disk's table changes: whatever fails here has changed nothing. */
struct staged {
	char tmp[32];
	char esp_root[48], win_root[48], hive_path[112];
	unsigned mounted_changed;
};

static void staged_remove(struct staged *staged)
{
	if (staged->tmp[0])
		nftw(staged->tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	staged->tmp[0] = 0;
}

/* convert's own run record after the fix's, in the ESP's log. */
static int append_convert_log(const struct disk *disk, const struct convert_layout *layout,
			      const struct staged *staged, struct text *err)
{
	struct text record = TEXT_INIT;
	struct posix_fix volumes;
	struct fix_error fix_err;
	char path[PATH_MAX], when[64];
	time_t now = time(NULL);
	struct tm tm;
	FILE *log;
	int rc = 0;

	if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(when, sizeof(when), "(time unknown)");
	convert_log_text(layout, disk->name, WIN7GEN2_VERSION, when, staged->mounted_changed,
			 &record);
	/* Where the fix wrote its log in the staged ESP, as the backend
	 * spells it on this file system. */
	if (posix_fix_init(&volumes, staged->win_root, staged->esp_root, &fix_err) != FIX_OK) {
		text_append(err, fix_err.message);
		text_free(&record);
		return -1;
	}
	posix_fix_disk_path(&volumes, FIX_VOLUME_ESP, FIX_LOG_PATH, path, sizeof(path));
	log = fopen(path, "a");
	if (record.failed || !log || fputs(text_string(&record), log) == EOF) {
		text_appendf(err, "%s: %s", path, record.failed ? "out of memory" : strerror(errno));
		rc = -1;
	}
	if (log && fclose(log) != 0 && rc == 0) {
		text_appendf(err, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	text_free(&record);
	return rc;
}

/* The staged ESP's BCD, a copy of BCD-Template, filled by the engine
 * through the posix backend: the same writer win7gen2pe --convert uses
 * on a Windows host, so both make the same store. */
static int fill_bcd(const struct convert_layout *layout, const struct staged *staged,
		    const uint8_t new_guids[32], struct text *err)
{
	struct posix_fix volumes;
	struct fix_error fix_err;

	memset(&fix_err, 0, sizeof(fix_err));
	if (posix_fix_init(&volumes, staged->win_root, staged->esp_root, &fix_err) != FIX_OK ||
	    convert_bcd_fill(&posix_fix_backend, &volumes, FIX_VOLUME_ESP, CONVERT_BCD_PATH,
			     layout, new_guids, &fix_err) != FIX_OK) {
		text_appendf(err, "the UEFI boot store: %s", fix_err.message);
		return -1;
	}
	return 0;
}

/* Step 2: the ESP's content (Windows' UEFI boot files, a UEFI BCD), the
 * SYSTEM hive with MountedDevices in GPT form, then the Gen2 fix on
 * both, all in staged->tmp. */
static int stage_boot(const struct disk *disk, const struct convert_layout *layout,
		      const struct payload_file *payload, struct staged *staged, struct text *err)
{
	static const char *const dirs[] = {
		"esp", "esp/EFI", "esp/EFI/Boot", "esp/EFI/Microsoft", "esp/EFI/Microsoft/Boot",
		"win", "win/Windows", "win/Windows/System32", "win/Windows/System32/config",
		"win/Windows/System32/drivers", NULL,
	};
	const struct convert_partition *windows = &layout->partition[layout->windows];
	char dir[96], from[160], to[160];
	struct ntfspart *part;
	struct extract_job job;
	struct placeholder_job drivers;
	uint8_t *hive = NULL, new_guids[32], *template = NULL;
	size_t hive_size = 0, template_size = 0;
	int rc;

	memset(staged, 0, sizeof(*staged));
	snprintf(staged->tmp, sizeof(staged->tmp), "/tmp/win7gen2-convert-XXXXXX");
	if (!mkdtemp(staged->tmp)) {
		text_appendf(err, "%s: %s", staged->tmp, strerror(errno));
		staged->tmp[0] = 0;
		return -1;
	}
	snprintf(staged->esp_root, sizeof(staged->esp_root), "%s/esp", staged->tmp);
	snprintf(staged->win_root, sizeof(staged->win_root), "%s/win", staged->tmp);
	snprintf(staged->hive_path, sizeof(staged->hive_path), "%s/" SYSTEM_HIVE_PATH,
		 staged->win_root);
	snprintf(dir, sizeof(dir), "%s/EFI/Microsoft/Boot", staged->esp_root);
	snprintf(to, sizeof(to), "%s/Windows/System32/drivers", staged->win_root);
	if (make_dirs(staged->tmp, dirs, err) < 0)
		return -1;

	part = ntfspart_open(disk->fd, disk->name, windows->first_lba * CONVERT_BLOCK_SIZE,
			     windows->blocks * CONVERT_BLOCK_SIZE, false, err);
	if (!part)
		return -1;
	job = (struct extract_job){ part, "Windows/Boot/EFI", dir, err };
	drivers = (struct placeholder_job){ "Windows/System32/drivers", to, err };
	rc = ntfspart_walk(part, job.prefix, extract_one, &job, err);
	if (rc == 0)
		rc = ntfspart_walk(part, drivers.prefix, placeholder_one, &drivers, err);
	if (rc == 0 && ntfspart_read_file(part, SYSTEM_HIVE_PATH, FIX_MAX_HIVE_SIZE, &hive,
					  &hive_size, err) <= 0)
		rc = -1;
	if (rc == 0 && ntfspart_read_file(part, BCD_TEMPLATE_PATH, FIX_MAX_HIVE_SIZE, &template,
					  &template_size, err) <= 0)
		rc = -1;
	ntfspart_close(part);
	snprintf(from, sizeof(from), "%s/BCD", dir);
	if (rc == 0)
		rc = write_local(from, template, template_size, err);
	free(template);
	if (rc == 0)
		rc = random_bytes(new_guids, sizeof(new_guids)) < 0 ? -1 :
		     fill_bcd(layout, staged, new_guids, err);
	if (rc == 0)
		rc = convert_mounted_devices(&hive, &hive_size, layout, &staged->mounted_changed, err);
	if (rc == 0)
		rc = write_local(staged->hive_path, hive, hive_size, err);
	free(hive);
	if (rc < 0)
		return -1;
	snprintf(from, sizeof(from), "%s/bootmgfw.efi", dir);
	snprintf(to, sizeof(to), "%s/EFI/Boot/bootx64.efi", staged->esp_root);
	{
		const char *argv[] = { "cp", from, to, NULL };

		if (run_or_explain(argv, "copying bootmgfw.efi", NULL, NULL, err) < 0)
			return -1;
	}
	printf("MountedDevices: %u entr%s of this disk to GPT form (DMIO:ID:).\n"
	       "The Gen2 fix on the new ESP and the SYSTEM hive:\n", staged->mounted_changed,
	       staged->mounted_changed == 1 ? "y" : "ies");
	fflush(stdout);
	if (run_gen2_fix(layout, payload, staged->win_root, staged->esp_root, err) < 0)
		return -1;
	return append_convert_log(disk, layout, staged, err);
}

/* Step 4: System Reserved becomes a FAT32 ESP with the staged files;
 * the staged SYSTEM hive goes to the Windows volume. */
static int write_boot(const struct disk *disk, int wfd, const struct convert_layout *layout,
		      const struct staged *staged, struct text *err)
{
	const struct convert_partition *esp = &layout->partition[layout->esp];
	const struct convert_partition *windows = &layout->partition[layout->windows];
	char first[32], kib[32], image[4200], mkfs[64], from[160];
	struct ntfspart *part;
	uint8_t *hive = NULL;
	size_t hive_size = 0;
	int rc;

	snprintf(first, sizeof(first), "%llu", (unsigned long long)esp->first_lba);
	snprintf(kib, sizeof(kib), "%llu", (unsigned long long)(esp->blocks / 2));
	{
		/* 512-byte clusters, as Windows formats a 100 MiB ESP: FAT32
		 * needs 65525 clusters at least. */
		const char *argv[] = { sbin_tool("mkfs.fat", mkfs, sizeof(mkfs)), "-F", "32",
				       "-s", "1", "-S", "512", "-n", "SYSTEM", "-h", first,
				       "--offset", first, disk->name, kib, NULL };

		if (run_or_explain(argv, "formatting the ESP", NULL, NULL, err) < 0)
			return -1;
	}
	snprintf(image, sizeof(image), "%s@@%llu", disk->name,
		 (unsigned long long)(esp->first_lba * CONVERT_BLOCK_SIZE));
	snprintf(from, sizeof(from), "%s/EFI", staged->esp_root);
	{
		const char *argv[] = { "mcopy", "-s", "-i", image, from, "::/", NULL };

		if (run_or_explain(argv, "copying the boot files to the ESP", NULL, NULL, err) < 0)
			return -1;
	}
	if (read_local(staged->hive_path, &hive, &hive_size, err) < 0)
		return -1;
	part = ntfspart_open(wfd, disk->name, windows->first_lba * CONVERT_BLOCK_SIZE,
			     windows->blocks * CONVERT_BLOCK_SIZE, true, err);
	if (!part) {
		free(hive);
		return -1;
	}
	rc = ntfspart_write_file(part, SYSTEM_HIVE_PATH, hive, hive_size, err);
	free(hive);
	if (ntfspart_close(part) < 0 && rc == 0) {
		text_appendf(err, "%s: the Windows volume did not reach the disk", disk->name);
		rc = -1;
	}
	return rc;
}

static int run_convert(struct disk *disk, const struct convert_layout *layout,
		       const struct payload_file *payload)
{
	struct undo_files kept, check;
	struct staged staged;
	struct text err = TEXT_INIT;
	int wfd = open(disk->name, O_RDWR | O_CLOEXEC);
	const struct convert_partition *windows = &layout->partition[layout->windows];
	int rc = 1;

	memset(&staged, 0, sizeof(staged));
	memset(&kept, 0, sizeof(kept));
	memset(&check, 0, sizeof(check));
	if (wfd < 0) {
		fprintf(stderr, "win7gen2 convert: %s: %s\nNothing was changed.\n", disk->name,
			strerror(errno));
		return 1;
	}
	printf("Keeping what --undo needs in " UNDO_DIR_SHOWN " on partition %d...\n",
	       layout->windows + 1);
	fflush(stdout);
	if (keep_undo(disk, wfd, layout, &kept, &err) < 0 ||
	    load_undo(disk, windows->first_lba, windows->blocks, &check, &err) != 0 ||
	    memcmp(&kept.undo, &check.undo, sizeof(kept.undo)) != 0) {
		if (!err.length)
			text_append(&err, "the undo data did not read back as written");
		fprintf(stderr, "win7gen2 convert: %s\nThe partition table was not changed; "
			"only " UNDO_DIR_SHOWN " on the Windows volume may have been written.\n",
			text_string(&err));
		goto out;
	}
	if (stage_boot(disk, layout, payload, &staged, &err) < 0) {
		fprintf(stderr, "win7gen2 convert: %s\nThe partition table was not changed; "
			"only " UNDO_DIR_SHOWN " on the Windows volume was written.\n",
			text_string(&err));
		goto out;
	}
	printf("Writing GPT, formatting System Reserved as the ESP, writing the SYSTEM hive...\n");
	fflush(stdout);
	if (write_gpt(wfd, disk, layout, &err) < 0 ||
	    write_boot(disk, wfd, layout, &staged, &err) < 0) {
		fprintf(stderr, "win7gen2 convert: %s\nPut the disk back with: win7gen2 convert "
			"--undo --disk %s\n", text_string(&err), disk->name);
		goto out;
	}
	printf("Converted: attach the disk to a Generation 2 VM.  'win7gen2 convert --undo\n"
	       "--disk %s' puts it back as it was.\n", disk->name);
	rc = 0;
out:
	staged_remove(&staged);
	undo_files_free(&kept);
	undo_files_free(&check);
	text_free(&err);
	if (fsync(wfd) < 0 && rc == 0)
		rc = 1;
	close(wfd);
	return rc;
}

/* --undo: find the undo set on a basic data NTFS partition of the GPT
 * disk, check all of it, then put System Reserved, the last MiB, the
 * SYSTEM hive and, last, the first MiB (the MBR) back. */
static int run_undo(struct disk *disk, bool dry_run)
{
	uint8_t lba0[CONVERT_BLOCK_SIZE], lba1[CONVERT_BLOCK_SIZE], *entries = NULL;
	struct partition_table table;
	struct gpt_header header;
	struct undo_files files;
	struct text err = TEXT_INIT;
	int found = 1, windows = -1, wfd = -1, rc = 1;

	memset(&files, 0, sizeof(files));
	if (disk_read(disk, 0, lba0, sizeof(lba0), &err) < 0 ||
	    disk_read(disk, 1, lba1, sizeof(lba1), &err) < 0)
		goto fail;
	partition_table_from_mbr(&table, lba0, lba1, CONVERT_BLOCK_SIZE);
	if (table.scheme != PARTITION_SCHEME_GPT ||
	    !gpt_header_parse(lba1, CONVERT_BLOCK_SIZE, 1, disk->blocks - 1, &header) ||
	    read_blocks(disk, header.entry_lba, (gpt_entry_bytes(&header) + CONVERT_BLOCK_SIZE - 1) /
			CONVERT_BLOCK_SIZE, &entries, &err) < 0 ||
	    !gpt_entries_parse(&table, &header, entries, gpt_entry_bytes(&header))) {
		if (!err.length)
			text_appendf(&err, "%s: no valid GPT: this disk was not converted by "
				     "win7gen2 convert (or its table is damaged)", disk->name);
		goto fail;
	}
	for (unsigned i = 0; i < table.count && i < PARTITION_TABLE_MAX && found > 0; i++) {
		uint8_t boot[CONVERT_BLOCK_SIZE];

		if (partition_is_esp(&table.partition[i]))
			continue;
		if (disk_read(disk, table.partition[i].first_lba, boot, sizeof(boot), &err) < 0)
			goto fail;
		if (volume_kind_of(boot, sizeof(boot)) != VOLUME_NTFS)
			continue;
		text_reset(&err);
		found = load_undo(disk, table.partition[i].first_lba, table.partition[i].blocks,
				  &files, &err);
		if (found == 0)
			windows = (int)i;
		else if (found > 0)
			undo_files_free(&files);
	}
	if (found < 0)
		goto fail;
	if (windows < 0) {
		text_reset(&err);
		text_appendf(&err, "%s: no partition holds " UNDO_DIR_SHOWN CONVERT_UNDO_MANIFEST
			     ": there is nothing to undo", disk->name);
		goto fail;
	}
	if (files.undo.disk_blocks != disk->blocks) {
		text_appendf(&err, "%s: the disk has %llu sectors, the undo data is for %llu: "
			     "was it resized since? Give it its old size first", disk->name,
			     (unsigned long long)disk->blocks,
			     (unsigned long long)files.undo.disk_blocks);
		goto fail;
	}
	if (check_writable(disk) != 0)
		goto out;
	if (dry_run) {
		printf("Dry run: the undo data in " UNDO_DIR_SHOWN " checks out (every CRC-32);\n"
		       "--undo would put back System Reserved (sectors %llu-%llu), the last MiB,\n"
		       "the SYSTEM hive and the MBR.  Nothing was changed.\n",
		       (unsigned long long)files.undo.esp_first_lba,
		       (unsigned long long)(files.undo.esp_first_lba + files.undo.esp_blocks - 1));
		rc = 0;
		goto out;
	}
	wfd = open(disk->name, O_RDWR | O_CLOEXEC);
	if (wfd < 0) {
		text_appendf(&err, "%s: %s", disk->name, strerror(errno));
		goto fail;
	}
	printf("Putting back System Reserved, the MBR and the SYSTEM hive from "
	       UNDO_DIR_SHOWN "...\n");
	fflush(stdout);
	{
		const struct partition *part = &table.partition[windows];
		uint8_t *hive = NULL;
		size_t hive_size = 0;
		struct ntfspart *volume;
		uint64_t edge = CONVERT_UNDO_EDGE_BYTES / CONVERT_BLOCK_SIZE;

		if (write_blocks(wfd, disk->name, files.undo.esp_first_lba, files.sysres,
				 (size_t)(files.undo.esp_blocks * CONVERT_BLOCK_SIZE), &err) < 0 ||
		    write_blocks(wfd, disk->name, disk->blocks - edge, files.last,
				 CONVERT_UNDO_EDGE_BYTES, &err) < 0 || fsync(wfd) < 0)
			goto fail;
		volume = ntfspart_open(wfd, disk->name, part->first_lba * CONVERT_BLOCK_SIZE,
				       part->blocks * CONVERT_BLOCK_SIZE, true, &err);
		if (!volume)
			goto fail;
		if (ntfspart_read_file(volume, SYSTEM_HIVE_PATH, FIX_MAX_HIVE_SIZE, &hive,
				       &hive_size, &err) < 0 ||
		    ((hive_size != files.hive_size || memcmp(hive, files.hive, hive_size) != 0) &&
		     ntfspart_write_file(volume, SYSTEM_HIVE_PATH, files.hive, files.hive_size,
					 &err) < 0)) {
			free(hive);
			ntfspart_close(volume);
			goto fail;
		}
		free(hive);
		if (ntfspart_close(volume) < 0) {
			text_appendf(&err, "%s: the Windows volume did not reach the disk", disk->name);
			goto fail;
		}
		/* The MBR last: until it is back, the GPT still describes the disk. */
		if (write_blocks(wfd, disk->name, 0, files.first, CONVERT_UNDO_EDGE_BYTES,
				 &err) < 0 || fsync(wfd) < 0)
			goto fail;
		if (disk->block_device)
			(void)ioctl(wfd, BLKRRPART);
	}
	printf("Undone: the disk has its MBR, System Reserved and SYSTEM hive as before "
	       "convert.\n" UNDO_DIR_SHOWN " stays on the Windows volume; delete it when you "
	       "like.\n");
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "win7gen2 convert --undo: %s\n", err.length ? text_string(&err) :
		strerror(errno));
out:
	if (wfd >= 0)
		close(wfd);
	free(entries);
	undo_files_free(&files);
	text_free(&err);
	return rc;
}


int cmd_convert(int argc, char **argv)
{
	struct convert_args args;
	struct convert_layout layout;
	struct windows_found windows = { "", "" };
	struct text out = TEXT_INIT;
	uint8_t random[16 * (1 + CONVERT_MBR_SLOTS)];
	struct disk disk;
	struct payload_file payload = { NULL, NULL, 0 };
	int rc = parse_args(argc, argv, &args);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (disk_open(&disk, args.disk, &out) < 0) {
		fprintf(stderr, "win7gen2 convert: %s\nNothing was changed.\n", text_string(&out));
		text_free(&out);
		if (disk.fd >= 0)
			close(disk.fd);
		return 1;
	}
	if (args.undo) {
		rc = run_undo(&disk, args.dry_run);
		close(disk.fd);
		text_free(&out);
		return rc;
	}
	rc = check_disk(&disk, &layout, &windows);
	if (rc == 0)
		rc = check_writable(&disk);
	if (rc == 0) {
		struct text err = TEXT_INIT;

		payload.path = args.payload ? strdup(args.payload) : payload_default_path();
		if (!payload.path || payload_read(payload.path, &payload.data, &payload.size,
						  &err) < 0) {
			fprintf(stderr, "win7gen2 convert: %s%s\nNothing was changed.\n",
				payload.path ? text_string(&err) : "out of memory",
				args.payload ? "" : " (build it with tools/build, or give --payload FILE)");
			rc = 1;
		}
		text_free(&err);
	}
	if (rc == 0 && random_bytes(random, sizeof(random)) < 0) {
		fprintf(stderr, "win7gen2 convert: /dev/urandom: %s (the new GPT needs unique "
			"GUIDs)\nNothing was changed.\n", strerror(errno));
		rc = 1;
	}
	if (rc == 0) {
		convert_set_guids(&layout, random, sizeof(random));
		text_appendf(&out, "Windows: %s, build %s, x64, on partition %d\n",
			     windows.product, windows.build, layout.windows + 1);
		convert_plan_text(&layout, disk.name, CONVERT_WRITER_LINUX, &out);
		fputs(text_string(&out), stdout);
		fflush(stdout);
		if (args.dry_run)
			printf("Dry run: every check passed; nothing was changed.\n");
		else
			rc = run_convert(&disk, &layout, &payload);
	}
	text_free(&out);
	free(payload.path);
	free(payload.data);
	close(disk.fd);
	return rc;
}
