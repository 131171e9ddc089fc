/*
 * test-pkgcheck.c - the packages' members checked on a second thread
 *
 * pkgcheck.c against a stand-in package_check_members whose verdict each
 * package's label gives ("good", "bad", "wait": until told to stop), so
 * what is tested is the thread's contract: every package checked in
 * order, the first failure's reason handed over at the join and seen
 * before it (package_check_failed), nothing checked after a failure, and
 * abandon reaching a thread mid-package.  Built with -fsanitize=thread
 * by hand, it also shows the hand-over has no data race.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdatomic.h>
#include <string.h>
#include <sched.h>
#include <time.h>

#include "pkgcheck.h"
#include "tap.h"

/* What the stand-in saw; written by the checking thread, read after the
 * join (pthread_join orders them). */
static unsigned checked;
static bool saw_stop;
/* Set by the stand-in once it waits: the main thread's cue to abandon. */
static atomic_bool waiting;

int package_check_members(const struct package *pkg, const atomic_bool *stop, struct text *err)
{
	checked++;
	if (strcmp(pkg->label, "bad") == 0) {
		text_appendf(err, "%s is damaged: its member x.dll does not decompress", pkg->label);
		return -1;
	}
	if (strcmp(pkg->label, "wait") == 0) {
		atomic_store(&waiting, true);
		/* At most about 10 s, so a broken stop fails the test, not the run. */
		for (int i = 0; i < 10000; i++) {
			if (atomic_load(stop)) {
				saw_stop = true;
				return PACKAGE_CHECK_STOPPED;
			}
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
		}
	}
	return 0;
}

static void with_labels(struct package *packages, const char *const *labels, size_t count)
{
	memset(packages, 0, count * sizeof(*packages));
	for (size_t i = 0; i < count; i++) {
		packages[i].label = (char *)labels[i];
		packages[i].cab = (char *)"/dev/null";   /* hashed: no bytes */
	}
}

int main(void)
{
	static const char *const good[] = { "good", "good", "good" };
	static const char *const bad[] = { "good", "bad", "good" };
	static const char *const wait[] = { "good", "wait", "good" };
	struct package packages[3];
	uint64_t hashes[3];
	struct package_check check;
	struct text err = TEXT_INIT;

	memset(&check, 0, sizeof(check));
	tap_is_u64(package_check_finish(&check, &err), 0, "never started: finish says 0");
	package_check_abandon(&check);
	tap_is_u64(err.length, 0, "never started: nothing said");

	with_labels(packages, good, 3);
	checked = 0;
	tap_is_u64(package_check_start(&check, packages, 3, hashes, &err), 0, "good: started");
	tap_is_u64(package_check_finish(&check, &err), 0, "good: finish says 0");
	tap_is_u64(checked, 3, "good: every package checked");
	/* XXH64 of no bytes, seed 0 (the specification's vector). */
	tap_is_u64(hashes[2], 0xEF46DB3751D8E999ull, "good: each CAB hashed");
	tap_ok(!package_check_failed(&check), "good: not failed");
	tap_is_u64(err.length, 0, "good: nothing said");
	tap_is_u64(package_check_finish(&check, &err), 0, "good: a second finish says 0 too");

	with_labels(packages, bad, 3);
	checked = 0;
	tap_is_u64(package_check_start(&check, packages, 3, hashes, &err), 0, "bad: started");
	/* The copy loop's view, before any join: it must see the failure. */
	while (!package_check_failed(&check))
		sched_yield();
	tap_ok(true, "bad: failed is seen before the join");
	tap_is_u64(package_check_finish(&check, &err) < 0, 1, "bad: finish says -1");
	tap_is_u64(checked, 2, "bad: nothing checked after the damaged one");
	tap_is_str(text_string(&err), "bad is damaged: its member x.dll does not decompress",
		   "bad: its reason handed over");
	text_free(&err);
	err = (struct text)TEXT_INIT;

	with_labels(packages, wait, 3);
	checked = 0;
	saw_stop = false;
	tap_is_u64(package_check_start(&check, packages, 3, hashes, &err), 0, "abandon: started");
	while (!atomic_load(&waiting))
		sched_yield();
	package_check_abandon(&check);
	tap_ok(saw_stop, "abandon: the thread saw stop mid-package");
	tap_ok(checked <= 2, "abandon: nothing checked after it stopped");
	tap_is_u64(err.length, 0, "abandon: nothing said");
	tap_is_u64(package_check_finish(&check, &err), 0, "abandon: finish after it says 0");
	text_free(&err);
	return tap_done();
}
