/*
 * package.h - a Windows servicing package the user gives, checked
 *
 * Microsoft ships Windows 7 updates in these forms:
 *
 *   .msu          a Windows update: a CAB holding the package CAB
 *                 (Windows6.1-KBnnnnnnn-x64.cab) beside WSUSSCAN.cab,
 *                 Windows6.1-KBnnnnnnn-x64-pkgProperties.txt and an .xml
 *   .cab          a package CAB: the one inside the .msu, or one a
 *                 Hyper-V host ships (HyperVIntegrationServices)
 *   vmguest.iso   (Integration Services only) a Hyper-V host's guest
 *                 ISO, whose \support\amd64\...-x64.cab is the package
 *
 * Whatever the form, the result is the package CAB itself, staged where
 * the caller says: Windows installs packages from it (DISM /Add-Package),
 * which keeps its catalogs, and so its signatures, valid.  The form is
 * told from the file's bytes (a CAB signature, an ISO 9660 volume),
 * never from its name.  A package is accepted only when
 *   - the CAB holds update.mum, a package manifest (icmum.h),
 *   - the manifest says processorArchitecture amd64,
 *   - for an update: its <parent> is Windows 6.1 (Windows 7 SP1 and
 *     Server 2008 R2 updates name Microsoft-Windows-Foundation-Package
 *     6.1.7601.17514 or 6.1.7600.16385; only the version's first two
 *     numbers tell Windows versions apart, so they are what is checked),
 *   - for Integration Services: it is one (see icpkg.h),
 *   - every member of the CAB decompresses: DISM would find a damaged
 *     one only on the VM, mid-install.
 *
 * A servicing stack update is told from its own bytes: it carries the
 * servicing stack's assembly, members under or named
 * amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.... (the
 * folder that becomes C:\Windows\winsxs\amd64_microsoft-windows-
 * servicingstack_..., where TrustedInstaller's worker and CBS's core
 * live; Windows 7's CBS logs name its cbscore.dll there).  Microsoft
 * requires it installed, in its own DISM call, before the updates that
 * need it (KB4490628, KB3020369).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_PACKAGE_H
#define WIN7GEN2_PACKAGE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "icmum.h"
#include "package_list.h"
#include "text.h"

enum package_form {
	PACKAGE_FORM_CAB,  /* a package CAB as given */
	PACKAGE_FORM_MSU,  /* the package CAB inside an update */
	PACKAGE_FORM_ISO,  /* the package CAB on a guest ISO */
};

enum package_purpose {
	PACKAGE_FOR_UPDATE,                /* --package: any Windows 7 SP1 x64 update */
	PACKAGE_FOR_INTEGRATION_SERVICES,  /* --integration-services (icpkg.h) */
};

/* An update package CAB far larger than this is something else (the
 * largest Windows 7 x64 rollups are about 500 MB). */
#define PACKAGE_MAX_SIZE (2048ull * 1024 * 1024)

struct package {
	enum package_form form;
	struct icmum mum;
	/* The package CAB (malloc'd): the staged copy, or for an update
	 * given as a package .cab, the user's file itself, read in place so
	 * its bytes are written once, to OUT (staged false; package_unchanged
	 * then tells whether it stayed the file that was checked). */
	char *cab;
	bool staged;
	struct stat seen;   /* the user's .cab when not staged */
	char *inside;       /* for an .msu or ISO, the member or path the CAB came
			     * from; else NULL (malloc'd) */
	char *label;        /* what messages call it: "INSIDE in PATH" or PATH
			     * (malloc'd) */
	/* The package CAB's own file name: the .msu's member, the .cab's
	 * name as given, or "" when it breaks package_name_valid (an ISO's
	 * path, a renamed file): the caller says so if it needs one. */
	char name[PACKAGE_LIST_NAME_MAX + 1];
	/* "KB4490628" from the package name Package_for_KB4490628, else the
	 * package name itself: how Microsoft and the report name it. */
	char kb[ICMUM_NAME_MAX + 1];
	bool servicing_stack;
	uint64_t size;      /* bytes of the staged CAB */
};

/*
 * Opens path in one of the forms above (the ISO form only for
 * Integration Services) and stages its package CAB as staged, a file
 * name in a private folder of the caller's (an update's package .cab is
 * read where it is instead, see cab above); work files beside it
 * (staged plus a suffix) are removed before it returns.  0 with pkg
 * filled (free with package_free); -1 with the reason, naming path,
 * appended to err, and nothing staged.
 */
int package_open(const char *path, const char *staged, enum package_purpose purpose,
		 struct package *pkg, struct text *err);

/*
 * package_open without the check of every member's data (the long part:
 * a read and decompression of the whole CAB), for a caller that runs
 * package_check_members itself, e.g. beside other work, before it relies
 * on the package.
 */
int package_open_quick(const char *path, const char *staged, enum package_purpose purpose,
		       struct package *pkg, struct text *err);

/*
 * Every member of pkg's CAB decompresses (libmspack checks each data
 * block).  0 when they do; -1 with the reason, naming the file and the
 * member, appended to err; PACKAGE_CHECK_STOPPED, err untouched, when
 * stop (NULL: never) became true before the last member.  It reads pkg
 * only, so it may run on another thread while nothing changes pkg.
 */
#define PACKAGE_CHECK_STOPPED 1
int package_check_members(const struct package *pkg, const atomic_bool *stop, struct text *err);

/* 0 when pkg->cab is still the file that was checked (always, for a
 * staged copy); -1 with the reason appended to err. */
int package_unchanged(const struct package *pkg, struct text *err);
void package_free(struct package *pkg);

/*
 * The install order of count checked update packages, given as
 * given[0..count): servicing stacks first, each group in the order
 * given (package_list.h).  Refused, naming the files, when a CAB's name
 * breaks package_name_valid, two are the same update (kb) or two CABs
 * share a name.  0 with list filled; -1 with err appended.
 */
int package_order(const struct package *packages, const char *const *given, size_t count,
		  struct package_list *list, struct text *err);

/* The package whose CAB has this name, or NULL; *index (when not NULL)
 * its place among packages. */
const struct package *package_by_name(const struct package *packages, size_t count,
				      const char *name, size_t *index);

/* Where a file of the packages folder (WIN7GEN2_PACKAGES_DIR) lies on
 * the DVD, as the ISO listing and rewrite name it:
 * "/win7gen2/packages/NAME".  PACKAGE_DVD_PATH_MAX bytes always do. */
#define PACKAGE_DVD_PATH_MAX 128
void package_dvd_path(const char *name, char path[PACKAGE_DVD_PATH_MAX]);

/* "package CAB", "update (.msu)", "guest ISO" */
const char *package_form_name(enum package_form form);

/* "Windows 7", "Windows Vista", ... for a parent's version; NULL when
 * unknown. */
const char *package_windows_name(const struct icver *version);

#endif
