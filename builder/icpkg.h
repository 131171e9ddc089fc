/*
 * icpkg.h - the user's Hyper-V Integration Services package, checked
 *
 * Windows 7's own Integration Services (6.1.7601.17514) have no Gen2
 * keyboard: 6.2.9200.16385 or later is needed (BRIEF.md section 7).  The
 * user brings the package in one of the forms Microsoft shipped it:
 *
 *   .msu          a Windows update (KB3063109): a CAB holding the
 *                 package CAB beside metadata (WSUSSCAN.cab, .xml, .txt)
 *   .cab          a package CAB: the one inside the .msu, or a host's
 *                 Windows6.x-HyperVIntegrationServices-x64.cab
 *   vmguest.iso   a Hyper-V host's guest ISO, whose
 *                 \support\amd64\Windows6.1- or Windows6.x-
 *                 HyperVIntegrationServices-x64.cab is the package CAB
 *
 * Whatever the form, the result is the package CAB itself, staged in
 * the caller's folder: Windows installs packages from it (DISM
 * /Add-Package, or an answer file's offlineServicing pass), which keeps
 * its catalogs, and so its signatures, valid.  It is accepted only when
 * its manifest (update.mum, icmum.h) says amd64 and a version of at
 * least ICPKG_MIN_VERSION, and every member of it decompresses
 * (package.h, which does the work).  It must be an Integration Services
 * package: its update.mum names Hyper-V (the package's or a component's
 * name, Microsoft-Hyper-V-...) or it holds the VMBus driver's package
 * (a member ..._wvmbus.inf_...); an ordinary update is refused as not
 * one.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_ICPKG_H
#define WIN7GEN2_ICPKG_H

#include "icmum.h"
#include "package.h"
#include "text.h"
#include "win7gen2.h"

/* The first Integration Services with a Gen2 (VMBus) keyboard. */
#define ICPKG_MIN_VERSION "6.2.9200.16385"
/* What Windows 7 SP1 brings itself: no VMBus keyboard, no synthetic video. */
#define ICPKG_INBOX_VERSION "6.1.7601.17514"

/* The same values as enum package_form. */
enum icpkg_form {
	ICPKG_CAB = PACKAGE_FORM_CAB,  /* a package CAB as given */
	ICPKG_MSU = PACKAGE_FORM_MSU,  /* the package CAB inside an update */
	ICPKG_ISO = PACKAGE_FORM_ISO,  /* the package CAB on a guest ISO */
};

struct icpkg {
	enum icpkg_form form;
	struct icmum mum;              /* identity, arch, versions */
	char version[ICVER_TEXT_MAX];  /* mum.version as text: "6.3.9600.17903" */
	char *cab;                     /* the staged package CAB (malloc'd) */
	char *inside;                  /* for an .msu or ISO, the member or path the CAB
					* came from; else NULL (malloc'd) */
};

/*
 * Opens path in any of the forms above and stages its package CAB as
 * tempdir/WIN7GEN2_IC_PACKAGE_NAME.  tempdir is a private folder of the
 * caller's (files.h tempdir_create); icpkg's other files there are
 * removed before it returns.  0 with pkg filled (free with icpkg_free);
 * -1 with the reason, naming path, appended to err, and nothing staged.
 */
int icpkg_open(const char *path, const char *tempdir, struct icpkg *pkg, struct text *err);
void icpkg_free(struct icpkg *pkg);

/*
 * What the installed system can do on Gen2 with the given package
 * (true) or with the in-box Integration Services alone (false), in a
 * line for the report and inspect (BRIEF.md section 7).
 */
const char *icpkg_effect(bool package_given);

/* "package CAB", "update (.msu)", "guest ISO" */
const char *icpkg_form_name(enum icpkg_form form);

#endif
