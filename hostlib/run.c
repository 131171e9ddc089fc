/*
 * run.c - start an external tool and wait for it, without a shell
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define ERR_KEEP (64 * 1024)
#define READ_CHUNK 8192

struct line_splitter {
	struct text partial;
};

static void feed_stderr(struct run *run, struct line_splitter *lines,
			const char *data, size_t len)
{
	text_append_bytes(&run->err, data, len);
	if (run->err.length > 4 * ERR_KEEP)
		text_keep_tail(&run->err, ERR_KEEP);
	if (!run->on_stderr_line)
		return;
	for (size_t i = 0; i < len; i++) {
		/* Lines end with \n; a tool that redraws a progress line
		 * in place ends it with \r, which counts as a line end too. */
		if (data[i] == '\n' || data[i] == '\r') {
			if (lines->partial.length)
				run->on_stderr_line(run->ctx, text_string(&lines->partial));
			text_reset(&lines->partial);
		} else if (lines->partial.length < 4096) {
			text_append_bytes(&lines->partial, data + i, 1);
		}
	}
}

/* entry ("NAME=value") sets a variable that list (may be NULL) sets. */
static bool set_by(const char *entry, const char *const *list)
{
	size_t name_len = strcspn(entry, "=");

	for (; list && *list; list++)
		if (strncmp(*list, entry, name_len) == 0 && (*list)[name_len] == '=')
			return true;
	return false;
}

/*
 * The tool's environment: this process's without LC_ALL and without
 * what run->env sets, then LC_ALL=C (unless run->env sets LC_ALL), then
 * run->env.  LC_ALL overrides LANG and every LC_*, and GNU gettext
 * ignores LANGUAGE under the C locale, so that one variable is enough.
 * The array is malloc'd, the strings borrowed.  NULL when out of memory.
 */
static char **tool_environment(const struct run *run)
{
	static const char *const lc_all[] = { "LC_ALL=C", NULL };
	size_t count = 0, extra = 0, n = 0;
	char **env;

	while (environ && environ[count])
		count++;
	while (run->env && run->env[extra])
		extra++;
	env = calloc(count + extra + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < count; i++)
		if (!set_by(environ[i], lc_all) && !set_by(environ[i], run->env))
			env[n++] = environ[i];
	if (!set_by(lc_all[0], run->env))
		env[n++] = (char *)lc_all[0];
	for (size_t i = 0; i < extra; i++)
		env[n++] = (char *)run->env[i];
	env[n] = NULL;
	return env;
}

static int spawn(struct run *run, int out_fd, int err_fd, pid_t *pid)
{
	posix_spawn_file_actions_t actions;
	char **env = tool_environment(run);
	int rc;

	if (!env)
		return ENOMEM;
	if (posix_spawn_file_actions_init(&actions)) {
		free(env);
		return ENOMEM;
	}
	rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = out_fd >= 0 ? posix_spawn_file_actions_adddup2(&actions, out_fd, 1)
				 : posix_spawn_file_actions_addopen(&actions, 1, "/dev/null",
								    O_WRONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
	if (!rc)
		rc = posix_spawnp(pid, run->argv[0], &actions, NULL,
				  (char *const *)run->argv, env);
	posix_spawn_file_actions_destroy(&actions);
	free(env);
	return rc;
}

int run_tool(struct run *run)
{
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	struct line_splitter lines = { TEXT_INIT };
	struct pollfd fds[2];
	pid_t pid;
	int status, rc;

	run->exit_status = -1;
	run->signal = 0;
	run->read_error = 0;
	text_reset(&run->out);
	text_reset(&run->err);
	if ((run->capture_stdout && pipe2(out_pipe, O_CLOEXEC) < 0) ||
	    pipe2(err_pipe, O_CLOEXEC) < 0) {
		text_appendf(&run->err, "cannot make a pipe: %s", strerror(errno));
		goto fail_pipes;
	}
	rc = spawn(run, out_pipe[1], err_pipe[1], &pid);
	if (rc) {
		text_appendf(&run->err, "cannot start %s: %s%s", run->argv[0], strerror(rc),
			     rc == ENOENT ? " (not installed? see tools/install-deps)" : "");
		goto fail_pipes;
	}
	if (out_pipe[1] >= 0)
		close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;

	fds[0].fd = out_pipe[0];
	fds[0].events = POLLIN;
	fds[1].fd = err_pipe[0];
	fds[1].events = POLLIN;
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		char chunk[READ_CHUNK];

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			run->read_error = errno;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				if (n < 0 && !run->read_error)
					run->read_error = errno;
				close(fds[i].fd);
				fds[i].fd = -1;
				continue;
			}
			if (i == 0)
				text_append_bytes(&run->out, chunk, (size_t)n);
			else
				feed_stderr(run, &lines, chunk, (size_t)n);
		}
	}
	/* After a poll error the pipes are still open: close them, so the
	 * tool gets EPIPE instead of blocking on a full pipe while we wait
	 * for it. */
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	text_free(&lines.partial);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			text_appendf(&run->err, "waitpid: %s", strerror(errno));
			return -1;
		}
	text_keep_tail(&run->err, ERR_KEEP);
	if (WIFEXITED(status))
		run->exit_status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		run->signal = WTERMSIG(status);
	if (text_failed(&run->out) || text_failed(&run->err) || run->read_error)
		return -1;
	return run->exit_status == 0 ? 0 : -1;

fail_pipes:
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	return -1;
}

/* The last few non-empty lines, without progress noise. */
static void put_stderr_tail(const struct run *run, struct text *msg)
{
	const char *text = text_string(&run->err);
	const char *starts[8];
	size_t count = 0;

	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (len && !memmem(line, len, ": UPDATE :", 10)) {
			if (count == 8)
				memmove(starts, starts + 1, sizeof(starts[0]) * --count);
			starts[count++] = line;
		}
		line += len + (end ? 1 : 0);
	}
	for (size_t i = 0; i < count; i++) {
		const char *end = strchr(starts[i], '\n');
		size_t len = end ? (size_t)(end - starts[i]) : strlen(starts[i]);

		text_append(msg, "\n  ");
		text_append_bytes(msg, starts[i], len);
	}
}

void run_explain(const struct run *run, struct text *msg)
{
	if (run->read_error)
		text_appendf(msg, "cannot read what %s wrote: %s", run->argv[0],
			     strerror(run->read_error));
	else if (run->exit_status > 0)
		text_appendf(msg, "%s exited with status %d", run->argv[0], run->exit_status);
	else if (run->signal)
		text_appendf(msg, "%s was killed by signal %d (%s)", run->argv[0], run->signal,
			     strsignal(run->signal));
	else if (run->exit_status == 0)
		text_appendf(msg, "%s: out of memory reading its output", run->argv[0]);
	else
		text_appendf(msg, "%s did not run", run->argv[0]);
	put_stderr_tail(run, msg);
}

void run_free(struct run *run)
{
	text_free(&run->out);
	text_free(&run->err);
}

int run_prepared_or_explain(struct run *run, const char *what, struct text *err)
{
	int rc = run_tool(run);

	if (rc < 0) {
		text_appendf(err, "%s: ", what);
		run_explain(run, err);
	}
	run_free(run);
	return rc;
}

int run_or_explain(const char *const *argv, const char *what,
		   void (*on_stderr_line)(void *ctx, const char *line), void *ctx,
		   struct text *err)
{
	struct run run = { .argv = argv, .on_stderr_line = on_stderr_line, .ctx = ctx };

	return run_prepared_or_explain(&run, what, err);
}
