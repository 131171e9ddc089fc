#!/bin/sh
# The synthetic Windows 7 ISO is what it claims to be, checked with
# wimlib-imagex, hivexget, xorriso, isoinfo, 7zz and mtools: the builder's
# tests rest on it. Its three layouts (--layout iso9660, bridge,
# microsoft) are each read with readers of their own: isoinfo and
# xorriso for ISO 9660 and El Torito, 7zz for UDF.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
for tool in 7zz genisoimage mkntfs ntfscp; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip_all "$tool not found (tools/install-deps)"
done
/usr/bin/python3 -c "import pycdlib" 2>/dev/null ||
	skip_all "python3-pycdlib not found for /usr/bin/python3 (tools/install-deps)"

# secured WIM IMAGE: every file and folder of the image, the root too,
# has a security descriptor.
secured() {
	wimlib-imagex dir "$1" "$2" --detailed >detailed &&
	total=$(grep -c "^Full Path " detailed) &&
	with=$(grep -c "^Security Descriptor = [0-9a-f]" detailed) &&
	test "$total" -gt 5 && test "$with" = "$total" &&
	grep -A6 "^Full Path *= \"/\"\$" detailed | grep -q "^Security Descriptor = [0-9a-f]"
}

# The sample's files, as udf_names lists them, and its folders.
sample_files() {
	printf "%s\n" /boot/bcd /boot/boot.sdi /boot/etfsboot.com /bootmgr \
		/efi/microsoft/boot/bcd /efi/microsoft/boot/efisys.bin /setup.exe \
		/sources/boot.wim /sources/ei.cfg /sources/install.wim /sources/lang.ini \
		/sources/setup.exe
}
sample_folders() {
	printf "%s\n" /boot /efi /efi/microsoft /efi/microsoft/boot /sources
}

test_expect_success 'the sample ISO is made' '
	sample sample.iso &&
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
	wimlib-imagex dir none.wim 1 >none.files &&
	! grep -i "vmbus.sys" none.files
'

test_expect_success 'every file and folder in the WIMs has a security descriptor, root too' '
	secured boot.wim 1 &&
	secured boot.wim 2 &&
	secured install.wim 1 &&
	secured install.wim 2
'

test_expect_success '--no-security: the old descriptor-less WIMs, same XML otherwise' '
	sample nosec.iso --no-security &&
	iso_get nosec.iso /sources/boot.wim nosec-boot.wim &&
	iso_get nosec.iso /sources/install.wim nosec-install.wim &&
	wimlib-imagex dir nosec-boot.wim 2 --detailed >detailed &&
	! grep "^Security Descriptor" detailed &&
	wimlib-imagex dir nosec-install.wim 1 --detailed >detailed &&
	! grep "^Security Descriptor" detailed &&
	for wim in boot install; do
		for w in $wim.wim nosec-$wim.wim; do
			wimlib-imagex info $w --xml | iconv -f UTF-16LE -t UTF-8 |
				sed -e "s/></>\n</g" | grep -v "PART>" |
				sed -e "\$d" | sed -e "\$d" >$w.xml ||
				return 1
		done &&
		test_cmp $wim.wim.xml nosec-$wim.wim.xml || return 1
	done
'

test_expect_success 'microsoft layout: ISO 9660 holds README.TXT alone, no Joliet' '
	sample ms.iso --layout microsoft &&
	primary_names ms.iso >names &&
	echo /README.TXT >expected &&
	test_cmp expected names &&
	isoinfo -i ms.iso -x "/README.TXT;1" >readme &&
	printf "This disc contains a \"UDF\" file system and requires an operating system that supports the ISO-13346 \"UDF\" file system specification.\r\n" >expected &&
	cmp expected readme &&
	isoinfo -d -i ms.iso >pvd &&
	grep -x "Volume id: GRMCPRXFRER_EN_DVD" pvd &&
	grep "NO Joliet present" pvd
'

test_expect_success 'microsoft layout: every file and folder in UDF 1.02 (7zz)' '
	udf_names ms.iso >names &&
	sample_files | sort >expected &&
	test_cmp expected names &&
	7zz l -tudf -ba ms.iso | awk "/ D/ { print \"/\" \$NF }" | sort >folders &&
	sample_folders | sort >expected &&
	test_cmp expected folders &&
	7zz l -tudf -slt ms.iso >udf.info &&
	grep -x "Version = 1.02" udf.info &&
	grep "VolumeId: GRMCPRXFRER_EN_DVD" udf.info
'

test_expect_success 'microsoft layout: two nameless El Torito entries, reaching the UDF files' '
	xorriso -indev ms.iso -report_el_torito plain 2>/dev/null >report &&
	awk "/^El Torito boot img :/ { print \$6, \$7, \$12 }" report >entries &&
	printf "%s\n" "1 BIOS 8" "2 UEFI 2880" >expected &&
	test_cmp expected entries &&
	! grep "^El Torito img path" report &&
	bios=$(awk "/^El Torito boot img :   1 / { print \$13 }" report) &&
	uefi=$(awk "/^El Torito boot img :   2 / { print \$13 }" report) &&
	udf_get ms.iso /boot/etfsboot.com etfsboot.com &&
	dd if=ms.iso bs=2048 skip=$bios count=1 2>/dev/null | cmp - etfsboot.com &&
	udf_get ms.iso /efi/microsoft/boot/efisys.bin ms-efisys.bin &&
	dd if=ms.iso bs=2048 skip=$uefi count=720 2>/dev/null | cmp - ms-efisys.bin &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i ms-efisys.bin ::/EFI/BOOT/BOOTX64.EFI ms-loader.efi &&
	cmp ms-loader.efi "$FAKE_BOOTMGR"
'

test_expect_success 'microsoft layout: its WIMs, read through UDF, are the sample WIMs' '
	udf_get ms.iso /sources/boot.wim ms-boot.wim &&
	wimlib-imagex info ms-boot.wim >info &&
	grep -x "Boot Index:     2" info &&
	secured ms-boot.wim 2 &&
	wim_get ms-boot.wim 2 /Windows/Boot/EFI/bootmgfw.efi ms &&
	cmp ms/bootmgfw.efi "$FAKE_BOOTMGR" &&
	udf_get ms.iso /sources/install.wim ms-install.wim &&
	wimlib-imagex info ms-install.wim >info &&
	grep -x "Name:                   Windows 7 ULTIMATE" info &&
	secured ms-install.wim 1
'

test_expect_success 'bridge layout: ISO 9660, Joliet and UDF 1.02 all hold the whole tree' '
	sample bridge.iso --layout bridge &&
	isoinfo -d -i bridge.iso >pvd &&
	grep -x "Volume id: GRMCPRXFRER_EN_DVD" pvd &&
	grep "Joliet with UCS level" pvd &&
	! grep "Rock Ridge signatures" pvd &&
	primary_names bridge.iso | tr A-Z a-z | sort >names &&
	{ sample_files && sample_folders; } | sort >expected &&
	test_cmp expected names &&
	isoinfo -J -l -i bridge.iso | grep " install.wim *$" &&
	udf_names bridge.iso >names &&
	sample_files | sort >expected &&
	test_cmp expected names &&
	7zz l -tudf -slt bridge.iso >udf.info &&
	grep -x "Version = 1.02" udf.info
'

test_expect_success 'bridge layout: named El Torito entries; the same WIMs in both trees' '
	eltorito bridge.iso >entries &&
	printf "%s\n" "1 BIOS 8 /boot/etfsboot.com" \
		"2 UEFI 2880 /efi/microsoft/boot/efisys.bin" >expected &&
	test_cmp expected entries &&
	for wim in boot install; do
		iso_get bridge.iso /sources/$wim.wim iso-$wim.wim &&
		udf_get bridge.iso /sources/$wim.wim udf-$wim.wim &&
		cmp iso-$wim.wim udf-$wim.wim &&
		secured udf-$wim.wim 1 || return 1
	done
'

test_expect_success '--install-size: the padding reaches install.wim in each layout' '
	for layout in iso9660 bridge microsoft; do
		sample pad-$layout.iso --layout $layout --install-size 3000000 &&
		if test $layout = iso9660; then
			iso_get pad-$layout.iso /sources/install.wim pad.wim
		else
			udf_get pad-$layout.iso /sources/install.wim pad.wim
		fi &&
		wimlib-imagex dir pad.wim 2 --detailed >detailed &&
		grep -A12 "^Full Path *= \"/Windows/padding.bin\"" detailed >padding &&
		grep "^Security Descriptor = [0-9a-f]" padding &&
		grep "^Uncompressed size = 3000000 bytes" padding &&
		test $(wc -c <pad.wim) -gt 3000000 || return 1
	done
'

test_expect_success 'server sample: four Windows Server 2008 R2 editions, installation type Server' '
	sample server.iso --server --editions 4 --layout microsoft &&
	isoinfo -d -i server.iso | grep -x "Volume id: GRMSXVOL_EN_DVD" &&
	udf_get server.iso /sources/install.wim server.wim &&
	wimlib-imagex info server.wim >info &&
	grep -x "Image Count:    4" info &&
	for edition in STANDARD ENTERPRISE DATACENTER WEB; do
		grep -x "Name:                   Windows Server 2008 R2 SERVER$edition" info ||
			return 1
	done &&
	grep -x "Display Name:           Windows Server 2008 R2 Datacenter" info &&
	wimlib-imagex info server.wim 3 --xml | iconv -f UTF-16LE -t UTF-8 >xml &&
	grep "<INSTALLATIONTYPE>Server</INSTALLATIONTYPE>" xml &&
	grep "<EDITIONID>ServerDatacenter</EDITIONID>" xml &&
	grep "<FLAGS>ServerDatacenter</FLAGS>" xml &&
	grep "<PRODUCTTYPE>ServerNT</PRODUCTTYPE>" xml &&
	grep "<MAJOR>6</MAJOR><MINOR>1</MINOR><BUILD>7601</BUILD>" xml &&
	grep "<SPLEVEL>1</SPLEVEL>" xml &&
	secured server.wim 4 &&
	sample server2.iso --server --editions 2 &&
	iso_get server2.iso /sources/install.wim server2.wim &&
	wimlib-imagex info server2.wim >info &&
	grep -x "Image Count:    2" info &&
	grep -x "Name:                   Windows Server 2008 R2 SERVERENTERPRISE" info
'

test_done
