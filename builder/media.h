/*
 * media.h - what a Windows ISO holds, as far as win7gen2 cares
 *
 * Reads only what it needs: the ISO's file list and El Torito catalog,
 * boot.wim (copied to the private temp folder: wimlib needs a file),
 * install.wim's header and XML (a few KiB, wherever install.wim is),
 * the SYSTEM hive of boot.wim's Setup image and the UEFI boot image.
 * Shared by `inspect` (shows it) and `build` (acts on it).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_MEDIA_H
#define WIN7GEN2_MEDIA_H

#include <stdbool.h>
#include <stddef.h>

#include <wimlib.h>

#include "config.h"
#include "iso.h"
#include "langini.h"
#include "text.h"
#include "ui.h"
#include "wimxml.h"

/* Why media cannot be used; each has its own message and test. */
enum media_verdict {
	MEDIA_OK = 0,
	MEDIA_ERROR,            /* could not read: I/O, a tool failed */
	MEDIA_NOT_ISO,
	MEDIA_NOT_WINDOWS,
	MEDIA_NOT_X64,
	MEDIA_NOT_WINDOWS7,
	MEDIA_BAD_WIM,
};

/* A driver Setup needs on Gen2 and where it was found. */
struct media_driver {
	const char *what;          /* "VMBus" */
	const char *sys_name;      /* "vmbus.sys" */
	const char *service;       /* "vmbus" */
	bool sys_in_setup;         /* Windows\System32\drivers\<sys> in Setup's image */
	bool service_in_setup;     /* its service key in Setup's SYSTEM hive */
};

#define MEDIA_DRIVER_COUNT 2

/* The two, not yet looked for: what media_read fills in, and the file
 * names `build --drivers DIR` is searched for. */
extern const struct media_driver media_gen2_drivers[MEDIA_DRIVER_COUNT];

struct media {
	const char *iso;                         /* its name */
	struct iso_source source;                /* every read goes through it */
	bool owns_source;                        /* media_open opened it */
	const char *tempdir;
	struct iso_listing listing;
	const struct iso_file *boot_wim;
	const struct iso_file *install_wim;
	const struct iso_boot_image *bios_entry;
	const struct iso_boot_image *uefi_entry;
	const struct iso_file *cdboot_noprompt;  /* efi/microsoft/boot/cdboot_noprompt.efi */
	const struct iso_file *efisys_noprompt;  /* efi/microsoft/boot/efisys_noprompt.bin */

	/* boot.wim */
	char *boot_wim_copy;
	WIMStruct *boot;
	struct wim_meta boot_meta;               /* its images, from its XML */
	int setup_image;                         /* 1-based */
	bool setup_has_setup_exe;                /* sources\setup.exe: it is Setup */
	bool setup_has_bootmgfw;                 /* Windows\Boot\EFI\bootmgfw.efi */
	bool setup_has_win7gen2;                 /* \win7gen2 staged by us */
	bool setup_has_staged_drivers;           /* \win7gen2\drivers staged by us */
	bool setup_has_ic_package;               /* \win7gen2\integration-services.cab */
	struct media_driver drivers[MEDIA_DRIVER_COUNT];
	char *driver_note;                       /* why the hive could not be read */

	/* install.wim */
	struct wim_meta install;

	/* sources\lang.ini: the DVD's UI languages (not every ISO has it) */
	const struct iso_file *lang_ini_file;
	struct lang_ini lang_ini;
	char *lang_ini_note;                     /* why it could not be read, or NULL */

	/* UEFI El Torito image */
	char *efi_image_copy;
	uint64_t efi_image_size;
	char *efi_loader_copy;                   /* its \EFI\BOOT\BOOTX64.EFI, or NULL */
	bool efi_loader_is_payload;
	char payload_version[32];
	/* its \EFI\BOOT\win7gen2.cfg, read when win7gen2 made the ISO */
	bool has_iso_config;
	struct config iso_config;
};

/*
 * Reads the ISO.  Returns MEDIA_OK, or a verdict with the reason in err
 * (a sentence saying what was found and what is needed).  media_close()
 * in every case.
 */
enum media_verdict media_open(struct media *media, const char *iso, const char *tempdir,
			      struct ui *ui, struct text *err);
void media_close(struct media *media);

/* media_open in two halves, for `build` to check free space between
 * them: the ISO's file list and boot catalog (no copying), then the rest.
 * The source stays the caller's, open until media_close. */
enum media_verdict media_open_iso(struct media *media, const struct iso_source *src,
				  struct ui *ui, struct text *err);
enum media_verdict media_read(struct media *media, const char *tempdir, struct ui *ui,
			      struct text *err);

/* True when both drivers are in Setup's image, file and service. */
bool media_setup_has_drivers(const struct media *media);

/* The Setup image's metadata (boot.wim), or NULL. */
const struct wim_image_meta *media_setup_meta(const struct media *media);

/* "Windows 7 / Server 2008 R2 SP1" style text for a version. */
void media_describe_version(const struct wim_image_meta *meta, struct text *out);

/* The loader win7gen2.efi will chainload from the new EFI image, in
 * order of preference (BRIEF section 3). */
enum media_loader {
	LOADER_NONE = 0,
	LOADER_BOOTMGFW,         /* boot.wim Setup image's Windows\Boot\EFI\bootmgfw.efi: no prompt */
	LOADER_CDBOOT_NOPROMPT,  /* efi/microsoft/boot/cdboot_noprompt.efi: no prompt */
	LOADER_EFISYS_NOPROMPT,  /* \EFI\BOOT\BOOTX64.EFI of efisys_noprompt.bin: no prompt */
	LOADER_CD_PROMPT,        /* \EFI\BOOT\BOOTX64.EFI of the UEFI boot image: "Press any key" */
};

enum media_loader media_choose_loader(const struct media *media);
const char *media_loader_describe(enum media_loader loader);
/* True for the loaders that ask "Press any key to boot from CD or DVD". */
bool media_loader_prompts(enum media_loader loader);
#endif
