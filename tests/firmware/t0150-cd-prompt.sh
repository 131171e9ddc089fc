#!/bin/sh
# A CD boot manager that asks "Press any key to boot from CD or DVD"
# must not stall an unattended install: with answer_prompt = on the
# payload answers it; without, the loader falls through as it would.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware

test_expect_success 'setup: a loader with the CD prompt' '
	esp_gen2 esp.img &&
	printf "prompt\n" >cd-prompt &&
	esp_put esp.img cd-prompt "\\win7gen2-test\\cd-prompt"
'

test_expect_success 'answer_prompt = on: the prompt gets its key' '
	esp_config esp.img "answer_prompt = on" &&
	boot_esp esp.img answered.log &&
	grep -x "W7G2T cdboot: key 0xD" answered.log &&
	grep -x "W7G2T bootmgr: done" answered.log
'

test_expect_success 'answer_prompt off: nobody answers and the loader gives up' '
	esp_config esp.img "answer_prompt = off" &&
	boot_esp esp.img unanswered.log &&
	grep -x "W7G2T cdboot: no key, falling through to the next device" unanswered.log
'

test_expect_success 'answer_prompt off: a person at the console still gets through' '
	boot_esp_keys esp.img typed.log "Press any key" " " &&
	grep -x "W7G2T cdboot: key 0x20" typed.log
'

test_done
