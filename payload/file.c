/*
 * file.c - files on the volume the payload was loaded from
 *
 * SPDX-License-Identifier: MIT
 */
#include <efi.h>
#include <efilib.h>

#include "file.h"

#define WIDE_(text) L##text
#define WIDE(text) WIDE_(text)
#define WIDE_TEMP_SUFFIX WIDE(FILE_TEMP_SUFFIX)

/* attributes matter only when mode creates: EFI_FILE_DIRECTORY makes a folder. */
static EFI_STATUS open_as(EFI_HANDLE device, const CHAR16 *path, UINT64 mode,
			  UINT64 attributes, EFI_FILE **file)
{
	EFI_FILE *root;
	EFI_STATUS status;

	root = LibOpenRoot(device);
	if (!root)
		return EFI_UNSUPPORTED;
	status = root->Open(root, file, (CHAR16 *)path, mode, attributes);
	root->Close(root);
	return status;
}

static EFI_STATUS open_mode(EFI_HANDLE device, const CHAR16 *path, UINT64 mode,
			   EFI_FILE **file)
{
	return open_as(device, path, mode, 0, file);
}

static EFI_STATUS open_file(EFI_HANDLE device, const CHAR16 *path, EFI_FILE **file)
{
	return open_mode(device, path, EFI_FILE_MODE_READ, file);
}

/* A directory opens like a file; callers want files only. */
static EFI_STATUS regular_file_size(EFI_FILE *file, UINT64 *size)
{
	EFI_FILE_INFO *info = LibFileInfo(file);
	EFI_STATUS status = EFI_SUCCESS;

	if (!info)
		return EFI_DEVICE_ERROR;
	if (info->Attribute & EFI_FILE_DIRECTORY)
		status = EFI_NOT_FOUND;
	*size = info->FileSize;
	FreePool(info);
	return status;
}

EFI_STATUS file_probe(EFI_HANDLE device, const CHAR16 *path)
{
	EFI_FILE *file;
	UINT64 size;
	EFI_STATUS status;

	status = open_file(device, path, &file);
	if (EFI_ERROR(status))
		return status;
	status = regular_file_size(file, &size);
	file->Close(file);
	return status;
}

EFI_STATUS file_read(EFI_HANDLE device, const CHAR16 *path, UINTN max_size,
		     void **data, UINTN *size)
{
	EFI_FILE *file;
	UINT64 file_size;
	UINTN read_size;
	void *buffer;
	EFI_STATUS status;

	*data = NULL;
	*size = 0;
	status = open_file(device, path, &file);
	if (EFI_ERROR(status))
		return status;
	status = regular_file_size(file, &file_size);
	if (EFI_ERROR(status))
		goto out;
	if (file_size > max_size) {
		status = EFI_BAD_BUFFER_SIZE;
		goto out;
	}
	/* One spare byte so text callers may NUL-terminate. */
	buffer = AllocatePool(file_size + 1);
	if (!buffer) {
		status = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	read_size = file_size;
	status = file->Read(file, &read_size, buffer);
	if (!EFI_ERROR(status) && read_size != file_size)
		status = EFI_END_OF_FILE;
	if (EFI_ERROR(status)) {
		FreePool(buffer);
		goto out;
	}
	((UINT8 *)buffer)[file_size] = 0;
	*data = buffer;
	*size = read_size;
out:
	file->Close(file);
	return status;
}

EFI_STATUS file_delete(EFI_HANDLE device, const CHAR16 *path)
{
	EFI_FILE *file;
	EFI_STATUS status;

	status = open_mode(device, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, &file);
	if (EFI_ERROR(status))
		return status;
	/* Delete() closes the handle whatever it returns. */
	return file->Delete(file);
}

EFI_STATUS file_write(EFI_HANDLE device, const CHAR16 *path, const void *data, UINTN size)
{
	EFI_FILE *file;
	UINTN written = size;
	EFI_STATUS status;

	/* EFI has no truncate-on-open: a longer old file would keep its tail. */
	status = file_delete(device, path);
	if (EFI_ERROR(status) && status != EFI_NOT_FOUND)
		return status;
	status = open_mode(device, path,
			   EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, &file);
	if (EFI_ERROR(status))
		return status;
	status = file->Write(file, &written, (void *)data);
	if (!EFI_ERROR(status) && written != size)
		status = EFI_VOLUME_FULL;
	if (!EFI_ERROR(status))
		status = file->Flush(file);
	file->Close(file);
	return status;
}

EFI_STATUS file_rename(EFI_HANDLE device, const CHAR16 *path, const CHAR16 *new_name)
{
	EFI_FILE *file;
	EFI_FILE_INFO *info, *renamed;
	UINTN name_size = (StrLen(new_name) + 1) * sizeof(CHAR16);
	UINTN size;
	EFI_STATUS status;

	status = open_mode(device, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, &file);
	if (EFI_ERROR(status))
		return status;
	info = LibFileInfo(file);
	if (!info) {
		file->Close(file);
		return EFI_DEVICE_ERROR;
	}
	/* SetInfo takes the whole record, with the new name at its end. */
	size = SIZE_OF_EFI_FILE_INFO + name_size;
	renamed = AllocateZeroPool(size);
	if (!renamed) {
		status = EFI_OUT_OF_RESOURCES;
	} else {
		CopyMem(renamed, info, SIZE_OF_EFI_FILE_INFO);
		renamed->Size = size;
		CopyMem(renamed->FileName, new_name, name_size);
		status = file->SetInfo(file, &GenericFileInfo, size, renamed);
		if (!EFI_ERROR(status))
			status = file->Flush(file);
		FreePool(renamed);
	}
	FreePool(info);
	file->Close(file);
	return status;
}

const CHAR16 *file_base_name(const CHAR16 *path)
{
	const CHAR16 *name = path;

	for (; *path; path++)
		if (*path == L'\\' || *path == L'/')
			name = path + 1;
	return name;
}

EFI_STATUS file_replace(EFI_HANDLE device, const CHAR16 *path, const void *data, UINTN size)
{
	CHAR16 temp[FILE_PATH_MAX];
	EFI_STATUS status;

	if (StrLen(path) + StrLen(WIDE_TEMP_SUFFIX) >= FILE_PATH_MAX)
		return EFI_BAD_BUFFER_SIZE;
	StrCpy(temp, path);
	StrCat(temp, WIDE_TEMP_SUFFIX);
	status = file_write(device, temp, data, size);
	if (EFI_ERROR(status))
		goto fail;
	status = file_delete(device, path);
	if (EFI_ERROR(status) && status != EFI_NOT_FOUND)
		goto fail;
	status = file_rename(device, temp, file_base_name(path));
	if (EFI_ERROR(status))
		goto fail;
	return EFI_SUCCESS;
fail:
	file_delete(device, temp);
	return status;
}

EFI_STATUS file_append(EFI_HANDLE device, const CHAR16 *path, const void *data, UINTN size,
		       UINT64 max_size)
{
	EFI_FILE *file;
	UINT64 file_size;
	UINTN written = size;
	EFI_STATUS status;

	status = open_mode(device, path,
			   EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, &file);
	if (EFI_ERROR(status))
		return status;
	status = regular_file_size(file, &file_size);
	if (!EFI_ERROR(status) && file_size >= max_size)
		status = EFI_VOLUME_FULL;
	if (!EFI_ERROR(status))
		status = file->SetPosition(file, file_size);
	if (!EFI_ERROR(status))
		status = file->Write(file, &written, (void *)data);
	if (!EFI_ERROR(status) && written != size)
		status = EFI_VOLUME_FULL;
	if (!EFI_ERROR(status))
		status = file->Flush(file);
	file->Close(file);
	return status;
}

EFI_STATUS file_make_dir(EFI_HANDLE device, const CHAR16 *path)
{
	EFI_FILE *dir;
	EFI_FILE_INFO *info;
	EFI_STATUS status;

	status = open_as(device, path,
			 EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
			 EFI_FILE_DIRECTORY, &dir);
	if (status == EFI_WRITE_PROTECTED || status == EFI_ACCESS_DENIED)
		/* A read-only volume may have it already. */
		status = open_mode(device, path, EFI_FILE_MODE_READ, &dir);
	if (EFI_ERROR(status))
		return status;
	/* Create opens a file of that name just as well. */
	info = LibFileInfo(dir);
	if (!info)
		status = EFI_DEVICE_ERROR;
	else if (!(info->Attribute & EFI_FILE_DIRECTORY))
		status = EFI_ACCESS_DENIED;
	if (info)
		FreePool(info);
	dir->Close(dir);
	return status;
}

EFI_STATUS file_image_path(EFI_LOADED_IMAGE *image, CHAR16 *path, UINTN count)
{
	EFI_DEVICE_PATH *node;
	UINTN length = 0;

	if (count == 0)
		return EFI_BUFFER_TOO_SMALL;
	path[0] = 0;
	for (node = image->FilePath; node && !IsDevicePathEnd(node);
	     node = NextDevicePathNode(node)) {
		FILEPATH_DEVICE_PATH *file_node = (FILEPATH_DEVICE_PATH *)node;
		UINTN node_length = DevicePathNodeLength(node);
		UINTN chars;

		if (node_length < SIZE_OF_FILEPATH_DEVICE_PATH)
			return EFI_INVALID_PARAMETER;
		if (DevicePathType(node) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(node) != MEDIA_FILEPATH_DP)
			continue;
		chars = (node_length - SIZE_OF_FILEPATH_DEVICE_PATH) / sizeof(CHAR16);
		/* Nodes are joined with exactly one '\' between them. */
		if (length > 0 && path[length - 1] != L'\\' &&
		    chars > 0 && file_node->PathName[0] != L'\\') {
			if (length + 1 >= count)
				return EFI_BUFFER_TOO_SMALL;
			path[length++] = L'\\';
		}
		for (UINTN i = 0; i < chars && file_node->PathName[i]; i++) {
			if (length + 1 >= count)
				return EFI_BUFFER_TOO_SMALL;
			path[length++] = file_node->PathName[i] == L'/' ?
					 L'\\' : file_node->PathName[i];
		}
	}
	path[length] = 0;
	return length ? EFI_SUCCESS : EFI_NOT_FOUND;
}

void file_folder(const CHAR16 *path, CHAR16 *folder, UINTN count)
{
	UINTN cut = 0;

	for (UINTN i = 0; path[i]; i++)
		if (path[i] == L'\\' || path[i] == L'/')
			cut = i + 1;
	if (cut >= count)
		cut = count - 1;
	for (UINTN i = 0; i < cut; i++)
		folder[i] = path[i];
	folder[cut] = 0;
}

static CHAR16 fold(CHAR16 c)
{
	if (c == L'/')
		return L'\\';
	if (c >= L'a' && c <= L'z')
		return c - L'a' + L'A';
	return c;
}

BOOLEAN file_path_equal(const CHAR16 *a, const CHAR16 *b)
{
	for (; *a && *b; a++, b++)
		if (fold(*a) != fold(*b))
			return FALSE;
	return *a == *b;
}
