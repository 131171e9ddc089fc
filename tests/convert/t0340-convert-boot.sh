#!/bin/sh
# A Gen1 disk converted by win7gen2 convert boots by UEFI (OVMF) from its
# new ESP: the firmware finds \EFI\Boot\bootx64.efi, which is win7gen2.efi,
# and it starts Windows' boot manager (a stand-in here) kept beside it.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
. "$top_srcdir/tests/convert/lib-convert.sh"
require_firmware
require_convert

test_expect_success 'setup: a Gen1 disk whose Windows holds the boot manager stand-in' '
	make_windows_tree wintree &&
	cp "$FAKE_BOOTMGR" wintree/Windows/Boot/EFI/bootmgfw.efi &&
	make_gen1_disk gen1.img &&
	"$WIN7GEN2" convert --payload "$PAYLOAD" --disk gen1.img >convert.out
'

test_expect_success 'setup: boot the converted disk with nobody at the keyboard' '
	boot_esp gen1.img boot.log
'

test_expect_success 'the firmware starts win7gen2.efi from the ESP, which starts the boot manager' '
	grep -i -x "win7gen2: starting \\\\EFI\\\\Boot\\\\bootx64.original.efi" boot.log &&
	grep -x "W7G2T bootmgr: done" boot.log
'

test_expect_success 'win7gen2'"'"'s own boot entry names the ESP by the GUID convert gave it' '
	esp_guid=$(sgdisk -i 1 gen1.img | sed -n "s/^Partition unique GUID: //p") &&
	grep "^W7G2T bootvars: Boot.*\"win7gen2 (Windows Boot Manager)\" HD(1,GPT,$esp_guid)/\\\\EFI\\\\win7gen2\\\\win7gen2.efi$" boot.log
'

test_done
