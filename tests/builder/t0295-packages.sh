#!/bin/sh
# build --package FILE: every update package is checked before the long
# steps (a CBS package, amd64, for Windows 6.1, every member whole) and
# refused with its file and reason, leaving nothing at OUT; what is
# accepted goes on the DVD under \win7gen2\packages\, not in boot.wim,
# in install order: servicing stacks first, each group as given.
# fix --package stages the same on an installed system's Windows volume
# for Rescue mode, after the same checks, before any change.
# t0296 reads the packages back from OUT.  Packages are synthetic
# (tests/builder/make-package), read back with cabextract, xorriso and
# wimlib-imagex, which the code under test does not use for this.

. "$top_srcdir/tests/builder/lib-builder.sh"
. "$top_srcdir/tests/fixengine/lib-fix.sh"
require_builder
require_fix
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

test_expect_success 'boot.wim has not grown by the packages: it holds none of them' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output plain.iso --password p >/dev/null &&
	iso_get pkgs.iso /sources/boot.wim pkgs.wim &&
	iso_get plain.iso /sources/boot.wim plain.wim &&
	# WIM sizes vary by a few bytes from build to build (its XML holds
	# times); any package inside would add at least its own size.
	test $(($(stat -c %s pkgs.wim) - $(stat -c %s plain.wim))) -lt $(stat -c %s ssu.cab) &&
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

# listed NAME.iso LIST [CAB...]: sample.iso with LIST as
# \win7gen2\packages\packages.txt and the CABs beside it (xorriso), as a
# DVD build --package made would carry them.
listed() {
	out=$1 list=$2
	shift 2
	set -- $(for cab in "$@"; do echo -map "$cab" "/win7gen2/packages/$(basename "$cab")"; done)
	xorriso -indev sample.iso -outdev "$out" -boot_image any keep \
		-map "$list" /win7gen2/packages/packages.txt "$@" >/dev/null 2>&1
}

test_expect_success 'inspect: the packages a DVD carries, a damaged list, a missing CAB' '
	mkdir cabs && cp ssu.cab cabs/Windows6.1-KB4490628-x64.cab &&
	cp rollup.cab cabs/Windows6.1-KB4534310-x64.cab &&
	printf "# a list\r\nservicing-stack Windows6.1-KB4490628-x64.cab\r\npackage Windows6.1-KB4534310-x64.cab\r\n" >good.txt &&
	listed good.iso good.txt cabs/Windows6.1-KB4490628-x64.cab cabs/Windows6.1-KB4534310-x64.cab &&
	"$WIN7GEN2" inspect good.iso >inspect.out &&
	grep -x "  update packages  2 in .win7gen2.packages., installed by DISM after Setup in this order:" inspect.out &&
	grep -x "                   1. servicing stack Windows6.1-KB4490628-x64.cab" inspect.out &&
	grep -x "                   2. update Windows6.1-KB4534310-x64.cab" inspect.out &&
	"$WIN7GEN2" inspect --json good.iso >inspect.json &&
	jq -e ".packages.problem == null and ([.packages.entries[].kind] == [\"servicing-stack\", \"package\"]) and all(.packages.entries[]; .on_dvd)" inspect.json &&

	listed missing.iso good.txt cabs/Windows6.1-KB4490628-x64.cab &&
	"$WIN7GEN2" inspect missing.iso >inspect.out &&
	grep -x "                   2. update Windows6.1-KB4534310-x64.cab: MISSING from the DVD, so DISM cannot install it" inspect.out &&
	"$WIN7GEN2" inspect --json missing.iso >inspect.json &&
	jq -e ".packages.entries[1].on_dvd == false" inspect.json &&

	printf "package a.cab\nservicing-stack b.cab\n" >bad.txt &&
	listed bad.iso bad.txt &&
	"$WIN7GEN2" inspect bad.iso >inspect.out &&
	grep "^  update packages  .win7gen2.packages.packages.txt is damaged (line 2: .*): the agent installs none of them" inspect.out &&
	"$WIN7GEN2" inspect --json bad.iso >inspect.json &&
	jq -e ".packages.problem | test(\"line 2\")" inspect.json
'

test_expect_success 'an IN that already carries a package by that name is refused' '
	mkdir -p out && (cd out && ls -A) >before &&
	test_expect_code 1 "$WIN7GEN2" build --iso good.iso --output out/again.iso --password p \
		--package ssu.msu 2>err &&
	grep "good.iso already holds /win7gen2/packages/Windows6.1-KB4490628-x64.cab" err &&
	(cd out && ls -A) >after && test_cmp before after
'

test_expect_success 'setup: a Windows 7 disk' '
	make_disk
'

test_expect_success 'fix --package --dry-run: checked, the order shown, nothing written' '
	state win esp >before &&
	"$WIN7GEN2" fix --dry-run --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 \
		--package rollup.msu --package ssu.msu >fix.out &&
	cat fix.out &&
	grep -x "Update packages: would be staged in win/win7gen2/packages with packages.txt; Rescue mode installs them" fix.out &&
	grep -x "  1. KB4490628 servicing stack (own DISM call) Windows6.1-KB4490628-x64.cab, from ssu.msu" fix.out &&
	grep -x "  2. KB4534310 update Windows6.1-KB4534310-x64.cab, from rollup.msu" fix.out &&
	state win esp >after && test_cmp before after
'

test_expect_success 'fix --package: the CABs and packages.txt staged whole, in order' '
	"$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 \
		--package rollup.msu --package Windows6.1-KB4474419-v3-x64.cab \
		--package ssu.msu >fix.out &&
	grep -x "Update packages: staged in win/win7gen2/packages with packages.txt; Rescue mode installs them" fix.out &&
	cmp ssu.cab win/win7gen2/packages/Windows6.1-KB4490628-x64.cab &&
	cmp rollup.cab win/win7gen2/packages/Windows6.1-KB4534310-x64.cab &&
	cmp Windows6.1-KB4474419-v3-x64.cab win/win7gen2/packages/Windows6.1-KB4474419-v3-x64.cab &&
	ls -A win/win7gen2/packages | sort >staged &&
	printf "%s\n" Windows6.1-KB4474419-v3-x64.cab Windows6.1-KB4490628-x64.cab \
		Windows6.1-KB4534310-x64.cab packages.txt >expect &&
	test_cmp expect staged &&
	tr -d "\r" <win/win7gen2/packages/packages.txt | grep -v "^#" >lines &&
	printf "%s\n" "servicing-stack Windows6.1-KB4490628-x64.cab" \
		"package Windows6.1-KB4534310-x64.cab" \
		"package Windows6.1-KB4474419-v3-x64.cab" >expect &&
	test_cmp expect lines &&
	head -n 1 win/win7gen2/packages/packages.txt | grep "^# .*win7gen2 fix" &&
	test "$(value win/Windows/System32/config/SYSTEM "\\ControlSet001\\Services\\vmbus" Start)" = 0
'

test_expect_success 'fix --package again: an existing folder in another case is reused' '
	rm -rf win esp && make_disk && mkdir -p win/Win7Gen2/Packages &&
	"$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --package ssu.msu >fix.out &&
	cmp ssu.cab win/Win7Gen2/Packages/Windows6.1-KB4490628-x64.cab &&
	ls -A win | grep -i -x win7gen2 >folders && echo Win7Gen2 >expect && test_cmp expect folders
'

test_expect_success 'fix --package stages only in a real folder: a link is refused' '
	rm -rf win esp elsewhere && make_disk && mkdir -p elsewhere win/win7gen2 &&
	ln -s ../../elsewhere win/win7gen2/packages &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --package ssu.msu >fix.out 2>err &&
	cat err &&
	grep "win7gen2 fix: cannot stage Windows6.1-KB4490628-x64.cab on the Windows volume: .*a symbolic link" err &&
	find elsewhere -mindepth 1 >left && test_must_be_empty left
'

test_expect_success 'fix with a package that will not do: refused before any change' '
	rm -rf win esp && make_disk &&
	state win esp >before &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--package ssu.msu --package vista.msu >fix.out 2>err &&
	grep "^win7gen2 fix: Windows6.1-KB4500000-x64.cab in vista.msu (Package_for_KB4500000) is for Windows 6.0" err &&
	test_must_be_empty fix.out &&
	state win esp >after && test_cmp before after
'

test_done
