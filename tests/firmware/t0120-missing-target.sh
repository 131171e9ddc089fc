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
	esp_config esp.img "error_timeout = 4" &&
	boot_esp_timed esp.img serial.log "Returning to the firmware in 4 s" \
		"win7gen2: returning to the firmware"
'

test_expect_success 'the screen names each path tried and its status' '
	grep -x "win7gen2: could not start the Windows Boot Manager." serial.log &&
	grep -x "  \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.original.efi: Not Found" serial.log &&
	grep -x "  \\\\EFI\\\\Boot\\\\bootx64.original.efi: Not Found" serial.log
'

test_expect_success 'it never tries to start itself' '
	grep -x "win7gen2: could not start the Windows Boot Manager." serial.log &&
	! grep "  \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi:" serial.log
'

# Timed by this host's clock (boot_esp_timed): the guest's figure came
# out at 1483 ms for 3 s under make -j2 on a busy host.  The lower bound
# proves the message stayed up, allowing for a late look at the console;
# a payload that hung would have failed the setup (BOOT_TIMEOUT).
test_expect_success 'it returns to the firmware after the timeout' '
	grep -x "win7gen2: returning to the firmware" serial.log &&
	grep -x "W7G2T harness: payload returned Not Found after [0-9]* ms" serial.log &&
	test -s serial.log.ms &&
	say "$(cat serial.log.ms) ms from the message to the return" &&
	test "$(cat serial.log.ms)" -ge 2500 && test "$(cat serial.log.ms)" -lt 60000
'

test_done
