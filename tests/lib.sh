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

# Prerequisites, as git's test suite has them: a test that needs a tool
# names it, test_expect_success NAME,NAME 'title' 'body', instead of
# the script leaving early.  Outside CI a missing one skips that test
# alone, said as "# skip"; in CI (must_not_skip) it fails that test.
#
#   test_set_prereq NAME              NAME is there
#   test_lazy_prereq NAME 'script'    NAME is there when script succeeds,
#                                     run once, the first time it is asked
#   test_have_prereq NAME[,NAME...]   all of them are there (else
#                                     $test_prereq names the first missing)
test_prereqs_set=" "
test_prereqs_missing=" "
test_set_prereq() {
	test_prereqs_set="$test_prereqs_set$1 "
}

test_lazy_prereq() {
	eval "test_lazy_prereq_$1=\$2"
}

test_have_prereq() {
	for test_prereq in $(echo "$1" | tr , ' '); do
		case $test_prereqs_set in *" $test_prereq "*) continue ;; esac
		case $test_prereqs_missing in *" $test_prereq "*) return 1 ;; esac
		eval "test_prereq_script=\${test_lazy_prereq_$test_prereq:-}"
		if test -n "$test_prereq_script" &&
		   (cd "$TRASH" && eval "$test_prereq_script") >/dev/null 2>&1; then
			test_set_prereq "$test_prereq"
		else
			test_prereqs_missing="$test_prereqs_missing$test_prereq "
			return 1
		fi
	done
}

# The tools several scripts read OUT back with.
test_lazy_prereq SEVENZIP 'command -v 7zz'
test_lazy_prereq PYCDLIB '/usr/bin/python3 -c "import pycdlib"'
test_lazy_prereq ROOT 'test "$(id -u)" = 0'

# test_when_finished COMMANDS: inside a test, run COMMANDS when it ends,
# whether it passed or not (the last one given runs first).  A cleanup
# that fails fails the test: it would leave a mount or a file behind for
# the next one.
test_when_finished() {
	if test -z "${test_in_body:-}"; then
		echo >&4 "test_when_finished is for use inside test_expect_success"
		return 1
	fi
	test_cleanup="{ $*
} && (exit \"\$test_status\"); test_status=\$?; $test_cleanup"
}

test_expect_success() {
	test_prereqs=
	if test $# = 3; then
		test_prereqs=$1
		shift
	fi
	test_count=$((test_count + 1))
	if test -n "$test_prereqs" && ! test_have_prereq "$test_prereqs"; then
		if must_not_skip; then
			test_failed=$((test_failed + 1))
			echo "not ok $test_count - $1 (missing $test_prereq; CI: nothing may skip)"
		else
			echo "ok $test_count # skip $1 (missing $test_prereq)"
		fi
		return 0
	fi
	if (test_in_body=1 test_cleanup=: &&
	    eval "$2"; test_status=$?; eval "$test_cleanup"; exit $test_status) \
	    >"$TRASH/.out" 2>&1 4>&1; then
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
