#!/bin/sh
# With no boot manager to start, the payload says what it tried and why
# it failed, waits the configured time and returns to the firmware: no
# hang, no reboot loop.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware

test_expect_success 'setup: boot a payload whose original is missing' '
	esp_new esp.img &&
	esp_put esp.img "$HARNESS" "\\EFI\\BOOT\\BOOTX64.EFI" &&
	esp_put esp.img "$PAYLOAD" "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" &&
	esp_config esp.img "error_timeout = 3" &&
	boot_esp esp.img serial.log
'

test_expect_success 'the screen names each path tried and its status' '
	grep -x "win7gen2: could not start the Windows Boot Manager." serial.log &&
	grep -x "  \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.original.efi: Not Found" serial.log &&
	grep -x "  \\\\EFI\\\\Boot\\\\bootx64.original.efi: Not Found" serial.log
'

test_expect_success 'it never tries to start itself' '
	! grep "  \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi:" serial.log
'

# Under TCG on a loaded host the guest's clocks drift by a fifth or so:
# the lower bound only proves the message stayed up for a while, the
# upper bound that the payload came back instead of hanging.
test_expect_success 'it returns to the firmware after the timeout' '
	grep -x "win7gen2: returning to the firmware" serial.log &&
	sed -n "s/^W7G2T harness: payload returned Not Found after \([0-9]*\) ms$/\1/p" \
		serial.log >ms &&
	test -s ms &&
	test "$(cat ms)" -ge 1500 && test "$(cat ms)" -lt 8000
'

test_done
