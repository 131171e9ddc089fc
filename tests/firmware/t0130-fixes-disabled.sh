#!/bin/sh
# Each fix can be switched off in win7gen2.cfg, and then that table is
# left exactly as the firmware made it while the others are still fixed.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware

# boot_with NAME CONFIG: boot the Gen2 tables with CONFIG, report in NAME.
boot_with() {
	esp_gen2 "$1.img" &&
	esp_gen2_tables "$1.img" &&
	esp_config "$1.img" "$2" &&
	boot_esp "$1.img" "$1.log" &&
	w7g2_lines "$1.log" >"$1"
}

test_expect_success 'setup: boot with each fix switched off in turn' '
	boot_with no-madt "fix_madt = off" &&
	boot_with no-fadt "fix_fadt = off" &&
	boot_with no-srat "srat_limit = off" &&
	boot_with gen2-off "gen2 = off"
'

test_expect_success 'fix_madt = off: MADT untouched, FADT and SRAT fixed' '
	grep -x "W7G2T madt.flags=0x0" no-madt &&
	grep -x "W7G2T fadt.PM_TMR_BLK=0x408 x=0x408" no-madt &&
	grep -x "W7G2T srat.mem\[15\] base=0x8000000000000 length=0x8000000000000 flags=0x0" no-madt
'

test_expect_success 'fix_fadt = off: FADT untouched, MADT and SRAT fixed' '
	grep -x "W7G2T madt.flags=0x1" no-fadt &&
	test $(grep -c "^W7G2T fadt\.[A-Z0-9a-z_]*=0x0 " no-fadt) -eq 8 &&
	grep -x "W7G2T srat.mem\[15\] base=0x8000000000000 length=0x8000000000000 flags=0x0" no-fadt
'

test_expect_success 'srat_limit = off: SRAT untouched, MADT and FADT fixed' '
	grep -x "W7G2T madt.flags=0x1" no-srat &&
	grep -x "W7G2T fadt.PM_TMR_BLK=0x408 x=0x408" no-srat &&
	test $(grep -c "^W7G2T srat\.mem.*flags=0x3$" no-srat) -eq 16
'

test_expect_success 'gen2 = off: nothing fixed, boot manager still started' '
	grep -x "W7G2T madt.flags=0x0" gen2-off &&
	test $(grep -c "^W7G2T fadt\.[A-Z0-9a-z_]*=0x0 " gen2-off) -eq 8 &&
	test $(grep -c "^W7G2T srat\.mem.*flags=0x3$" gen2-off) -eq 16 &&
	grep -x "W7G2T bootmgr: done" gen2-off
'

test_expect_success 'every table checksum is still valid' '
	for run in no-madt no-fadt no-srat gen2-off; do
		grep "^W7G2T table" $run >tables &&
		test $(wc -l <tables) -eq 9 &&
		grep -x "W7G2T rsdp revision=2 checksum=ok" $run &&
		! grep -v "checksum=ok$" tables || return 1
	done
'

test_done
