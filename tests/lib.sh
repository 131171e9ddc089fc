# lib.sh - the shell side of the test suite (TAP), after git's test-lib
#
#   . "$top_srcdir/tests/lib.sh"
#   test_expect_success 'what the user relies on' '
#   	commands that must all succeed
#   '
#   test_done
#
# Each test runs in a subshell with `set -e` semantics spelled out by &&
# chains, in a scratch directory of its own that is removed when the
# script passes and kept (and named) when it fails.
#
# SPDX-License-Identifier: MIT

# A script may load two helper libraries that both load this one.
test -n "${test_lib_loaded:-}" && return 0
test_lib_loaded=1

: "${top_srcdir:?tests run from make check, which sets top_srcdir}"
: "${top_builddir:?tests run from make check, which sets top_builddir}"

test_count=0
test_failed=0
test_name=$(basename "$0" .sh)
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/win7gen2-$test_name.XXXXXX")
cd "$TRASH" || exit 99

# The helpers below say why they failed on fd 4: a test's own output
# inside test_expect_success, the script's stderr outside one.  Their
# caller's redirections (2>err) stay the command's.
exec 4>&2

# In CI nothing may skip: a missing tool is a failure there.
must_not_skip() {
	test -n "${CI:-}" || test -n "${WIN7GEN2_NO_SKIP:-}"
}

skip_all() {
	if must_not_skip; then
		echo "Bail out! $1 (CI: nothing may skip)"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	rm -rf "$TRASH"
	exit 0
}

say() {
	echo "# $*"
}

test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TRASH/.out" 2>&1 4>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/.out"
	fi
}

test_done() {
	echo "1..$test_count"
	if test "$test_failed" -eq 0; then
		rm -rf "$TRASH"
		exit 0
	fi
	say "kept $TRASH for a look"
	exit 1
}

# test_cmp EXPECTED ACTUAL: files equal, else show the difference.
test_cmp() {
	diff -u "$1" "$2"
}

# test_must_fail COMMAND...: COMMAND fails the way a program refuses,
# with an exit status from 1 to 125.  Success fails the test, and so do
# the statuses that mean something else went wrong: 126 and 127 (could
# not be run, not found) and 129 to 192 (killed by a signal, such as a
# crash).  Use test_expect_code where the status is documented.  Not for
# grep or test: "! grep" says what it means there.
test_must_fail() {
	"$@" 2>&7
	exit_code=$?
	if test $exit_code -eq 0; then
		echo >&4 "test_must_fail: command succeeded: $*"
		return 1
	elif test $exit_code -gt 128 && test $exit_code -le 192; then
		echo >&4 "test_must_fail: died by signal $((exit_code - 128)): $*"
		return 1
	elif test $exit_code -eq 127; then
		echo >&4 "test_must_fail: command not found: $*"
		return 1
	elif test $exit_code -eq 126; then
		echo >&4 "test_must_fail: command could not be run: $*"
		return 1
	fi
	return 0
} 7>&2 2>&4

# test_expect_code CODE COMMAND...: COMMAND exits with status CODE.
test_expect_code() {
	want_code=$1
	shift
	"$@" 2>&7
	exit_code=$?
	if test $exit_code -eq "$want_code"; then
		return 0
	fi
	echo >&4 "test_expect_code: command exited with $exit_code, we wanted $want_code: $*"
	return 1
} 7>&2 2>&4

# test_must_be_empty FILE: FILE exists and is empty, else show it.  A
# missing FILE fails: "nothing found" must come from a search that ran.
test_must_be_empty() {
	if ! test -f "$1"; then
		echo "test_must_be_empty: $1 does not exist"
		return 1
	fi
	if test -s "$1"; then
		echo "test_must_be_empty: $1 is not empty, it contains:"
		cat "$1"
		return 1
	fi
}
