/*
 * test-run.c - the environment a tool runs in, and nothing left open
 *
 * The builder's own environment is a German locale here and must stay
 * as it is; each tool must see LC_ALL=C and the variables its caller
 * gave it, and only that tool.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "tap.h"

/* What the tool printed on stdout, or NULL when it failed. */
static char *tool_output(const char *script, const char *const *env)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct run run = { .argv = argv, .env = env, .capture_stdout = true };
	char *out = NULL;

	if (run_tool(&run) == 0)
		out = strdup(text_string(&run.out));
	run_free(&run);
	return out;
}

static bool output_is(const char *script, const char *const *env, const char *want,
		      const char *name)
{
	char *got = tool_output(script, env);
	bool same = got && strcmp(got, want) == 0;

	tap_is_str(got, want, "%s", name);
	free(got);
	return same;
}

static unsigned open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	unsigned count = 0;

	if (!dir)
		return 0;
	while (readdir(dir))
		count++;
	closedir(dir);
	return count;
}

#define SHOW "printf '%s|%s|%s|%s' \"$LC_ALL\" \"$LANG\" \"${FOO-unset}\" \"${BAR-unset}\""

static void test_environment(void)
{
	static const char *const own[] = { "FOO=inner", "BAR=x", NULL };
	static const char *const own_locale[] = { "LC_ALL=POSIX", NULL };

	setenv("LC_ALL", "de_DE.UTF-8", 1);
	setenv("LANG", "de_DE.UTF-8", 1);
	setenv("FOO", "outer", 1);
	unsetenv("BAR");

	output_is(SHOW, NULL, "C|de_DE.UTF-8|outer|unset",
		  "a tool runs with LC_ALL=C, the rest of the environment as it is");
	output_is(SHOW, own, "C|de_DE.UTF-8|inner|x",
		  "its own variables are added, or replace the builder's");
	output_is(SHOW, own_locale, "POSIX|de_DE.UTF-8|outer|unset",
		  "a caller may still give a tool its own LC_ALL");
	output_is("env | grep -c '^LC_ALL='", own, "1\n", "LC_ALL is there once");
	output_is("env | grep -c '^FOO='", own, "1\n", "so is a replaced variable");
	tap_ok(strcmp(getenv("LC_ALL"), "de_DE.UTF-8") == 0 &&
	       strcmp(getenv("FOO"), "outer") == 0 && !getenv("BAR"),
	       "the builder's own environment is unchanged");
	output_is(SHOW, NULL, "C|de_DE.UTF-8|outer|unset",
		  "and the next tool gets none of the last one's variables");
}

static void test_failures(void)
{
	const char *fails[] = { "sh", "-c", "echo 'it went wrong' >&2; exit 3", NULL };
	const char *missing[] = { "win7gen2-no-such-tool", NULL };
	struct run run = { .argv = fails };
	struct text msg = TEXT_INIT;
	unsigned before = open_fds();

	tap_ok(run_tool(&run) < 0 && run.exit_status == 3, "a tool's exit status is kept");
	run_explain(&run, &msg);
	tap_ok(strstr(text_string(&msg), "sh exited with status 3") &&
	       strstr(text_string(&msg), "it went wrong"),
	       "and explained with what it said: %s", text_string(&msg));
	run_free(&run);
	text_reset(&msg);

	run = (struct run){ .argv = missing, .capture_stdout = true };
	tap_ok(run_tool(&run) < 0 && run.exit_status == -1, "a tool that is not there fails");
	run_explain(&run, &msg);
	tap_ok(strstr(text_string(&msg), "did not run") &&
	       strstr(text_string(&msg), "cannot start"),
	       "saying it did not start: %s", text_string(&msg));
	run_free(&run);
	text_reset(&msg);

	{
		static const char *const env[] = { "WHY=its own variable", NULL };
		const char *says[] = { "sh", "-c", "echo \"$WHY\" >&2; exit 4", NULL };
		const char *first = "cannot do it: sh exited with status 4";
		bool failed;

		run = (struct run){ .argv = says, .env = env };
		failed = run_prepared_or_explain(&run, "cannot do it", &msg) < 0;
		tap_ok(failed &&
		       strncmp(text_string(&msg), first, strlen(first)) == 0 &&
		       strstr(text_string(&msg), "its own variable"),
		       "a prepared run fails with the caller's words first, the tool's "
		       "after: %s", text_string(&msg));
		tap_ok(run.err.length == 0 && run.out.length == 0,
		       "and what it kept is freed");
	}
	text_free(&msg);
	tap_is_u64(open_fds(), before, "no descriptor is left open after all three");
}

int main(void)
{
	test_environment();
	test_failures();
	return tap_done();
}
