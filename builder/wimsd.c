/*
 * wimsd.c - add files to a WIM image with proper NTFS security descriptors
 *
 * wimlib stores a security descriptor for a file only when it captures
 * from an NTFS volume (through libntfs-3g); from a Linux folder it
 * stores none, and Windows' boot manager + winload then fail on boot.wim
 * with 0xc0000001.  So the files go through an NTFS volume:
 *
 *  1. Find where the new branch attaches: the nearest folder on the way
 *     to the target that the image already has (normally the target's
 *     parent).  Its descriptor is the one the new entries get.
 *  2. Make an NTFS volume image in the temporary folder, sized from the
 *     files (mkntfs; the file is sparse, so the unused part costs no
 *     disk space).
 *  3. Write the tree into it with libntfs-3g, the volume's root standing
 *     for the attach folder, and set each new file's and folder's
 *     descriptor (ntfs_set_ntfs_acl: raw self-relative bytes, the form
 *     the WIM stores them in too).
 *  4. wimlib_update_image(ADD, WIMLIB_ADD_FLAG_NTFS) the volume at the
 *     attach folder.  wimlib merges a folder added onto an existing one:
 *     the existing folder keeps its own entry (attributes, descriptor)
 *     and its other files, the volume root's entry is dropped, its
 *     children go in, and a file replaces an existing file of the same
 *     name.  The root still gets the descriptor in use, so the WIM's
 *     descriptor table gains no unused entry from mkntfs's default one.
 *
 * The rule applies to every folder the branch goes through: where a
 * folder of the tree already exists in the image (a merge), the files
 * new in it take that folder's descriptor, not the attach folder's.
 *
 * SPDX-License-Identifier: MIT
 */
#include "wimsd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libntfs-3g's headers expect its own config.h to have included these
 * (va_list, size_t, struct timespec, mode_t). */
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/security.h>
#include <ntfs-3g/unistr.h>
#include <ntfs-3g/volume.h>
#include <ntfs-3g/acls.h> /* after security.h, which it needs */

#include "interrupt.h"
#include "run.h"

/* Deeper than this is a symbolic link loop, not a driver package. */
#define MAX_DEPTH 32
#define CLUSTER 4096u
#define COPY_CHUNK (1024 * 1024)
#define MIB (UINT64_C(1) << 20)
/* Far beyond boot.wim (a RAM disk in WinPE); stops size arithmetic
 * from overflowing. */
#define MAX_SOURCE_BYTES (UINT64_C(1) << 40)

/* A SID: revision 1, sub-authority count, authority (6 bytes, big
 * endian), then each sub-authority (32 bits, little endian). */
#define SID_SYSTEM         1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0            /* S-1-5-18 */
#define SID_ADMINISTRATORS 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0 /* S-1-5-32-544 */
#define SID_USERS          1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x21, 2, 0, 0 /* S-1-5-32-545 */

const unsigned char wimsd_fallback_descriptor[] = {
	/* Header: revision 1; control 0x9404 = self-relative, DACL
	 * protected, DACL auto-inherited, DACL present; owner at 96, group
	 * at 112, no SACL, DACL at 20. */
	1, 0, 0x04, 0x94, 96, 0, 0, 0, 112, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
	/* DACL: revision 2, 76 bytes, 3 entries. */
	2, 0, 76, 0, 3, 0, 0, 0,
	/* Each: allowed (0), object + container inherit (3), size, mask. */
	0, 3, 20, 0, 0xff, 0x01, 0x1f, 0x00, SID_SYSTEM,         /* full control */
	0, 3, 24, 0, 0xff, 0x01, 0x1f, 0x00, SID_ADMINISTRATORS, /* full control */
	0, 3, 24, 0, 0xa9, 0x00, 0x12, 0x00, SID_USERS,          /* read + execute */
	SID_ADMINISTRATORS, /* owner */
	SID_SYSTEM,         /* group */
};
const size_t wimsd_fallback_descriptor_size = sizeof(wimsd_fallback_descriptor);

_Static_assert(sizeof(wimsd_fallback_descriptor) == 124,
	       "the offsets in the fallback descriptor's header");

/* A view of descriptor bytes; the owner keeps them alive. */
struct descriptor {
	const unsigned char *bytes;
	size_t size;
};

/* One path looked up in the image. */
struct image_entry {
	bool exists;
	bool is_dir;
	unsigned char *sd; /* malloc'd copy; NULL when the entry has none */
	size_t sd_size;
	bool out_of_memory;
};

struct tally {
	uint64_t bytes; /* file data, in whole clusters */
	uint64_t files;
	uint64_t folders;
};

struct job {
	WIMStruct *wim;
	int image;
	ntfs_volume *vol;
	const char *volume_path; /* the NTFS image, for messages */
	char *chunk;             /* COPY_CHUNK bytes */
	struct text *err;
};

static void image_entry_free(struct image_entry *entry)
{
	free(entry->sd);
	memset(entry, 0, sizeof(*entry));
}

static int take_entry(const struct wimlib_dir_entry *entry, void *ctx)
{
	struct image_entry *found = ctx;

	found->exists = true;
	found->is_dir = (entry->attributes & WIMLIB_FILE_ATTRIBUTE_DIRECTORY) != 0;
	if (entry->security_descriptor && entry->security_descriptor_size > 0) {
		found->sd = malloc(entry->security_descriptor_size);
		if (!found->sd) {
			found->out_of_memory = true;
			return 1; /* stop */
		}
		memcpy(found->sd, entry->security_descriptor, entry->security_descriptor_size);
		found->sd_size = entry->security_descriptor_size;
	}
	return 0;
}

/* An image path ("/Windows/System32") as Windows writes it. */
static void put_image_path(struct text *out, const char *path)
{
	for (; *path; path++)
		text_append_bytes(out, *path == '/' ? "\\" : path, 1);
}

/* 0 with found->exists telling whether path is in the image; -1 when
 * wimlib cannot say. */
static int look_up(WIMStruct *wim, int image, const char *path, struct image_entry *found,
		   struct text *err)
{
	int code;

	memset(found, 0, sizeof(*found));
	code = wimlib_iterate_dir_tree(wim, image, path, 0, take_entry, found);
	if (found->out_of_memory) {
		image_entry_free(found);
		text_append(err, "out of memory");
		return -1;
	}
	if (code == WIMLIB_ERR_PATH_DOES_NOT_EXIST || code == WIMLIB_ERR_NOTDIR) {
		image_entry_free(found);
		return 0;
	}
	if (code) {
		image_entry_free(found);
		text_append(err, "cannot look up ");
		put_image_path(err, path);
		text_appendf(err, " in the WIM image: %s (wimlib error %d)",
			     wimlib_get_error_string(code), code);
		return -1;
	}
	return 0;
}

/* What new entries in an existing folder get: the folder's own
 * descriptor, unless it has none or libntfs-3g would refuse it. */
static struct descriptor landing_descriptor(const struct image_entry *folder)
{
	struct descriptor sd = { wimsd_fallback_descriptor, wimsd_fallback_descriptor_size };

	if (folder->sd && folder->sd_size <= 65536 &&
	    ntfs_valid_descr((const char *)folder->sd, (unsigned)folder->sd_size) &&
	    ntfs_attr_size((const char *)folder->sd) == folder->sd_size) {
		sd.bytes = folder->sd;
		sd.size = folder->sd_size;
	}
	return sd;
}

static int not_dot(const struct dirent *entry)
{
	return strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
}

/* Byte order, not the locale's: the same tree gives the same image. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int list_folder(const char *path, struct dirent ***names, struct text *err)
{
	int count = scandir(path, names, not_dot, by_name);

	if (count < 0)
		text_appendf(err, "cannot list %s: %s; check that the folder can be read",
			     path, strerror(errno));
	return count;
}

static void free_names(struct dirent **names, int count)
{
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* name as NTFS stores it (UTF-16); length in UTF-16 units, -1 with err
 * for a name NTFS cannot hold. */
static int ntfs_name(const char *name, const char *path, ntfschar **uname, struct text *err)
{
	int len;

	*uname = NULL;
	/* NTFS itself takes these, but Windows cannot open such a file, and
	 * a backslash would read as a folder in the WIM. */
	for (const char *c = name; *c; c++) {
		if ((unsigned char)*c < 0x20 || strchr("\\:*?\"<>|", *c)) {
			text_appendf(err, "the name of %s has a character Windows does not allow "
				     "in names (\\ : * ? \" < > | or a control character); rename "
				     "it", path);
			return -1;
		}
	}
	len = ntfs_mbstoucs(name, uname);
	if (len < 0) {
		text_appendf(err, "cannot use the name of %s: %s; rename it (UTF-8 names only)",
			     path, strerror(errno));
		return -1;
	}
	if (len == 0 || len > NTFS_MAX_NAME_LEN) {
		free(*uname);
		*uname = NULL;
		text_appendf(err, "the name of %s is longer than Windows allows (255 characters); "
			     "rename it", path);
		return -1;
	}
	return len;
}

static char *child_path(const char *dir, const char *name, struct text *err)
{
	struct text path = TEXT_INIT;
	char *joined;

	text_appendf(&path, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);
	joined = text_take(&path, NULL);
	if (!joined)
		text_append(err, "out of memory");
	return joined;
}

/* Counts what fs_path holds, and refuses what cannot go into the image
 * before anything is made. */
static int scan(const char *path, int depth, struct tally *tally, struct text *err)
{
	struct dirent **names;
	struct stat st;
	int count, rc = 0;

	if (stat(path, &st) < 0) {
		text_appendf(err, "cannot read %s: %s; check that it exists and can be read",
			     path, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		tally->files++;
		tally->bytes += ((uint64_t)st.st_size + CLUSTER - 1) / CLUSTER * CLUSTER;
		if (tally->bytes > MAX_SOURCE_BYTES) {
			text_appendf(err, "the files to add pass 1 TiB at %s, far too much for a "
				     "boot image; add less", path);
			return -1;
		}
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		text_appendf(err, "%s is neither a file nor a folder (a device, pipe or socket); "
			     "remove it", path);
		return -1;
	}
	if (depth >= MAX_DEPTH) {
		text_appendf(err, "%s is more than %d folders deep (a symbolic link loop?); "
			     "flatten the folder tree", path, MAX_DEPTH);
		return -1;
	}
	tally->folders++;
	count = list_folder(path, &names, err);
	if (count < 0)
		return -1;
	for (int i = 0; i < count && rc == 0; i++) {
		char *child = child_path(path, names[i]->d_name, err);
		ntfschar *uname;

		if (!child) {
			rc = -1;
			break;
		}
		if (ntfs_name(names[i]->d_name, child, &uname, err) < 0)
			rc = -1;
		else
			rc = scan(child, depth + 1, tally, err);
		free(uname);
		free(child);
	}
	free_names(names, count);
	return rc;
}

static int ntfs_failed(struct job *job, const char *what, const char *path)
{
	int saved = errno;

	text_appendf(job->err, "cannot %s %s in the NTFS staging image %s: %s", what, path,
		     job->volume_path, strerror(saved));
	/* The volume is sized with room to spare: the disk under it is
	 * the likelier one to be full. */
	if (saved == ENOSPC)
		text_append(job->err, "; make room on the disk that holds it (it needs about as "
			    "much again as the files added)");
	return -1;
}

static int interrupted(struct job *job)
{
	text_append(job->err, "interrupted");
	return -1;
}

/* NTFS time: 100 ns units since 1601-01-01, 11644473600 s before 1970. */
static uint64_t ntfs_time_of(const struct timespec *ts)
{
	int64_t seconds = (int64_t)ts->tv_sec + INT64_C(11644473600);

	if (seconds < 0)
		return 0;
	return (uint64_t)seconds * 10000000u + (uint64_t)ts->tv_nsec / 100u;
}

/* The descriptor, and (when mtime is given) the times: creation, write
 * and access all the file's modification time, as a WIM captured from
 * the folder would have had for writing (the access time of a build
 * input means nothing). */
static int set_metadata(struct job *job, ntfs_inode *ni, const struct descriptor *sd,
			const struct timespec *mtime, const char *path)
{
	struct SECURITY_CONTEXT scx;

	memset(&scx, 0, sizeof(scx));
	scx.vol = job->vol;
	if (ntfs_set_ntfs_acl(&scx, ni, (const char *)sd->bytes, sd->size, 0) < 0)
		return ntfs_failed(job, "set the security descriptor of", path);
	if (mtime) {
		uint64_t when = ntfs_time_of(mtime);
		uint64_t times[3] = { when, when, when }; /* native byte order */

		if (ntfs_inode_set_times(ni, (const char *)times, sizeof(times), 0) < 0)
			return ntfs_failed(job, "set the times of", path);
	}
	return 0;
}

static int copy_data(struct job *job, ntfs_inode *ni, const char *path)
{
	ntfs_attr *na;
	s64 pos = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		text_appendf(job->err, "cannot read %s: %s; check that it can be read",
			     path, strerror(errno));
		return -1;
	}
	na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
	if (!na) {
		close(fd);
		return ntfs_failed(job, "open the data of", path);
	}
	for (;;) {
		ssize_t got = read(fd, job->chunk, COPY_CHUNK);

		if (interrupt_requested()) {
			rc = interrupted(job);
			break;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			text_appendf(job->err, "cannot read %s: %s", path, strerror(errno));
			rc = -1;
			break;
		}
		if (got == 0)
			break;
		for (ssize_t done = 0; done < got && rc == 0;) {
			s64 put = ntfs_attr_pwrite(na, pos, got - done, job->chunk + done);

			if (put <= 0) {
				if (put == 0)
					errno = EIO;
				rc = ntfs_failed(job, "write", path);
				break;
			}
			done += put;
			pos += put;
		}
		if (rc)
			break;
	}
	ntfs_attr_close(na);
	close(fd);
	return rc;
}

static int write_entry(struct job *job, ntfs_inode *dir_ni, const struct descriptor *here,
		       const char *image_dir, const char *name, const char *fs_path, int depth);

/* Every entry of the folder fs_path into ni; inner is their descriptor,
 * image_dir the folder's path in the image when it is there already. */
static int write_children(struct job *job, ntfs_inode *ni, const struct descriptor *inner,
			  const char *image_dir, const char *fs_path, int depth)
{
	struct dirent **names;
	int count, rc = 0;

	if (depth > MAX_DEPTH) {
		text_appendf(job->err, "%s is more than %d folders deep (a symbolic link loop?); "
			     "flatten the folder tree", fs_path, MAX_DEPTH);
		return -1;
	}
	count = list_folder(fs_path, &names, job->err);
	if (count < 0)
		return -1;
	for (int i = 0; i < count && rc == 0; i++) {
		char *child = child_path(fs_path, names[i]->d_name, job->err);

		rc = child ? write_entry(job, ni, inner, image_dir, names[i]->d_name, child, depth)
			   : -1;
		free(child);
	}
	free_names(names, count);
	return rc;
}

/*
 * Makes name in the NTFS folder dir_ni from fs_path (a file, or a folder
 * and its tree).  here: the descriptor new entries in dir_ni get.
 * image_dir: dir_ni's path in the image when that folder exists there
 * (entries may then exist too), else NULL.
 */
static int write_entry(struct job *job, ntfs_inode *dir_ni, const struct descriptor *here,
		       const char *image_dir, const char *name, const char *fs_path, int depth)
{
	struct image_entry existing = { 0 };
	char *image_path = NULL;
	ntfschar *uname = NULL;
	ntfs_inode *ni;
	struct stat st;
	int len, rc = -1;

	if (interrupt_requested())
		return interrupted(job);
	if (stat(fs_path, &st) < 0) {
		text_appendf(job->err, "cannot read %s: %s; check that it exists and can be read",
			     fs_path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		text_appendf(job->err, "%s is neither a file nor a folder (a device, pipe or "
			     "socket); remove it", fs_path);
		return -1;
	}
	if (image_dir) {
		image_path = child_path(image_dir, name, job->err);
		if (!image_path || look_up(job->wim, job->image, image_path, &existing, job->err) < 0)
			goto out;
		if (existing.exists && existing.is_dir != S_ISDIR(st.st_mode)) {
			text_append(job->err, "cannot put ");
			text_appendf(job->err, "%s at ", fs_path);
			put_image_path(job->err, image_path);
			text_appendf(job->err, " in the WIM image: that is a %s there and this is "
				     "a %s; the WIM image is not laid out as expected",
				     existing.is_dir ? "folder" : "file",
				     S_ISDIR(st.st_mode) ? "folder" : "file");
			goto out;
		}
	}
	len = ntfs_name(name, fs_path, &uname, job->err);
	if (len < 0)
		goto out;
	ni = ntfs_create(dir_ni, 0, uname, (u8)len, S_ISDIR(st.st_mode) ? S_IFDIR : S_IFREG);
	if (!ni) {
		ntfs_failed(job, "make", fs_path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		/* A folder the image has keeps its own entry (wimlib drops
		 * this one in the merge); what is new in it takes its
		 * descriptor.  A new folder takes here, as do its files. */
		struct descriptor inner = existing.exists ? landing_descriptor(&existing) : *here;

		rc = write_children(job, ni, &inner, existing.exists ? image_path : NULL, fs_path,
				    depth + 1);
		/* After the children: making them changed the folder's times. */
		if (rc == 0)
			rc = set_metadata(job, ni, &inner, &st.st_mtim, fs_path);
	} else {
		rc = copy_data(job, ni, fs_path);
		if (rc == 0)
			rc = set_metadata(job, ni, here, &st.st_mtim, fs_path);
	}
	if (ntfs_inode_close_in_dir(ni, dir_ni) < 0 && rc == 0)
		rc = ntfs_failed(job, "finish", fs_path);
out:
	free(uname);
	free(image_path);
	image_entry_free(&existing);
	return rc;
}

/* Folders parts[i] .. parts[last - 1] are new in the image: made with
 * the attach folder's descriptor, then parts[last] from fs_source. */
static int write_below(struct job *job, ntfs_inode *dir_ni, const struct descriptor *sd,
		       char **parts, size_t i, size_t last, const char *image_dir,
		       const char *fs_source)
{
	ntfschar *uname;
	ntfs_inode *ni;
	int len, rc;

	if (i == last)
		return write_entry(job, dir_ni, sd, image_dir, parts[i], fs_source, 0);
	len = ntfs_name(parts[i], parts[i], &uname, job->err);
	if (len < 0)
		return -1;
	ni = ntfs_create(dir_ni, 0, uname, (u8)len, S_IFDIR);
	free(uname);
	if (!ni)
		return ntfs_failed(job, "make the folder", parts[i]);
	rc = write_below(job, ni, sd, parts, i + 1, last, NULL, fs_source);
	if (rc == 0)
		rc = set_metadata(job, ni, sd, NULL, parts[i]);
	if (ntfs_inode_close_in_dir(ni, dir_ni) < 0 && rc == 0)
		rc = ntfs_failed(job, "finish the folder", parts[i]);
	return rc;
}

/* Room for the data in whole clusters, a 1 KiB MFT record and index
 * space per entry, index blocks per folder, mkntfs's own files
 * ($LogFile, $MFT, bitmaps: a few MiB), and a quarter more because
 * libntfs-3g keeps 12.5 % of the volume for the MFT to grow into. */
static uint64_t volume_size(const struct tally *tally, size_t new_folders)
{
	uint64_t folders = tally->folders + new_folders + 1;
	uint64_t need = tally->bytes + (tally->files + folders) * CLUSTER + folders * 2 * CLUSTER;
	uint64_t size = 16 * MIB + need + need / 4;

	return (size + MIB - 1) / MIB * MIB;
}

static int make_volume(const char *tempdir, uint64_t size, char **path, struct text *err)
{
	/* mkntfs lives in sbin, which a user's PATH may lack. */
	const char *mkntfs = access("/usr/sbin/mkntfs", X_OK) == 0 ? "/usr/sbin/mkntfs" :
			     access("/sbin/mkntfs", X_OK) == 0 ? "/sbin/mkntfs" : "mkntfs";
	struct text template = TEXT_INIT;
	int fd;

	text_appendf(&template, "%s/wimsd-XXXXXX", tempdir);
	*path = text_take(&template, NULL);
	if (!*path) {
		text_append(err, "out of memory");
		return -1;
	}
	fd = mkstemp(*path);
	if (fd < 0) {
		text_appendf(err, "cannot make an NTFS staging image in %s: %s", tempdir,
			     strerror(errno));
		free(*path);
		*path = NULL;
		return -1;
	}
	if (ftruncate(fd, (off_t)size) < 0) {
		text_appendf(err, "cannot size the NTFS staging image %s: %s", *path,
			     strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		text_appendf(err, "cannot write the NTFS staging image %s: %s", *path,
			     strerror(errno));
		return -1;
	}
	/* -F: a file, not a device; -Q: no zeroing; sector size and
	 * geometry given, else mkntfs warns that it cannot find them. */
	const char *argv[] = { mkntfs, "-F", "-Q", "-q", "-s", "512", "-p", "0", "-H", "0",
			       "-S", "0", "-c", "4096", "-L", "win7gen2", *path, NULL };

	return run_or_explain(argv, "cannot make the NTFS staging image (mkntfs, package ntfs-3g)",
			      NULL, NULL, err);
}

/* Fills the NTFS image: its root is the attach folder (descriptor sd),
 * then the new folders on the way, then the tree. */
static int fill_volume(struct job *job, const struct descriptor *sd, char **parts,
		       size_t first_new, size_t last, const char *base_path, const char *fs_source)
{
	ntfs_inode *root;
	int rc;

	job->vol = ntfs_mount(job->volume_path, NTFS_MNT_NONE);
	if (!job->vol) {
		text_appendf(job->err, "cannot open the NTFS staging image %s: %s",
			     job->volume_path, strerror(errno));
		return -1;
	}
	/* Descriptors are kept once each in $Secure; libntfs-3g opens it
	 * at mount, older versions did not. */
	if (!job->vol->secure_ni && ntfs_open_secure(job->vol) < 0) {
		rc = ntfs_failed(job, "open", "$Secure");
		goto unmount;
	}
	root = ntfs_inode_open(job->vol, FILE_root);
	if (!root) {
		rc = ntfs_failed(job, "open", "the root folder");
		goto unmount;
	}
	rc = set_metadata(job, root, sd, NULL, "the root folder");
	if (rc == 0)
		rc = write_below(job, root, sd, parts, first_new, last,
				 first_new == last ? base_path : NULL, fs_source);
	if (ntfs_inode_close(root) < 0 && rc == 0)
		rc = ntfs_failed(job, "finish", "the root folder");
unmount:
	if (ntfs_umount(job->vol, FALSE) < 0 && rc == 0) {
		text_appendf(job->err, "cannot finish the NTFS staging image %s: %s",
			     job->volume_path, strerror(errno));
		rc = -1;
	}
	job->vol = NULL;
	return rc;
}

/* wim_target's names; parts point into text. */
struct target {
	char *text;
	char **parts;
	size_t count;
};

static void target_free(struct target *target)
{
	free(target->text);
	free(target->parts);
}

/* Splits "\\a\\b" or "/a/b" into its names; refuses "." and "..". */
static int split_target(const char *wim_target, struct target *target, struct text *err)
{
	size_t most = 1;

	memset(target, 0, sizeof(*target));
	for (const char *c = wim_target; *c; c++)
		if (*c == '/' || *c == '\\')
			most++;
	target->text = strdup(wim_target);
	target->parts = calloc(most, sizeof(*target->parts));
	if (!target->text || !target->parts) {
		text_append(err, "out of memory");
		return -1;
	}
	for (char *c = target->text; *c; c++)
		if (*c == '\\')
			*c = '/';
	for (char *name = target->text, *rest; name; name = rest) {
		rest = strchr(name, '/');
		if (rest)
			*rest++ = '\0';
		if (!*name)
			continue;
		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			text_appendf(err, "cannot add at %s in the WIM image: write the path "
				     "without \".\" or \"..\"", wim_target);
			return -1;
		}
		target->parts[target->count++] = name;
	}
	if (target->count == 0) {
		text_appendf(err, "cannot add at %s in the WIM image: name a path below its root, "
			     "e.g. \\win7gen2", wim_target);
		return -1;
	}
	return 0;
}

/* "/" + parts[0..count-1] joined by "/". */
static char *image_path_of(char **parts, size_t count, struct text *err)
{
	struct text path = TEXT_INIT;
	char *joined;

	if (count == 0)
		text_append(&path, WIMLIB_WIM_ROOT_PATH);
	for (size_t i = 0; i < count; i++)
		text_appendf(&path, "/%s", parts[i]);
	joined = text_take(&path, NULL);
	if (!joined)
		text_append(err, "out of memory");
	return joined;
}

int wimsd_add(WIMStruct *wim, int image, const char *fs_source, const char *wim_target,
	      const char *tempdir, struct text *err)
{
	struct job job = { .wim = wim, .image = image, .err = err };
	struct image_entry base = { 0 };
	struct tally tally = { 0 };
	struct wimlib_update_command command;
	struct target target;
	struct descriptor sd;
	char *base_path = NULL, *volume = NULL;
	size_t depth;
	int code, rc = -1;

	if (split_target(wim_target, &target, err) < 0)
		goto out;
	if (scan(fs_source, 0, &tally, err) < 0)
		goto out;

	/* The attach folder: the nearest one on the way that exists. */
	for (depth = target.count - 1;; depth--) {
		free(base_path);
		base_path = image_path_of(target.parts, depth, err);
		if (!base_path || look_up(wim, image, base_path, &base, err) < 0)
			goto out;
		if (base.exists)
			break;
		if (depth == 0) {
			text_appendf(err, "cannot add %s: the WIM image has no root folder",
				     wim_target);
			goto out;
		}
	}
	if (!base.is_dir) {
		text_appendf(err, "cannot add %s to the WIM image: ", wim_target);
		put_image_path(err, base_path);
		text_append(err, " is a file there, not a folder; the WIM image is not laid out "
			    "as expected");
		goto out;
	}
	sd = landing_descriptor(&base);

	job.chunk = malloc(COPY_CHUNK);
	if (!job.chunk) {
		text_append(err, "out of memory");
		goto out;
	}
	if (make_volume(tempdir, volume_size(&tally, target.count - 1 - depth), &volume, err) < 0)
		goto out;
	job.volume_path = volume;
	if (fill_volume(&job, &sd, target.parts, depth, target.count - 1, base_path,
			fs_source) < 0)
		goto out;

	memset(&command, 0, sizeof(command));
	command.op = WIMLIB_UPDATE_OP_ADD;
	command.add.fs_source_path = volume;
	command.add.wim_target_path = base_path;
	command.add.add_flags = WIMLIB_ADD_FLAG_NTFS;
	code = wimlib_update_image(wim, image, &command, 1, 0);
	if (code) {
		text_appendf(err, "cannot add %s to the WIM image at %s: %s (wimlib error %d)",
			     fs_source, wim_target, wimlib_get_error_string(code), code);
		goto out;
	}
	rc = 0;
out:
	/* On success wimlib reads the data from the volume when the WIM is
	 * written: it stays. */
	if (rc < 0 && volume)
		unlink(volume);
	free(volume);
	free(job.chunk);
	free(base_path);
	image_entry_free(&base);
	target_free(&target);
	return rc;
}
