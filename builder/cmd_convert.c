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
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include <hivex.h>

#include "commands.h"
#include "convert.h"
#include "fix.h"
#include "numbers.h"
#include "ntfspart.h"
#include "text.h"
#include "usage.h"

#define SOFTWARE_HIVE_PATH "Windows/System32/config/SOFTWARE"
#define SYSTEM_HIVE_PATH "Windows/System32/config/SYSTEM"
#define BOOT_EFI_PATH "Windows/Boot/EFI/bootmgfw.efi"
/* Windows 7 SP1 and Server 2008 R2 SP1: NT 6.1, build 7601. */
#define WINDOWS_VERSION "6.1"
#define WINDOWS_SP1_BUILD 7601

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
	      "  -n, --dry-run     check the disk and show the plan; change nothing\n"
	      "  -h, --help        show this help\n"
	      "\n"
	      "Checked before anything changes, each refused by name with nothing\n"
	      "written: a GPT disk, no MBR, extended or dynamic partitions, BitLocker,\n"
	      "no 100 MiB System Reserved partition beside Windows (shrinking Windows\n"
	      "for an ESP is not done), no Windows 7 SP1 x64, no room for GPT's 33\n"
	      "sectors at the disk's end (the message says how much to grow it), a\n"
	      "disk that cannot be written.\n"
	      "\n"
	      "Exit status: 0 the disk can be converted (dry run); 1 refused or\n"
	      "failed; 2 wrong usage.\n", out);
}

struct convert_args {
	const char *disk;
	bool dry_run;
};

static int parse_args(int argc, char **argv, struct convert_args *args)
{
	enum { O_DISK = 256 };
	static const struct option options[] = {
		{ "disk", required_argument, NULL, O_DISK },
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

/* A hive held in memory, opened by hivex through a memfd: hivex reads
 * files by name only, and nothing is ever written to the disk's volume. */
static hive_h *hive_from_bytes(const uint8_t *data, size_t size, int *fd)
{
	char path[64];
	hive_h *hive;

	*fd = memfd_create("win7gen2-hive", MFD_CLOEXEC);
	if (*fd < 0)
		return NULL;
	for (size_t done = 0; done < size;) {
		ssize_t put = write(*fd, data + done, size - done);

		if (put <= 0) {
			close(*fd);
			*fd = -1;
			return NULL;
		}
		done += (size_t)put;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", *fd);
	hive = hivex_open(path, 0);
	if (!hive) {
		close(*fd);
		*fd = -1;
	}
	return hive;
}

/* The string value at key path ("a\\b") and name, malloc()ed UTF-8, or NULL. */
static char *hive_string(hive_h *hive, const char *key, const char *name)
{
	hive_node_h node = hivex_root(hive);
	char *copy = strdup(key), *part, *save = NULL;
	hive_value_h value;
	char *result = NULL;

	if (!copy)
		return NULL;
	for (part = strtok_r(copy, "\\", &save); part && node;
	     part = strtok_r(NULL, "\\", &save))
		node = hivex_node_get_child(hive, node, part);
	if (node && (value = hivex_node_get_value(hive, node, name)) != 0)
		result = hivex_value_string(hive, value);
	free(copy);
	return result;
}

static int32_t hive_dword(hive_h *hive, const char *key, const char *name)
{
	hive_node_h node = hivex_root(hive);
	char *copy = strdup(key), *part, *save = NULL;
	hive_value_h value;
	int32_t result = -1;

	if (!copy)
		return -1;
	for (part = strtok_r(copy, "\\", &save); part && node;
	     part = strtok_r(NULL, "\\", &save))
		node = hivex_node_get_child(hive, node, part);
	if (node && (value = hivex_node_get_value(hive, node, name)) != 0)
		result = hivex_value_dword(hive, value);
	if (result < 0)
		errno = 0;
	free(copy);
	return result;
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
	hive = hive_from_bytes(data, size, &hive_fd);
	free(data);
	if (!hive) {
		text_append(err, "\\Windows\\System32\\config\\SYSTEM is not a registry hive "
			    "hivex can read");
		return 1;
	}
	current = hive_dword(hive, "Select", "Current");
	snprintf(key, sizeof(key), "ControlSet%03d\\Control\\Session Manager\\Environment",
		 current > 0 && current < 1000 ? (int)current : 1);
	value = hive_string(hive, key, "PROCESSOR_ARCHITECTURE");
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
	hive = hive_from_bytes(data, size, &hive_fd);
	free(data);
	if (!hive) {
		text_append(err, "\\Windows\\System32\\config\\SOFTWARE is not a registry hive "
			    "hivex can read");
		return 1;
	}
	value = hive_string(hive, "Microsoft\\Windows NT\\CurrentVersion", "CurrentVersion");
	if (value && strcmp(value, WINDOWS_VERSION) == 0) {
		char *build = hive_string(hive, "Microsoft\\Windows NT\\CurrentVersion",
					  "CurrentBuild");
		char *product = hive_string(hive, "Microsoft\\Windows NT\\CurrentVersion",
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
};

static void note_root_name(void *ctx, const char *name)
{
	struct root_check *check = ctx;

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
	struct root_check root = { "" };
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

	for (unsigned i = 0; i < layout->count && layout->windows < 0; i++) {
		const struct convert_partition *partition = &layout->partition[i];
		int found;

		if (!partition->ntfs || partition->role != CONVERT_ROLE_DATA)
			continue;
		part = ntfspart_open(disk->fd, disk->name, partition->first_lba * CONVERT_BLOCK_SIZE,
				     partition->blocks * CONVERT_BLOCK_SIZE, &err);
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
	if (layout->windows < 0) {
		refused(disk, CONVERT_REFUSE_NO_WINDOWS,
			"no NTFS partition holds \\Windows\\System32\\config\\SYSTEM: there is "
			"no installed Windows on this disk");
		goto out_refused;
	}

	part = ntfspart_open(disk->fd, disk->name,
			     layout->partition[layout->esp].first_lba * CONVERT_BLOCK_SIZE,
			     layout->partition[layout->esp].blocks * CONVERT_BLOCK_SIZE, &err);
	if (!part)
		goto io_error;
	rc = ntfspart_list_root(part, note_root_name, &root, &err);
	ntfspart_close(part);
	if (rc < 0)
		goto io_error;
	if (root.unexpected[0]) {
		text_reset(&err);
		text_appendf(&err, "System Reserved (partition %d) holds \"%s\", which is not a "
			     "boot file: it would be lost when the partition becomes the ESP; "
			     "move it to the Windows partition first", layout->esp + 1,
			     root.unexpected);
		refused(disk, CONVERT_REFUSE_NO_SYSTEM_RESERVED, text_string(&err));
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
	return 0;
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

int cmd_convert(int argc, char **argv)
{
	struct convert_args args;
	struct convert_layout layout;
	struct windows_found windows = { "", "" };
	struct text out = TEXT_INIT;
	uint8_t random[16 * (1 + CONVERT_MBR_SLOTS)];
	struct disk disk;
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
	rc = check_disk(&disk, &layout, &windows);
	if (rc == 0)
		rc = check_writable(&disk);
	if (rc == 0 && random_bytes(random, sizeof(random)) < 0) {
		fprintf(stderr, "win7gen2 convert: /dev/urandom: %s (the new GPT needs unique "
			"GUIDs)\nNothing was changed.\n", strerror(errno));
		rc = 1;
	}
	if (rc == 0) {
		convert_set_guids(&layout, random, sizeof(random));
		text_appendf(&out, "Windows: %s, build %s, x64, on partition %d\n",
			     windows.product, windows.build, layout.windows + 1);
		convert_plan_text(&layout, disk.name, &out);
		fputs(text_string(&out), stdout);
		if (args.dry_run)
			printf("Dry run: every check passed; nothing was changed.\n");
		else {
			fprintf(stderr, "win7gen2 convert: %s: this version checks and plans only; "
				"run it with --dry-run.\nNothing was changed.\n", disk.name);
			rc = 1;
		}
	}
	text_free(&out);
	close(disk.fd);
	return rc;
}
