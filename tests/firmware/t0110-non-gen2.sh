#!/bin/sh
# On a machine that is not Hyper-V Gen2 (QEMU's own tables) the payload
# changes nothing and still starts the boot manager.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware

test_expect_success 'setup: the tables as the boot manager sees them without us' '
	esp_new plain.img &&
	esp_put plain.img "$HARNESS" "\\EFI\\BOOT\\BOOTX64.EFI" &&
	esp_put plain.img "$FAKE_BOOTMGR" "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" &&
	boot_esp plain.img plain.log &&
	w7g2_lines plain.log | grep -e "^W7G2T table" -e "^W7G2T madt" \
		-e "^W7G2T fadt" -e "^W7G2T srat" -e "^W7G2T rsdp" >expect &&
	grep "^W7G2T table FACP" expect
'

test_expect_success 'setup: the same machine with the payload in front' '
	esp_gen2 esp.img &&
	boot_esp esp.img serial.log &&
	w7g2_lines serial.log | grep -e "^W7G2T table" -e "^W7G2T madt" \
		-e "^W7G2T fadt" -e "^W7G2T srat" -e "^W7G2T rsdp" >actual
'

test_expect_success 'the payload sees no Gen2 and leaves the tables alone' '
	grep "not Hyper-V Gen2" serial.log &&
	grep -x "win7gen2: ACPI tables left as they are (gen2 = auto)" serial.log
'

test_expect_success 'it read the firmware.s own root table: the memory map vouched for it' '
	grep -x "win7gen2: hypervisor \"TCGTCGTCGTCG\", ACPI OEM \"BOCHS \"/\"BXPC    \" -> not Hyper-V Gen2" \
		serial.log &&
	! grep "not read: the memory map" serial.log
'

test_expect_success 'the boot manager sees the very same tables' '
	test_cmp expect actual
'

test_expect_success 'the boot manager was started all the same' '
	grep -x "W7G2T bootmgr: done" serial.log
'

# Where OVMF puts its tables is real firmware's choice, not the harness's:
# the memory map must vouch for every one of them.
test_expect_success 'gen2 = force on these tables: every one read, none skipped' '
	esp_config esp.img "gen2 = force" &&
	boot_esp esp.img forced.log &&
	grep -x "win7gen2: 0 fixes applied, [1-9][0-9]* already correct, 0 skipped in [1-9][0-9]* tables" \
		forced.log &&
	! grep "not read: the memory map" forced.log &&
	grep -x "W7G2T bootmgr: done" forced.log
'

test_done
