/*
 * cmd_inspect.c - win7gen2 inspect: what a Windows ISO holds
 *
 * Reads only what `build` would read (media.c) and shows it, as text or
 * as JSON for scripts.  Exit status 0 when the ISO can be used by
 * `build`, 1 when not (the reason is shown), 2 on a usage error.
 *
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diskpolicy.h"
#include "files.h"
#include "icpkg.h"
#include "media.h"
#include "package.h"
#include "package_list.h"
#include "text.h"
#include "textfmt.h"
#include "ui.h"
#include "usage.h"
#include "wimfile.h"

static const char *const verdict_names[] = {
	[MEDIA_OK] = "ok",
	[MEDIA_ERROR] = "read-error",
	[MEDIA_NOT_ISO] = "not-iso",
	[MEDIA_NOT_WINDOWS] = "not-windows-media",
	[MEDIA_NOT_X64] = "not-x64",
	[MEDIA_NOT_WINDOWS7] = "not-windows-7",
	[MEDIA_BAD_WIM] = "corrupt-wim",
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: win7gen2 inspect [OPTIONS] ISO\n"
		"\n"
		"Show what a Windows ISO holds and whether `win7gen2 build` can use it:\n"
		"El Torito entries, architecture, version, build and service pack,\n"
		"editions with their indexes, the UI languages of every image and of\n"
		"sources\\lang.ini, whether boot.wim's Setup image holds the VMBus and\n"
		"synthetic SCSI drivers, which loader the new EFI boot image would\n"
		"start, and whether the ISO was made by win7gen2.\n"
		"\n"
		"Only boot.wim, the UEFI boot image, install.wim's header and XML and\n"
		"lang.ini are read; boot.wim is copied to a private folder in $TMPDIR\n"
		"(else /tmp), removed at the end.\n"
		"\n"
		"  --json         print JSON (for scripts) instead of text\n"
		"  -v, --verbose  say more while reading\n"
		"  -h, --help     show this help\n"
		"\n"
		"Exit status: 0 usable, 1 not usable or unreadable, 2 usage error.\n");
}

/* ---- update packages on the DVD (build --package) ------------------- */

/* What \win7gen2\packages\packages.txt says, and whether each CAB it
 * names is there. */
struct dvd_packages {
	bool has_list;
	char problem[200];              /* "" when the list is whole */
	struct package_list list;
	const struct iso_file *file[PACKAGE_LIST_MAX];
};

static void read_dvd_packages(const struct media *media, struct dvd_packages *found)
{
	const struct iso_file *list_file;
	char list_path[PACKAGE_DVD_PATH_MAX];
	struct package_list_error error;
	struct text err = TEXT_INIT;
	char data[PACKAGE_LIST_MAX_FILE];

	memset(found, 0, sizeof(*found));
	package_dvd_path(WIN7GEN2_PACKAGES_LIST_NAME, list_path);
	list_file = iso_find(&media->listing, list_path);
	if (!list_file)
		return;
	found->has_list = true;
	if (list_file->size > sizeof(data)) {
		snprintf(found->problem, sizeof(found->problem),
			 "larger than %u bytes: not a list win7gen2 wrote", PACKAGE_LIST_MAX_FILE);
		return;
	}
	if (iso_pread(&media->source, list_file, 0, data, (size_t)list_file->size, &err) < 0) {
		snprintf(found->problem, sizeof(found->problem), "%s",
			 text_failed(&err) ? "cannot be read" : text_string(&err));
		text_free(&err);
		return;
	}
	text_free(&err);
	if (!package_list_parse(data, (size_t)list_file->size, &found->list, &error)) {
		if (error.line)
			snprintf(found->problem, sizeof(found->problem), "line %u: %s", error.line,
				 error.why);
		else
			snprintf(found->problem, sizeof(found->problem), "%s", error.why);
		return;
	}
	for (unsigned i = 0; i < found->list.count; i++) {
		char path[PACKAGE_DVD_PATH_MAX];

		package_dvd_path(found->list.entry[i].name, path);
		found->file[i] = iso_find(&media->listing, path);
	}
}

static void print_dvd_packages(const struct dvd_packages *found)
{
	const char *label = "update packages";

	if (!found->has_list) {
		printf("  %-16s none on the DVD (build --package FILE adds them)\n", label);
		return;
	}
	if (found->problem[0]) {
		printf("  %-16s %s\\%s is damaged (%s): the agent installs none of them\n",
		       label, WIN7GEN2_PACKAGES_DIR, WIN7GEN2_PACKAGES_LIST_NAME, found->problem);
		return;
	}
	printf("  %-16s %u in %s\\, installed by DISM after Setup in this order:\n", label,
	       found->list.count, WIN7GEN2_PACKAGES_DIR);
	for (unsigned i = 0; i < found->list.count; i++) {
		const struct package_entry *entry = &found->list.entry[i];

		printf("  %-16s %u. %s %s%s\n", "", i + 1,
		       entry->kind == PACKAGE_SERVICING_STACK ? "servicing stack" : "update",
		       entry->name, found->file[i] ? "" :
		       ": MISSING from the DVD, so DISM cannot install it");
	}
}

static const char *or_empty(const char *text)
{
	return text ? text : "";
}

/* ---- text ---------------------------------------------------------- */

/* ", de-DE, fr-FR (default de-DE)": the UI languages the image holds. */
static void print_image_languages(const struct wim_image_meta *image)
{
	if (!image->language_count) {
		printf(", no language named");
		return;
	}
	for (unsigned i = 0; i < image->language_count; i++)
		printf(", %s", image->languages[i]);
	if (image->language_count > 1 && image->default_language)
		printf(" (default %s)", image->default_language);
}

static void print_lang_ini(const struct media *media)
{
	if (!media->lang_ini_file) {
		printf("  %-16s none\n", "lang.ini");
		return;
	}
	if (media->lang_ini_note) {
		printf("  %-16s unreadable: %s\n", "lang.ini", media->lang_ini_note);
		return;
	}
	printf("  %-16s", "lang.ini");
	for (unsigned i = 0; i < media->lang_ini.count; i++)
		printf("%s%s", i ? ", " : " ", media->lang_ini.languages[i]);
	printf("%s\n", media->lang_ini.count ? "" : " lists no UI language");
}

static void print_image_line(const char *label, const struct wim_image_meta *image,
			     const char *note)
{
	char scratch[24];

	printf("  %-16s %u: %s", label, image->index, or_empty(image->name));
	if (image->edition_id)
		printf(" (%s)", image->edition_id);
	printf(", %s", wim_arch_name(image->arch, scratch, sizeof(scratch)));
	if (image->has_version)
		printf(", %u.%u.%u SP%u", image->major, image->minor, image->build, image->sp_level);
	print_image_languages(image);
	printf("%s\n", note);
}

static void print_text(const struct media *media, enum media_verdict verdict, const char *problem)
{
	const struct wim_image_meta *setup = media_setup_meta(media);
	struct dvd_packages dvd_packages;
	struct text text = TEXT_INIT;
	char scratch[24];

	printf("%s\n", media->iso);
	if (media->listing.volume_id[0] || verdict != MEDIA_NOT_ISO)
		printf("  %-16s %s\n", "volume label", media->listing.volume_id);
	if (media->listing.file_count)
		printf("  %-16s %s, %zu files\n", "file system", iso_source_name(&media->listing),
		       media->listing.file_count);
	for (size_t i = 0; i < media->listing.boot_count; i++) {
		const struct iso_boot_image *image = &media->listing.boot[i];
		char platform[8], emulation[8];

		printf("  %-16s %u: %s%s, emulation %s, %u sectors, %s\n",
		       i == 0 ? "El Torito" : "", image->entry.number,
		       eltorito_platform_name(&image->entry, platform, sizeof(platform)),
		       image->entry.bootable ? "" : " (not bootable)",
		       eltorito_media_name(&image->entry, emulation, sizeof(emulation)),
		       image->entry.sector_count,
		       image->file ? image->file->path : "(no file name: catalog only)");
	}
	if (setup) {
		media_describe_version(setup, &text);
		printf("  %-16s %s, %s\n", "Windows", text_string(&text),
		       wim_arch_name(setup->arch, scratch, sizeof(scratch)));
		if (setup->has_version)
			printf("  %-16s %u (service pack build %u)\n", "service pack",
			       setup->sp_level, setup->sp_build);
	}
	for (unsigned i = 0; i < media->boot_meta.count; i++)
		print_image_line(i == 0 ? "boot.wim" : "", &media->boot_meta.images[i],
				 (int)i + 1 == media->setup_image ? "  <- Setup" : "");
	for (unsigned i = 0; i < media->install.count; i++)
		print_image_line(i == 0 ? "editions" : "", &media->install.images[i], "");
	if (verdict == MEDIA_OK) {
		print_lang_ini(media);
		for (size_t i = 0; i < MEDIA_DRIVER_COUNT; i++) {
			const struct media_driver *driver = &media->drivers[i];

			printf("  %-16s %s (%s) in Setup's image: %s\n", i == 0 ? "Gen2 drivers" : "",
			       driver->what, driver->sys_name,
			       driver->sys_in_setup && driver->service_in_setup ? "yes" :
			       driver->sys_in_setup ? "file only, no service in the SYSTEM hive" :
			       "no");
		}
		if (media->driver_note)
			printf("  %-16s (%s)\n", "", media->driver_note);
		if (media->setup_has_staged_drivers)
			printf("  %-16s driver packages staged by win7gen2 in \\win7gen2\\drivers, "
			       "named in the answer file\n", "");
		if (media->setup_has_ic_package)
			printf("  %-16s a package staged by win7gen2 in %s, installed by DISM "
			       "after Setup:\n  %-16s %s\n", "Hyper-V IC",
			       WIN7GEN2_IC_PACKAGE_STAGED_PATH, "", icpkg_effect(true));
		else
			printf("  %-16s in-box %s: %s;\n  %-16s build --integration-services FILE "
			       "gives %s\n", "Hyper-V IC", ICPKG_INBOX_VERSION, icpkg_effect(false),
			       "", icpkg_effect(true));
		read_dvd_packages(media, &dvd_packages);
		print_dvd_packages(&dvd_packages);
		printf("  %-16s %s\n", "no-prompt CD",
		       media->cdboot_noprompt ? media->cdboot_noprompt->path :
		       media->efisys_noprompt ? media->efisys_noprompt->path : "none");
		printf("  %-16s %s\n", "bootmgfw.efi", media->setup_has_bootmgfw ?
		       "in boot.wim's Setup image" : "not in boot.wim's Setup image");
		printf("  %-16s %s\n", "would chain", media_loader_describe(media_choose_loader(media)));
		if (media->efi_loader_is_payload)
			printf("  %-16s yes, win7gen2 %s (the EFI boot image starts win7gen2.efi)\n",
			       "made by win7gen2", media->payload_version);
		if (media->efi_loader_is_payload && media->has_iso_config) {
			text_reset(&text);
			diskpolicy_describe(media->iso_config.wipe_unattended,
					    media->iso_config.menu_timeout, &text);
			printf("  %-16s %s\n", "disks", text_string(&text));
		} else if (!media->efi_loader_is_payload)
			printf("  %-16s no\n", "made by win7gen2");
	}
	if (verdict == MEDIA_OK && media->efi_loader_is_payload)
		printf("  %-16s no: made by win7gen2 already; build from the original ISO\n",
		       "usable");
	else if (verdict == MEDIA_OK)
		printf("  %-16s yes\n", "usable");
	else
		printf("  %-16s no: %s\n", "usable", problem);
	text_free(&text);
}

/* ---- JSON ---------------------------------------------------------- */

static void json_key(struct text *out, const char *key)
{
	textfmt_json(out, key);
	text_append(out, ": ");
}

static void json_string_or_null(struct text *out, const char *text)
{
	if (text)
		textfmt_json(out, text);
	else
		text_append(out, "null");
}

static void json_image(struct text *out, const struct wim_image_meta *image)
{
	char scratch[24];

	text_appendf(out, "{\"index\": %u, ", image->index);
	json_key(out, "name");
	json_string_or_null(out, image->name);
	text_append(out, ", ");
	json_key(out, "edition_id");
	json_string_or_null(out, image->edition_id);
	text_append(out, ", ");
	json_key(out, "arch");
	textfmt_json(out, wim_arch_name(image->arch, scratch, sizeof(scratch)));
	if (image->has_version)
		text_appendf(out, ", \"version\": \"%u.%u\", \"build\": %u, \"service_pack\": %u, "
			     "\"service_pack_build\": %u",
			     image->major, image->minor, image->build, image->sp_level, image->sp_build);
	text_append(out, ", \"languages\": [");
	for (unsigned i = 0; i < image->language_count; i++) {
		text_append(out, i ? ", " : "");
		textfmt_json(out, image->languages[i]);
	}
	text_append(out, "], ");
	json_key(out, "default_language");
	json_string_or_null(out, image->default_language);
	text_append(out, "}");
}

static void json_lang_ini(struct text *out, const struct media *media)
{
	json_key(out, "lang_ini");
	if (!media->lang_ini_file) {
		text_append(out, "null");
		return;
	}
	text_append(out, "{\"languages\": [");
	for (unsigned i = 0; i < media->lang_ini.count; i++) {
		text_append(out, i ? ", " : "");
		textfmt_json(out, media->lang_ini.languages[i]);
	}
	text_append(out, "], ");
	json_key(out, "problem");
	json_string_or_null(out, media->lang_ini_note);
	text_append(out, "}");
}

static void json_file_or_null(struct text *out, const struct iso_file *file)
{
	json_string_or_null(out, file ? file->path : NULL);
}

/* ", "win7gen2_cfg": ..." - what the menu of an ISO made by win7gen2
 * does, null for any other ISO. */
static void json_iso_config(struct text *out, const struct media *media)
{
	struct text policy = TEXT_INIT;

	text_append(out, ",\n  \"win7gen2_cfg\": ");
	if (!media->efi_loader_is_payload || !media->has_iso_config) {
		text_append(out, "null");
		return;
	}
	diskpolicy_describe(media->iso_config.wipe_unattended, media->iso_config.menu_timeout,
			    &policy);
	text_appendf(out, "{\"menu_timeout\": %u, \"wipe_unattended\": %s, \"disks\": ",
		     media->iso_config.menu_timeout,
		     media->iso_config.wipe_unattended ? "true" : "false");
	textfmt_json(out, text_string(&policy));
	text_append(out, "}");
	text_free(&policy);
}

/* null without a list; else {"problem": null or why, "entries": [...]} */
static void json_dvd_packages(struct text *out, const struct media *media)
{
	struct dvd_packages found;

	read_dvd_packages(media, &found);
	if (!found.has_list) {
		text_append(out, "null");
		return;
	}
	text_append(out, "{\"problem\": ");
	json_string_or_null(out, found.problem[0] ? found.problem : NULL);
	text_append(out, ", \"entries\": [");
	for (unsigned i = 0; i < found.list.count; i++) {
		text_append(out, i ? ", {\"kind\": " : "{\"kind\": ");
		textfmt_json(out, package_kind_word(found.list.entry[i].kind));
		text_append(out, ", \"name\": ");
		textfmt_json(out, found.list.entry[i].name);
		text_appendf(out, ", \"on_dvd\": %s}", found.file[i] ? "true" : "false");
	}
	text_append(out, "]}");
}

static void print_json(const struct media *media, enum media_verdict verdict, const char *problem)
{
	const struct wim_image_meta *setup = media_setup_meta(media);
	bool usable = verdict == MEDIA_OK && !media->efi_loader_is_payload;
	struct text out = TEXT_INIT;

	text_append(&out, "{\n  ");
	json_key(&out, "iso");
	textfmt_json(&out, media->iso);
	text_append(&out, ",\n  ");
	json_key(&out, "volume_label");
	textfmt_json(&out, media->listing.volume_id);
	text_appendf(&out, ",\n  \"usable\": %s,\n  ", usable ? "true" : "false");
	json_key(&out, "verdict");
	textfmt_json(&out, verdict_names[verdict]);
	text_append(&out, ",\n  ");
	json_key(&out, "problem");
	json_string_or_null(&out, verdict == MEDIA_OK ?
			    (media->efi_loader_is_payload ? "made by win7gen2 already" : NULL) :
			    problem);
	text_append(&out, ",\n  \"el_torito\": [");
	for (size_t i = 0; i < media->listing.boot_count; i++) {
		const struct iso_boot_image *image = &media->listing.boot[i];
		char platform[8], emulation[8];

		text_appendf(&out, "%s\n    {\"number\": %u, \"platform\": ", i ? "," : "",
			     image->entry.number);
		textfmt_json(&out, eltorito_platform_name(&image->entry, platform,
							  sizeof(platform)));
		text_appendf(&out, ", \"bootable\": %s, \"emulation\": ",
			     image->entry.bootable ? "true" : "false");
		textfmt_json(&out, eltorito_media_name(&image->entry, emulation,
						       sizeof(emulation)));
		text_appendf(&out, ", \"load_sectors\": %u, \"lba\": %" PRIu32 ", \"path\": ",
			     image->entry.sector_count, image->entry.lba);
		json_string_or_null(&out, image->file ? image->file->path : NULL);
		text_append(&out, "}");
	}
	text_append(&out, media->listing.boot_count ? "\n  ],\n  " : "],\n  ");
	json_key(&out, "file_system");
	textfmt_json(&out, iso_source_name(&media->listing));
	text_append(&out, ",\n  ");
	json_key(&out, "windows");
	if (setup) {
		struct text text = TEXT_INIT;

		media_describe_version(setup, &text);
		text_append(&out, "{\"description\": ");
		textfmt_json(&out, text_string(&text));
		text_append(&out, ", \"image\": ");
		json_image(&out, setup);
		text_append(&out, "}");
		text_free(&text);
	} else {
		text_append(&out, "null");
	}
	text_appendf(&out, ",\n  \"boot_wim\": {\"setup_image\": %d, \"images\": [",
		     media->setup_image);
	for (unsigned i = 0; i < media->boot_meta.count; i++) {
		text_append(&out, i ? ",\n    " : "\n    ");
		json_image(&out, &media->boot_meta.images[i]);
	}
	text_append(&out, media->boot_meta.count ? "\n  ]},\n  \"editions\": [" :
						 "]},\n  \"editions\": [");
	for (unsigned i = 0; i < media->install.count; i++) {
		text_append(&out, i ? ",\n    " : "\n    ");
		json_image(&out, &media->install.images[i]);
	}
	text_append(&out, media->install.count ? "\n  ]" : "]");
	if (verdict == MEDIA_OK) {
		text_append(&out, ",\n  ");
		json_lang_ini(&out, media);
		text_append(&out, ",\n  \"setup_drivers\": {");
		for (size_t i = 0; i < MEDIA_DRIVER_COUNT; i++) {
			const struct media_driver *driver = &media->drivers[i];

			text_appendf(&out, "%s\"%s\": {\"file\": %s, \"service\": %s}",
				     i ? ", " : "", driver->service,
				     driver->sys_in_setup ? "true" : "false",
				     driver->service_in_setup ? "true" : "false");
		}
		text_appendf(&out, ", \"complete\": %s, \"staged_by_win7gen2\": %s, \"note\": ",
			     media_setup_has_drivers(media) ? "true" : "false",
			     media->setup_has_staged_drivers ? "true" : "false");
		json_string_or_null(&out, media->driver_note);
		text_append(&out, "},\n  \"integration_services\": ");
		textfmt_json(&out, media->setup_has_ic_package ? "staged" : "in-box " ICPKG_INBOX_VERSION);
		text_append(&out, ",\n  \"packages\": ");
		json_dvd_packages(&out, media);
		text_append(&out, ",\n  \"loaders\": {");
		text_appendf(&out, "\"bootmgfw_in_setup_image\": %s, \"cdboot_noprompt\": ",
			     media->setup_has_bootmgfw ? "true" : "false");
		json_file_or_null(&out, media->cdboot_noprompt);
		text_append(&out, ", \"efisys_noprompt\": ");
		json_file_or_null(&out, media->efisys_noprompt);
		text_append(&out, ", \"would_chain\": ");
		textfmt_json(&out, media_loader_describe(media_choose_loader(media)));
		text_appendf(&out, ", \"prompt\": %s},\n  ",
			     media_loader_prompts(media_choose_loader(media)) ? "true" : "false");
		text_appendf(&out, "\"made_by_win7gen2\": %s, \"payload_version\": ",
			     media->efi_loader_is_payload ? "true" : "false");
		json_string_or_null(&out, media->efi_loader_is_payload ? media->payload_version : NULL);
		json_iso_config(&out, media);
	}
	text_append(&out, "\n}\n");
	if (text_failed(&out))
		fputs("win7gen2 inspect: out of memory\n", stderr);
	else
		fputs(text_string(&out), stdout);
	text_free(&out);
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	enum ui_level level = UI_QUIET;
	struct text err = TEXT_INIT;
	struct media media;
	enum media_verdict verdict;
	char *tempdir = NULL;
	struct ui ui;
	int opt, status = 1;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, USAGE_OPTSTRING("", "vh"), options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'v': level = UI_VERBOSE; break;
		case 'h': usage(stdout); return 0;
		default: return usage_option_error("inspect", opt, argv, options);
		}
	}
	if (optind == argc)
		return usage_error("inspect", "give the ISO to look at");
	if (optind != argc - 1)
		return usage_error("inspect", "give one ISO, not %d", argc - optind);
	ui_init(&ui, level);
	if (wimfile_init(&err) < 0 || tempdir_create(NULL, &tempdir, &err) < 0) {
		ui_error(&ui, "inspect", "%s", text_string(&err));
		text_free(&err);
		return 1;
	}
	verdict = media_open(&media, argv[optind], tempdir, &ui, &err);
	if (verdict == MEDIA_ERROR || verdict == MEDIA_NOT_ISO) {
		ui_error(&ui, "inspect", "%s", text_string(&err));
	} else {
		if (json)
			print_json(&media, verdict, text_string(&err));
		else
			print_text(&media, verdict, text_string(&err));
		status = verdict == MEDIA_OK && !media.efi_loader_is_payload ? 0 : 1;
	}
	media_close(&media);
	tempdir_remove(tempdir);
	free(tempdir);
	text_free(&err);
	wimlib_global_cleanup();
	return status;
}
