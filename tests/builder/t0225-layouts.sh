#!/bin/sh
# inspect and build on each layout Windows media come in (BRIEF section
# 4): Microsoft's own (every file in UDF only, README.TXT alone in ISO
# 9660, boot images without a name), a UDF bridge (both trees full, UDF
# 1.02 as Microsoft writes it), plain ISO 9660 + Joliet, and Windows
# Server 2008 R2 media.  OUT is read back with three readers the builder
# does not use to write: 7-Zip (UDF), xorriso/isoinfo (ISO 9660) and
# pycdlib.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

layouts="microsoft bridge iso9660"

test_expect_success 'setup: a sample of each layout, and a Server 2008 R2 one' '
	for layout in $layouts; do
		sample $layout.iso --layout $layout || return 1
	done &&
	sample server.iso --layout microsoft --server --editions 2
'

test_expect_success 'inspect: each layout is usable, its files read from the right tree' '
	for layout in $layouts; do
		"$WIN7GEN2" inspect $layout.iso >$layout.inspect &&
		grep -x "  usable           yes" $layout.inspect || return 1
	done &&
	grep "^  file system      UDF" microsoft.inspect &&
	grep "^  file system      UDF" bridge.inspect &&
	grep "^  file system      ISO 9660" iso9660.inspect &&
	grep -x "                   2: UEFI, emulation none, [0-9]* sectors, /efi/microsoft/boot/efisys.bin" microsoft.inspect
'

test_expect_success 'inspect: Server 2008 R2 editions are listed and usable' '
	"$WIN7GEN2" inspect server.iso >server.inspect &&
	grep -x "  usable           yes" server.inspect &&
	grep "^  editions         1: Windows Server 2008 R2 SERVERSTANDARD" server.inspect
'

test_expect_success 'build: every layout and the server media' '
	mkdir out &&
	for layout in $layouts; do
		"$WIN7GEN2" build --quiet --iso $layout.iso --output out/$layout.iso --edition 1 \
			--password p >$layout.report || return 1
	done &&
	"$WIN7GEN2" build --quiet --iso server.iso --output out/server.iso --edition 2 \
		--password p >server.report &&
	no_leftovers out microsoft.iso bridge.iso iso9660.iso server.iso
'

test_expect_success SEVENZIP 'the ISO 9660 tree of OUT names every file of the source, full names' '
	for layout in microsoft bridge; do
		udf_names $layout.iso >$layout.udf &&
		primary_names out/$layout.iso | tr "A-Z" "a-z" >$layout.primary &&
		comm -23 $layout.udf $layout.primary >$layout.missing &&
		test_cmp /dev/null $layout.missing || return 1
	done &&
	grep -x "/efi/microsoft/boot/efisys.bin" microsoft.primary &&
	grep -x "/sources/install.wim" microsoft.primary &&
	primary_names iso9660.iso >iso9660.in &&
	primary_names out/iso9660.iso >iso9660.out &&
	test_cmp iso9660.in iso9660.out
'

test_expect_success SEVENZIP 'OUT keeps UDF where the source had it, and both trees agree' '
	for layout in microsoft bridge; do
		udf_names out/$layout.iso >$layout.udf.out &&
		test_cmp $layout.udf $layout.udf.out &&
		for f in /sources/boot.wim /sources/install.wim /efi/microsoft/boot/efisys.bin \
			 /bootmgr /sources/setup.exe; do
			rm -f u i &&
			udf_get out/$layout.iso $f u && iso_get out/$layout.iso $f i &&
			cmp u i || return 1
		done || return 1
	done
'

test_expect_success SEVENZIP,PYCDLIB 'unchanged files are byte-identical in OUT, by a third reader' '
	for layout in microsoft bridge; do
		for f in /sources/install.wim /bootmgr /boot/bcd /sources/ei.cfg; do
			rm -f a b &&
			udf_get $layout.iso $f a && pycdlib_get out/$layout.iso $f b udf &&
			cmp a b || return 1
		done || return 1
	done &&
	rm -f a b &&
	iso_get iso9660.iso /sources/install.wim a &&
	pycdlib_get out/iso9660.iso /sources/install.wim b iso9660 && cmp a b
'

test_expect_success 'boot.wim in OUT is the changed one, through UDF and ISO 9660' '
	for layout in microsoft bridge iso9660; do
		rm -f boot.wim &&
		iso_get out/$layout.iso /sources/boot.wim boot.wim &&
		wimlib-imagex dir boot.wim 2 >files.$layout &&
		grep -x "/win7gen2/win7gen2pe.exe" files.$layout || return 1
	done
'

test_expect_success 'El Torito: BIOS image where it was, UEFI image is the payload s' '
	for layout in $layouts; do
		eltorito out/$layout.iso >entries.$layout &&
		grep -x "1 BIOS 8 /boot/etfsboot.com" entries.$layout &&
		rm -f efisys.bin bootx64.efi &&
		iso_get out/$layout.iso /efi/microsoft/boot/efisys.bin efisys.bin &&
		grep -x "2 UEFI $(( $(stat -c %s efisys.bin) / 512 )) /efi/microsoft/boot/efisys.bin" \
			entries.$layout &&
		MTOOLS_SKIP_CHECK=1 mcopy -n -i efisys.bin ::/EFI/BOOT/BOOTX64.EFI bootx64.efi &&
		cmp bootx64.efi "$PAYLOAD" || return 1
	done
'

test_expect_success PYCDLIB 'Microsoft layout: the volume label is kept and pycdlib opens OUT' '
	isoinfo -d -i out/microsoft.iso >pvd &&
	grep -x "Volume id: GRMCPRXFRER_EN_DVD" pvd &&
	/usr/bin/python3 -c "
import pycdlib, sys
iso = pycdlib.PyCdlib(); iso.open(sys.argv[1])
names = [c.file_identifier() for c in iso.list_children(iso_path=\"/SOURCES\")]
assert b\"INSTALL.WIM;1\" in names, names
iso.close()" out/microsoft.iso
'

test_expect_success 'the answer file of the server build names the chosen server edition' '
	iso_get out/server.iso /sources/boot.wim server.wim &&
	wim_get server.wim 2 /win7gen2/autounattend.xml . &&
	xmllint --noout autounattend.xml &&
	grep "<Value>2</Value>" autounattend.xml
'

test_done
