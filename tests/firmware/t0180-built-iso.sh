#!/bin/sh
# What `win7gen2 build` wrote boots in UEFI firmware as a DVD: the
# payload's menu, Install after the timeout, and the plain boot manager
# from boot.wim started with the mode Windows PE will read.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
WIN7GEN2=$top_builddir/builder/win7gen2
test -x "$WIN7GEN2" || skip_all "the win7gen2 command is not built (see configure's summary)"
PATH=$PATH:/usr/sbin:/sbin

test_expect_success 'setup: the sample ISO through win7gen2 build, with an update package' '
	"$top_srcdir/tests/sample/make-sample-iso" "$FAKE_BOOTMGR" sample.iso &&
	"$top_srcdir/tests/builder/make-package" cab KB4474419 amd64 6.1.7601.17514 \
		Windows6.1-KB4474419-v3-x64.cab &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output gen2.iso --edition 2 \
		--menu-timeout 2 --payload "$PAYLOAD" \
		--package Windows6.1-KB4474419-v3-x64.cab >report
'

test_expect_success 'setup: boot it with nobody at the keyboard' '
	boot_esp gen2.iso unattended.log
'

test_expect_success 'the payload starts from the DVD and shows the menu' '
	grep "^win7gen2 [0-9.]* - Windows 7 on Hyper-V Generation 2" unattended.log &&
	grep -x "  1. Install Windows 7  (default)" unattended.log &&
	grep -x "Choose 1-3; \"Install Windows 7\" starts in 2 s." unattended.log
'

test_expect_success 'after the timeout the boot manager starts in install mode' '
	grep -ix "win7gen2: starting \\\\EFI\\\\BOOT\\\\BOOTX64.original.efi" unattended.log &&
	grep -x "W7G2T bootmgr: started" unattended.log &&
	grep -x "W7G2T bootmgr: mode variable \"install\" attributes=0x6" unattended.log
'

test_expect_success 'no "Press any key" prompt: the plain boot manager was chained' '
	grep -x "W7G2T bootmgr: started" unattended.log &&
	! grep "Press any key" unattended.log
'

test_expect_success 'Rescue -> Windows PE, chosen on the console, reaches the loader' '
	boot_esp_keys gen2.iso rescue.log "Choose 1-3" 2 "Choose 1-2" 2 &&
	grep -x "W7G2T bootmgr: mode variable \"rescue\" attributes=0x6" rescue.log
'

test_done
