#!/bin/sh
# A disk laid out as Windows 7 Setup lays out a Generation 1 disk makes
# the ISO menu offer "Convert a Generation 1 disk".  It rewrites a
# partition table, so it is never the default and never comes by the
# timeout; only a person picks it, picks the disk and types y, and then
# Windows PE gets "convert:" and the disk's MBR signature.  Any other
# answer goes back to the menu, and so does a disk whose signature
# another attached disk shares (Windows PE finds the disk by it).
# (No entry over blank or GPT disks: t0145.)

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
PATH=$PATH:/usr/sbin:/sbin
command -v sfdisk >/dev/null || skip_all "sfdisk not found (apt-get install fdisk)"
command -v mkntfs >/dev/null || skip_all "mkntfs not found (apt-get install ntfs-3g)"

# A leading zero: the mode carries 8 digits whatever the value.
signature=0badc0de
title="Convert a Generation 1 disk (changes its partition table)"

test_expect_success 'setup: a Generation 1 disk, menu_default = rescue, nobody at the keyboard' '
	esp_gen2 esp.img &&
	esp_gen2_tables esp.img &&
	gen1_disk gen1.img 0x$signature &&
	cp --sparse=always gen1.img gen1.orig &&
	esp_config esp.img "menu = on
menu_timeout = 2
menu_default = rescue" &&
	SECOND_DISK=gen1.img boot_esp esp.img timeout.log
'

test_expect_success 'the menu lists the disk as a Generation 1 disk, with its partitions' '
	grep -x "Disk 1 (200 MiB): MBR, 2 partitions; a Generation 1 Windows disk" timeout.log &&
	grep -x "    1: 100 MiB type 0x07 active NTFS" timeout.log &&
	grep -x "    2: 99 MiB type 0x07 NTFS" timeout.log
'

test_expect_success 'Convert is offered, last, and is not the default' '
	grep -x "  4. $title" timeout.log &&
	grep -x "A disk looks like a Generation 1 Windows disk: press 4 to convert it to GPT." timeout.log &&
	grep -x "  2. Rescue an installed system  (default)" timeout.log &&
	! grep "$title  (default)" timeout.log
'

test_expect_success 'the timeout takes the default, not Convert' '
	grep -x "Choose 1-4; \"Rescue an installed system\" starts in 2 s." timeout.log &&
	grep -x "W7G2T bootmgr: mode variable \"rescue\" attributes=0x6" timeout.log &&
	! grep "mode variable \"convert" timeout.log
'

test_expect_success 'setup: menu_default = install; Convert, disk 1, then n, then Continue' '
	esp_config esp.img "menu = on
menu_timeout = 2
menu_default = install" &&
	SECOND_DISK=gen1.img boot_esp_keys esp.img refuse.log \
		"Choose 1-4" 4 "Choose 1-2" 1 "Type y to convert" n \
		"not confirmed; nothing changes" 3
'

test_expect_success 'over a data disk nothing starts by itself, Convert included' '
	grep -x "Choose 1-4; nothing starts until you do." refuse.log &&
	! grep "(default)" refuse.log
'

test_expect_success 'choosing Convert lists the disk by its signature and asks for y' '
	grep -x "win7gen2: $title" refuse.log &&
	grep -x "  1. Disk 1, MBR disk signature $signature" refuse.log &&
	grep -x "  2. Back to the menu" refuse.log &&
	grep -x "Convert disk 1 (MBR disk signature $signature) to GPT?" refuse.log &&
	grep -x "writes GPT, makes System Reserved the ESP, applies the Gen2 fix, shuts down." refuse.log &&
	grep -x "win7gen2pe --convert DISK --undo on the host puts it back (README)." refuse.log &&
	grep -x "Type y to convert it; any other key goes back to the menu." refuse.log
'

test_expect_success 'n goes back to the menu and sets no convert mode' '
	grep -x "win7gen2: not confirmed; nothing changes. Back to the menu." refuse.log &&
	test $(grep -c -x "  4. $title" refuse.log) = 2 &&
	grep -x "win7gen2: Continue to Windows Setup unchanged" refuse.log &&
	grep -x "W7G2T bootmgr: mode variable \"continue\" attributes=0x6" refuse.log &&
	! grep "mode variable \"convert" refuse.log
'

test_expect_success 'setup: Convert, disk 1, then y' '
	SECOND_DISK=gen1.img boot_esp_keys esp.img convert.log \
		"Choose 1-4" 4 "Choose 1-2" 1 "Type y to convert" y
'

test_expect_success 'y hands Windows PE convert and the MBR disk signature' '
	grep -x "win7gen2: convert disk 1 (MBR disk signature $signature)" convert.log &&
	grep -x "W7G2T bootmgr: mode variable \"convert:$signature\" attributes=0x6" convert.log
'

test_expect_success 'the menu wrote nothing to the disk: Windows PE converts it' '
	cmp gen1.orig gen1.img
'

test_expect_success 'setup: a copy of the disk beside it; Convert, disk 1, then Continue' '
	cp --sparse=always gen1.orig copy.img &&
	SECOND_DISK=gen1.img THIRD_DISK=copy.img boot_esp_keys esp.img copy.log \
		"Choose 1-4" 4 "Choose 1-3" 1 "could not tell them apart" 3
'

test_expect_success 'both are listed, and one signature on two disks is refused' '
	grep -x "  1. Disk 1, MBR disk signature $signature" copy.log &&
	grep -x "  2. Disk 2, MBR disk signature $signature" copy.log &&
	grep -x "Disk 1 and disk 2 have the same MBR disk signature $signature: Windows PE" copy.log &&
	grep -x "W7G2T bootmgr: mode variable \"continue\" attributes=0x6" copy.log &&
	! grep "mode variable \"convert" copy.log
'

test_done
