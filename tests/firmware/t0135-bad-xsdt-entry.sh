#!/bin/sh
# An XSDT entry that points where the firmware's memory map keeps no
# table - free (conventional) memory, or no memory at all - is skipped
# and never read or written; the other tables are still fixed and the
# boot manager still starts.  The harness makes the bad entry
# (tests/efi/misplace.h); the test boot manager reads what is there.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware

# boot_misplaced NAME "SIGNATURE WHERE": the Gen2 tables with that XSDT
# entry misplaced; the serial log in NAME.log, the test lines in NAME.
boot_misplaced() {
	printf '%s\n' "$2" >bad-xsdt-entry &&
	esp_gen2 "$1.img" &&
	esp_gen2_tables "$1.img" &&
	esp_put "$1.img" bad-xsdt-entry '\win7gen2-test\bad-xsdt-entry' &&
	boot_esp "$1.img" "$1.log" &&
	w7g2_lines "$1.log" >"$1"
}

# misplaced_at NAME SIGNATURE: the address the harness gave the entry.
misplaced_at() {
	sed -n "s/^W7G2T harness: XSDT entry [0-9]* ($2) -> \(0x[0-9A-F]*\), .*/\1/p" "$1"
}

test_expect_success 'setup: SRAT in conventional memory, WAET at no memory' '
	boot_misplaced free "SRAT conventional" &&
	boot_misplaced none "WAET unmapped"
'

test_expect_success 'the harness moved the SRAT entry to a valid copy in free memory' '
	grep -x "W7G2T harness: XSDT entry 2 (SRAT) -> 0x[0-9A-F]*, a copy in conventional memory" free &&
	grep -x "W7G2T harness: Gen2 ACPI tables installed: Success" free &&
	srat=$(misplaced_at free SRAT) && test -n "$srat" &&
	grep -x "W7G2T table SRAT length=752 checksum=ok" free
'

test_expect_success 'the payload says it skipped that table, and why' '
	srat=$(misplaced_at free SRAT) &&
	grep -x "win7gen2: $srat (36 bytes) not read: the memory map has conventional memory at $srat" free.log &&
	grep -x "  XSDT Entry: skipped, table not mapped (at $srat)" free.log
'

test_expect_success 'the SRAT in free memory was not written: every range as the firmware left it' '
	test $(grep -c "^W7G2T srat\.mem\[[0-9]*\] .* flags=0x3$" free) -eq 16
'

test_expect_success 'the other tables are still fixed' '
	grep -x "W7G2T madt.flags=0x1" free &&
	grep -x "W7G2T fadt.PM1a_EVT_BLK=0x400 x=0x400" free &&
	grep -x "W7G2T fadt.PM_TMR_BLK=0x408 x=0x408" free &&
	grep -x "win7gen2: 5 fixes applied, 4 already correct, 1 skipped in 7 tables" free.log
'

test_expect_success 'and the boot manager starts' '
	grep -x "win7gen2: starting \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.original.efi" free.log &&
	grep -x "W7G2T bootmgr: done" free
'

test_expect_success 'an entry at no memory: skipped, never read, all three tables fixed' '
	waet=$(misplaced_at none WAET) && test -n "$waet" &&
	grep -x "W7G2T table at $waet: no memory there, not read" none &&
	grep -x "win7gen2: $waet (36 bytes) not read: the memory map has no memory at $waet" none.log &&
	grep -x "  XSDT Entry: skipped, table not mapped (at $waet)" none.log &&
	grep -x "W7G2T madt.flags=0x1" none &&
	grep -x "W7G2T fadt.PM_TMR_BLK=0x408 x=0x408" none &&
	grep -x "W7G2T srat.mem\[15\] base=0x8000000000000 length=0x8000000000000 flags=0x0" none &&
	grep -x "win7gen2: 16 fixes applied, 4 already correct, 1 skipped in 7 tables" none.log &&
	grep -x "W7G2T bootmgr: done" none
'

test_done
