#!/bin/sh
# Install wipes disk 0, so the ISO menu takes it by itself only when no
# disk holds anything (or the ISO was built with wipe_unattended = on).
# Over a data disk it says why on the console and COM1 and waits for a
# digit; Install chosen with a key reaches Windows PE as
# "install-confirmed", Install by the timeout as "install".
# (A Windows on a disk making Rescue the default: t0190.)

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
PATH=$PATH:/usr/sbin:/sbin
command -v sfdisk >/dev/null || skip_all "sfdisk not found (apt-get install fdisk)"
command -v mkntfs >/dev/null || skip_all "mkntfs not found (apt-get install ntfs-3g)"

iso_config="menu = on
menu_timeout = 2
menu_default = install"
enter=$(printf '\r')

test_expect_success 'setup: a blank disk, nobody at the keyboard' '
	esp_gen2 esp.img &&
	esp_gen2_tables esp.img &&
	esp_config esp.img "$iso_config" &&
	blank_disk blank.img &&
	SECOND_DISK=blank.img boot_esp esp.img blank.log
'

test_expect_success 'a blank disk: the menu says so and Install comes by itself' '
	grep -x "Disk 1 (32 MiB): blank" blank.log &&
	grep -x "No disk holds data: Install starts by itself." blank.log &&
	grep -x "Choose 1-3; \"Install Windows 7\" starts in 2 s." blank.log &&
	grep -x "W7G2T bootmgr: mode variable \"install\" attributes=0x6" blank.log
'

test_expect_success 'setup: a blank disk, Enter on the default' '
	SECOND_DISK=blank.img boot_esp_keys esp.img enter.log "Choose 1-3" "$enter"
'

test_expect_success 'Install taken with Enter is confirmed' '
	grep -x "win7gen2: Install Windows 7" enter.log &&
	grep -x "W7G2T bootmgr: mode variable \"install-confirmed\" attributes=0x6" enter.log
'

test_expect_success 'setup: an NTFS data disk; Enter, a wait, then 1' '
	ntfs_disk data.img &&
	SECOND_DISK=data.img boot_esp_hold esp.img data.log "Choose 1-3" "$enter" 8 1
'

test_expect_success 'the menu lists the disk and its partition' '
	grep -x "Disk 1 (64 MiB): GPT, 1 partition" data.log &&
	grep -x "    1: 62 MiB \"Basic data partition\" NTFS" data.log
'

test_expect_success 'it says, on COM1, why Install does not start and what to press' '
	grep -x "A disk holds data: Install does not start by itself, since Setup wipes disk 0." data.log.held &&
	grep -x "Press 1 to install anyway, 2 to rescue, 3 for Windows Setup unchanged." data.log.held &&
	grep -x "  1. Install Windows 7" data.log.held &&
	grep -x "Choose 1-3; nothing starts until you do." data.log.held &&
	! grep "(default)" data.log.held
'

test_expect_success 'neither the wait nor Enter started anything' '
	grep -x "Choose 1-3; nothing starts until you do." data.log.held &&
	! grep "^win7gen2: Install" data.log.held &&
	! grep "W7G2T bootmgr" data.log.held
'

test_expect_success 'the key 1 then installs, confirmed' '
	grep -x "win7gen2: Install Windows 7" data.log &&
	grep -x "W7G2T bootmgr: mode variable \"install-confirmed\" attributes=0x6" data.log
'

test_expect_success 'setup: wipe_unattended = on, the data disk, nobody at the keyboard' '
	esp_config esp.img "$iso_config
wipe_unattended = on" &&
	SECOND_DISK=data.img boot_esp esp.img wipe.log
'

test_expect_success 'wipe_unattended: Install comes by itself, confirmed' '
	grep -x "wipe_unattended = on: Install starts by itself and wipes disk 0." wipe.log &&
	grep -x "Choose 1-3; \"Install Windows 7\" starts in 2 s." wipe.log &&
	grep -x "W7G2T bootmgr: mode variable \"install-confirmed\" attributes=0x6" wipe.log
'

test_expect_success 'a blank disk and a GPT data disk: no Convert entry' '
	test -f blank.log && test -f enter.log && test -f data.log && test -f wipe.log &&
	! grep "Convert a Generation 1" blank.log enter.log data.log wipe.log &&
	! grep "Generation 1 Windows disk" blank.log data.log
'

test_done
