#!/bin/sh
# On an installed system the payload shows the summary of a failed
# repair before Windows starts, and stays quiet when the repair went
# well.  Either way the boot goes on.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware

test_expect_success 'setup: a wrapped disk whose last repair failed' '
	esp_gen2 esp.img &&
	esp_config esp.img "error_timeout = 1" &&
	printf "%s\r\n" "win7gen2 status: failed" "Setup failed (exit code 31)" \
		"" "Setup logs copied to \\EFI\\win7gen2\\setup\\" >status.txt &&
	esp_put esp.img status.txt "\\EFI\\win7gen2\\status.txt" &&
	boot_esp esp.img failed.log
'

test_expect_success 'the failure and its summary are shown' '
	grep -x "win7gen2: the last repair of this system reported a failure:" failed.log &&
	grep -x "  Setup failed (exit code 31)" failed.log &&
	grep -x "  Setup logs copied to \\\\EFI\\\\win7gen2\\\\setup\\\\" failed.log &&
	grep -x "Full log: \\\\EFI\\\\win7gen2\\\\log.txt on this disk.  Continuing in 1 s." failed.log
'

test_expect_success 'and Windows still starts' '
	grep -x "W7G2T bootmgr: done" failed.log
'

test_expect_success 'a good repair shows nothing' '
	printf "%s\r\n" "win7gen2 status: ok" "all fixed" >status.txt &&
	esp_put esp.img status.txt "\\EFI\\win7gen2\\status.txt" &&
	boot_esp esp.img ok.log &&
	! grep "reported a failure" ok.log &&
	! grep "all fixed" ok.log &&
	grep -x "W7G2T bootmgr: done" ok.log
'

test_done
