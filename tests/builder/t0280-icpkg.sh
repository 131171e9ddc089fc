#!/bin/sh
# icpkg: the user's Integration Services package in each form Microsoft
# ships it - a package .cab, an update (.msu) around one, a Hyper-V
# host's vmguest.iso - accepted when x64 and 6.2.9200.16385 or later, and
# staged as the package CAB itself; everything else refused with its
# reason and nothing left staged.  The packages are synthetic
# (tests/builder/make-ic-package: gcab, xorriso) and read back with
# cabextract, which the code under test does not use.

. "$top_srcdir/tests/lib.sh"

ICPKG=$top_builddir/tests/builder/icpkg-open
MAKE=$top_srcdir/tests/builder/make-ic-package

test -x "$ICPKG" || skip_all "icpkg-open not built (libmspack-dev, tools/install-deps)"
for tool in gcab cabextract xorriso; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done

# icpkg FILE: icpkg_open FILE with a fresh stage/ folder; out and err.
icpkg() {
	rm -rf stage && mkdir stage &&
	"$ICPKG" "$1" "$PWD/stage" >out 2>err
}

# accepted FILE FORM VERSION CAB: FILE is taken as FORM, holding
# Integration Services VERSION, and the package CAB staged is CAB's bytes.
accepted() {
	icpkg "$1" || { cat err; return 1; }
	grep -x "form: $2" out &&
	grep -x "version: $3" out &&
	grep -x "arch: amd64" out &&
	grep -x "staged: $PWD/stage/integration-services.cab" out &&
	cmp "$4" stage/integration-services.cab &&
	ls stage >staged && echo integration-services.cab >expect && test_cmp expect staged
}

# refused FILE REASON: icpkg_open fails, says REASON (a grep pattern) and
# stages nothing.
refused() {
	test_expect_code 1 icpkg "$1" &&
	grep -e "$2" err &&
	test_must_be_empty out &&
	find stage -mindepth 1 >left && test_must_be_empty left
}

test_expect_success 'setup: synthetic packages in every form' '
	"$MAKE" cab 6.3.9600.18692 amd64 host.cab &&
	"$MAKE" cab 6.3.9600.17903 amd64 kb.cab KB3063109 &&
	"$MAKE" msu kb.cab kb.msu KB3063109 &&
	"$MAKE" iso host.cab vmguest.iso &&
	"$MAKE" cab 6.2.9200.16433 amd64 host2012.cab &&
	"$MAKE" iso host2012.cab vmguest2012.iso Windows6.1-HyperVIntegrationServices-x64.cab &&
	cabextract -q -d msu.x kb.msu && cmp kb.cab msu.x/Windows6.1-KB3063109-x64.cab &&
	cabextract -q -d kb.x kb.cab && grep "Package_for_KB3063109" kb.x/update.mum
'

test_expect_success 'a host package CAB (Windows6.x-HyperVIntegrationServices-x64.cab) is accepted' '
	accepted host.cab "package CAB" 6.3.9600.18692 host.cab &&
	grep -x "name: Microsoft-Hyper-V-Integration-Services" out &&
	grep -x "inside: -" out &&
	grep -x "public key token: 31bf3856ad364e35" out && grep -x "language: neutral" out
'

test_expect_success 'a KB package CAB: the version is that of its components, not the KB number' '
	accepted kb.cab "package CAB" 6.3.9600.17903 kb.cab &&
	grep -x "name: Package_for_KB3063109" out &&
	grep -x "package version: 6.1.1.2" out && grep -x "components: 1" out
'

test_expect_success 'an update (.msu): the package CAB inside it is staged' '
	accepted kb.msu "update (.msu)" 6.3.9600.17903 kb.cab &&
	grep -x "inside: Windows6.1-KB3063109-x64.cab" out
'

test_expect_success 'vmguest.iso of a 2012 R2 host: support/amd64/Windows6.x-...-x64.cab' '
	accepted vmguest.iso "guest ISO" 6.3.9600.18692 host.cab &&
	grep -x "inside: /support/amd64/Windows6.x-HyperVIntegrationServices-x64.cab" out
'

test_expect_success 'vmguest.iso of a 2012 host: support/amd64/Windows6.1-...-x64.cab, for Windows 7' '
	accepted vmguest2012.iso "guest ISO" 6.2.9200.16433 host2012.cab &&
	grep -x "inside: /support/amd64/Windows6.1-HyperVIntegrationServices-x64.cab" out
'

test_expect_success 'the form comes from the bytes, not the name' '
	cp kb.msu update.cab && accepted update.cab "update (.msu)" 6.3.9600.17903 kb.cab &&
	cp vmguest.iso guest.msu && accepted guest.msu "guest ISO" 6.3.9600.18692 host.cab
'

test_expect_success 'a second call in the same folder replaces the staged CAB' '
	mkdir -p stage2 &&
	"$ICPKG" host.cab "$PWD/stage2" >/dev/null &&
	"$ICPKG" kb.msu "$PWD/stage2" >out &&
	cmp kb.cab stage2/integration-services.cab &&
	ls stage2 >staged && echo integration-services.cab >expect && test_cmp expect staged
'

test_expect_success '6.2.9200.16385, the first with a Gen2 keyboard, is accepted; one less is not' '
	"$MAKE" cab 6.2.9200.16385 amd64 first.cab &&
	accepted first.cab "package CAB" 6.2.9200.16385 first.cab &&
	"$MAKE" cab 6.2.9200.16384 amd64 short.cab &&
	refused short.cab "holds Integration Services 6.2.9200.16384 (.*), older than 6.2.9200.16385"
'

test_expect_success 'too old: the 6.1.7601.17514 of Windows 7 itself, as .cab, .msu and ISO' '
	"$MAKE" cab 6.1.7601.17514 amd64 old.cab &&
	refused old.cab "^icpkg-open: old.cab holds Integration Services 6.1.7601.17514" &&
	grep "first with a Gen2 keyboard: use KB3063109" err &&
	"$MAKE" cab 6.1.7601.17514 amd64 oldkb.cab KB2000000 &&
	"$MAKE" msu oldkb.cab old.msu KB2000000 &&
	refused old.msu "Windows6.1-KB2000000-x64.cab in old.msu holds Integration Services 6.1.7601.17514" &&
	"$MAKE" iso old.cab old.iso &&
	refused old.iso "Windows6.x-HyperVIntegrationServices-x64.cab in old.iso holds .* 6.1.7601.17514"
'

test_expect_success 'x86 packages are refused, as .cab and .msu' '
	"$MAKE" cab 6.3.9600.18692 x86 x86.cab &&
	refused x86.cab "x86.cab is Microsoft-Hyper-V-Integration-Services 6.3.9600.18692 for 32-bit Windows (x86)" &&
	grep "needs the x64 (amd64) package" err &&
	"$MAKE" cab 6.3.9600.17903 x86 x86kb.cab KB3063109 &&
	"$MAKE" msu x86kb.cab x86.msu &&
	refused x86.msu "for 32-bit Windows (x86)"
'

test_expect_success 'another architecture is named' '
	"$MAKE" cab 6.3.9600.18692 arm64 arm.cab &&
	refused arm.cab "for processorArchitecture \"arm64\", not amd64 (x64)"
'

test_expect_success 'a corrupt CAB: damaged data, cut short, a damaged header' '
	size=$(stat -c %s host.cab) &&
	cp host.cab damaged.cab &&
	printf "XXXXXXXX" | dd of=damaged.cab bs=1 seek=$((size - 20)) conv=notrunc 2>/dev/null &&
	refused damaged.cab "damaged.cab is damaged: its member amd64_wvmbus.inf_.*\\\\vmbus.sys does not decompress: it is a corrupt CAB: a data block.s checksum does not match" &&
	head -c $((size - 40)) host.cab >short.cab &&
	refused short.cab "short.cab is damaged: its member .*vmbus.sys does not decompress: it cannot be read, or ends too early (a truncated or corrupt CAB)" &&
	head -c 30 host.cab >stub.cab &&
	refused stub.cab "stub.cab: it cannot be read, or ends too early" &&
	cp host.cab header.cab &&
	printf "\\377\\377\\377\\377" | dd of=header.cab bs=1 seek=8 conv=notrunc 2>/dev/null &&
	printf "\\377\\377" | dd of=header.cab bs=1 seek=28 conv=notrunc 2>/dev/null &&
	refused header.cab "header.cab: it is a corrupt CAB\|header.cab: .*cannot be read"
'

test_expect_success 'an .msu whose package CAB is corrupt is refused' '
	size=$(stat -c %s kb.cab) &&
	cp kb.cab kbbad.cab &&
	printf "XXXXXXXX" | dd of=kbbad.cab bs=1 seek=$((size - 20)) conv=notrunc 2>/dev/null &&
	"$MAKE" msu kbbad.cab bad.msu &&
	refused bad.msu "Windows6.1-KB3063109-x64.cab in bad.msu is damaged: its member .*vmbus.sys does not decompress: it is a corrupt CAB"
'

test_expect_success 'not a package: other files, CABs and ISOs' '
	echo "just text" >notes.txt &&
	refused notes.txt "notes.txt is neither a CAB (.msu, .cab) nor an ISO image" &&
	: >empty.cab &&
	refused empty.cab "empty.cab is neither a CAB" &&
	mkdir plain && echo hello >plain/readme.txt &&
	(cd plain && gcab -c -z ../plain.cab readme.txt) &&
	refused plain.cab "plain.cab is a CAB but not a Windows package: it holds no update.mum" &&
	mkdir iso.tree && echo hello >iso.tree/readme.txt &&
	xorriso -as mkisofs -quiet -J -R -o other.iso iso.tree 2>/dev/null &&
	refused other.iso "other.iso is an ISO image without .*not a Hyper-V guest ISO" &&
	refused "$PWD" "is not a file" &&
	refused nowhere.cab "cannot open nowhere.cab"
'

test_expect_success 'not a package: a CAB whose update.mum is no package manifest' '
	mkdir comp && cd comp &&
	printf "<assembly><assemblyIdentity name=\"C\" version=\"6.3.9600.1\" processorArchitecture=\"amd64\"/></assembly>" >update.mum &&
	gcab -c -z ../component.cab update.mum &&
	printf "<assembly><package>" >update.mum && gcab -c -z ../broken.cab update.mum &&
	cd .. &&
	refused component.cab "component.cab is not a Windows package: in its update.mum, the manifest describes a component" &&
	refused broken.cab "broken.cab is not a Windows package: in its update.mum, the manifest is not well-formed XML"
'

test_expect_success 'an .msu with two package CABs is refused: which one is meant?' '
	mkdir two && cp kb.cab two/a.cab && cp host.cab two/b.cab &&
	(cd two && gcab -c -z ../two.msu a.cab b.cab) &&
	refused two.msu "two.msu holds more than one package CAB (a.cab and b.cab)"
'

test_done
