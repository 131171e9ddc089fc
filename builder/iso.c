/*
 * iso.c - what the builder reads from and writes to ISO images (xorriso)
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "iso.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "files.h"
#include "run.h"

#define SECTOR 2048
#define PVD_SECTOR 16

int iso_is_iso9660(const char *path, char volume_id[33], struct buf *err)
{
	unsigned char pvd[SECTOR];
	ssize_t n;
	int fd, i;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(err, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	n = pread(fd, pvd, sizeof(pvd), (off_t)PVD_SECTOR * SECTOR);
	close(fd);
	if (n < 0) {
		buf_printf(err, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* Type 1 (primary), "CD001", version 1. */
	if (n < (ssize_t)sizeof(pvd) || pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0 ||
	    pvd[6] != 1)
		return 0;
	memcpy(volume_id, pvd + 40, 32);
	for (i = 32; i > 0 && (volume_id[i - 1] == ' ' || volume_id[i - 1] == '\0'); i--)
		;
	volume_id[i] = '\0';
	for (int j = 0; j < i; j++)
		if ((unsigned char)volume_id[j] < 0x20 || (unsigned char)volume_id[j] > 0x7e)
			volume_id[j] = '?';
	return 1;
}

/* ---- parsing xorriso's reports ------------------------------------- */

/*
 * Splits a line the way xorriso quotes it for its own input: words
 * separated by blanks, '...' and "..." quoting (xorriso writes a quote
 * inside a name as '"'"').  Returns the word count or -1.
 */
static int split_words(const char *line, char ***words_out)
{
	char **words = NULL;
	size_t count = 0;
	struct buf word = BUF_INIT;
	const char *p = line;

	while (*p) {
		bool have_word = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		buf_reset(&word);
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				char quote = *p++;
				const char *end = strchr(p, quote);

				if (!end)
					goto fail;
				buf_append(&word, p, (size_t)(end - p));
				p = end + 1;
			} else {
				buf_append(&word, p++, 1);
			}
			have_word = true;
		}
		if (have_word) {
			char **grown = realloc(words, (count + 2) * sizeof(*words));

			if (!grown)
				goto fail;
			words = grown;
			words[count] = strdup(buf_str(&word));
			if (!words[count])
				goto fail;
			words[++count] = NULL;
		}
	}
	buf_free(&word);
	*words_out = words;
	return (int)count;
fail:
	buf_free(&word);
	for (size_t i = 0; i < count; i++)
		free(words[i]);
	free(words);
	return -1;
}

static void free_words(char **words, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(words[i]);
	free(words);
}

/* "File data lba:  0 ,      759 ,        1 ,       41 , '/boot/bcd'" */
static int parse_file_line(struct iso_listing *listing, const char *rest)
{
	unsigned extent;
	uint64_t lba, blocks, size;
	const char *quote;
	char **words = NULL;
	int count;

	if (sscanf(rest, " %u , %" SCNu64 " , %" SCNu64 " , %" SCNu64 " ,",
		   &extent, &lba, &blocks, &size) != 4)
		return -1;
	quote = strchr(rest, '\'');
	if (!quote)
		return -1;
	count = split_words(quote, &words);
	if (count != 1) {
		free_words(words, count > 0 ? (size_t)count : 0);
		return -1;
	}
	/* A file over 4 GiB comes as one line per extent. */
	if (listing->file_count &&
	    strcmp(listing->files[listing->file_count - 1].path, words[0]) == 0) {
		struct iso_file *last = &listing->files[listing->file_count - 1];

		if (size > UINT64_MAX - last->size) {
			free_words(words, 1);
			return -1;
		}
		last->size += size;
		free_words(words, 1);
		return 0;
	}
	if (listing->file_count % 256 == 0) {
		struct iso_file *grown = realloc(listing->files,
						 (listing->file_count + 256) * sizeof(*grown));
		if (!grown) {
			free_words(words, 1);
			return -1;
		}
		listing->files = grown;
	}
	listing->files[listing->file_count].path = words[0];
	listing->files[listing->file_count].size = size;
	listing->file_count++;
	free(words);
	return 0;
}

/* "El Torito boot img :   1  BIOS  y   none  0x0000  0x00      8          39" */
static int parse_entry_line(struct iso_listing *listing, const char *rest)
{
	struct eltorito_entry entry = { 0 };
	char bootable[4], seg[16], hdpt[16];
	unsigned long long lba;

	if (sscanf(rest, " %u %7s %3s %15s %15s %15s %u %llu", &entry.number,
		   entry.platform_name, bootable, entry.emulation, seg, hdpt,
		   &entry.load_sectors, &lba) != 8)
		return -1;
	if (listing->entry_count >= ISO_MAX_ELTORITO || entry.number != listing->entry_count + 1)
		return -1;
	entry.bootable = strcmp(bootable, "y") == 0;
	entry.platform = strcmp(entry.platform_name, "BIOS") == 0 ? ELTORITO_BIOS :
			 strcmp(entry.platform_name, "UEFI") == 0 ? ELTORITO_UEFI :
			 ELTORITO_OTHER;
	listing->entries[listing->entry_count++] = entry;
	return 0;
}

/* "El Torito img path :   1  /boot/etfsboot.com" */
static int parse_entry_path(struct iso_listing *listing, const char *rest)
{
	unsigned number;
	int used = 0;
	const char *path;

	if (sscanf(rest, " %u %n", &number, &used) != 1 || used == 0)
		return -1;
	if (number == 0 || number > listing->entry_count || listing->entries[number - 1].path)
		return -1;
	path = rest + used;
	listing->entries[number - 1].path = strdup(path);
	return listing->entries[number - 1].path ? 0 : -1;
}

static int parse_boot_cmd(struct iso_listing *listing, const char *line)
{
	struct iso_boot_cmd *grown;
	char **words;
	int count = split_words(line, &words);

	if (count <= 0)
		return count;
	grown = realloc(listing->boot_cmds, (listing->boot_cmd_count + 1) * sizeof(*grown));
	if (!grown) {
		free_words(words, (size_t)count);
		return -1;
	}
	listing->boot_cmds = grown;
	grown[listing->boot_cmd_count].args = words;
	grown[listing->boot_cmd_count].count = (size_t)count;
	listing->boot_cmd_count++;
	return 0;
}

static int parse_report(struct iso_listing *listing, char *text)
{
	static const char file_tag[] = "File data lba:";
	static const char entry_tag[] = "El Torito boot img :";
	static const char path_tag[] = "El Torito img path :";

	for (char *line = text, *next; line && *line; line = next) {
		int rc = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, file_tag, sizeof(file_tag) - 1) == 0)
			rc = parse_file_line(listing, line + sizeof(file_tag) - 1);
		else if (strncmp(line, entry_tag, sizeof(entry_tag) - 1) == 0)
			rc = parse_entry_line(listing, line + sizeof(entry_tag) - 1);
		else if (strncmp(line, path_tag, sizeof(path_tag) - 1) == 0)
			rc = parse_entry_path(listing, line + sizeof(path_tag) - 1);
		else if (strncmp(line, "-boot_image ", 12) == 0 || strncmp(line, "-volid ", 7) == 0 ||
			 strncmp(line, "-volume_date ", 13) == 0)
			rc = parse_boot_cmd(listing, line);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int iso_list(const char *iso, struct iso_listing *listing, struct buf *err)
{
	const char *argv[] = {
		"xorriso", "-abort_on", "FAILURE", "-indev", iso,
		"-report_el_torito", "plain", "-report_el_torito", "cmd",
		"-find", "/", "-type", "f", "-exec", "report_lba", "--", NULL
	};
	struct run run = { .argv = argv, .capture_stdout = true };
	int rc;

	memset(listing, 0, sizeof(*listing));
	rc = iso_is_iso9660(iso, listing->volume_id, err);
	if (rc <= 0) {
		if (rc == 0)
			buf_printf(err, "%s is not an ISO 9660 image (no CD001 volume descriptor)", iso);
		return -1;
	}
	if (run_tool(&run) < 0) {
		buf_printf(err, "cannot read %s: ", iso);
		run_explain(&run, err);
		run_free(&run);
		return -1;
	}
	rc = parse_report(listing, run.out.data ? run.out.data : (char *)"");
	run_free(&run);
	if (rc < 0) {
		buf_printf(err, "cannot understand xorriso's report on %s", iso);
		iso_listing_free(listing);
		return -1;
	}
	return 0;
}

void iso_listing_free(struct iso_listing *listing)
{
	for (size_t i = 0; i < listing->file_count; i++)
		free(listing->files[i].path);
	free(listing->files);
	for (size_t i = 0; i < listing->entry_count; i++)
		free(listing->entries[i].path);
	for (size_t i = 0; i < listing->boot_cmd_count; i++)
		free_words(listing->boot_cmds[i].args, listing->boot_cmds[i].count);
	free(listing->boot_cmds);
	memset(listing, 0, sizeof(*listing));
}

const struct iso_file *iso_find(const struct iso_listing *listing, const char *path)
{
	for (size_t i = 0; i < listing->file_count; i++)
		if (strcasecmp(listing->files[i].path, path) == 0)
			return &listing->files[i];
	return NULL;
}

const struct eltorito_entry *iso_find_entry(const struct iso_listing *listing,
					    enum eltorito_platform platform)
{
	for (size_t i = 0; i < listing->entry_count; i++)
		if (listing->entries[i].platform == platform)
			return &listing->entries[i];
	return NULL;
}

/* ---- extracting -------------------------------------------------- */

int iso_extract(const char *iso, const char *const *iso_paths,
		const char *const *disk_paths, size_t count,
		void (*on_progress)(void *ctx, const char *line), void *ctx, struct buf *err)
{
	const char **argv = calloc(8 + 3 * count, sizeof(*argv));
	size_t n = 0;
	int rc;

	if (!argv) {
		buf_puts(err, "out of memory");
		return -1;
	}
	argv[n++] = "xorriso";
	argv[n++] = "-abort_on";
	argv[n++] = "FAILURE";
	argv[n++] = "-osirrox";
	argv[n++] = "on";
	argv[n++] = "-indev";
	argv[n++] = iso;
	for (size_t i = 0; i < count; i++) {
		argv[n++] = "-extract";
		argv[n++] = iso_paths[i];
		argv[n++] = disk_paths[i];
	}
	argv[n] = NULL;
	rc = run_or_explain(argv, "cannot extract from the ISO", on_progress, ctx, err);
	free(argv);
	return rc;
}

int iso_extract_range(const char *iso, const char *iso_path, uint64_t offset,
		      uint64_t count, const char *disk_path, struct buf *err)
{
	char offset_text[24], count_text[24];
	const char *argv[] = {
		"xorriso", "-abort_on", "FAILURE", "-osirrox", "on", "-indev", iso,
		"-extract_cut", iso_path, offset_text, count_text, disk_path, NULL
	};

	snprintf(offset_text, sizeof(offset_text), "%" PRIu64, offset);
	snprintf(count_text, sizeof(count_text), "%" PRIu64, count);
	return run_or_explain(argv, "cannot read part of a file in the ISO", NULL, NULL, err);
}

/* ---- writing ----------------------------------------------------- */

static bool push(const char ***argv, size_t *count, size_t *cap, const char *arg)
{
	if (*count + 2 > *cap) {
		size_t new_cap = *cap ? *cap * 2 : 64;
		const char **grown = realloc(*argv, new_cap * sizeof(**argv));

		if (!grown)
			return false;
		*argv = grown;
		*cap = new_cap;
	}
	(*argv)[(*count)++] = arg;
	(*argv)[*count] = NULL;
	return true;
}

/* True when a "-boot_image any KEY=VALUE" word names the image path. */
static const char *image_path_of(const char *word)
{
	if (strncmp(word, "bin_path=", 9) == 0)
		return word + 9;
	if (strncmp(word, "efi_path=", 9) == 0)
		return word + 9;
	return NULL;
}

int iso_write(const struct iso_write_job *job, struct buf *err)
{
	const char **argv = NULL;
	size_t count = 0, cap = 0;
	char load_size[40];
	bool ok = true, in_replaced_entry = false;
	struct run run = { 0 };
	int rc;

	snprintf(load_size, sizeof(load_size), "load_size=%" PRIu64,
		 (job->boot_image_size + 511) / 512 * 512);
	/*
	 * Level 3 for files over 4 GiB and 31-character names, long_names
	 * for up to 37: Windows boot code reads the ISO 9660 tree and needs
	 * the full names there.  Joliet as on the source media; no Rock
	 * Ridge, which Windows media never carry.
	 */
	static const char *const head[] = {
		"xorriso", "-abort_on", "FAILURE", "-return_with", "SORRY", "32",
		"-pacifier", "xorriso",
		/* Bigger read tiles and fifo: about a third faster from a file. */
		"-data_cache_size", "16", "1024", "-fs", "16m",
		"-compliance", "iso_9660_level=3:long_names",
		"-joliet", "on", "-rockridge", "off",
	};
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		ok = ok && push(&argv, &count, &cap, head[i]);
	if (job->append) {
		if (copy_big_file(job->in, job->out, job->on_copy_progress, job->ctx, err) < 0) {
			free(argv);
			return -1;
		}
		ok = ok && push(&argv, &count, &cap, "-dev") && push(&argv, &count, &cap, job->out);
	} else {
		ok = ok && push(&argv, &count, &cap, "-indev") && push(&argv, &count, &cap, job->in);
		ok = ok && push(&argv, &count, &cap, "-outdev") && push(&argv, &count, &cap, job->out);
	}
	for (size_t i = 0; i < job->replacement_count; i++)
		ok = ok && push(&argv, &count, &cap, "-map") &&
		     push(&argv, &count, &cap, job->replacements[i].disk_path) &&
		     push(&argv, &count, &cap, job->replacements[i].iso_path);
	/* The boot setup as xorriso reported it, with the replaced
	 * image's load size updated. */
	for (size_t i = 0; i < job->listing->boot_cmd_count; i++) {
		const struct iso_boot_cmd *cmd = &job->listing->boot_cmds[i];

		for (size_t j = 0; j < cmd->count; j++) {
			const char *word = cmd->args[j];
			const char *path = image_path_of(word);

			if (strcmp(word, "next") == 0)
				in_replaced_entry = false;
			if (path)
				in_replaced_entry = job->boot_image_path &&
						    strcasecmp(path, job->boot_image_path) == 0;
			if (in_replaced_entry && strncmp(word, "load_size=", 10) == 0)
				word = load_size;
			ok = ok && push(&argv, &count, &cap, word);
		}
	}
	ok = ok && push(&argv, &count, &cap, "-commit");
	if (!ok) {
		free(argv);
		buf_puts(err, "out of memory");
		return -1;
	}
	run.argv = argv;
	run.on_stderr_line = job->on_progress;
	run.ctx = job->ctx;
	rc = run_tool(&run);
	if (rc < 0) {
		buf_puts(err, "cannot write the new ISO: ");
		run_explain(&run, err);
	}
	run_free(&run);
	free(argv);
	return rc;
}
