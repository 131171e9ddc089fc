#!/bin/sh
# tests/lib.sh's own helpers: a test that cannot fail proves nothing, so
# each helper is shown to fail where it must.

. "$top_srcdir/tests/lib.sh"

test_expect_success 'test_must_fail: a refusal (exit 1 or 2) passes' '
	test_must_fail sh -c "exit 1" &&
	test_must_fail sh -c "exit 2"
'

test_expect_success 'test_must_fail: success fails, and says so' '
	! test_must_fail true 4>why &&
	grep "test_must_fail: command succeeded: true" why
'

test_expect_success 'test_must_fail: a crash is no refusal' '
	! test_must_fail sh -c "kill -SEGV \$\$" 4>why &&
	grep "died by signal 11" why
'

test_expect_success 'test_must_fail: a command that is not there is no refusal' '
	! test_must_fail ./no-such-command 4>why &&
	grep "command not found" why
'

test_expect_success 'test_must_fail: the command.s stderr stays with the caller' '
	test_must_fail sh -c "echo refused >&2; exit 1" 2>err 4>why &&
	test "$(cat err)" = refused &&
	test_must_be_empty why
'

test_expect_success 'test_expect_code: the status given passes, any other fails' '
	test_expect_code 2 sh -c "exit 2" &&
	test_expect_code 0 true &&
	! test_expect_code 1 sh -c "exit 2" 4>why &&
	grep "exited with 2, we wanted 1" why &&
	! test_expect_code 1 true 4>/dev/null
'

test_expect_success 'test_expect_code: the command.s stderr stays with the caller' '
	test_expect_code 3 sh -c "echo three >&2; exit 3" 2>err &&
	test "$(cat err)" = three
'

test_expect_success 'test_must_be_empty: an empty file passes; a full or missing one fails' '
	: >empty && test_must_be_empty empty &&
	echo something >full && ! test_must_be_empty full >why &&
	grep -x something why &&
	! test_must_be_empty missing >why &&
	grep "missing does not exist" why
'

test_expect_success 'a failing helper fails the test it is in, saying why' '
	mkdir inner-tmp &&
	cat >inner.sh <<-\EOF &&
	. "$top_srcdir/tests/lib.sh"
	test_expect_success inner "test_expect_code 1 true"
	test_done
	EOF
	test_expect_code 1 env TMPDIR="$PWD/inner-tmp" sh inner.sh >inner.out 2>&1 &&
	grep -x "not ok 1 - inner" inner.out &&
	grep -x "#   test_expect_code: command exited with 0, we wanted 1: true" inner.out
'

test_done
