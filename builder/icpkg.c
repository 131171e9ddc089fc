/*
 * icpkg.c - the user's Hyper-V Integration Services package, checked
 *
 * SPDX-License-Identifier: MIT
 */
#include "icpkg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabfile.h"
#include "files.h"
#include "iso.h"

/* icpkg's own scratch files in the caller's folder. */
#define MEMBER_WORK_NAME "icpkg-member.cab"
#define MUM_WORK_NAME "icpkg-update.mum"
#define MANIFEST "update.mum"
/* Member names in messages are cut here; a package's longest are about
 * 120 characters ("amd64_<inf>_<token>_<version>_none_<hash>\<file>"). */
#define SHOWN_MAX 200
/* Integration Services package CABs are 5 to 30 MB; a "package" far
 * larger is something else, and would only fill the caller's folder. */
#define MAX_PACKAGE_SIZE (1024ull * 1024 * 1024)
#define MAX_PACKAGE_TEXT "1 GiB"

/*
 * Where a Hyper-V host's vmguest.iso keeps the package for 64-bit
 * Windows 7, in the order tried: a Windows Server 2012 host ships one
 * CAB per guest version (Windows6.1 is Windows 7's), a 2012 R2 host one
 * for all of them (Windows6.x).  The same folder's x86 CAB is for 32-bit
 * Windows.
 */
static const char *const iso_candidates[] = {
	"/support/amd64/Windows6.1-HyperVIntegrationServices-x64.cab",
	"/support/amd64/Windows6.x-HyperVIntegrationServices-x64.cab",
};

const char *icpkg_form_name(enum icpkg_form form)
{
	switch (form) {
	case ICPKG_CAB:
		return "package CAB";
	case ICPKG_MSU:
		return "update (.msu)";
	case ICPKG_ISO:
		return "guest ISO";
	}
	return "package";
}

const char *icpkg_effect(bool package_given)
{
	/* Gen2 has no VGA: the screen is the IC synthetic video driver. */
	if (package_given)
		return "keyboard, mouse and screen on Gen2";
	return "no keyboard, mouse or screen on Gen2: reach it by Remote Desktop";
}

void icpkg_free(struct icpkg *pkg)
{
	free(pkg->cab);
	free(pkg->inside);
	memset(pkg, 0, sizeof(*pkg));
}

/* A member name from the user's CAB, fit for a message: printable ASCII
 * ('?' for anything else), shortened. */
static const char *shown(const char *name, char buf[SHOWN_MAX])
{
	size_t i = 0;

	for (; name[i] && i < SHOWN_MAX - 1; i++)
		buf[i] = name[i] >= 0x20 && name[i] <= 0x7e ? name[i] : '?';
	buf[i] = '\0';
	if (name[i] && i >= 3)
		memcpy(buf + i - 3, "...", 3);
	return buf;
}

static bool ends_with_cab(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && name[n - 4] == '.' && (name[n - 3] | 0x20) == 'c' &&
	       (name[n - 2] | 0x20) == 'a' && (name[n - 1] | 0x20) == 'b';
}

enum kind { KIND_ERROR = -1, KIND_OTHER, KIND_CAB, KIND_ISO };

/* What the file is, from its bytes. */
static enum kind sniff(const char *path, struct text *err)
{
	unsigned char head[4];
	char volume_id[33];
	struct stat st;
	ssize_t n;
	enum iso9660_probe iso;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		text_appendf(err, "cannot open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return KIND_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		text_appendf(err, "%s is not a file", path);
		close(fd);
		return KIND_ERROR;
	}
	n = pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		text_appendf(err, "cannot read %s: %s", path, strerror(errno));
		close(fd);
		return KIND_ERROR;
	}
	if (n == (ssize_t)sizeof(head) && memcmp(head, "MSCF", 4) == 0) {
		close(fd);
		return KIND_CAB;
	}
	iso = iso_is_iso9660(&(struct iso_source){ .name = path, .fd = fd }, volume_id, err);
	close(fd);
	if (iso == ISO9660_UNREADABLE)
		return KIND_ERROR;
	return iso == ISO9660_FOUND ? KIND_ISO : KIND_OTHER;
}

/* A CAB with update.mum at its root is a package CAB: stage it as it is.
 * Otherwise it may be an update (.msu): the one CAB inside it that is a
 * package CAB is staged. */
static int stage_from_cab(const char *path, const char *staged, const char *work,
			  struct icpkg *pkg, struct text *err)
{
	struct cabfile *cab, *member;
	const char *why;
	char name[SHOWN_MAX];
	size_t found = 0;
	int rc = -1;

	if (cabfile_open(path, &cab, &why) < 0) {
		text_appendf(err, "%s: %s", path, why);
		return -1;
	}
	if (cabfile_find(cab, MANIFEST) >= 0) {
		struct stat st;

		cabfile_close(cab);
		pkg->form = ICPKG_CAB;
		if (stat(path, &st) == 0 && (uint64_t)st.st_size > MAX_PACKAGE_SIZE) {
			text_appendf(err, "%s is larger than %s: not an Integration Services "
				     "package", path, MAX_PACKAGE_TEXT);
			return -1;
		}
		return copy_big_file(path, staged, NULL, NULL, err);
	}
	pkg->form = ICPKG_MSU;
	for (size_t i = 0; i < cabfile_count(cab); i++) {
		const char *member_name = cabfile_name(cab, i);
		bool package;

		/* The package sits at the update's root, beside WSUSSCAN.cab. */
		if (!ends_with_cab(member_name) || strchr(member_name, '\\'))
			continue;
		if (cabfile_size(cab, i) > MAX_PACKAGE_SIZE) {
			text_appendf(err, "%s: its member %s is larger than %s: not an "
				     "Integration Services package", path,
				     shown(member_name, name), MAX_PACKAGE_TEXT);
			goto out;
		}
		if (cabfile_extract(cab, i, work, &why) < 0 ||
		    cabfile_open(work, &member, &why) < 0) {
			text_appendf(err, "%s: its member %s: %s", path, shown(member_name, name),
				     why);
			goto out;
		}
		package = cabfile_find(member, MANIFEST) >= 0;
		cabfile_close(member);
		if (!package) {
			unlink(work);
			continue;
		}
		if (found++) {
			text_appendf(err, "%s holds more than one package CAB (%s and %s): give "
				     "the one to install", path, pkg->inside,
				     shown(member_name, name));
			goto out;
		}
		free(pkg->inside);
		pkg->inside = strdup(shown(member_name, name));
		if (!pkg->inside || rename(work, staged) < 0) {
			text_appendf(err, "cannot stage %s from %s: %s", shown(member_name, name),
				     path, pkg->inside ? strerror(errno) : "out of memory");
			goto out;
		}
	}
	if (!found) {
		text_appendf(err, "%s is a CAB but not a Windows package: it holds no %s, and "
			     "no CAB inside it does (an .msu holds its package's CAB); give the "
			     "update's .msu, the .cab in it, "
			     "Windows6.x-HyperVIntegrationServices-x64.cab or vmguest.iso",
			     path, MANIFEST);
		goto out;
	}
	rc = 0;
out:
	cabfile_close(cab);
	return rc;
}

static int stage_from_iso(const char *path, const char *staged, struct icpkg *pkg,
			  struct text *err)
{
	struct iso_listing listing;
	struct iso_source src;
	const struct iso_file *file = NULL;
	int rc = -1;

	pkg->form = ICPKG_ISO;
	memset(&listing, 0, sizeof(listing));
	if (iso_source_open(&src, path, err) < 0)
		return -1;
	if (iso_list(&src, &listing, err) < 0) {
		iso_source_close(&src);
		return -1;
	}
	for (size_t i = 0; !file && i < sizeof(iso_candidates) / sizeof(iso_candidates[0]); i++)
		file = iso_find(&listing, iso_candidates[i]);
	if (!file) {
		text_appendf(err, "%s is an ISO image without "
			     "\\support\\amd64\\Windows6.1- or Windows6.x-"
			     "HyperVIntegrationServices-x64.cab: not a Hyper-V guest ISO "
			     "(vmguest.iso) with Integration Services for 64-bit Windows 7", path);
		goto out;
	}
	if (file->size > MAX_PACKAGE_SIZE) {
		text_appendf(err, "%s: %s is larger than %s: not an Integration Services "
			     "package", path, file->path, MAX_PACKAGE_TEXT);
		goto out;
	}
	pkg->inside = strdup(file->path);
	if (!pkg->inside) {
		text_append(err, "out of memory");
		goto out;
	}
	rc = iso_copy_out(&src, file, staged, NULL, NULL, err);
out:
	iso_listing_free(&listing);
	iso_source_close(&src);
	return rc;
}

/* The staged package CAB: its manifest, its architecture and version,
 * and every member's data. */
static int check_package(const char *staged, const char *label, const char *mum_work,
			 struct icpkg *pkg, struct text *err)
{
	struct icver minimum;
	struct cabfile *cab;
	unsigned char *data = NULL;
	const char *why;
	size_t size = 0, failed;
	char name[SHOWN_MAX];
	long manifest;
	int rc = -1;

	if (cabfile_open(staged, &cab, &why) < 0) {
		text_appendf(err, "%s: %s", label, why);
		return -1;
	}
	manifest = cabfile_find(cab, MANIFEST);
	if (manifest < 0) {
		text_appendf(err, "%s is a CAB but not a Windows package: it holds no %s",
			     label, MANIFEST);
		goto out;
	}
	if (cabfile_size(cab, (size_t)manifest) > ICMUM_MAX_SIZE) {
		text_appendf(err, "%s: its %s is larger than 4 MiB: not a package manifest",
			     label, MANIFEST);
		goto out;
	}
	if (cabfile_extract(cab, (size_t)manifest, mum_work, &why) < 0) {
		text_appendf(err, "%s: its %s: %s", label, MANIFEST, why);
		goto out;
	}
	if (read_file(mum_work, ICMUM_MAX_SIZE, &data, &size, err) < 0)
		goto out;
	if (icmum_parse(data, size, &pkg->mum, &why) < 0) {
		text_appendf(err, "%s is not a Windows package: in its %s, %s", label, MANIFEST,
			     why);
		goto out;
	}
	icver_format(&pkg->mum.version, pkg->version);
	if (strcasecmp(pkg->mum.arch, "amd64") != 0) {
		if (strcasecmp(pkg->mum.arch, "x86") == 0)
			text_appendf(err, "%s is %s %s for 32-bit Windows (x86): a 64-bit "
				     "Windows 7 needs the x64 (amd64) package, the -x64 .msu or "
				     ".cab", label, pkg->mum.name, pkg->version);
		else
			text_appendf(err, "%s is %s %s for processorArchitecture \"%s\", not "
				     "amd64 (x64)", label, pkg->mum.name, pkg->version,
				     pkg->mum.arch);
		goto out;
	}
	if (!icver_parse(ICPKG_MIN_VERSION, &minimum) ||
	    icver_compare(&pkg->mum.version, &minimum) < 0) {
		text_appendf(err, "%s holds Integration Services %s (%s), older than %s, the "
			     "first with a Gen2 keyboard: use KB3063109's x64 .msu "
			     "(6.3.9600.17903) or a Windows Server 2012 R2 host's vmguest.iso",
			     label, pkg->version, pkg->mum.name, ICPKG_MIN_VERSION);
		goto out;
	}
	/* DISM would find a damaged member only on the VM, mid-install. */
	if (cabfile_verify(cab, &failed, &why) < 0) {
		text_appendf(err, "%s: its member %s: %s", label,
			     shown(cabfile_name(cab, failed), name), why);
		goto out;
	}
	rc = 0;
out:
	free(data);
	cabfile_close(cab);
	return rc;
}

int icpkg_open(const char *path, const char *tempdir, struct icpkg *pkg, struct text *err)
{
	char *staged = path_join(tempdir, WIN7GEN2_IC_PACKAGE_NAME);
	char *member_work = path_join(tempdir, MEMBER_WORK_NAME);
	char *mum_work = path_join(tempdir, MUM_WORK_NAME);
	struct text label = TEXT_INIT;
	int rc = -1;

	memset(pkg, 0, sizeof(*pkg));
	if (!staged || !member_work || !mum_work) {
		text_append(err, "out of memory");
		goto out;
	}
	/* Ours from an earlier call: the copies below create their files. */
	unlink(staged);
	unlink(member_work);
	unlink(mum_work);

	switch (sniff(path, err)) {
	case KIND_ERROR:
		goto out;
	case KIND_CAB:
		rc = stage_from_cab(path, staged, member_work, pkg, err);
		break;
	case KIND_ISO:
		rc = stage_from_iso(path, staged, pkg, err);
		break;
	case KIND_OTHER:
		text_appendf(err, "%s is neither a CAB (.msu, .cab) nor an ISO image: give the "
			     "update's .msu, the .cab in it, "
			     "Windows6.x-HyperVIntegrationServices-x64.cab or vmguest.iso", path);
		break;
	}
	if (rc < 0)
		goto out;

	rc = -1;
	if (pkg->inside)
		text_appendf(&label, "%s in %s", pkg->inside, path);
	else
		text_append(&label, path);
	if (text_failed(&label)) {
		text_append(err, "out of memory");
		goto out;
	}
	if (check_package(staged, text_string(&label), mum_work, pkg, err) < 0)
		goto out;
	pkg->cab = staged;
	staged = NULL;
	rc = 0;
out:
	if (rc < 0) {
		if (staged)
			unlink(staged);
		icpkg_free(pkg);
	}
	if (member_work)
		unlink(member_work);
	if (mum_work)
		unlink(mum_work);
	free(staged);
	free(member_work);
	free(mum_work);
	text_free(&label);
	return rc;
}
