#!/bin/sh
# Publishing OUT on a file system that takes no rename flags (the 9P
# client of WSL's /mnt/c refuses RENAME_NOREPLACE with EINVAL): build
# still works without --force through link(2), still never replaces a
# file that appeared at OUT meanwhile, and says what to do where there
# are no hard links either.  The file system is played by an LD_PRELOAD
# library (tests/builder/norename-flags.c).

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

SHIM=$top_builddir/tests/builder/norename-flags.so
test -f "$SHIM" || skip_all "tests/builder/norename-flags.so is not built"
# A sanitizer build's runtime must come first; the shim is plain C.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

# no_flags COMMAND...: COMMAND on the file system without rename flags.
no_flags() {
	LD_PRELOAD=$SHIM NORENAME_LOG=$PWD/shim.log "$@"
}

test_expect_success 'setup: the sample' '
	sample sample.iso &&
	mkdir out
'

test_expect_success 'no rename flags: OUT and the VM script are published without --force' '
	no_flags "$WIN7GEN2" build --quiet --iso sample.iso --output out/new.iso --edition 1 \
		--password p --vm-script out/vm.ps1 >report &&
	grep -c "renameat2: flags refused" shim.log >refusals &&
	test "$(cat refusals)" = 2 &&
	grep "^win7gen2: wrote out/new.iso" report &&
	isoinfo -d -i out/new.iso | grep -x "Volume id: GRMCPRXFRER_EN_DVD" &&
	iso_get out/new.iso /efi/microsoft/boot/efisys.bin efisys.bin &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i efisys.bin ::/EFI/BOOT/BOOTX64.EFI bootx64.efi &&
	cmp bootx64.efi "$PAYLOAD" &&
	test "$(stat -c %h out/new.iso)" = 1 && test "$(stat -c %a out/new.iso)" = 644 &&
	tr -d "\r" <out/vm.ps1 | grep "IsoPath = .C:\\\\ISO\\\\new.iso." &&
	no_leftovers out new.iso vm.ps1
'

test_expect_success 'no rename flags: a file that appeared at OUT meanwhile is kept' '
	rm -f shim.log &&
	test_expect_code 1 env NORENAME_APPEAR=$PWD/out/late.iso LD_PRELOAD="$SHIM" \
		NORENAME_LOG=$PWD/shim.log "$WIN7GEN2" build --quiet --iso sample.iso \
		--output out/late.iso --edition 1 --password p 2>err &&
	grep "renameat2: flags refused" shim.log &&
	grep -x "win7gen2 build: out/late.iso appeared while the new ISO was written; it is kept as it is: give --force to replace it" err &&
	echo appeared >expected && test_cmp expected out/late.iso &&
	no_leftovers out new.iso vm.ps1 late.iso
'

test_expect_success 'neither rename flags nor hard links: refused, naming --force; OUT untouched' '
	rm -f shim.log &&
	test_expect_code 1 env NORENAME_NO_LINK=1 LD_PRELOAD="$SHIM" NORENAME_LOG=$PWD/shim.log \
		"$WIN7GEN2" build --quiet --iso sample.iso --output out/fat.iso --edition 1 \
		--password p 2>err &&
	grep "link: refused" shim.log &&
	grep "^win7gen2 build: cannot give the new ISO its name out/fat.iso: that file system takes neither rename flags nor hard links (Operation not permitted)" err &&
	grep "give --force to replace whatever is at out/fat.iso" err &&
	test $(wc -l <err) -eq 1 &&
	no_leftovers out new.iso vm.ps1 late.iso
'

test_expect_success '... and with --force it replaces, as asked' '
	env NORENAME_NO_LINK=1 LD_PRELOAD="$SHIM" "$WIN7GEN2" build --quiet --force \
		--iso sample.iso --output out/late.iso --edition 1 --password p >/dev/null &&
	isoinfo -d -i out/late.iso | grep -x "Volume id: GRMCPRXFRER_EN_DVD" &&
	no_leftovers out new.iso vm.ps1 late.iso
'

test_done
