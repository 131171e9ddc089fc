#!/bin/sh
# The synthetic Windows 7 ISO is what it claims to be, checked with
# wimlib-imagex, hivexget, xorriso and mtools: the builder's tests rest
# on it.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

test_expect_success 'the sample ISO is made in seconds' '
	start=$(date +%s) &&
	sample sample.iso &&
	test $(( $(date +%s) - start )) -lt 30 &&
	test -s sample.iso
'

test_expect_success 'it has the BIOS and UEFI El Torito entries of Windows media' '
	eltorito sample.iso >entries &&
	printf "%s\n" "1 BIOS 8 /boot/etfsboot.com" \
		"2 UEFI 2880 /efi/microsoft/boot/efisys.bin" >expected &&
	test_cmp expected entries
'

test_expect_success 'its volume label is a Windows one and it has Joliet but no Rock Ridge' '
	isoinfo -d -i sample.iso >pvd &&
	grep -x "Volume id: GRMCPRXFRER_EN_DVD" pvd &&
	grep "Joliet with UCS level" pvd &&
	! grep "Rock Ridge signatures" pvd
'

test_expect_success 'boot.wim: PE and Setup (the boot index), x64 Windows 7 SP1 build 7601' '
	iso_get sample.iso /sources/boot.wim boot.wim &&
	wimlib-imagex info boot.wim >info &&
	grep -x "Image Count:    2" info &&
	grep -x "Boot Index:     2" info &&
	grep -x "Name:                   Microsoft Windows PE (x64)" info &&
	grep -x "Name:                   Microsoft Windows Setup (x64)" info &&
	wimlib-imagex info boot.wim 2 --xml | iconv -f UTF-16LE -t UTF-8 >xml &&
	grep "<ARCH>9</ARCH>" xml &&
	grep "<MAJOR>6</MAJOR><MINOR>1</MINOR><BUILD>7601</BUILD>" xml &&
	grep "<SPLEVEL>1</SPLEVEL>" xml
'

test_expect_success 'Setup image: a real SYSTEM hive and the test loader as bootmgfw.efi' '
	wim_get boot.wim 2 /Windows/System32/config/SYSTEM . &&
	test "$(hivexget SYSTEM "\\Select" Current)" = 1 &&
	hivexget SYSTEM "\\ControlSet001\\Services\\Ntfs" Start &&
	! hivexget SYSTEM "\\ControlSet001\\Services\\vmbus" Start 2>/dev/null &&
	wim_get boot.wim 2 /Windows/Boot/EFI/bootmgfw.efi . &&
	cmp bootmgfw.efi "$FAKE_BOOTMGR"
'

test_expect_success 'install.wim: two editions, driver packages in the driver store' '
	iso_get sample.iso /sources/install.wim install.wim &&
	wimlib-imagex info install.wim >info &&
	grep -x "Name:                   Windows 7 PROFESSIONAL" info &&
	grep -x "Name:                   Windows 7 ULTIMATE" info &&
	wimlib-imagex dir install.wim 2 >files &&
	grep -i "FileRepository/wvmbus.inf_amd64_neutral_[0-9a-f]*/vmbus.sys$" files &&
	grep -i "FileRepository/wstorvsc.inf_amd64_neutral_[0-9a-f]*/storvsc.sys$" files
'

test_expect_success 'the UEFI boot image is FAT with the test loader as BOOTX64.EFI' '
	iso_get sample.iso /efi/microsoft/boot/efisys.bin efisys.bin &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i efisys.bin ::/EFI/BOOT/BOOTX64.EFI loader.efi &&
	cmp loader.efi "$FAKE_BOOTMGR"
'

test_expect_success 'variants: x86, Windows 8, drivers in boot.wim, no drivers' '
	sample x86.iso --arch x86 &&
	iso_get x86.iso /sources/boot.wim x86.wim &&
	wimlib-imagex info x86.wim 2 | grep -x "Architecture:           x86" &&
	sample w8.iso --version 6.2.9200 --sp 0 &&
	iso_get w8.iso /sources/boot.wim w8.wim &&
	wimlib-imagex info w8.wim 2 | grep -x "Minor Version:          2" &&
	sample boot.iso --drivers boot &&
	iso_get boot.iso /sources/boot.wim withdrivers.wim &&
	wim_get withdrivers.wim 2 /Windows/System32/config/SYSTEM withdrivers &&
	hivexget withdrivers/SYSTEM "\\ControlSet001\\Services\\vmbus" Start &&
	wimlib-imagex dir withdrivers.wim 2 | grep -ix "/Windows/System32/drivers/storvsc.sys" &&
	sample none.iso --drivers none &&
	iso_get none.iso /sources/install.wim none.wim &&
	! wimlib-imagex dir none.wim 1 | grep -i "vmbus.sys"
'

test_done
