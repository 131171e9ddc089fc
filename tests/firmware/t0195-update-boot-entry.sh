#!/bin/sh
# A Windows update writes a newer boot manager over win7gen2.efi at
# \EFI\Microsoft\Boot\bootmgfw.efi.  The installed disk stays bootable on
# Gen2: the payload keeps a boot entry of its own, first in BootOrder,
# that starts its copy at \EFI\win7gen2\win7gen2.efi; from there it fixes
# the tables, puts the wrap back by the shared rule and starts the newer
# boot manager.  One VARS file is kept across all boots, as a VM keeps
# its NVRAM.
#
# The harness makes itself a SysPrep#### option at the first boot
# (\win7gen2-test\as-sysprep): the firmware then runs it before any boot
# option, so the Gen2 tables are there whichever entry boots.
#
# SPDX-License-Identifier: MIT

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
command -v sfdisk >/dev/null || skip_all "sfdisk not found (apt-get install fdisk)"
command -v perl >/dev/null || skip_all "perl not found"
PATH=$PATH:/usr/sbin:/sbin

KEEP_VARS=$TRASH/nvram.fd
export KEEP_VARS
MDEL=$(dirname "$MCOPY")/mdel
ESP=disk.img@@1M
OWN='\EFI\win7gen2\win7gen2.efi'
BOOTMGFW='\EFI\Microsoft\Boot\bootmgfw.efi'
ORIGINAL='\EFI\Microsoft\Boot\bootmgfw.original.efi'
OLD='\EFI\Microsoft\Boot\bootmgfw.original.old.efi'

# esp_get \PATH FILE: a file off the disk's ESP.
esp_get() {
	"$MCOPY" -o -i "$ESP" "::$(printf '%s' "$1" | tr '\\' /)" "$2"
}

# stand_in VERSION FILE: the test boot manager saying it is VERSION
# (three characters, as 1.0): a "Microsoft" loader of that version.
stand_in() {
	V="$1" perl -0777 -pe 's/W7G2T-stand-in-version:1\.0/W7G2T-stand-in-version:$ENV{V}/' \
		"$FAKE_BOOTMGR" >"$2" &&
	grep -a -q "W7G2T-stand-in-version:$1" "$2"
}

# snapshot NAME: every file on the ESP with its checksum, in NAME.
snapshot() {
	"$MDIR" -b -/ -i "$ESP" ::/ | sort >"$1.list" &&
	: >"$1" &&
	while read -r file; do
		case $file in */) continue ;; esac
		"$MCOPY" -o -i "$ESP" "$file" snapshot.file &&
		echo "$(cksum <snapshot.file) $file" >>"$1" || return 1
	done <"$1.list"
}

# entry LOG: the number of the entry starting our copy, from what the
# test boot manager printed.
entry() {
	sed -n 's/^W7G2T bootvars: Boot\([0-9A-F]*\) attributes=0x1 "win7gen2 (Windows Boot Manager)" .*\\EFI\\win7gen2\\win7gen2\.efi$/\1/p' "$1"
}

# order LOG: BootOrder as the test boot manager printed it.
order() {
	sed -n 's/^W7G2T bootvars: BootOrder //p' "$1"
}

# tables_fixed LOG: the next loader saw the Gen2 tables fixed.
tables_fixed() {
	grep "ACPI OEM \"VRTUAL\"/\"MICROSFT\" -> Hyper-V Gen2" "$1" &&
	grep -x "W7G2T madt.flags=0x1" "$1" &&
	grep -x "W7G2T fadt.PM_TMR_BLK=0x408 x=0x408" "$1"
}

test_expect_success 'setup: a disk wrapped as win7gen2 fix leaves it' '
	stand_in 1.0 loader-1.0 &&
	stand_in 2.0 loader-2.0 &&
	stand_in 3.0 loader-3.0 &&
	stand_in 4.0 loader-4.0 &&
	gpt_disk disk.img &&
	esp_put "$ESP" "$HARNESS" "\\EFI\\BOOT\\BOOTX64.EFI" &&
	esp_put "$ESP" "$PAYLOAD" "$BOOTMGFW" &&
	esp_put "$ESP" loader-1.0 "$ORIGINAL" &&
	esp_gen2_tables "$ESP" &&
	: >marker &&
	esp_put "$ESP" marker "\\win7gen2-test\\as-sysprep" &&
	rm -f "$KEEP_VARS"
'

test_expect_success 'first boot: harness, payload, the boot manager it wraps' '
	boot_esp disk.img first.log &&
	grep -x "W7G2T harness: registered as SysPrep0000: Success" first.log &&
	tables_fixed first.log &&
	grep -x "W7G2T bootmgr: version 1.0" first.log &&
	grep -x "W7G2T bootmgr: done" first.log
'

test_expect_success 'the payload copied itself to \EFI\win7gen2\win7gen2.efi' '
	grep -x "win7gen2: \\\\EFI\\\\win7gen2\\\\win7gen2.efi: written, for win7gen2.s own boot entry" first.log &&
	esp_get "$OWN" own &&
	cmp own "$PAYLOAD"
'

test_expect_success 'its boot entry exists, starts that copy, and is first' '
	entry first.log >number &&
	test "$(wc -l <number)" -eq 1 &&
	number=$(cat number) &&
	grep -x "win7gen2: boot entry Boot$number \"win7gen2 (Windows Boot Manager)\" created" first.log &&
	order first.log >order-1 &&
	test "${number}" = "$(cut -d" " -f1 order-1)" &&
	grep "^W7G2T bootvars: Boot$number attributes=0x1 \"win7gen2 (Windows Boot Manager)\" HD(1,GPT,[-0-9A-F]*[,0-9x]*)/\\\\EFI\\\\win7gen2\\\\win7gen2.efi$" first.log
'

test_expect_success 'the first boot left a record in log.txt' '
	esp_get "\\EFI\\win7gen2\\log.txt" log-1 &&
	grep "^== .* win7gen2.efi [0-9.]* at boot (\\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi)" log-1 &&
	grep "^changed firmware boot entry Boot$(cat number): was missing" log-1 &&
	grep "^== result: ok" log-1 &&
	grep -q "$(printf "\r")\$" log-1
'

test_expect_success 'nothing else was wrapped: the harness at the fallback path is no wrap' '
	! esp_get "\\EFI\\Boot\\bootx64.original.efi" none 2>/dev/null &&
	esp_get "\\EFI\\BOOT\\BOOTX64.EFI" harness &&
	cmp harness "$HARNESS"
'

test_expect_success 'setup: an update writes a newer boot manager over bootmgfw.efi' '
	esp_put "$ESP" loader-2.0 "$BOOTMGFW" &&
	boot_esp disk.img update.log
'

test_expect_success 'the firmware started the payload through its own entry' '
	grep -x "W7G2T harness: started as SysPrep, back to the firmware" update.log &&
	grep "BdsDxe: starting Boot$(cat number) \"win7gen2 (Windows Boot Manager)\"" update.log &&
	grep "^win7gen2 [0-9.]* - Windows 7 on Hyper-V Generation 2" update.log &&
	! grep "W7G2T harness: payload returned" update.log
'

test_expect_success 'the payload said what it found and what it did' '
	grep -x "win7gen2: \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi holds another boot loader, not win7gen2.efi (a Windows update?)" update.log &&
	grep "^win7gen2: \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi: re-wrapped (an update had replaced the payload" update.log
'

test_expect_success 'the tables were fixed and the newer boot manager started' '
	tables_fixed update.log &&
	grep -ix "win7gen2: starting \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.original.efi" update.log &&
	grep -x "W7G2T bootmgr: version 2.0" update.log &&
	grep -x "W7G2T bootmgr: done" update.log
'

test_expect_success 'the wrap is restored on disk: newer original, previous one kept' '
	esp_get "$BOOTMGFW" front &&
	esp_get "$ORIGINAL" kept &&
	esp_get "$OLD" kept-old &&
	cmp front "$PAYLOAD" &&
	cmp kept loader-2.0 &&
	cmp kept-old loader-1.0 &&
	"$MDIR" -b -/ -i "$ESP" ::/ >listing &&
	! grep -i w7g2new listing
'

test_expect_success 'log.txt records the repair' '
	esp_get "\\EFI\\win7gen2\\log.txt" log-2 &&
	grep "^== .* at boot (\\\\EFI\\\\win7gen2\\\\win7gen2.efi)" log-2 &&
	grep "^changed \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi: re-wrapped" log-2 &&
	test "$(grep -c "^== result: ok" log-2)" -eq 2
'

test_expect_success 'the entry stayed first, and no NVRAM write was needed' '
	test "$(entry update.log)" = "$(cat number)" &&
	test "$(order update.log | cut -d" " -f1)" = "$(cat number)" &&
	! grep "boot entry .* created" update.log &&
	! grep "put first in BootOrder" update.log
'

test_expect_success 'a third boot changes nothing on disk or in NVRAM' '
	snapshot before &&
	boot_esp disk.img third.log &&
	snapshot after &&
	test_cmp before after &&
	grep "^W7G2T bootvars: " update.log >nvram-2 &&
	grep "^W7G2T bootvars: " third.log >nvram-3 &&
	test_cmp nvram-2 nvram-3 &&
	! grep -e "re-wrapped" -e "created" -e "put first" -e "written" -e "updated" third.log &&
	grep -x "W7G2T bootmgr: version 2.0" third.log &&
	tables_fixed third.log
'

test_expect_success 'a read-only ESP: the repair fails, said so, and Windows boots' '
	esp_put "$ESP" loader-3.0 "$BOOTMGFW" &&
	snapshot ro-before &&
	READ_ONLY=yes boot_esp disk.img readonly.log &&
	snapshot ro-after &&
	test_cmp ro-before ro-after &&
	grep "^win7gen2: could not put win7gen2.efi back in front of it: " readonly.log &&
	grep "^win7gen2: cannot record this in \\\\EFI\\\\win7gen2\\\\log.txt: " readonly.log &&
	grep -ix "win7gen2: starting \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi" readonly.log &&
	grep -x "W7G2T bootmgr: version 3.0" readonly.log &&
	tables_fixed readonly.log &&
	grep -x "W7G2T bootmgr: done" readonly.log
'

test_expect_success 'writable again, the next boot repairs it' '
	boot_esp disk.img writable.log &&
	esp_get "$BOOTMGFW" front-3 &&
	esp_get "$ORIGINAL" kept-3 &&
	esp_get "$OLD" kept-old-3 &&
	cmp front-3 "$PAYLOAD" &&
	cmp kept-3 loader-3.0 &&
	cmp kept-old-3 loader-2.0 &&
	grep -x "W7G2T bootmgr: version 3.0" writable.log
'

# Set where the payload read its settings before it had an entry.
test_expect_success 'self_repair = off: the update is left as it is and boots' '
	printf "self_repair = off\n" >off.cfg &&
	esp_put "$ESP" off.cfg "\\EFI\\Microsoft\\Boot\\win7gen2.cfg" &&
	esp_put "$ESP" loader-4.0 "$BOOTMGFW" &&
	boot_esp disk.img off.log &&
	! grep "re-wrapped" off.log &&
	esp_get "$BOOTMGFW" front-4 &&
	cmp front-4 loader-4.0 &&
	esp_get "$ORIGINAL" kept-4 &&
	cmp kept-4 loader-3.0 &&
	grep -x "W7G2T bootmgr: version 4.0" off.log &&
	tables_fixed off.log &&
	"$MDEL" -i "$ESP" ::/EFI/Microsoft/Boot/win7gen2.cfg
'

test_expect_success 'setup: another system puts its own entry first' '
	esp_put "$ESP" marker "\\win7gen2-test\\other-os-first" &&
	boot_esp disk.img other.log &&
	"$MDEL" -i "$ESP" ::/win7gen2-test/other-os-first &&
	sed -n "s/^W7G2T bootmgr: another system.s entry Boot\([0-9A-F]*\) put first: Success$/\1/p" \
		other.log >other &&
	test -n "$(cat other)"
'

test_expect_success 'next boot: ours first again, the other kept right behind it' '
	boot_esp disk.img behind.log &&
	grep -x "win7gen2: boot entry Boot$(cat number) put first in BootOrder, before Boot$(cat other)" behind.log &&
	order behind.log >order-behind &&
	test "$(cut -d" " -f1-2 order-behind)" = "$(cat number) $(cat other)" &&
	grep "^W7G2T bootvars: Boot$(cat other) attributes=0x1 \"Windows Boot Manager\" .*\\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi$" behind.log &&
	for entry in $(order other.log); do
		case " $(cat order-behind) " in
		*" $entry "*) ;;
		*) echo "Boot$entry dropped"; return 1 ;;
		esac
	done
'

test_done
