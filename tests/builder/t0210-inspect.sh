#!/bin/sh
# win7gen2 inspect: what a user sees about their ISO before building.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

test_expect_success 'setup: sample ISOs' '
	sample sample.iso &&
	sample boot.iso --drivers boot &&
	sample noprompt.iso --no-bootmgfw --noprompt-loader &&
	sample prompt.iso --no-bootmgfw &&
	sample x86.iso --arch x86
'

test_expect_success 'the sample: label, entries, version, editions, usable' '
	"$WIN7GEN2" inspect sample.iso >out &&
	grep -x "  volume label     GRMCPRXFRER_EN_DVD" out &&
	grep -x "  El Torito        1: BIOS, emulation none, 8 sectors, /boot/etfsboot.com" out &&
	grep -x "                   2: UEFI, emulation none, 2880 sectors, /efi/microsoft/boot/efisys.bin" out &&
	grep -x "  Windows          Windows 7 / Server 2008 R2, version 6.1 build 7601 SP1, x64" out &&
	grep -x "  service pack     1 (service pack build 17514)" out &&
	grep -x "  editions         1: Windows 7 PROFESSIONAL (Professional), x64, 6.1.7601 SP1, en-US" out &&
	grep -x "                   2: Windows 7 ULTIMATE (Ultimate), x64, 6.1.7601 SP1, en-US" out &&
	grep -x "  lang.ini         en-US" out &&
	grep "2: Microsoft Windows Setup (x64) .*<- Setup$" out &&
	grep -x "  made by win7gen2 no" out &&
	grep -x "  usable           yes" out
'

test_expect_success 'drivers: absent from the sample, found when boot.wim has them' '
	grep -x "  Gen2 drivers     VMBus (vmbus.sys) in Setup.s image: no" out &&
	"$WIN7GEN2" inspect boot.iso >boot.out &&
	grep -x "  Gen2 drivers     VMBus (vmbus.sys) in Setup.s image: yes" boot.out &&
	grep -x "                   synthetic SCSI (storvsc.sys) in Setup.s image: yes" boot.out
'

test_expect_success 'the loader it would chain, by preference' '
	grep "^  would chain      Windows Boot Manager from boot.wim" out &&
	"$WIN7GEN2" inspect noprompt.iso >noprompt.out &&
	grep -x "  no-prompt CD     /efi/microsoft/boot/cdboot_noprompt.efi" noprompt.out &&
	grep "^  would chain      the media.s no-prompt CD loader" noprompt.out &&
	"$WIN7GEN2" inspect prompt.iso >prompt.out &&
	grep -x "  no-prompt CD     none" prompt.out &&
	grep "^  would chain      the CD loader of the UEFI boot image" prompt.out
'

test_expect_success '--json is valid JSON with the same facts' '
	"$WIN7GEN2" inspect --json sample.iso >json &&
	jq -e ".usable == true and .verdict == \"ok\"" json &&
	jq -e ".volume_label == \"GRMCPRXFRER_EN_DVD\"" json &&
	jq -e "[.el_torito[] | .platform] == [\"BIOS\", \"UEFI\"]" json &&
	jq -e ".windows.image.arch == \"x64\" and .windows.image.build == 7601" json &&
	jq -e ".windows.image.service_pack == 1" json &&
	jq -e "[.editions[] | .name] == [\"Windows 7 PROFESSIONAL\", \"Windows 7 ULTIMATE\"]" json &&
	jq -e "[.editions[] | .index] == [1, 2]" json &&
	jq -e ".setup_drivers.complete == false" json &&
	jq -e ".loaders.bootmgfw_in_setup_image == true and .loaders.prompt == false" json &&
	jq -e ".made_by_win7gen2 == false" json &&
	jq -e ".win7gen2_cfg == null" json &&
	! grep "^  disks " out
'

test_expect_success '--json escapes what it prints' '
	mkdir "dir \"quoted\" \\ name" &&
	cp sample.iso "dir \"quoted\" \\ name/a.iso" &&
	"$WIN7GEN2" inspect --json "dir \"quoted\" \\ name/a.iso" >quoted.json &&
	jq -e ".iso == \"dir \\\"quoted\\\" \\\\ name/a.iso\"" quoted.json
'

test_expect_success 'an x86 ISO: shown, not usable, exit status 1, the reason given once' '
	test_expect_code 1 "$WIN7GEN2" inspect x86.iso >x86.out 2>x86.err &&
	grep "^  usable           no: sources/boot.wim is x86 Windows; Hyper-V Generation 2 boots only 64-bit" x86.out &&
	test_must_be_empty x86.err &&
	test_expect_code 1 "$WIN7GEN2" inspect --json x86.iso >x86.json 2>/dev/null &&
	jq -e ".usable == false and .verdict == \"not-x64\"" x86.json
'

test_expect_success 'not an ISO: a clear message, exit status 1' '
	echo "not an iso" >text.iso &&
	test_expect_code 1 "$WIN7GEN2" inspect text.iso >text.out 2>text.err &&
	grep "text.iso is not an ISO image" text.err
'

test_expect_success 'an ISO made by win7gen2 is recognized by its payload marker' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output built.iso --edition 1 \
		--password "x-Y-z-1" >/dev/null &&
	test_expect_code 1 "$WIN7GEN2" inspect built.iso >built.out 2>/dev/null &&
	version=$(strings "$PAYLOAD" | sed -n "s/^win7gen2-payload-marker://p") &&
	test -n "$version" &&
	grep -x "  made by win7gen2 yes, win7gen2 $version (the EFI boot image starts win7gen2.efi)" built.out &&
	grep -x "  usable           no: made by win7gen2 already; build from the original ISO" built.out &&
	grep -x "                   driver packages staged by win7gen2 in \\\\win7gen2\\\\drivers, named in the answer file" built.out
'

test_expect_success 'an ISO made by win7gen2: its disk policy, read from its win7gen2.cfg' '
	grep -x "  disks            Install starts by itself only when every disk is blank; otherwise the menu waits (use --wipe-unattended to wipe disk 0 unasked)" built.out &&
	test_expect_code 1 "$WIN7GEN2" inspect --json built.iso >built.json 2>/dev/null &&
	jq -e ".win7gen2_cfg.wipe_unattended == false and .win7gen2_cfg.menu_timeout == 10" built.json &&
	jq -e ".win7gen2_cfg.disks | startswith(\"Install starts by itself only when every disk is blank\")" built.json &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output wipe.iso --edition 1 --password p \
		--menu-timeout 5 --wipe-unattended >/dev/null &&
	test_expect_code 1 "$WIN7GEN2" inspect wipe.iso >wipe.out 2>/dev/null &&
	grep -x "  disks            Install starts by itself after 5 s and wipes disk 0, whatever it holds (--wipe-unattended)" wipe.out &&
	test_expect_code 1 "$WIN7GEN2" inspect --json wipe.iso >wipe.json 2>/dev/null &&
	jq -e ".win7gen2_cfg.wipe_unattended == true and .win7gen2_cfg.menu_timeout == 5" wipe.json &&
	jq -e ".win7gen2_cfg.disks == \"Install starts by itself after 5 s and wipes disk 0, whatever it holds (--wipe-unattended)\"" wipe.json
'

test_expect_success 'inspect leaves no temporary files behind' '
	mkdir tmp &&
	TMPDIR=$PWD/tmp "$WIN7GEN2" inspect sample.iso >/dev/null &&
	no_leftovers tmp
'

test_expect_success 'an ISO that is not Windows media: the reason once, in the report' '
	mkdir data && echo data >data/README.TXT &&
	xorriso -as mkisofs -quiet -V DATA -o data.iso data &&
	test_expect_code 1 "$WIN7GEN2" inspect data.iso >data.out 2>data.err &&
	cat data.out data.err &&
	test $(cat data.out data.err | grep -c "not Windows installation media") = 1 &&
	grep "^  usable           no: data.iso is an ISO image but not Windows installation media" data.out
'

test_expect_success 'a usage error exits with status 2 and says what is wrong in one line' '
	test_expect_code 2 "$WIN7GEN2" inspect >out 2>err &&
	test_must_be_empty out &&
	grep -x "win7gen2 inspect: give the ISO to look at; see '\''win7gen2 inspect --help'\''" err &&
	test_expect_code 2 "$WIN7GEN2" inspect --frobnicate sample.iso >out 2>err &&
	test_must_be_empty out &&
	grep -x "win7gen2 inspect: --frobnicate is not an option of inspect; see '\''win7gen2 inspect --help'\''" err &&
	test $(wc -l <err) -eq 1
'

test_done
