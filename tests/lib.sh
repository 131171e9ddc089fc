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

: "${top_srcdir:?tests run from make check, which sets top_srcdir}"
: "${top_builddir:?tests run from make check, which sets top_builddir}"

test_count=0
test_failed=0
test_name=$(basename "$0" .sh)
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/win7gen2-$test_name.XXXXXX")
cd "$TRASH" || exit 99

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
	if (eval "$2") >"$TRASH/.out" 2>&1; then
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
