#!/bin/sh
# --integration-services FILE: build puts the user's package, checked, in
# boot.wim where the agent installs it with DISM after Setup (t0420 runs
# the agent's side); fix checks it before any change and stages it on the
# Windows volume for Rescue mode.  What is no usable package is refused
# and leaves nothing behind.  Packages are synthetic
# (tests/builder/make-ic-package) and read back with cabextract and
# wimlib-imagex, which the code under test does not use for this.

. "$top_srcdir/tests/builder/lib-builder.sh"
. "$top_srcdir/tests/fixengine/lib-fix.sh"
require_builder
require_fix
for tool in gcab cabextract; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done

MAKE_IC=$top_srcdir/tests/builder/make-ic-package
STAGED_IN_WIM=/win7gen2/integration-services.cab

# staged_cab OUT.iso DEST: the package CAB build put in OUT's boot.wim.
staged_cab() {
	rm -rf wim.x && mkdir wim.x &&
	iso_get "$1" /sources/boot.wim boot.wim &&
	wim_get boot.wim 2 "$STAGED_IN_WIM" wim.x &&
	mv wim.x/integration-services.cab "$2"
}

# refuse NAME REASON FILE: build with --integration-services FILE fails
# with REASON, and out/ is as it was (no OUT, no temporary folder).
refuse() {
	mkdir -p out && (cd out && ls -A) >before &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output "out/$1.iso" --edition 1 \
		--password p --integration-services "$3" >stdout 2>stderr
	refused=$?
	cat stderr
	test $refused -eq 0 &&
	grep -e "$2" stderr &&
	(cd out && ls -A) >after && test_cmp before after
}

test_expect_success 'setup: a sample ISO, packages in every form, bad ones' '
	sample sample.iso --editions 1 &&
	"$MAKE_IC" cab 6.3.9600.17903 amd64 kb.cab KB3063109 &&
	"$MAKE_IC" msu kb.cab kb.msu KB3063109 &&
	"$MAKE_IC" cab 6.3.9600.18692 amd64 host.cab &&
	"$MAKE_IC" iso host.cab vmguest.iso &&
	"$MAKE_IC" cab 6.1.7601.17514 amd64 inbox.cab &&
	"$MAKE_IC" cab 6.3.9600.17903 x86 x86.cab &&
	head -c 3000 host.cab >cut.cab &&
	echo "not a package" >text.cab
'

test_expect_success 'build --integration-services KB.msu: the package CAB goes in boot.wim' '
	"$WIN7GEN2" build --iso sample.iso --output msu.iso --password p \
		--integration-services kb.msu >report &&
	staged_cab msu.iso staged.cab &&
	cmp kb.cab staged.cab &&
	grep "integration-services.cab  Integration Services 6.3.9600.17903, from kb.msu (update (.msu): Windows6.1-KB3063109-x64.cab)" report &&
	grep -x "Integration Services of the new system: 6.3.9600.17903, installed by DISM after Setup" report
'

test_expect_success 'the staged package carries its folder'\''s security descriptor' '
	wimlib-imagex dir boot.wim 2 --path=/win7gen2 --detailed >detail &&
	awk -F" = " "/^Full Path/ { p = \$2 } /^Security Descriptor/ { print p, \$2 }" detail >sds &&
	folder=$(awk "\$1 == \"\\\"/win7gen2\\\"\" { print \$2 }" sds) &&
	cab=$(awk "\$1 == \"\\\"/win7gen2/integration-services.cab\\\"\" { print \$2 }" sds) &&
	test -n "$folder" && test "$cab" = "$folder"
'

test_expect_success 'inspect of the result names the staged package' '
	test_expect_code 1 "$WIN7GEN2" inspect msu.iso >inspect.out &&
	grep "^  Hyper-V IC       a package staged by win7gen2 in \\\\win7gen2\\\\integration-services.cab" inspect.out &&
	test_expect_code 1 "$WIN7GEN2" inspect --json msu.iso >inspect.json &&
	jq -e ".integration_services == \"staged\"" inspect.json
'

test_expect_success 'a host package CAB and a vmguest.iso work the same' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output cab.iso --password p \
		--integration-services host.cab >/dev/null &&
	staged_cab cab.iso from-cab.cab && cmp host.cab from-cab.cab &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output guest.iso --password p \
		--integration-services vmguest.iso >/dev/null &&
	staged_cab guest.iso from-iso.cab && cmp host.cab from-iso.cab
'

test_expect_success 'without it: in-box 6.1 said, in the report and in inspect, nothing staged' '
	"$WIN7GEN2" build --iso sample.iso --output plain.iso --password p >report &&
	grep -x "Integration Services of the new system: in-box 6.1.7601.17514, so" report &&
	grep -x "  no keyboard, mouse or screen on Gen2: reach it by Remote Desktop;" report &&
	iso_get plain.iso /sources/boot.wim plain.wim &&
	wimlib-imagex dir plain.wim 2 >files &&
	grep -x /win7gen2/win7gen2pe.exe files &&
	! grep integration-services files &&
	"$WIN7GEN2" inspect sample.iso >inspect.out &&
	grep "^  Hyper-V IC       in-box 6.1.7601.17514: no keyboard, mouse or screen on Gen2" inspect.out
'

test_expect_success 'refused, nothing at OUT: too old, x86, a corrupt CAB, no package, no file' '
	refuse inbox "inbox.cab holds Integration Services 6.1.7601.17514 .*older than 6.2.9200.16385" inbox.cab &&
	refuse x86 "x86.cab .*x86" x86.cab &&
	refuse cut "cut.cab" cut.cab &&
	refuse text "text.cab" text.cab &&
	refuse none "nowhere.msu" nowhere.msu
'

test_expect_success 'setup: a Windows 7 disk' '
	make_disk
'

test_expect_success 'fix --integration-services --dry-run: checked, shown, nothing written' '
	state win esp >before &&
	"$WIN7GEN2" fix --dry-run --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services kb.msu >fix.out &&
	grep -x "Integration Services 6.3.9600.17903 (kb.msu): would be staged as win/win7gen2/integration-services.cab." fix.out &&
	state win esp >after && test_cmp before after
'

test_expect_success 'fix --integration-services: the fix made, the package staged whole' '
	"$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services kb.msu >fix.out &&
	cat fix.out &&
	cmp kb.cab win/win7gen2/integration-services.cab &&
	ls -A win/win7gen2 >staged && echo integration-services.cab >expect && test_cmp expect staged &&
	grep -x "choose Rescue; the agent installs the package with DISM and removes the" fix.out &&
	grep -x "Until then: no keyboard, mouse or screen on Gen2: reach it by Remote Desktop." fix.out &&
	test "$(value win/Windows/System32/config/SYSTEM "\\ControlSet001\\Services\\vmbus" Start)" = 0
'

test_expect_success 'fix again: the staged package replaced whole, nothing else left' '
	"$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services host.cab >fix.out &&
	cmp host.cab win/win7gen2/integration-services.cab &&
	ls -A win/win7gen2 >staged && test_cmp expect staged
'

test_expect_success 'fix stages only in a real folder: a link named win7gen2 is refused' '
	rm -rf win esp elsewhere && make_disk && mkdir elsewhere &&
	ln -s ../elsewhere win/win7gen2 &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services kb.msu >fix.out 2>err &&
	grep -x "win7gen2 fix: cannot stage the package on the Windows volume: win/win7gen2: a symbolic link; win7gen2 does not follow links on the volume" err &&
	find elsewhere -mindepth 1 >left && test_must_be_empty left &&
	test -L win/win7gen2
'

test_expect_success 'a link named Win7Gen2, in another case, is refused the same' '
	rm -rf win esp elsewhere && make_disk && mkdir elsewhere &&
	ln -s ../elsewhere win/Win7Gen2 &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services kb.msu >fix.out 2>err &&
	grep "win/Win7Gen2: a symbolic link" err &&
	find elsewhere -mindepth 1 >left && test_must_be_empty left &&
	test ! -e win/win7gen2
'

test_expect_success 'a Win7Gen2 folder is used as Windows would: no second folder' '
	rm -rf win esp && make_disk && mkdir win/Win7Gen2 &&
	"$WIN7GEN2" fix --dry-run --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services kb.msu >dry.out &&
	grep -x "Integration Services 6.3.9600.17903 (kb.msu): would be staged as win/Win7Gen2/integration-services.cab." dry.out &&
	"$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services kb.msu >fix.out &&
	grep "^Integration Services 6.3.9600.17903 (kb.msu): staged as win/Win7Gen2/integration-services.cab.$" fix.out &&
	cmp kb.cab win/Win7Gen2/integration-services.cab &&
	ls -A win | grep -i -x win7gen2 >folders && echo Win7Gen2 >expect && test_cmp expect folders
'

test_expect_success 'a WIN7GEN2 folder too; a staged copy in another case is replaced' '
	rm -rf win esp && make_disk && mkdir win/WIN7GEN2 &&
	echo old >win/WIN7GEN2/INTEGRATION-SERVICES.CAB &&
	"$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 2 --integration-services kb.msu >fix.out &&
	cmp kb.cab win/WIN7GEN2/INTEGRATION-SERVICES.CAB &&
	ls -A win/WIN7GEN2 >staged && echo INTEGRATION-SERVICES.CAB >expect &&
	test_cmp expect staged &&
	ls -A win | grep -i -x win7gen2 >folders && echo WIN7GEN2 >expect && test_cmp expect folders
'

test_expect_success 'fix with a package that will not do: refused before any change' '
	rm -rf win esp && make_disk &&
	state win esp >before &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--integration-services inbox.cab >fix.out 2>err &&
	cat err &&
	grep "^win7gen2 fix: inbox.cab holds Integration Services 6.1.7601.17514" err &&
	test_must_be_empty fix.out &&
	state win esp >after && test_cmp before after
'

test_done
