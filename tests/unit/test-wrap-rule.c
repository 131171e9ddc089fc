/*
 * test-wrap-rule.c - the wrap rule over every case of tests/wrap-cases.h
 *
 * Each case runs twice: from what the files are (the rule alone), and
 * from synthetic images through wrap_input_from_files (the rule as the
 * payload and the fix engine call it, identification included).
 *
 *   test-wrap-rule           TAP
 *   test-wrap-rule --shell   the table as shell commands, for the
 *                            firmware test (t0165-rescue-table.sh)
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "efi_image.h"
#include "fake-pe.h"
#include "tap.h"
#include "win7gen2.h"
#include "wrap-cases.h"
#include "wrap_rule.h"

#define IMAGE_SIZE 256

/* ---- the table, abstractly ---------------------------------------- */

static enum wrap_found found_of(enum wrap_case_file file)
{
	switch (file) {
	case CF_NONE:
		return WRAP_FOUND_MISSING;
	case CF_LOADER_A:
	case CF_LOADER_B:
		return WRAP_FOUND_LOADER;
	case CF_GIVEN:
	case CF_OLDER:
	case CF_NEWER:
	case CF_REBUILT:
		return WRAP_FOUND_PAYLOAD;
	case CF_TEXT:
		return WRAP_FOUND_NOT_X64;
	case CF_BIG:
	case CF_COUNT:
		break;
	}
	return WRAP_FOUND_UNREADABLE;
}

static const char *version_of(enum wrap_case_file file)
{
	switch (file) {
	case CF_OLDER:
		return WRAP_CASE_OLDER_VERSION;
	case CF_NEWER:
		return WRAP_CASE_NEWER_VERSION;
	default:
		return WRAP_CASE_GIVEN_VERSION; /* CF_GIVEN, CF_REBUILT */
	}
}

static void input_of(const struct wrap_case *c, unsigned i, struct wrap_input *in)
{
	enum wrap_case_file loader = c->file[i][WC_LOADER], original = c->file[i][WC_ORIGINAL];

	memset(in, 0, sizeof(*in));
	in->loader = found_of(loader);
	in->original = found_of(original);
	in->loader_is_given = loader == CF_GIVEN;
	if (in->loader == WRAP_FOUND_PAYLOAD)
		strcpy(in->loader_version, version_of(loader));
	in->given_version = WRAP_CASE_GIVEN_VERSION;
	in->original_is_loader = in->loader == WRAP_FOUND_LOADER && loader == original;
}

static bool same_decision(const struct wrap_decision *got, const struct wrap_decision *want,
			  const char *what)
{
	bool same = got->action == want->action && got->original == want->original;

	if (!same)
		tap_diag("%s: got \"%s\" / original \"%s\", want \"%s\" / \"%s\"", what,
			 wrap_action_text(got->action), wrap_original_text(got->original),
			 wrap_action_text(want->action), wrap_original_text(want->original));
	return same;
}

static void test_table(void)
{
	for (size_t n = 0; n < WRAP_CASE_COUNT; n++) {
		const struct wrap_case *c = &wrap_cases[n];
		struct wrap_input in[WRAP_LOADER_COUNT];
		struct wrap_decision out[WRAP_LOADER_COUNT];
		bool ok = true;

		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
			input_of(c, i, &in[i]);
		wrap_decide_esp(in, out);
		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
			ok = same_decision(&out[i], &c->want[i], wrap_loaders[i].stem) && ok;
		tap_ok(ok, "rule: %s", c->name);
	}
}

/* A loader alone decides the same as on an ESP where the other loader
 * has nothing, except that a missing original has no fallback there. */
static void test_alone(void)
{
	unsigned count = 0;
	bool ok = true;

	for (size_t n = 0; n < WRAP_CASE_COUNT; n++) {
		const struct wrap_case *c = &wrap_cases[n];
		struct wrap_input in;
		struct wrap_decision out;

		if (c->file[1][WC_LOADER] != CF_NONE || c->file[1][WC_ORIGINAL] != CF_NONE)
			continue;
		input_of(c, 0, &in);
		wrap_decide(&in, &out);
		ok = same_decision(&out, &c->want[0], c->name) && ok;
		count++;
	}
	tap_ok(ok && count > 0, "wrap_decide on one loader agrees with the table (%u cases)",
	       count);
}

/* ---- the table, from bytes ---------------------------------------- */

struct images {
	uint8_t bytes[CF_COUNT][IMAGE_SIZE];
	size_t size[CF_COUNT];
};

/* An x64 PE header at 0x40 and text at 0x80 (the NUL included). */
static size_t make_image(uint8_t image[IMAGE_SIZE], const char *text, size_t length)
{
	return fake_pe_image(image, IMAGE_SIZE, text, length);
}

/* Our payload: the marker and its version, then a build note. */
static size_t make_payload(uint8_t image[IMAGE_SIZE], const char *version, const char *build)
{
	char text[96];
	size_t marker = strlen(WIN7GEN2_PAYLOAD_MARKER) + strlen(version) + 1;

	strcpy(text, WIN7GEN2_PAYLOAD_MARKER);
	strcat(text, version);
	strcpy(text + marker, build);
	return make_image(image, text, marker + strlen(build) + 1);
}

static void make_images(struct images *images)
{
	static const char text[] = "menu = on\n";

	memset(images, 0, sizeof(*images));
	images->size[CF_LOADER_A] = make_image(images->bytes[CF_LOADER_A], "boot manager A", 15);
	images->size[CF_LOADER_B] = make_image(images->bytes[CF_LOADER_B], "boot manager B", 15);
	images->size[CF_GIVEN] = make_payload(images->bytes[CF_GIVEN], WRAP_CASE_GIVEN_VERSION,
					      "build 1");
	images->size[CF_REBUILT] = make_payload(images->bytes[CF_REBUILT],
						WRAP_CASE_GIVEN_VERSION, "build 2");
	images->size[CF_OLDER] = make_payload(images->bytes[CF_OLDER], WRAP_CASE_OLDER_VERSION,
					      "build 1");
	images->size[CF_NEWER] = make_payload(images->bytes[CF_NEWER], WRAP_CASE_NEWER_VERSION,
					      "build 1");
	memcpy(images->bytes[CF_TEXT], text, sizeof(text) - 1);
	images->size[CF_TEXT] = sizeof(text) - 1;
}

static struct wrap_file file_of(const struct images *images, enum wrap_case_file file)
{
	struct wrap_file found = {
		.present = file != CF_NONE,
		.read = file != CF_NONE && file != CF_BIG, /* as a reader refuses it */
		.data = images->bytes[file],
		.size = images->size[file],
	};

	return found;
}

static void test_table_from_bytes(void)
{
	struct images images;

	make_images(&images);
	for (size_t n = 0; n < WRAP_CASE_COUNT; n++) {
		const struct wrap_case *c = &wrap_cases[n];
		struct wrap_input in[WRAP_LOADER_COUNT];
		struct wrap_decision out[WRAP_LOADER_COUNT];
		bool ok = true;

		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++) {
			struct wrap_file loader = file_of(&images, c->file[i][WC_LOADER]);
			struct wrap_file original = file_of(&images, c->file[i][WC_ORIGINAL]);

			wrap_input_from_files(&loader, &original, images.bytes[CF_GIVEN],
					      images.size[CF_GIVEN], WRAP_CASE_GIVEN_VERSION,
					      &in[i]);
		}
		wrap_decide_esp(in, out);
		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
			ok = same_decision(&out[i], &c->want[i], wrap_loaders[i].stem) && ok;
		tap_ok(ok, "from bytes: %s", c->name);
	}
}

static void test_input_from_files(void)
{
	struct images images;
	struct wrap_input in;
	struct wrap_file loader, original;

	make_images(&images);
	loader = file_of(&images, CF_OLDER);
	original = file_of(&images, CF_LOADER_A);
	wrap_input_from_files(&loader, &original, images.bytes[CF_GIVEN], images.size[CF_GIVEN],
			      WRAP_CASE_GIVEN_VERSION, &in);
	tap_ok(in.loader == WRAP_FOUND_PAYLOAD && !in.loader_is_given &&
	       in.original == WRAP_FOUND_LOADER,
	       "an older payload in front of a loader is found as such");
	tap_is_str(in.loader_version, WRAP_CASE_OLDER_VERSION, "with its version");
	tap_is_str(in.given_version, WRAP_CASE_GIVEN_VERSION, "and the version given");

	/* A 32-bit image with our marker is not our payload. */
	images.bytes[CF_GIVEN][0x44] = 0x4c;
	images.bytes[CF_GIVEN][0x45] = 0x01;
	loader = file_of(&images, CF_GIVEN);
	wrap_input_from_files(&loader, &original, images.bytes[CF_REBUILT],
			      images.size[CF_REBUILT], WRAP_CASE_GIVEN_VERSION, &in);
	tap_ok(in.loader == WRAP_FOUND_NOT_X64, "a 32-bit image with the marker is not x64");

	loader = file_of(&images, CF_LOADER_A);
	original = file_of(&images, CF_LOADER_B);
	wrap_input_from_files(&loader, &original, images.bytes[CF_REBUILT],
			      images.size[CF_REBUILT], WRAP_CASE_GIVEN_VERSION, &in);
	tap_ok(!in.original_is_loader, "two different loaders are told apart");
}

/* ---- what each action means ---------------------------------------- */

static void test_actions(void)
{
	static const enum wrap_action writers[] = { WRAP_WRAP, WRAP_REWRAP,
						    WRAP_REPLACE_ORIGINAL, WRAP_RESTORE,
						    WRAP_UPGRADE };
	static const enum wrap_action idle[] = { WRAP_NONE, WRAP_RIGHT, WRAP_KEEP_NEWER,
						 WRAP_REFUSE_UNREADABLE, WRAP_REFUSE_NOT_X64,
						 WRAP_REFUSE_NO_LOADER };
	bool ok = true;

	for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		ok = ok && wrap_writes_payload(writers[i]) && wrap_payload_after(writers[i]);
	for (size_t i = 0; i < sizeof(idle) / sizeof(idle[0]); i++)
		ok = ok && !wrap_writes_payload(idle[i]) && !wrap_writes_original(idle[i]) &&
		     !wrap_keeps_old_original(idle[i]);
	tap_ok(ok, "every action that puts the payload in front writes it; the others "
	       "write nothing");
	tap_ok(wrap_writes_original(WRAP_WRAP) && wrap_writes_original(WRAP_REWRAP) &&
	       wrap_writes_original(WRAP_REPLACE_ORIGINAL) &&
	       !wrap_writes_original(WRAP_RESTORE) && !wrap_writes_original(WRAP_UPGRADE),
	       "only wrapping writes the original");
	tap_ok(wrap_keeps_old_original(WRAP_REWRAP) && !wrap_keeps_old_original(WRAP_WRAP),
	       "only a re-wrap keeps the previous original");
	tap_ok(wrap_payload_after(WRAP_RIGHT) && wrap_payload_after(WRAP_KEEP_NEWER) &&
	       !wrap_payload_after(WRAP_NONE) && !wrap_payload_after(WRAP_REFUSE_NOT_X64),
	       "a payload found in front stays there; a refused loader is not one");

	ok = true;
	for (int a = WRAP_NONE; a <= WRAP_UPGRADE; a++)
		ok = ok && strcmp(wrap_action_text((enum wrap_action)a), "?") != 0;
	for (int o = WRAP_ORIGINAL_UNUSED; o <= WRAP_ORIGINAL_NOT_LOADER; o++)
		ok = ok && strcmp(wrap_original_text((enum wrap_original)o), "?") != 0;
	tap_ok(ok, "every action and original has a text");
	tap_is_str(wrap_action_text(WRAP_WRAP), "wrapped", "texts the firmware tests grep");
	tap_is_str(wrap_action_text(WRAP_RIGHT), "already wrapped", "...");
	tap_ok(strncmp(wrap_action_text(WRAP_REWRAP), "re-wrapped", 10) == 0, "...");

	ok = true;
	for (size_t n = 0; n < WRAP_CASE_COUNT; n++)
		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++) {
			const struct wrap_decision *d = &wrap_cases[n].want[i];
			bool refused = d->action == WRAP_REFUSE_UNREADABLE ||
				       d->action == WRAP_REFUSE_NOT_X64 ||
				       d->action == WRAP_REFUSE_NO_LOADER;
			bool stranded = d->original == WRAP_ORIGINAL_MISSING ||
					d->original == WRAP_ORIGINAL_NOT_LOADER;

			ok = ok && wrap_is_problem(d) == (refused || stranded);
		}
	tap_ok(ok, "a problem is a refusal, or a payload with nothing to start");
}

/* What the payload does by itself at boot: only put back a wrap. */
static void test_restores_wrap(void)
{
	bool ok = true;

	for (int a = WRAP_NONE; a <= WRAP_UPGRADE; a++) {
		enum wrap_action action = (enum wrap_action)a;
		bool want = action == WRAP_REWRAP || action == WRAP_RESTORE;

		ok = ok && wrap_restores_wrap(action) == want;
		/* Each is a write the rescue makes too. */
		ok = ok && (!want || wrap_writes_payload(action));
	}
	tap_ok(ok, "self-repair puts back a wrap (re-wrap, restore) and nothing else");

	/* In the table: every case it acts on had a loader kept as the original. */
	ok = true;
	for (size_t n = 0; n < WRAP_CASE_COUNT; n++)
		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
			if (wrap_restores_wrap(wrap_cases[n].want[i].action))
				ok = ok && wrap_cases[n].file[i][WC_ORIGINAL] != CF_NONE &&
				     found_of(wrap_cases[n].file[i][WC_ORIGINAL]) ==
					     WRAP_FOUND_LOADER;
	tap_ok(ok, "every case self-repair acts on has a loader kept as the original");
}

/* \EFI\win7gen2\win7gen2.efi, the copy the payload's boot entry starts. */
static void test_own_copy(void)
{
	static const struct {
		enum wrap_case_file file;
		enum wrap_copy want;
		const char *what;
	} cases[] = {
		{ CF_NONE, WRAP_COPY_WRITE, "missing: written" },
		{ CF_GIVEN, WRAP_COPY_RIGHT, "the payload given: nothing to do" },
		{ CF_OLDER, WRAP_COPY_WRITE, "an older payload: replaced" },
		{ CF_REBUILT, WRAP_COPY_WRITE, "another build of the version: replaced" },
		{ CF_NEWER, WRAP_COPY_KEEP_NEWER, "a newer payload: kept" },
		{ CF_LOADER_A, WRAP_COPY_WRITE, "a loader in our folder: replaced" },
		{ CF_TEXT, WRAP_COPY_WRITE, "junk in our folder: replaced" },
		{ CF_BIG, WRAP_COPY_REFUSE_UNREADABLE, "unreadable: left alone" },
	};
	struct images images;

	make_images(&images);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wrap_file file = file_of(&images, cases[i].file);

		tap_is_u64(wrap_decide_copy(&file, images.bytes[CF_GIVEN], images.size[CF_GIVEN],
					    WRAP_CASE_GIVEN_VERSION),
			   cases[i].want, "own copy %s", cases[i].what);
	}
}

static void test_paths(void)
{
	tap_is_str(wrap_loaders[0].dir, "\\EFI\\Microsoft\\Boot\\", "the boot manager first");
	tap_is_str(wrap_loaders[0].stem, "bootmgfw", "...");
	tap_is_str(wrap_loaders[1].dir, "\\EFI\\Boot\\", "then the removable-media path");
	tap_is_str(wrap_loaders[1].stem, "bootx64", "...");
	tap_is_str(WIN7GEN2_BOOTMGFW_ORIGINAL_PATH, "\\EFI\\Microsoft\\Boot\\bootmgfw.original.efi",
		   "the paths are put together as documented");
	tap_is_str(WIN7GEN2_FALLBACK_PATH, "\\EFI\\Boot\\bootx64.efi", "...");
	tap_ok(WIN7GEN2_LOADER_MAX_SIZE == 16u << 20, "one size limit for a loader: 16 MiB");
}

/* ---- the listing for the firmware test ----------------------------- */

/* Shell single quotes; the texts have none, but say so if one comes. */
static void quoted(const char *text)
{
	putchar('\'');
	for (; *text; text++) {
		if (*text == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*text);
	}
	putchar('\'');
}

static void print_path(const struct wrap_loader *loader, const char *suffix)
{
	char path[96];

	snprintf(path, sizeof(path), "%s%s%s", loader->dir, loader->stem, suffix);
	quoted(path);
}

/*
 * One command a line: first the size limit, then for each case, with
 * its number first:
 *   wrap_loader_max_size BYTES
 *   wrap_case N 'name'
 *   wrap_put N '\EFI\...\bootmgfw.efi' loader-a
 *   wrap_expect_file N '\EFI\...\bootmgfw.original.old.efi' none
 *   wrap_expect_line N '    \EFI\...\bootmgfw.efi: wrapped'   (as rescue prints it)
 */
static void list_shell(void)
{
	printf("wrap_loader_max_size %lu\n", (unsigned long)WIN7GEN2_LOADER_MAX_SIZE);
	for (size_t n = 0; n < WRAP_CASE_COUNT; n++) {
		const struct wrap_case *c = &wrap_cases[n];

		printf("wrap_case %zu ", n + 1);
		quoted(c->name);
		putchar('\n');
		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++)
			for (unsigned slot = WC_LOADER; slot <= WC_ORIGINAL; slot++) {
				if (c->file[i][slot] == CF_NONE)
					continue;
				printf("wrap_put %zu ", n + 1);
				print_path(&wrap_loaders[i], wrap_case_suffix(slot));
				printf(" %s\n", wrap_case_file_name(c->file[i][slot]));
			}
		for (unsigned i = 0; i < WRAP_LOADER_COUNT; i++) {
			const struct wrap_decision *d = &c->want[i];
			char line[256];

			for (unsigned slot = 0; slot < WC_SLOTS; slot++) {
				printf("wrap_expect_file %zu ", n + 1);
				print_path(&wrap_loaders[i], wrap_case_suffix(slot));
				printf(" %s\n", wrap_case_file_name(wrap_case_after(c, i, slot)));
			}
			snprintf(line, sizeof(line), "    %s%s%s: %s", wrap_loaders[i].dir,
				 wrap_loaders[i].stem, WIN7GEN2_LOADER_SUFFIX,
				 wrap_action_text(d->action));
			printf("wrap_expect_line %zu ", n + 1);
			quoted(line);
			putchar('\n');
			if (d->original == WRAP_ORIGINAL_UNUSED || d->original == WRAP_ORIGINAL_LOADER)
				continue;
			snprintf(line, sizeof(line), "    %s%s%s: %s", wrap_loaders[i].dir,
				 wrap_loaders[i].stem, WIN7GEN2_ORIGINAL_SUFFIX,
				 wrap_original_text(d->original));
			printf("wrap_expect_line %zu ", n + 1);
			quoted(line);
			putchar('\n');
		}
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--shell") == 0) {
		list_shell();
		return 0;
	}
	test_table();
	test_alone();
	test_table_from_bytes();
	test_input_from_files();
	test_actions();
	test_restores_wrap();
	test_own_copy();
	test_paths();
	return tap_done();
}
