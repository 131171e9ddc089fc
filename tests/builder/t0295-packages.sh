#!/bin/sh
# build --package FILE: every update package is checked before the long
# steps (a CBS package, amd64, for Windows 6.1, every member whole) and
# refused with its file and reason, leaving nothing at OUT; what is
# accepted goes on the DVD under \win7gen2\packages\, not in boot.wim,
# in install order: servicing stacks first, each group as given.
# t0296 reads the packages back from OUT.  Packages are synthetic
# (tests/builder/make-package), read back with cabextract, xorriso and
# wimlib-imagex, which the code under test does not use for this.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
for tool in gcab cabextract; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done

MAKE_PKG=$top_srcdir/tests/builder/make-package
WIN7=6.1.7601.17514

# refuse NAME REASON ARGS...: build with ARGS fails with REASON (a grep
# pattern) and out/ is as it was (no OUT, no temporary folder).
refuse() {
	name=$1 reason=$2
	shift 2
	mkdir -p out && (cd out && ls -A) >before &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output "out/$name.iso" \
		--edition 1 --password p "$@" >stdout 2>stderr
	refused=$?
	cat stderr
	test $refused -eq 0 &&
	grep -e "$reason" stderr &&
	test_must_be_empty stdout &&
	(cd out && ls -A) >after && test_cmp before after
}

test_expect_success 'setup: a sample ISO, updates laid out as Microsoft'\''s, bad ones' '
	sample sample.iso --editions 1 &&
	"$MAKE_PKG" cab KB4490628 amd64 $WIN7 ssu.cab ssu &&
	"$MAKE_PKG" msu ssu.cab ssu.msu KB4490628 &&
	"$MAKE_PKG" cab KB4474419 amd64 $WIN7 Windows6.1-KB4474419-v3-x64.cab &&
	"$MAKE_PKG" cab KB4534310 amd64 $WIN7 rollup.cab &&
	"$MAKE_PKG" msu rollup.cab rollup.msu KB4534310 &&
	"$MAKE_PKG" cab KB4490628 x86 $WIN7 x86.cab ssu &&
	"$MAKE_PKG" msu x86.cab x86.msu KB4490628 &&
	"$MAKE_PKG" cab KB4500000 amd64 6.0.6002.18005 vista.cab &&
	"$MAKE_PKG" msu vista.cab vista.msu KB4500000 &&
	"$MAKE_PKG" cab KB4500001 amd64 6.2.9200.16384 win8.cab &&
	size=$(stat -c %s rollup.cab) &&
	cp rollup.cab damaged.cab &&
	printf "XXXXXXXX" | dd of=damaged.cab bs=1 seek=$((size - 20)) conv=notrunc 2>/dev/null &&
	mkdir plain && echo "just a file" >plain/readme.txt &&
	(cd plain && gcab -c ../plain.cab readme.txt) &&
	echo "not a package" >notes.msu &&
	cp rollup.cab "my rollup.cab"
'

test_expect_success 'the synthetic .msu is laid out as Microsoft'\''s' '
	gcab -l ssu.msu | cut -d" " -f1 | sort >members &&
	printf "%s\n" WSUSSCAN.cab Windows6.1-KB4490628-x64-pkgProperties.txt \
		Windows6.1-KB4490628-x64.cab Windows6.1-KB4490628-x64.xml >expect &&
	test_cmp expect members
'

test_expect_success 'refused, nothing at OUT: x86, Vista, Windows 8, damaged, not a package' '
	refuse x86 "x86.cab is Package_for_KB4490628 .* for 32-bit Windows (x86)" --package x86.cab &&
	refuse x86msu "Windows6.1-KB4490628-x64.cab in x86.msu is .*for 32-bit Windows (x86)" \
		--package x86.msu &&
	refuse vista "vista.cab (Package_for_KB4500000) is for Windows 6.0 (Windows Vista" \
		--package vista.cab &&
	refuse vistamsu "in vista.msu (Package_for_KB4500000) is for Windows 6.0 (Windows Vista" \
		--package vista.msu &&
	refuse win8 "win8.cab (Package_for_KB4500001) is for Windows 6.2 (Windows 8" \
		--package win8.cab &&
	refuse damaged "damaged.cab is damaged: its member .*crypt32.dll does not decompress" \
		--package damaged.cab &&
	refuse plain "plain.cab is a CAB but not a Windows package: it holds no update.mum" \
		--package plain.cab &&
	refuse notes "notes.msu is neither a CAB (.msu, .cab) nor an ISO image" \
		--package notes.msu &&
	refuse nowhere "cannot open nowhere.msu" --package nowhere.msu
'

test_expect_success 'a bad package among good ones: refused all the same, named' '
	refuse mixed "vista.cab (Package_for_KB4500000) is for Windows 6.0" \
		--package ssu.msu --package vista.cab --package rollup.msu
'

test_expect_success 'the same update twice is refused, whatever its form' '
	refuse twice "--package rollup.msu and --package rollup.cab are both KB4534310" \
		--package rollup.msu --package rollup.cab
'

test_expect_success 'a package CAB whose name packages.txt cannot hold is refused' '
	refuse name "my rollup.cab: its package CAB.s name is not one" --package "my rollup.cab"
'

test_expect_success 'an ordinary update given as --integration-services is no IC package' '
	refuse ic "rollup.msu is KB4534310, not an Integration Services package" \
		--integration-services rollup.msu
'

test_expect_success 'build with an SSU .msu, a .cab, another .msu: the report gives the order' '
	"$WIN7GEN2" build --iso sample.iso --output pkgs.iso --password p \
		--package rollup.msu --package Windows6.1-KB4474419-v3-x64.cab \
		--package ssu.msu >report &&
	cat report &&
	grep -x "  1. KB4490628 servicing stack (own DISM call) Windows6.1-KB4490628-x64.cab, from ssu.msu" report &&
	grep -x "  2. KB4534310 update Windows6.1-KB4534310-x64.cab, from rollup.msu" report &&
	grep -x "  3. KB4474419 update Windows6.1-KB4474419-v3-x64.cab, from Windows6.1-KB4474419-v3-x64.cab" report
'

test_expect_success 'boot.wim has not grown by the packages, and names none' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output plain.iso --password p >/dev/null &&
	iso_get pkgs.iso /sources/boot.wim pkgs.wim &&
	iso_get plain.iso /sources/boot.wim plain.wim &&
	test $(stat -c %s pkgs.wim) -le $(stat -c %s plain.wim) &&
	wimlib-imagex dir pkgs.wim 2 >files &&
	grep -x /win7gen2/win7gen2pe.exe files &&
	! grep -i "packages\|KB4490628\|KB4534310" files
'

test_expect_success 'without --package the report says none' '
	"$WIN7GEN2" build --iso sample.iso --output none.iso --password p >report &&
	grep -x "Update packages: none (--package FILE adds Windows 7 SP1 x64 updates)." report &&
	test_expect_code 1 "$WIN7GEN2" inspect none.iso >inspect.out &&
	grep "^  update packages  none on the DVD" inspect.out
'

test_done
