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

# inner SCRIPT-BODY: runs a script of its own with lib.sh, its output in
# inner.out, its exit status returned; CI as the caller says.
inner() {
	mkdir -p inner-tmp &&
	{ echo '. "$top_srcdir/tests/lib.sh"'; cat; echo test_done; } >inner.sh &&
	env TMPDIR="$PWD/inner-tmp" OUTER="$PWD" sh inner.sh >inner.out 2>&1
}

test_expect_success 'test_when_finished: runs after a passing and a failing test, last first' '
	inner <<-\EOF
	test_expect_success pass "test_when_finished \"echo one >>$OUTER/order\" &&
		test_when_finished \"echo two >>$OUTER/order\" && true"
	test_expect_success fail "test_when_finished \"echo three >>$OUTER/order\" && false"
	EOF
	test $? = 1 &&
	printf "two\none\nthree\n" >want && test_cmp want order &&
	grep -x "ok 1 - pass" inner.out && grep -x "not ok 2 - fail" inner.out
'

test_expect_success 'test_when_finished: a cleanup that fails fails the test' '
	inner <<-\EOF
	test_expect_success cleanup "test_when_finished false && true"
	EOF
	test $? = 1 && grep -x "not ok 1 - cleanup" inner.out
'

test_expect_success 'test_when_finished: refused outside a test' '
	inner <<-\EOF
	test_when_finished "echo ran >>$OUTER/ran" 4>"$OUTER/why"
	echo "status $?"
	EOF
	grep -x "status 1" inner.out && grep "inside test_expect_success" why && ! test -e ran
'

test_expect_success 'prerequisites: a missing one skips that test alone outside CI' '
	(unset CI WIN7GEN2_NO_SKIP; inner <<-\EOF
	test_lazy_prereq THERE true
	test_lazy_prereq ABSENT false
	test_expect_success THERE there true
	test_expect_success THERE,ABSENT absent false
	test_expect_success after true
	EOF
	) &&
	grep -x "ok 1 - there" inner.out &&
	grep -x "ok 2 # skip absent (missing ABSENT)" inner.out &&
	grep -x "ok 3 - after" inner.out || { cat inner.out; false; }
'

test_expect_success 'prerequisites: in CI a missing one fails the test' '
	(CI=true; export CI; inner <<-\EOF
	test_lazy_prereq ABSENT false
	test_expect_success ABSENT absent true
	EOF
	test $? = 1) &&
	grep "^not ok 1 - absent (missing ABSENT; CI: nothing may skip)" inner.out
'

test_expect_success 'prerequisites: a lazy one is worked out once' '
	inner <<-\EOF
	test_lazy_prereq COUNTED "echo x >>$OUTER/runs"
	test_expect_success COUNTED one true
	test_expect_success COUNTED two true
	EOF
	test "$(wc -l <runs)" = 1
'

test_done
