#!/bin/sh
# build --package: proving that every member of every package
# decompresses runs beside the long steps (on a second thread while IN
# is copied), yet a damaged package is still refused before OUT gets its
# name, with its file and member named and nothing left at OUT: whether
# its last member is the damaged one (found as late as can be) or an
# early member of a package whose rest is large (found while the copy
# still runs, which then stops).  Packages are synthetic
# (tests/builder/make-package, gcab); the damage is to bytes of one
# member's compressed data only.  Then what the thread also does for the
# read-back, and what stops the copy, each on its own.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
command -v gcab >/dev/null 2>&1 || skip_all "gcab not found (tools/install-deps)"
command -v cabextract >/dev/null 2>&1 || skip_all "cabextract not found (tools/install-deps)"

MAKE_PKG=$top_srcdir/tests/builder/make-package
WIN7=6.1.7601.17514

# refuse NAME REASON ARGS...: build --verbose with ARGS fails with REASON
# (a grep pattern) and out/ is left empty (no OUT, no temporary folder).
refuse() {
	name=$1 reason=$2
	shift 2
	mkdir -p out &&
	test_expect_code 1 "$WIN7GEN2" build --verbose --iso sample.iso \
		--output "out/$name.iso" --edition 1 --password p "$@" >$name.out 2>$name.err
	refused=$?
	cat $name.err
	test $refused -eq 0 &&
	grep -e "$reason" $name.err &&
	grep "every member of the packages: checked beside the copy" $name.err &&
	no_leftovers out
}

# damage CAB OFFSET: eight bytes of CAB overwritten at OFFSET.  80000 is
# in the third 32 KiB data block: crypt32.dll's alone, past the blocks
# the quick check reads for update.mum.
damage() {
	printf "XXXXXXXX" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

test_expect_success 'setup: a sample ISO, a good package, one with a large member last' '
	sample sample.iso --editions 1 &&
	"$MAKE_PKG" cab KB4474419 amd64 $WIN7 Windows6.1-KB4474419-x64.cab &&
	"$MAKE_PKG" cab KB4534310 amd64 $WIN7 rollup.cab &&
	mkdir big && (cd big && cabextract -q ../rollup.cab) &&
	dll=$(cd big && find . -name crypt32.dll | sed "s|^\./||") &&
	test -n "$dll" &&
	mkdir big/amd64_late && head -c 4194304 /dev/urandom >big/amd64_late/late.bin &&
	(cd big && gcab -c -z ../Windows6.1-KB4534310-x64.cab update.mum \
		Package_for_KB4534310.cat "${dll%%/*}.manifest" "$dll" \
		amd64_late/late.bin >/dev/null) &&
	gcab -l Windows6.1-KB4534310-x64.cab | cut -d" " -f1 | tail -1 >last.member &&
	grep -x "amd64_late.late.bin" last.member &&
	mkdir out && "$WIN7GEN2" build --quiet --iso sample.iso --output out/good.iso --edition 1 \
		--password p --package Windows6.1-KB4474419-x64.cab \
		--package Windows6.1-KB4534310-x64.cab >good.report &&
	grep "KB4534310 update Windows6.1-KB4534310-x64.cab" good.report &&
	rm out/good.iso
'

test_expect_success 'the last member damaged, after a good package: refused, named, no OUT' '
	mkdir last && cp Windows6.1-KB4534310-x64.cab last/ &&
	damage last/Windows6.1-KB4534310-x64.cab $(( $(stat -c %s Windows6.1-KB4534310-x64.cab) - 20 )) &&
	refuse last "last/Windows6.1-KB4534310-x64.cab is damaged: its member amd64_late.late.bin does not decompress" \
		--package Windows6.1-KB4474419-x64.cab --package last/Windows6.1-KB4534310-x64.cab
'

test_expect_success 'an early member damaged, megabytes after it: refused, that member named, no OUT' '
	mkdir early && cp Windows6.1-KB4534310-x64.cab early/ &&
	damage early/Windows6.1-KB4534310-x64.cab 80000 &&
	refuse early "early/Windows6.1-KB4534310-x64.cab is damaged: its member .*crypt32.dll does not decompress" \
		--package early/Windows6.1-KB4534310-x64.cab --package Windows6.1-KB4474419-x64.cab
'

# The kernel copies each package CAB into OUT; the check's thread hashes
# the CAB as it reads it, and the read-back compares OUT's bytes with
# that.  A byte of the CAB changed in OUT between the write and the
# read-back (publish-shim.so, at the chmod before it) is caught.
SHIM=$top_builddir/tests/builder/publish-shim.so
# A sanitizer build's runtime must come first; the shim is plain C.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
test_expect_success 'a package CAB changed in OUT before the read-back: refused, named, no OUT' '
	test -f "$SHIM" || { echo "publish-shim.so not built"; return 1; }
	"$WIN7GEN2" build --quiet --iso sample.iso --output out/good.iso --edition 1 \
		--password p --package Windows6.1-KB4474419-x64.cab \
		--package Windows6.1-KB4534310-x64.cab >/dev/null &&
	offset=$(file_offset out/good.iso /win7gen2/packages/Windows6.1-KB4534310-x64.cab) &&
	test -n "$offset" && rm out/good.iso &&
	test_expect_code 1 env LD_PRELOAD="$SHIM" WIN7GEN2_SHIM_FLIP=$((offset + 1000)) \
		"$WIN7GEN2" build --quiet --iso sample.iso --output out/good.iso --edition 1 \
		--password p --package Windows6.1-KB4474419-x64.cab \
		--package Windows6.1-KB4534310-x64.cab >shim.out 2>shim.err &&
	cat shim.err &&
	grep "OUT check failed: the [0-9]* bytes at sector [0-9]* are not those of /win7gen2/packages/Windows6.1-KB4534310-x64.cab written there (XXH64 hash differs)" shim.err &&
	no_leftovers out
'

# What stops the copy: rewrite_iso asks its caller between pieces of
# IN's copy and of each file appended, and when told to stop it fails
# with nothing said (the caller gives the package's reason), whenever
# that is.  rewrite-add drives rewrite_iso alone and removes OUT.
REWRITE_ADD=$top_builddir/tests/builder/rewrite-add
for at in 1 2 5; do
	test_expect_success "the write stops when asked, at question $at: nothing said, no OUT" '
		test -x "$REWRITE_ADD" || { echo "rewrite-add not built"; return 1; }
		mkdir -p stop &&
		test_expect_code 1 env REWRITE_ADD_STOP_AT='$at' "$REWRITE_ADD" sample.iso \
			stop/output.iso /win7gen2/packages/late.bin=big/amd64_late/late.bin \
			2>stop.err &&
		cat stop.err &&
		echo "rewrite-add: stopped, nothing said" >expect &&
		test_cmp expect stop.err &&
		no_leftovers stop
	'
done

test_expect_success 'asked but never told to stop, the same write succeeds' '
	test_expect_code 0 env REWRITE_ADD_STOP_AT=1000 "$REWRITE_ADD" sample.iso \
		stop/output.iso /win7gen2/packages/late.bin=big/amd64_late/late.bin &&
	test -s stop/output.iso
'

test_done
