/*
 * disks.c - what the VM's fixed disks hold, before the ISO menu
 *
 * Reads each disk's first sectors, its GPT and each partition's boot
 * sector through Block I/O, and hands the bytes to
 * common/partition_table.c.  Labels and files come from the firmware's
 * own file-system drivers, which read FAT only: an NTFS volume shows
 * its kind (from its boot sector) but no label, and nothing inside it.
 * So the one sign of a Windows the firmware can see is an EFI system
 * partition holding \EFI\Microsoft\Boot\bootmgfw.efi - Microsoft's or
 * our payload wrapped in front of it - which every UEFI install of
 * Windows writes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "byteorder.h"
#include "disks.h"
#include "size_text.h"
#include "file.h"
#include "win7gen2.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define CD_BLOCK_SIZE 2048
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
/* UEFI 2.10 10.3.5.1: the hard drive media device path node. */
#define HARDDRIVE_NODE_SIZE 42
#define HARDDRIVE_START_OFFSET 8

/* Bytes of a device path without its end node. */
static UINTN path_bytes(EFI_DEVICE_PATH *path)
{
	UINTN size = DevicePathSize(path);

	return size >= END_DEVICE_PATH_LENGTH ? size - END_DEVICE_PATH_LENGTH : 0;
}

/* True if path lies on the device disk (its path begins with disk's). */
static BOOLEAN path_is_on(EFI_DEVICE_PATH *path, EFI_DEVICE_PATH *disk)
{
	UINTN disk_size;

	if (!path || !disk)
		return FALSE;
	disk_size = path_bytes(disk);
	return disk_size > 0 && path_bytes(path) >= disk_size &&
	       CompareMem(path, disk, disk_size) == 0;
}

/*
 * Read count blocks from lba into new pages (NULL on any error; free
 * with free_blocks).  Pages, not pool: a controller may ask for buffers
 * aligned to up to a page (Media->IoAlign).
 */
static UINT8 *read_blocks(EFI_BLOCK_IO *block_io, EFI_LBA lba, UINTN count)
{
	EFI_BLOCK_IO_MEDIA *media = block_io->Media;
	UINTN size = count * media->BlockSize;
	EFI_PHYSICAL_ADDRESS address;

	if (!count || lba > media->LastBlock || count - 1 > media->LastBlock - lba ||
	    media->IoAlign > EFI_PAGE_SIZE)
		return NULL;
	if (BS->AllocatePages(AllocateAnyPages, EfiLoaderData, EFI_SIZE_TO_PAGES(size),
			      &address) != EFI_SUCCESS)
		return NULL;
	if (block_io->ReadBlocks(block_io, media->MediaId, lba, size,
				 (void *)(UINTN)address) != EFI_SUCCESS) {
		BS->FreePages(address, EFI_SIZE_TO_PAGES(size));
		return NULL;
	}
	return (UINT8 *)(UINTN)address;
}

static void free_blocks(EFI_BLOCK_IO *block_io, UINT8 *buffer, UINTN count)
{
	if (buffer)
		BS->FreePages((EFI_PHYSICAL_ADDRESS)(UINTN)buffer,
			      EFI_SIZE_TO_PAGES(count * block_io->Media->BlockSize));
}

/* The GPT at lba (1, or the backup at the last block), whole and checked. */
static BOOLEAN read_gpt(EFI_BLOCK_IO *block_io, EFI_LBA lba, struct partition_table *table)
{
	EFI_BLOCK_IO_MEDIA *media = block_io->Media;
	struct gpt_header header;
	UINT8 *block, *entries;
	UINTN bytes, blocks;
	BOOLEAN parsed;

	block = read_blocks(block_io, lba, 1);
	if (!block)
		return FALSE;
	parsed = gpt_header_parse(block, media->BlockSize, lba, media->LastBlock, &header);
	free_blocks(block_io, block, 1);
	if (!parsed)
		return FALSE;
	bytes = gpt_entry_bytes(&header);
	if (!bytes)
		return gpt_entries_parse(table, &header, NULL, 0);
	blocks = (bytes + media->BlockSize - 1) / media->BlockSize;
	entries = read_blocks(block_io, header.entry_lba, blocks);
	if (!entries)
		return FALSE;
	parsed = gpt_entries_parse(table, &header, entries, blocks * media->BlockSize);
	free_blocks(block_io, entries, blocks);
	return parsed;
}

static void read_table(EFI_BLOCK_IO *block_io, struct disk *disk)
{
	EFI_BLOCK_IO_MEDIA *media = block_io->Media;
	UINT8 *lba0 = read_blocks(block_io, 0, 1);
	UINT8 *lba1 = read_blocks(block_io, 1, 1);

	disk->table.scheme = PARTITION_SCHEME_UNKNOWN;
	if (lba0)
		partition_table_from_mbr(&disk->table, lba0, lba1, media->BlockSize);
	/* The signature names the disk to convert in the mode for Windows PE;
	 * the boot flags tell a Generation 1 Windows disk. */
	disk->mbr_signature = disk->table.mbr_signature;
	for (UINTN i = 0; i < disk->table.count && i < PARTITION_TABLE_MAX; i++)
		if (disk->table.partition[i].active)
			disk->active_mask |= (UINT32)1 << i;
	if (disk->table.scheme == PARTITION_SCHEME_GPT &&
	    !read_gpt(block_io, 1, &disk->table)) {
		if (read_gpt(block_io, media->LastBlock, &disk->table))
			disk->table.gpt_backup_used = TRUE;
		else
			disk->table.scheme = PARTITION_SCHEME_UNKNOWN;
	}
	free_blocks(block_io, lba0, 1);
	free_blocks(block_io, lba1, 1);

	for (UINTN i = 0; i < disk->table.count && i < PARTITION_TABLE_MAX; i++) {
		UINT8 *sector = read_blocks(block_io, disk->table.partition[i].first_lba, 1);

		if (!sector)
			continue;
		disk->kind[i] = volume_kind_of(sector, media->BlockSize);
		free_blocks(block_io, sector, 1);
	}
	disk->gen1 = menu_gen1_disk(&disk->table, disk->kind, disk->active_mask);
}

/* The partition of disk that starts at start, as its file-system handle says. */
static INTN partition_at(const struct disk *disk, UINT64 start)
{
	for (UINTN i = 0; i < disk->table.count && i < PARTITION_TABLE_MAX; i++)
		if (disk->table.partition[i].first_lba == start)
			return (INTN)i;
	return -1;
}

static void copy_label(CHAR16 *label, const CHAR16 *text)
{
	UINTN n;

	for (n = 0; text[n] && n + 1 < DISK_LABEL_MAX; n++)
		label[n] = text[n] >= 0x20 && text[n] != L'"' ? text[n] : L'?';
	label[n] = 0;
}

/*
 * Labels and the Windows boot manager, through the file systems the
 * firmware mounted on disk's partitions.
 */
static void read_volumes(struct disk *disk, EFI_DEVICE_PATH *disk_path)
{
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;

	if (LibLocateHandle(ByProtocol, &FileSystemProtocol, NULL, &count, &handles) !=
	    EFI_SUCCESS)
		return;
	for (UINTN h = 0; h < count; h++) {
		EFI_DEVICE_PATH *path = DevicePathFromHandle(handles[h]), *node;
		EFI_FILE_SYSTEM_VOLUME_LABEL *label;
		EFI_FILE *root;
		INTN i;

		if (!path_is_on(path, disk_path) || path_bytes(path) == path_bytes(disk_path))
			continue;
		node = (EFI_DEVICE_PATH *)((UINT8 *)path + path_bytes(disk_path));
		if (DevicePathType(node) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(node) != MEDIA_HARDDRIVE_DP ||
		    DevicePathNodeLength(node) < HARDDRIVE_NODE_SIZE)
			continue;
		/* gnu-efi's struct is not packed: read the bytes. */
		i = partition_at(disk, get_le64((const UINT8 *)node + HARDDRIVE_START_OFFSET));
		if (i < 0)
			continue;
		root = LibOpenRoot(handles[h]);
		if (root) {
			label = LibFileSystemVolumeLabelInfo(root);
			if (label) {
				copy_label(disk->label[i], label->VolumeLabel);
				FreePool(label);
			}
			root->Close(root);
		}
		if (partition_is_esp(&disk->table.partition[i]) &&
		    file_probe(handles[h], WIDE(WIN7GEN2_BOOTMGFW_PATH)) == EFI_SUCCESS)
			disk->windows = TRUE;
	}
	FreePool(handles);
}

static BOOLEAN is_fixed_disk(EFI_BLOCK_IO *block_io)
{
	EFI_BLOCK_IO_MEDIA *media = block_io->Media;

	/* CD-ROMs and their El Torito images have 2048-byte blocks. */
	return !media->LogicalPartition && !media->RemovableMedia && media->MediaPresent &&
	       media->BlockSize >= 512 && media->BlockSize != CD_BLOCK_SIZE;
}

void disks_survey(struct disk_survey *survey, EFI_HANDLE boot_device)
{
	EFI_DEVICE_PATH *boot_path = boot_device ? DevicePathFromHandle(boot_device) : NULL;
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;

	SetMem(survey, sizeof(*survey), 0);
	if (LibLocateHandle(ByProtocol, &BlockIoProtocol, NULL, &count, &handles) != EFI_SUCCESS)
		return;
	for (UINTN h = 0; h < count; h++) {
		EFI_DEVICE_PATH *path = DevicePathFromHandle(handles[h]);
		EFI_BLOCK_IO *block_io;
		struct disk *disk;

		if (BS->HandleProtocol(handles[h], &BlockIoProtocol, (void **)&block_io) !=
		    EFI_SUCCESS || !is_fixed_disk(block_io))
			continue;
		/* The medium we run from (a disk image in the tests) holds the
		 * payload, not the user's data. */
		if (path_is_on(boot_path, path))
			continue;
		if (survey->count == DISKS_MAX) {
			survey->more++;
			continue;
		}
		disk = &survey->disk[survey->count++];
		disk->block_size = block_io->Media->BlockSize;
		disk->bytes = (block_io->Media->LastBlock + 1) * disk->block_size;
		read_table(block_io, disk);
		if (path)
			read_volumes(disk, path);
	}
	FreePool(handles);
}

BOOLEAN disk_in_use(const struct disk *disk)
{
	switch (disk->table.scheme) {
	case PARTITION_SCHEME_BLANK:
		return FALSE;
	case PARTITION_SCHEME_MBR:
	case PARTITION_SCHEME_GPT:
		return disk->table.count > 0;
	case PARTITION_SCHEME_VOLUME:
	case PARTITION_SCHEME_UNKNOWN:
		break;
	}
	return TRUE;
}

void disks_facts(const struct disk_survey *survey, struct menu_facts *facts)
{
	facts->disks = survey->count + survey->more;
	facts->disks_in_use = survey->more;
	facts->windows_found = FALSE;
	for (UINTN i = 0; i < survey->count; i++) {
		if (disk_in_use(&survey->disk[i]))
			facts->disks_in_use++;
		if (survey->disk[i].windows)
			facts->windows_found = TRUE;
		if (survey->disk[i].gen1)
			facts->gen1_disks++;
	}
}

/* Append text to line (count CHAR16s), as far as it fits. */
static void append(CHAR16 *line, UINTN count, const CHAR16 *text)
{
	UINTN n = StrLen(line);

	for (; *text && n + 1 < count; text++)
		line[n++] = *text >= 0x20 && *text != L'"' ? *text : L'?';
	line[n] = 0;
}

static void append_ascii(CHAR16 *line, UINTN count, const char *text)
{
	UINTN n = StrLen(line);

	for (; *text && n + 1 < count; text++)
		line[n++] = (CHAR16)(UINT8)*text;
	line[n] = 0;
}

/* "    1: 100 MiB "EFI system partition" FAT32 "SYSTEM"", what is known of it. */
static void report_partition(const struct disk *disk, UINTN i, struct log *log)
{
	const struct partition *partition = &disk->table.partition[i];
	CHAR16 line[160], name[PARTITION_NAME_MAX + 1], type[16];
	char size[SIZE_TEXT_MAX];

	size_text(partition->blocks * disk->block_size, size, sizeof(size));
	SPrint(line, sizeof(line), L"    %d: ", i + 1);
	append_ascii(line, ARRAY_SIZE(line), size);
	if (disk->table.scheme == PARTITION_SCHEME_GPT && partition->name[0]) {
		for (UINTN j = 0; j <= PARTITION_NAME_MAX; j++)
			name[j] = partition->name[j];
		append_ascii(line, ARRAY_SIZE(line), " \"");
		append(line, ARRAY_SIZE(line), name);
		append_ascii(line, ARRAY_SIZE(line), "\"");
	} else if (disk->table.scheme == PARTITION_SCHEME_MBR) {
		SPrint(type, sizeof(type), L" type 0x%02x", partition->mbr_type);
		append(line, ARRAY_SIZE(line), type);
		if (disk->active_mask & ((UINT32)1 << i))
			append_ascii(line, ARRAY_SIZE(line), " active");
	}
	if (disk->kind[i] != VOLUME_UNKNOWN) {
		append_ascii(line, ARRAY_SIZE(line), " ");
		append_ascii(line, ARRAY_SIZE(line), volume_kind_name(disk->kind[i]));
	}
	if (disk->label[i][0]) {
		append_ascii(line, ARRAY_SIZE(line), " \"");
		append(line, ARRAY_SIZE(line), disk->label[i]);
		append_ascii(line, ARRAY_SIZE(line), "\"");
	}
	log_print(log, LOG_ERROR, L"%s\n", line);
}

void disks_report_disk(const struct disk_survey *survey, UINTN d, struct log *log)
{
	const struct disk *disk = &survey->disk[d];
	const struct partition_table *table = &disk->table;
	char size[SIZE_TEXT_MAX];
	const CHAR16 *what = L"";

	size_text(disk->bytes, size, sizeof(size));
	switch (table->scheme) {
	case PARTITION_SCHEME_BLANK: what = L"blank"; break;
	case PARTITION_SCHEME_MBR: what = L"MBR"; break;
	case PARTITION_SCHEME_GPT:
		what = table->gpt_backup_used ? L"GPT (from its backup header)" : L"GPT";
		break;
	case PARTITION_SCHEME_VOLUME: what = L"a file system on the whole disk"; break;
	case PARTITION_SCHEME_UNKNOWN:
		what = L"not blank, no partition table win7gen2 can read";
		break;
	}
	if (table->scheme == PARTITION_SCHEME_MBR || table->scheme == PARTITION_SCHEME_GPT)
		log_print(log, LOG_ERROR, L"Disk %d (%a): %s, %d partition%a%a%a\n", d + 1,
			  size, what, table->count, table->count == 1 ? "" : "s",
			  disk->windows ? "; Windows found" : "",
			  disk->gen1 ? "; a Generation 1 Windows disk" : "");
	else
		log_print(log, LOG_ERROR, L"Disk %d (%a): %s\n", d + 1, size, what);
	for (UINTN i = 0; i < table->count && i < PARTITION_TABLE_MAX; i++)
		report_partition(disk, i, log);
	if (table->count > PARTITION_TABLE_MAX)
		log_print(log, LOG_ERROR, L"    and %d more\n",
			  table->count - PARTITION_TABLE_MAX);
}

void disks_report(const struct disk_survey *survey, struct log *log)
{
	for (UINTN d = 0; d < survey->count; d++)
		disks_report_disk(survey, d, log);
}
