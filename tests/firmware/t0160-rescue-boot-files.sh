#!/bin/sh
# Rescue from the ISO without Windows PE: every EFI system partition
# gets the payload back in front of a bare Windows boot manager, and the
# disk then boots payload -> original.  Other partitions are not touched.
# The rescue follows the fix engine's rule (common/wrap_rule.h): an
# update's loader is re-wrapped keeping the previous original, a file
# that is no x64 EFI image is left alone.  t0165 runs the whole table.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
command -v sfdisk >/dev/null || skip_all "sfdisk not found (apt-get install fdisk)"

# The keys: Rescue, then "repair the boot files now".
rescue_keys='"Choose 1-[34]" 2 "Choose 1-2" 1'

# esp_get DISK \PATH FILE: copy a file out of the disk's ESP.
esp_get() {
	"$MCOPY" -o -i "$1@@1M" "::$(printf '%s' "$2" | tr '\\' /)" "$3"
}

test_expect_success 'setup: an ISO with the menu and a disk with a bare boot manager' '
	esp_gen2 iso.img &&
	esp_config iso.img "menu = on
menu_timeout = 30
error_timeout = 1" &&
	gpt_disk disk.img &&
	esp_put disk.img@@1M "$FAKE_BOOTMGR" "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" &&
	esp_put disk.img@@1M "$FAKE_BOOTMGR" "\\EFI\\Boot\\bootx64.efi" &&
	esp_put disk.img@@101M "$FAKE_BOOTMGR" "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
'

test_expect_success 'setup: Rescue -> repair the boot files' '
	eval "SECOND_DISK=disk.img boot_esp_keys iso.img rescue.log $rescue_keys"
'

test_expect_success 'the repair reports each loader on the one ESP' '
	grep -x "win7gen2: 1 EFI system partition(s) found" rescue.log &&
	grep -x "    \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi: wrapped" rescue.log &&
	grep -x "    \\\\EFI\\\\Boot\\\\bootx64.efi: wrapped" rescue.log &&
	grep "boot file repair done; restarting" rescue.log
'

test_expect_success 'the ESP has the payload in front and the original kept' '
	esp_get disk.img "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" front &&
	esp_get disk.img "\\EFI\\Microsoft\\Boot\\bootmgfw.original.efi" kept &&
	cmp front "$PAYLOAD" &&
	cmp kept "$FAKE_BOOTMGR" &&
	esp_get disk.img "\\EFI\\Boot\\bootx64.efi" front64 &&
	esp_get disk.img "\\EFI\\Boot\\bootx64.original.efi" kept64 &&
	cmp front64 "$PAYLOAD" &&
	cmp kept64 "$FAKE_BOOTMGR"
'

test_expect_success 'no temporary file is left behind' '
	"$MDIR" -b -/ -i disk.img@@1M ::/ >listing &&
	! grep -i w7g2new listing
'

test_expect_success 'the basic data partition is not touched' '
	"$MCOPY" -i disk.img@@101M ::/EFI/Microsoft/Boot/bootmgfw.efi data-loader &&
	cmp data-loader "$FAKE_BOOTMGR" &&
	"$MDIR" -b -/ -i disk.img@@101M ::/ >data-listing &&
	! grep -i original data-listing
'

test_expect_success 'the repaired disk boots payload -> original' '
	boot_esp disk.img disk.log &&
	grep "^win7gen2 [0-9.]* - Windows 7 on Hyper-V Generation 2" disk.log &&
	grep -ix "win7gen2: starting \\\\EFI\\\\BOOT\\\\BOOTX64.original.efi" disk.log &&
	grep -x "W7G2T bootmgr: done" disk.log
'

test_expect_success 'a second repair finds everything already wrapped' '
	eval "SECOND_DISK=disk.img boot_esp_keys iso.img again.log $rescue_keys" &&
	grep -x "    \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi: already wrapped" again.log &&
	esp_get disk.img "\\EFI\\Microsoft\\Boot\\bootmgfw.original.efi" kept-again &&
	cmp kept-again "$FAKE_BOOTMGR"
'

test_expect_success 'an update over the payload is re-wrapped, the newer loader kept' '
	esp_put disk.img@@1M "$HARNESS" "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" &&
	eval "SECOND_DISK=disk.img boot_esp_keys iso.img update.log $rescue_keys" &&
	grep "    \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi: re-wrapped" update.log &&
	esp_get disk.img "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" front-new &&
	esp_get disk.img "\\EFI\\Microsoft\\Boot\\bootmgfw.original.efi" kept-new &&
	cmp front-new "$PAYLOAD" &&
	cmp kept-new "$HARNESS"
'

# As win7gen2 fix does (common/wrap_rule.h): one generation back is kept.
test_expect_success 'the previous original is kept as bootmgfw.original.old.efi' '
	esp_get disk.img "\\EFI\\Microsoft\\Boot\\bootmgfw.original.old.efi" kept-old &&
	cmp kept-old "$FAKE_BOOTMGR"
'

test_expect_success 'a file that is not an x64 EFI image is left alone, and said so' '
	printf "not a boot loader\n" >junk.efi &&
	esp_put disk.img@@1M junk.efi "\\EFI\\Boot\\bootx64.efi" &&
	eval "SECOND_DISK=disk.img boot_esp_keys iso.img junk.log $rescue_keys" &&
	grep -x "    \\\\EFI\\\\Boot\\\\bootx64.efi: not an x64 EFI image: left alone" junk.log &&
	grep -x "    \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi: already wrapped" junk.log &&
	grep "boot file repair left problems" junk.log &&
	esp_get disk.img "\\EFI\\Boot\\bootx64.efi" junk-after &&
	cmp junk-after junk.efi &&
	esp_get disk.img "\\EFI\\Boot\\bootx64.original.efi" kept64-after &&
	cmp kept64-after "$FAKE_BOOTMGR"
'

test_expect_success 'Rescue -> Windows PE (the default) sets the rescue mode' '
	eval "SECOND_DISK=disk.img boot_esp_keys iso.img pe.log \"Choose 1-[34]\" 2 \"Choose 1-2\" 2" &&
	grep -x "W7G2T bootmgr: mode variable \"rescue\" attributes=0x6" pe.log
'

test_done
