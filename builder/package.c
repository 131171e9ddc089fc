/*
 * package.c - a Windows servicing package the user gives, checked
 *
 * SPDX-License-Identifier: MIT
 */
#include "package.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabfile.h"
#include "files.h"
#include "icpkg.h"
#include "iso.h"
#include "win7gen2.h"

/* Work files beside the staged CAB. */
#define MEMBER_WORK_SUFFIX ".member"
#define MUM_WORK_SUFFIX ".mum"
#define MANIFEST "update.mum"
/* Member names in messages are cut here; a package's longest are about
 * 120 characters ("amd64_<inf>_<token>_<version>_none_<hash>\<file>"). */
#define SHOWN_MAX 200
/* Integration Services package CABs are 5 to 30 MB; a "package" far
 * larger is something else, and would only fill the caller's folder. */
#define IC_MAX_SIZE (1024ull * 1024 * 1024)
/* The servicing stack's own assembly (package.h). */
#define SERVICING_STACK_PREFIX "amd64_microsoft-windows-servicingstack_"
/* The VMBus driver's package folder: every Integration Services
 * package has it. */
#define VMBUS_MEMBER "_wvmbus.inf_"

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

struct opening {
	const char *path;
	const char *staged;
	const char *cab;     /* the package CAB checked: staged, or path itself */
	const char *member_work;
	const char *mum_work;
	enum package_purpose purpose;
	struct package *pkg;
	struct text *err;
};

const char *package_form_name(enum package_form form)
{
	switch (form) {
	case PACKAGE_FORM_CAB:
		return "package CAB";
	case PACKAGE_FORM_MSU:
		return "update (.msu)";
	case PACKAGE_FORM_ISO:
		return "guest ISO";
	}
	return "package";
}

const char *package_windows_name(const struct icver *version)
{
	static const struct {
		uint16_t major, minor;
		const char *name;
	} known[] = {
		{ 6, 0, "Windows Vista / Server 2008" },
		{ 6, 1, "Windows 7 / Server 2008 R2" },
		{ 6, 2, "Windows 8 / Server 2012" },
		{ 6, 3, "Windows 8.1 / Server 2012 R2" },
		{ 10, 0, "Windows 10 or later" },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (version->part[0] == known[i].major && version->part[1] == known[i].minor)
			return known[i].name;
	return NULL;
}

void package_free(struct package *pkg)
{
	free(pkg->cab);
	free(pkg->inside);
	free(pkg->label);
	memset(pkg, 0, sizeof(*pkg));
}

/* A name from the user's file, fit for a message: printable ASCII ('?'
 * for anything else), shortened. */
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

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The CAB's file name for the DVD and packages.txt, when it is one. */
static void keep_name(struct package *pkg, const char *name)
{
	size_t length = strlen(name);

	pkg->name[0] = '\0';
	if (package_name_valid(name, length))
		memcpy(pkg->name, name, length + 1);
}

/* What to give instead, per purpose. */
static const char *hint(enum package_purpose purpose)
{
	return purpose == PACKAGE_FOR_UPDATE ?
	       "give a Windows 7 SP1 x64 update's .msu or the package .cab in it" :
	       "give the update's .msu, the .cab in it, "
	       "Windows6.x-HyperVIntegrationServices-x64.cab or vmguest.iso";
}

static uint64_t max_size(enum package_purpose purpose)
{
	return purpose == PACKAGE_FOR_UPDATE ? PACKAGE_MAX_SIZE : IC_MAX_SIZE;
}

static const char *max_size_text(enum package_purpose purpose)
{
	return purpose == PACKAGE_FOR_UPDATE ? "2 GiB: not a Windows update package" :
	       "1 GiB: not an Integration Services package";
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
static int stage_from_cab(struct opening *o)
{
	struct package *pkg = o->pkg;
	struct cabfile *cab, *member;
	const char *why;
	char name[SHOWN_MAX];
	size_t found = 0;
	int rc = -1;

	if (cabfile_open(o->path, &cab, &why) < 0) {
		text_appendf(o->err, "%s: %s", o->path, why);
		return -1;
	}
	if (cabfile_find(cab, MANIFEST) >= 0) {
		struct stat st;

		cabfile_close(cab);
		pkg->form = PACKAGE_FORM_CAB;
		if (stat(o->path, &st) == 0 && (uint64_t)st.st_size > max_size(o->purpose)) {
			text_appendf(o->err, "%s is larger than %s", o->path,
				     max_size_text(o->purpose));
			return -1;
		}
		keep_name(pkg, base_name(o->path));
		/* An update's CAB is written once, from here to OUT; the
		 * Integration Services CAB goes into boot.wim from a copy. */
		if (o->purpose == PACKAGE_FOR_UPDATE) {
			if (stat(o->path, &pkg->seen) < 0) {
				text_appendf(o->err, "cannot open %s: %s", o->path,
					     strerror(errno));
				return -1;
			}
			o->cab = o->path;
			return 0;
		}
		return copy_big_file(o->path, o->staged, NULL, NULL, o->err);
	}
	pkg->form = PACKAGE_FORM_MSU;
	for (size_t i = 0; i < cabfile_count(cab); i++) {
		const char *member_name = cabfile_name(cab, i);
		bool package;

		/* The package sits at the update's root, beside WSUSSCAN.cab. */
		if (!ends_with_cab(member_name) || strchr(member_name, '\\'))
			continue;
		if (cabfile_size(cab, i) > max_size(o->purpose)) {
			text_appendf(o->err, "%s: its member %s is larger than %s", o->path,
				     shown(member_name, name), max_size_text(o->purpose));
			goto out;
		}
		if (cabfile_extract(cab, i, o->member_work, &why) < 0 ||
		    cabfile_open(o->member_work, &member, &why) < 0) {
			text_appendf(o->err, "%s: its member %s: %s", o->path,
				     shown(member_name, name), why);
			goto out;
		}
		package = cabfile_find(member, MANIFEST) >= 0;
		cabfile_close(member);
		if (!package) {
			unlink(o->member_work);
			continue;
		}
		if (found++) {
			text_appendf(o->err, "%s holds more than one package CAB (%s and %s): "
				     "give the one to install", o->path, pkg->inside,
				     shown(member_name, name));
			goto out;
		}
		free(pkg->inside);
		pkg->inside = strdup(shown(member_name, name));
		if (!pkg->inside || rename(o->member_work, o->staged) < 0) {
			text_appendf(o->err, "cannot stage %s from %s: %s",
				     shown(member_name, name), o->path,
				     pkg->inside ? strerror(errno) : "out of memory");
			goto out;
		}
		keep_name(pkg, member_name);
	}
	if (!found) {
		text_appendf(o->err, "%s is a CAB but not a Windows package: it holds no %s, "
			     "and no CAB inside it does (an .msu holds its package's CAB); %s",
			     o->path, MANIFEST, hint(o->purpose));
		goto out;
	}
	rc = 0;
out:
	cabfile_close(cab);
	return rc;
}

static int stage_from_iso(struct opening *o)
{
	struct iso_listing listing;
	struct iso_source src;
	const struct iso_file *file = NULL;
	int rc = -1;

	o->pkg->form = PACKAGE_FORM_ISO;
	memset(&listing, 0, sizeof(listing));
	if (iso_source_open(&src, o->path, o->err) < 0)
		return -1;
	if (iso_list(&src, &listing, o->err) < 0) {
		iso_source_close(&src);
		return -1;
	}
	for (size_t i = 0; !file && i < sizeof(iso_candidates) / sizeof(iso_candidates[0]); i++)
		file = iso_find(&listing, iso_candidates[i]);
	if (!file) {
		text_appendf(o->err, "%s is an ISO image without "
			     "\\support\\amd64\\Windows6.1- or Windows6.x-"
			     "HyperVIntegrationServices-x64.cab: not a Hyper-V guest ISO "
			     "(vmguest.iso) with Integration Services for 64-bit Windows 7",
			     o->path);
		goto out;
	}
	if (file->size > max_size(o->purpose)) {
		text_appendf(o->err, "%s: %s is larger than %s", o->path, file->path,
			     max_size_text(o->purpose));
		goto out;
	}
	o->pkg->inside = strdup(file->path);
	if (!o->pkg->inside) {
		text_append(o->err, "out of memory");
		goto out;
	}
	rc = iso_copy_out(&src, file, o->staged, NULL, NULL, o->err);
out:
	iso_listing_free(&listing);
	iso_source_close(&src);
	return rc;
}

static bool starts_with_nocase(const char *text, const char *prefix)
{
	return strncasecmp(text, prefix, strlen(prefix)) == 0;
}

static bool contains_nocase(const char *text, const char *part)
{
	size_t n = strlen(part);

	for (; *text; text++)
		if (strncasecmp(text, part, n) == 0)
			return true;
	return false;
}

/* "KB4490628" from "Package_for_KB4490628" (Microsoft's name for a KB's
 * package), else the whole name. */
static void kb_of(struct package *pkg)
{
	const char *name = pkg->mum.name, *kb = NULL;

	if (starts_with_nocase(name, "Package_for_"))
		kb = name + strlen("Package_for_");
	if (!kb || !starts_with_nocase(kb, "KB"))
		kb = name;
	snprintf(pkg->kb, sizeof(pkg->kb), "%s", kb);
}

/* An update must be for Windows 6.1: its <parent>. */
static int check_update_parent(struct opening *o, const char *label)
{
	const struct icmum *mum = &o->pkg->mum;
	char version[ICVER_TEXT_MAX];
	const char *windows;

	if (!mum->has_parent) {
		text_appendf(o->err, "%s (%s) names no <parent> in its %s, so not the Windows "
			     "it is for: not a Windows 7 SP1 update package", label, mum->name,
			     MANIFEST);
		return -1;
	}
	if (mum->parent_version.part[0] == 6 && mum->parent_version.part[1] == 1)
		return 0;
	icver_format(&mum->parent_version, version);
	windows = package_windows_name(&mum->parent_version);
	text_appendf(o->err, "%s (%s) is for Windows %u.%u (%s: its parent is %s %s), not "
		     "6.1 (Windows 7 SP1): give the Windows 7 SP1 x64 update, "
		     "\"Windows6.1-KB...-x64\"", label, mum->name,
		     (unsigned)mum->parent_version.part[0], (unsigned)mum->parent_version.part[1],
		     windows ? windows : "not a Windows 7 one", mum->parent_name, version);
	return -1;
}

/* Integration Services: one, and new enough for a Gen2 keyboard. */
static int check_integration_services(struct opening *o, struct cabfile *cab, const char *label)
{
	const struct icmum *mum = &o->pkg->mum;
	char version[ICVER_TEXT_MAX];
	struct icver minimum;
	bool vmbus = false;

	for (size_t i = 0; !vmbus && i < cabfile_count(cab); i++)
		vmbus = contains_nocase(cabfile_name(cab, i), VMBUS_MEMBER);
	if (!mum->names_hyper_v && !vmbus) {
		text_appendf(o->err, "%s is %s, not an Integration Services package: neither its "
			     "%s names Hyper-V nor does it hold the VMBus driver; use KB3063109's "
			     "x64 .msu or a Windows Server 2012 R2 host's vmguest.iso (give other "
			     "updates with --package)", label, o->pkg->kb, MANIFEST);
		return -1;
	}
	icver_format(&mum->version, version);
	if (!icver_parse(ICPKG_MIN_VERSION, &minimum) ||
	    icver_compare(&mum->version, &minimum) < 0) {
		text_appendf(o->err, "%s holds Integration Services %s (%s), older than %s, the "
			     "first with a Gen2 keyboard: use KB3063109's x64 .msu "
			     "(6.3.9600.17903) or a Windows Server 2012 R2 host's vmguest.iso",
			     label, version, mum->name, ICPKG_MIN_VERSION);
		return -1;
	}
	return 0;
}

/* The staged package CAB: its manifest, architecture, Windows, and
 * every member's data. */
static int check_package(struct opening *o, const char *label)
{
	struct package *pkg = o->pkg;
	struct cabfile *cab;
	unsigned char *data = NULL;
	char version[ICVER_TEXT_MAX];
	const char *why;
	size_t size = 0;
	struct stat st;
	long manifest;
	int rc = -1;

	if (cabfile_open(o->cab, &cab, &why) < 0) {
		text_appendf(o->err, "%s: %s", label, why);
		return -1;
	}
	manifest = cabfile_find(cab, MANIFEST);
	if (manifest < 0) {
		text_appendf(o->err, "%s is a CAB but not a Windows package: it holds no %s",
			     label, MANIFEST);
		goto out;
	}
	if (cabfile_size(cab, (size_t)manifest) > ICMUM_MAX_SIZE) {
		text_appendf(o->err, "%s: its %s is larger than 4 MiB: not a package manifest",
			     label, MANIFEST);
		goto out;
	}
	if (cabfile_extract(cab, (size_t)manifest, o->mum_work, &why) < 0) {
		text_appendf(o->err, "%s: its %s: %s", label, MANIFEST, why);
		goto out;
	}
	if (read_file(o->mum_work, ICMUM_MAX_SIZE, &data, &size, o->err) < 0)
		goto out;
	if (icmum_parse(data, size, &pkg->mum, &why) < 0) {
		text_appendf(o->err, "%s is not a Windows package: in its %s, %s", label,
			     MANIFEST, why);
		goto out;
	}
	kb_of(pkg);
	icver_format(&pkg->mum.version, version);
	if (strcasecmp(pkg->mum.arch, "amd64") != 0) {
		if (strcasecmp(pkg->mum.arch, "x86") == 0)
			text_appendf(o->err, "%s is %s %s for 32-bit Windows (x86): a 64-bit "
				     "Windows 7 needs the x64 (amd64) package, the -x64 .msu or "
				     ".cab", label, pkg->mum.name, version);
		else
			text_appendf(o->err, "%s is %s %s for processorArchitecture \"%s\", not "
				     "amd64 (x64)", label, pkg->mum.name, version, pkg->mum.arch);
		goto out;
	}
	if (o->purpose == PACKAGE_FOR_UPDATE ? check_update_parent(o, label) < 0 :
	    check_integration_services(o, cab, label) < 0)
		goto out;
	for (size_t i = 0; i < cabfile_count(cab) && !pkg->servicing_stack; i++)
		pkg->servicing_stack = starts_with_nocase(cabfile_name(cab, i),
							  SERVICING_STACK_PREFIX);
	if (stat(o->cab, &st) < 0) {
		text_appendf(o->err, "cannot read %s: %s", o->cab, strerror(errno));
		goto out;
	}
	pkg->size = (uint64_t)st.st_size;
	rc = 0;
out:
	free(data);
	cabfile_close(cab);
	return rc;
}

/* DISM would find a damaged member only on the VM, mid-install. */
int package_check_members(const struct package *pkg, const atomic_bool *stop, struct text *err)
{
	struct cabfile *cab;
	const char *why;
	char name[SHOWN_MAX];
	int rc = 0;

	if (cabfile_open(pkg->cab, &cab, &why) < 0) {
		text_appendf(err, "%s: %s", pkg->label, why);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < cabfile_count(cab); i++) {
		if (stop && atomic_load(stop)) {
			rc = PACKAGE_CHECK_STOPPED;
			break;
		}
		/* libmspack checks the data on the way; the null device takes
		 * the bytes. */
		if (cabfile_extract(cab, i, "/dev/null", &why) < 0) {
			text_appendf(err, "%s is damaged: its member %s does not decompress: %s",
				     pkg->label, shown(cabfile_name(cab, i), name), why);
			rc = -1;
		}
	}
	cabfile_close(cab);
	return rc;
}

void package_dvd_path(const char *name, char path[PACKAGE_DVD_PATH_MAX])
{
	char *p;

	snprintf(path, PACKAGE_DVD_PATH_MAX, "%s\\%.*s", WIN7GEN2_PACKAGES_DIR,
		 PACKAGE_LIST_NAME_MAX, name);
	for (p = path; *p; p++)
		if (*p == '\\')
			*p = '/';
}

const struct package *package_by_name(const struct package *packages, size_t count,
				      const char *name, size_t *index)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(packages[i].name, name) == 0) {
			if (index)
				*index = i;
			return &packages[i];
		}
	return NULL;
}

/* Adds the packages of one kind to the list, in the order given. */
static int order_kind(const struct package *packages, const char *const *given, size_t count,
		      bool servicing_stacks, struct package_list *list, struct text *err)
{
	struct package_list_error error;

	for (size_t i = 0; i < count; i++) {
		if (packages[i].servicing_stack != servicing_stacks)
			continue;
		if (!package_list_add(list, servicing_stacks ? PACKAGE_SERVICING_STACK :
				      PACKAGE_UPDATE, packages[i].name, &error)) {
			text_appendf(err, "--package %s (%s): %s", given[i], packages[i].name,
				     error.why);
			return -1;
		}
	}
	return 0;
}

int package_order(const struct package *packages, const char *const *given, size_t count,
		  struct package_list *list, struct text *err)
{
	memset(list, 0, sizeof(*list));
	if (count > PACKAGE_LIST_MAX) {
		text_appendf(err, "%zu --package files given; at most %u fit one install list",
			     count, PACKAGE_LIST_MAX);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		if (!packages[i].name[0]) {
			text_appendf(err, "%s: its package CAB's name is not one Windows PE and "
				     WIN7GEN2_PACKAGES_LIST_NAME " take (1 to %u of A-Z a-z 0-9 . _ -, "
				     "ending in "
				     ".cab): rename it as Microsoft names it, e.g. "
				     "Windows6.1-KB4490628-x64.cab", given[i], PACKAGE_LIST_NAME_MAX);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(packages[j].kb, packages[i].kb) == 0) {
				text_appendf(err, "--package %s and --package %s are both %s: give "
					     "each update once", given[j], given[i], packages[i].kb);
				return -1;
			}
	}
	if (order_kind(packages, given, count, true, list, err) < 0 ||
	    order_kind(packages, given, count, false, list, err) < 0) {
		memset(list, 0, sizeof(*list));
		return -1;
	}
	return 0;
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

int package_unchanged(const struct package *pkg, struct text *err)
{
	const char *what = NULL;
	struct stat now;

	if (pkg->staged)
		return 0;
	if (stat(pkg->cab, &now) < 0)
		what = "it cannot be looked at any more";
	else if (now.st_dev != pkg->seen.st_dev || now.st_ino != pkg->seen.st_ino)
		what = "another file took its name";
	else if (now.st_size != pkg->seen.st_size)
		what = "its size changed";
	else if (!same_time(&now.st_mtim, &pkg->seen.st_mtim))
		what = "its modification time changed";
	if (!what)
		return 0;
	text_appendf(err, "%s changed after it was checked: %s; give it again once nothing "
		     "changes it", pkg->cab, what);
	return -1;
}

static char *with_suffix(const char *path, const char *suffix)
{
	size_t a = strlen(path), b = strlen(suffix);
	char *joined = malloc(a + b + 1);

	if (joined) {
		memcpy(joined, path, a);
		memcpy(joined + a, suffix, b + 1);
	}
	return joined;
}

static int open_package(const char *path, const char *staged, enum package_purpose purpose,
			bool members_now, struct package *pkg, struct text *err)
{
	char *member_work = with_suffix(staged, MEMBER_WORK_SUFFIX);
	char *mum_work = with_suffix(staged, MUM_WORK_SUFFIX);
	char *staged_copy = NULL;
	struct text label = TEXT_INIT;
	struct opening o = {
		.path = path, .staged = staged, .cab = staged, .member_work = member_work,
		.mum_work = mum_work, .purpose = purpose, .pkg = pkg, .err = err,
	};
	int rc = -1;

	memset(pkg, 0, sizeof(*pkg));
	if (!member_work || !mum_work) {
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
		rc = stage_from_cab(&o);
		break;
	case KIND_ISO:
		if (purpose == PACKAGE_FOR_INTEGRATION_SERVICES) {
			rc = stage_from_iso(&o);
			break;
		}
		text_appendf(err, "%s is an ISO image, not a Windows update package: %s",
			     path, hint(purpose));
		break;
	case KIND_OTHER:
		text_appendf(err, "%s is neither a CAB (.msu, .cab) nor an ISO image: %s", path,
			     hint(purpose));
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
	if (check_package(&o, text_string(&label)) < 0)
		goto out;
	pkg->staged = o.cab == staged;
	staged_copy = strdup(o.cab);
	pkg->label = strdup(text_string(&label));
	if (!staged_copy || !pkg->label) {
		text_append(err, "out of memory");
		goto out;
	}
	pkg->cab = staged_copy;
	staged_copy = NULL;
	if (members_now && package_check_members(pkg, NULL, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		unlink(staged);
		package_free(pkg);
	}
	if (member_work)
		unlink(member_work);
	if (mum_work)
		unlink(mum_work);
	free(staged_copy);
	free(member_work);
	free(mum_work);
	text_free(&label);
	return rc;
}

int package_open(const char *path, const char *staged, enum package_purpose purpose,
		 struct package *pkg, struct text *err)
{
	return open_package(path, staged, purpose, true, pkg, err);
}

int package_open_quick(const char *path, const char *staged, enum package_purpose purpose,
		       struct package *pkg, struct text *err)
{
	return open_package(path, staged, purpose, false, pkg, err);
}
