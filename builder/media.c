/*
 * media.c - what a Windows ISO holds, as far as win7gen2 cares
 *
 * SPDX-License-Identifier: MIT
 */
#include "media.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diskpolicy.h"
#include "efiimg.h"
#include "files.h"
#include "hive.h"
#include "icpkg.h"
#include "payload.h"
#include "wimfile.h"
#include "win7gen2.h"

#define BOOT_WIM_PATH "/sources/boot.wim"
#define INSTALL_WIM_PATH "/sources/install.wim"
#define INSTALL_ESD_PATH "/sources/install.esd"
#define LANG_INI_PATH "/sources/lang.ini"
#define CDBOOT_NOPROMPT_PATH "/efi/microsoft/boot/cdboot_noprompt.efi"
#define EFISYS_NOPROMPT_PATH "/efi/microsoft/boot/efisys_noprompt.bin"

const struct media_driver media_gen2_drivers[MEDIA_DRIVER_COUNT] = {
	{ "VMBus", "vmbus.sys", "vmbus", false, false },
	{ "synthetic SCSI", "storvsc.sys", "storvsc", false, false },
};

const struct wim_image_meta *media_setup_meta(const struct media *media)
{
	if (media->setup_image < 1 || (unsigned)media->setup_image > media->boot_meta.count)
		return NULL;
	return &media->boot_meta.images[media->setup_image - 1];
}

bool media_setup_has_drivers(const struct media *media)
{
	for (size_t i = 0; i < MEDIA_DRIVER_COUNT; i++)
		if (!media->drivers[i].sys_in_setup || !media->drivers[i].service_in_setup)
			return false;
	return true;
}

void media_describe_version(const struct wim_image_meta *meta, struct text *out)
{
	const char *name = "Windows";

	if (!meta->has_version) {
		text_append(out, "unknown version");
		return;
	}
	if (meta->major == 6 && meta->minor == 0)
		name = "Windows Vista / Server 2008";
	else if (meta->major == 6 && meta->minor == 1)
		name = "Windows 7 / Server 2008 R2";
	else if (meta->major == 6 && meta->minor == 2)
		name = "Windows 8 / Server 2012";
	else if (meta->major == 6 && meta->minor == 3)
		name = "Windows 8.1 / Server 2012 R2";
	else if (meta->major == 10)
		name = "Windows 10 or later";
	text_appendf(out, "%s, version %u.%u build %u", name, meta->major, meta->minor,
		     meta->build);
	if (meta->sp_level)
		text_appendf(out, " SP%u", meta->sp_level);
}

/* ---- the checks, in the order a refusal should name them ---------- */

static enum media_verdict check_arch_and_version(const struct wim_image_meta *meta,
						 const char *where, struct text *err)
{
	char scratch[24];

	if (meta->arch != WIM_ARCH_X64) {
		text_appendf(err, "%s is %s Windows; Hyper-V Generation 2 boots only 64-bit (x64) "
			     "Windows: use a 64-bit Windows 7 SP1 ISO",
			     where, wim_arch_name(meta->arch, scratch, sizeof(scratch)));
		return MEDIA_NOT_X64;
	}
	if (!meta->has_version) {
		text_appendf(err, "%s does not say which Windows version it is (no VERSION in its "
			     "WIM XML); win7gen2 needs Windows 7 / Server 2008 R2 (6.1)", where);
		return MEDIA_NOT_WINDOWS7;
	}
	if (meta->major > 6 || (meta->major == 6 && meta->minor >= 2)) {
		text_appendf(err, "%s is ", where);
		media_describe_version(meta, err);
		text_append(err, ", which already boots on Hyper-V Generation 2 as it is: "
			    "win7gen2 is only needed for Windows 7 / Server 2008 R2 (6.1)");
		return MEDIA_NOT_WINDOWS7;
	}
	if (meta->major != 6 || meta->minor != 1) {
		text_appendf(err, "%s is ", where);
		media_describe_version(meta, err);
		text_append(err, "; win7gen2 supports Windows 7 / Server 2008 R2 (6.1) only");
		return MEDIA_NOT_WINDOWS7;
	}
	return MEDIA_OK;
}

static enum media_verdict find_files(struct media *media, struct text *err)
{
	media->boot_wim = iso_find(&media->listing, BOOT_WIM_PATH);
	media->install_wim = iso_find(&media->listing, INSTALL_WIM_PATH);
	media->bios_entry = iso_find_boot(&media->listing, ELTORITO_BIOS);
	media->uefi_entry = iso_find_boot(&media->listing, ELTORITO_UEFI);
	media->cdboot_noprompt = iso_find(&media->listing, CDBOOT_NOPROMPT_PATH);
	media->efisys_noprompt = iso_find(&media->listing, EFISYS_NOPROMPT_PATH);
	if (!media->boot_wim) {
		text_appendf(err, "%s is an ISO image but not Windows installation media: it has "
			     "no sources/boot.wim (volume label \"%s\"); use a Windows 7 SP1 x64 "
			     "ISO", media->iso, media->listing.volume_id);
		return MEDIA_NOT_WINDOWS;
	}
	return MEDIA_OK;
}

static enum media_verdict read_boot_wim(struct media *media, struct ui *ui, struct text *err)
{
	struct text why = TEXT_INIT;
	const struct wim_image_meta *setup;
	enum media_verdict verdict;

	media->boot_wim_copy = path_join(media->tempdir, "boot.wim");
	if (!media->boot_wim_copy) {
		text_append(err, "out of memory");
		return MEDIA_ERROR;
	}
	ui_detail(ui, "copying %s (%" PRIu64 " bytes) out of the ISO", media->boot_wim->path,
		  media->boot_wim->size);
	if (iso_copy_out(&media->source, media->boot_wim, media->boot_wim_copy, ui_copy_progress,
			 ui, err) < 0)
		return MEDIA_ERROR;
	ui_progress_end(ui);
	/* Its images are described by the same XML reader as install.wim's. */
	if (wimfile_open(media->boot_wim_copy, &media->boot, &why) < 0 ||
	    wimfile_meta(media->boot, &media->boot_meta, &why) < 0) {
		text_appendf(err, "sources/boot.wim is not a usable WIM: %s", text_string(&why));
		text_free(&why);
		return MEDIA_BAD_WIM;
	}
	text_free(&why);
	media->setup_image = wimfile_setup_image(media->boot, &media->boot_meta);
	setup = media_setup_meta(media);
	if (!setup) {
		text_append(err, "sources/boot.wim has no Windows Setup image (no boot index, no "
			    "image named \"...Setup...\"); this is not Windows installation media");
		return MEDIA_NOT_WINDOWS;
	}
	verdict = check_arch_and_version(setup, "sources/boot.wim", err);
	if (verdict != MEDIA_OK)
		return verdict;
	/* Slimmed media keep one image; what matters is that the image
	 * that boots runs Setup, or the VM would start a bare Windows PE. */
	media->setup_has_setup_exe =
		wimfile_exists(media->boot, media->setup_image, "\\sources\\setup.exe");
	if (!media->setup_has_setup_exe) {
		text_appendf(err, "sources/boot.wim image %d (\"%s\") has no sources\\setup.exe: "
			     "it would start Windows PE, not Windows Setup; use installation media "
			     "whose boot.wim boots Setup", media->setup_image,
			     setup->name ? setup->name : "");
		return MEDIA_NOT_WINDOWS;
	}
	return MEDIA_OK;
}

static void check_setup_image(struct media *media, struct ui *ui)
{
	static const char hive_in_wim[] = "\\Windows\\System32\\config\\SYSTEM";
	const char *paths[1] = { hive_in_wim };
	struct text path = TEXT_INIT, why = TEXT_INIT;
	char *hive_dir = path_join(media->tempdir, "setup-hive");
	char *hive = hive_dir ? path_join(hive_dir, "SYSTEM") : NULL;
	bool have_hive;

	memcpy(media->drivers, media_gen2_drivers, sizeof(media->drivers));
	media->setup_has_bootmgfw =
		wimfile_exists(media->boot, media->setup_image, "\\Windows\\Boot\\EFI\\bootmgfw.efi");
	media->setup_has_win7gen2 = wimfile_exists(media->boot, media->setup_image, "\\win7gen2");
	media->setup_has_staged_drivers =
		wimfile_exists(media->boot, media->setup_image, "\\win7gen2\\drivers");
	media->setup_has_ic_package = wimfile_exists(media->boot, media->setup_image,
						     WIN7GEN2_IC_PACKAGE_STAGED_PATH);
	for (size_t i = 0; i < MEDIA_DRIVER_COUNT; i++) {
		text_reset(&path);
		text_appendf(&path, "\\Windows\\System32\\drivers\\%s", media->drivers[i].sys_name);
		media->drivers[i].sys_in_setup =
			wimfile_exists(media->boot, media->setup_image, text_string(&path));
	}
	/* The driver file alone does nothing: WinPE loads it only when the
	 * SYSTEM hive has its service. */
	have_hive = hive && wimfile_extract_flat(media->boot, media->setup_image, paths, 1,
						 hive_dir, &why) == 0;
	for (size_t i = 0; have_hive && i < MEDIA_DRIVER_COUNT; i++)
		if (hive_has_service(hive, media->drivers[i].service,
				     &media->drivers[i].service_in_setup, &why) < 0)
			have_hive = false;
	if (!have_hive) {
		media->driver_note = strdup(why.length ? text_string(&why) :
					    "cannot read the SYSTEM hive");
		ui_detail(ui, "Setup image's SYSTEM hive: %s", text_string(&why));
	}
	text_free(&path);
	text_free(&why);
	free(hive);
	free(hive_dir);
}

static enum media_verdict read_install_wim(struct media *media, struct text *err)
{
	unsigned char header[WIM_HEADER_SIZE];
	unsigned char *xml = NULL;
	size_t header_size = media->install_wim->size < WIM_HEADER_SIZE ?
			     (size_t)media->install_wim->size : WIM_HEADER_SIZE;
	struct wim_header_info info;
	enum media_verdict verdict = MEDIA_ERROR;
	const char *why;

	/* Only the header and the XML it points to: a few KiB, wherever
	 * install.wim lies, however big it is. */
	if (iso_pread(&media->source, media->install_wim, 0, header, header_size, err) < 0)
		return MEDIA_ERROR;
	if (wim_header_parse(header, header_size, media->install_wim->size, &info, &why) < 0) {
		text_appendf(err, "sources/install.wim is not a usable WIM: %s", why);
		return MEDIA_BAD_WIM;
	}
	if (info.xml_size > WIM_XML_MAX_SIZE) {
		text_append(err, "sources/install.wim is not a usable WIM: its XML data is too "
			    "big");
		return MEDIA_BAD_WIM;
	}
	xml = malloc(info.xml_size ? (size_t)info.xml_size : 1);
	if (!xml) {
		text_append(err, "out of memory");
		return MEDIA_ERROR;
	}
	if (iso_pread(&media->source, media->install_wim, info.xml_offset, xml,
		      (size_t)info.xml_size, err) < 0)
		goto out;
	if (wim_xml_parse(xml, (size_t)info.xml_size, &media->install, &why) < 0) {
		text_appendf(err, "sources/install.wim is not a usable WIM: %s", why);
		verdict = MEDIA_BAD_WIM;
		goto out;
	}
	verdict = MEDIA_OK;
	for (unsigned i = 0; i < media->install.count && verdict == MEDIA_OK; i++) {
		struct text where = TEXT_INIT;

		text_appendf(&where, "sources/install.wim image %u (\"%s\")", i + 1,
			     media->install.images[i].name ? media->install.images[i].name : "");
		verdict = check_arch_and_version(&media->install.images[i], text_string(&where),
						 err);
		text_free(&where);
	}
out:
	free(xml);
	return verdict;
}

/* An ISO made by win7gen2: its win7gen2.cfg says what its menu and
 * Install will do (an ISO from an older build may have none). */
static enum media_verdict read_iso_config(struct media *media, struct text *err)
{
	char *copy = path_join(media->tempdir, "efi-" WIN7GEN2_CONFIG_NAME);
	enum efiimg_get_result got;
	bool failed;

	if (!copy) {
		text_append(err, "out of memory");
		return MEDIA_ERROR;
	}
	got = efiimg_get(media->efi_image_copy, "/EFI/BOOT/" WIN7GEN2_CONFIG_NAME, copy, err);
	failed = got == EFIIMG_ERROR;
	if (got == EFIIMG_COPIED) {
		failed = diskpolicy_read_config(copy, &media->iso_config, err) < 0;
		media->has_iso_config = !failed;
	}
	free(copy);
	return failed ? MEDIA_ERROR : MEDIA_OK;
}

/* lang.ini only informs (each image's XML is what counts): a file that
 * cannot be read is noted, not refused. */
static void read_lang_ini(struct media *media, struct ui *ui)
{
	const struct iso_file *file = iso_find(&media->listing, LANG_INI_PATH);
	struct text err = TEXT_INIT;
	uint8_t *data = NULL;
	const char *why = NULL;
	unsigned line = 0;

	media->lang_ini_file = file;
	if (!file)
		return;
	if (file->size > LANG_INI_MAX_SIZE)
		why = "it is far bigger than any lang.ini";
	else if (!(data = malloc(file->size ? (size_t)file->size : 1)))
		why = "out of memory";
	else if (iso_pread(&media->source, file, 0, data, (size_t)file->size, &err) < 0)
		why = text_string(&err);
	else if (lang_ini_parse(data, (size_t)file->size, &media->lang_ini, &why, &line) == 0)
		why = NULL;
	if (why) {
		media->lang_ini_note = line ? text_format("sources/lang.ini line %u: %s", line, why)
					    : text_format("sources/lang.ini: %s", why);
		ui_detail(ui, "%s", media->lang_ini_note ? media->lang_ini_note : why);
	}
	free(data);
	text_free(&err);
}

static enum media_verdict read_efi_image(struct media *media, struct text *err)
{
	struct text why = TEXT_INIT;
	enum efiimg_get_result got;

	if (!media->uefi_entry) {
		text_append(err, "the ISO has no UEFI El Torito boot entry, which every Windows 7 "
			    "x64 ISO has; use an unmodified Windows 7 SP1 x64 ISO");
		return MEDIA_NOT_WINDOWS;
	}
	media->efi_image_copy = path_join(media->tempdir, "efisys.bin");
	media->efi_loader_copy = path_join(media->tempdir, "efi-bootx64.efi");
	if (!media->efi_image_copy || !media->efi_loader_copy) {
		text_append(err, "out of memory");
		return MEDIA_ERROR;
	}
	/* Microsoft's media give the image no ISO 9660 name: it is read
	 * where the catalog says it is. */
	if (iso_copy_boot_image(&media->source, media->uefi_entry, media->efi_image_copy,
				&media->efi_image_size, err) < 0)
		return MEDIA_ERROR;
	got = efiimg_get(media->efi_image_copy, "/EFI/BOOT/BOOTX64.EFI", media->efi_loader_copy, err);
	if (got == EFIIMG_ERROR)
		return MEDIA_ERROR;
	if (got == EFIIMG_NO_FILE) {
		free(media->efi_loader_copy);
		media->efi_loader_copy = NULL;
		return MEDIA_OK;
	}
	media->efi_loader_is_payload =
		payload_recognize(media->efi_loader_copy, media->payload_version,
				  sizeof(media->payload_version), &why) == RECOGNIZED;
	text_free(&why);
	return media->efi_loader_is_payload ? read_iso_config(media, err) : MEDIA_OK;
}

enum media_verdict media_open_iso(struct media *media, const struct iso_source *src,
				  struct ui *ui, struct text *err)
{
	const char *iso = src->name;
	char volume_id[33];
	enum iso9660_probe probe;

	memset(media, 0, sizeof(*media));
	media->iso = iso;
	media->source = *src;
	probe = iso_is_iso9660(src, volume_id, err);
	if (probe == ISO9660_UNREADABLE)
		return MEDIA_ERROR;
	if (probe == ISO9660_NOT_FOUND) {
		text_appendf(err, "%s is not an ISO image (no ISO 9660 volume descriptor at "
			     "sector 16); give the Windows 7 SP1 x64 installation ISO", iso);
		return MEDIA_NOT_ISO;
	}
	ui_step(ui, "reading %s", iso);
	if (iso_list(src, &media->listing, err) < 0)
		return MEDIA_ERROR;
	return find_files(media, err);
}

enum media_verdict media_read(struct media *media, const char *tempdir, struct ui *ui,
			      struct text *err)
{
	enum media_verdict verdict;

	media->tempdir = tempdir;
	verdict = read_boot_wim(media, ui, err);
	if (verdict == MEDIA_OK && !media->install_wim) {
		text_appendf(err, "the ISO has no sources/install.wim%s; win7gen2 needs Windows 7 "
			     "installation media with its install.wim",
			     iso_find(&media->listing, INSTALL_ESD_PATH) ? " (only install.esd)" : "");
		verdict = MEDIA_NOT_WINDOWS;
	}
	if (verdict == MEDIA_OK)
		verdict = read_install_wim(media, err);
	if (verdict == MEDIA_OK)
		read_lang_ini(media, ui);
	if (verdict == MEDIA_OK)
		verdict = read_efi_image(media, err);
	if (verdict == MEDIA_OK)
		check_setup_image(media, ui);
	return verdict;
}

enum media_verdict media_open(struct media *media, const char *iso, const char *tempdir,
			      struct ui *ui, struct text *err)
{
	struct iso_source src;
	enum media_verdict verdict;

	memset(media, 0, sizeof(*media));
	if (iso_source_open(&src, iso, err) < 0)
		return MEDIA_ERROR;
	verdict = media_open_iso(media, &src, ui, err);
	media->owns_source = true;
	return verdict == MEDIA_OK ? media_read(media, tempdir, ui, err) : verdict;
}

void media_close(struct media *media)
{
	if (media->boot)
		wimlib_free(media->boot);
	wim_meta_free(&media->boot_meta);
	free(media->boot_wim_copy);
	free(media->driver_note);
	wim_meta_free(&media->install);
	free(media->lang_ini_note);
	free(media->efi_image_copy);
	free(media->efi_loader_copy);
	iso_listing_free(&media->listing);
	if (media->owns_source)
		iso_source_close(&media->source);
	memset(media, 0, sizeof(*media));
}

enum media_loader media_choose_loader(const struct media *media)
{
	if (media->setup_has_bootmgfw)
		return LOADER_BOOTMGFW;
	if (media->cdboot_noprompt)
		return LOADER_CDBOOT_NOPROMPT;
	if (media->efisys_noprompt)
		return LOADER_EFISYS_NOPROMPT;
	if (media->efi_loader_copy && !media->efi_loader_is_payload)
		return LOADER_CD_PROMPT;
	return LOADER_NONE;
}

const char *media_loader_describe(enum media_loader loader)
{
	switch (loader) {
	case LOADER_BOOTMGFW:
		return "Windows Boot Manager from boot.wim's Setup image "
		       "(Windows\\Boot\\EFI\\bootmgfw.efi; no \"Press any key\" prompt)";
	case LOADER_CDBOOT_NOPROMPT:
		return "the media's no-prompt CD loader (efi/microsoft/boot/cdboot_noprompt.efi)";
	case LOADER_EFISYS_NOPROMPT:
		return "the no-prompt CD loader in efi/microsoft/boot/efisys_noprompt.bin";
	case LOADER_CD_PROMPT:
		return "the CD loader of the UEFI boot image (\\EFI\\BOOT\\BOOTX64.EFI; asks "
		       "\"Press any key\", which win7gen2.efi answers)";
	case LOADER_NONE:
		break;
	}
	return "none found";
}

bool media_loader_prompts(enum media_loader loader)
{
	return loader == LOADER_CD_PROMPT;
}
