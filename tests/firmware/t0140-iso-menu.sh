#!/bin/sh
# On the ISO the payload offers Install / Rescue / Continue, takes the
# default when nobody answers, and tells Windows PE the choice in the
# Win7Gen2Mode variable.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware

iso_config="menu = on
menu_timeout = 2
menu_default = install"

test_expect_success 'setup: nobody at the keyboard' '
	esp_gen2 esp.img &&
	esp_gen2_tables esp.img &&
	esp_config esp.img "$iso_config" &&
	boot_esp esp.img unattended.log
'

test_expect_success 'the menu offers the three choices, install by default' '
	grep -x "  1. Install Windows 7  (default)" unattended.log &&
	grep -x "  2. Rescue an installed system" unattended.log &&
	grep -x "  3. Continue to Windows Setup unchanged" unattended.log &&
	grep -x "Choose 1-3; \"Install Windows 7\" starts in 2 s." unattended.log
'

test_expect_success 'after the timeout the loader starts in install mode' '
	grep -x "W7G2T bootmgr: mode variable \"install\" attributes=0x6" unattended.log &&
	grep -x "W7G2T madt.flags=0x1" unattended.log
'

test_expect_success 'setup: someone presses 2' '
	boot_esp_keys esp.img rescue.log "Choose 1-3" 2
'

test_expect_success 'key 2 chooses rescue and Windows PE is told so' '
	grep -x "win7gen2: Rescue an installed system" rescue.log &&
	grep -x "W7G2T bootmgr: mode variable \"rescue\" attributes=0x6" rescue.log
'

test_expect_success 'setup: someone presses a stray key, then 3' '
	boot_esp_keys esp.img continue.log "Choose 1-3" x3
'

test_expect_success 'a stray key is no answer; 3 chooses continue' '
	grep -x "W7G2T bootmgr: mode variable \"continue\" attributes=0x6" continue.log
'

test_expect_success 'without menu = on no menu shows and no mode is set' '
	esp_config esp.img "verbose = 1" &&
	boot_esp esp.img disk.log &&
	! grep "Choose 1-3" disk.log &&
	grep -x "W7G2T bootmgr: mode variable Not Found" disk.log
'

test_done
