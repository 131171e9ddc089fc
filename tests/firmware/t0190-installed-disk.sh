#!/bin/sh
# After Setup the agent restarts the VM.  If the DVD still boots first,
# the ISO's menu must boot the Windows it installed, not install over it.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
command -v sfdisk >/dev/null || skip_all "sfdisk not found (apt-get install fdisk)"
WIN7GEN2=$top_builddir/builder/win7gen2
test -x "$WIN7GEN2" || skip_all "the win7gen2 command is not built (see configure's summary)"
PATH=$PATH:/usr/sbin:/sbin

test_expect_success 'setup: the built ISO and a disk win7gen2 installed' '
	"$top_srcdir/tests/sample/make-sample-iso" "$FAKE_BOOTMGR" sample.iso &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output gen2.iso --edition 1 \
		--menu-timeout 2 --payload "$PAYLOAD" >report &&
	gpt_disk disk.img &&
	esp_put disk.img@@1M "$PAYLOAD" "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" &&
	esp_put disk.img@@1M "$FAKE_BOOTMGR" "\\EFI\\Microsoft\\Boot\\bootmgfw.original.efi"
'

test_expect_success 'setup: boot the ISO with nobody at the keyboard' '
	SECOND_DISK=disk.img boot_esp gen2.iso again.log
'

test_expect_success 'the menu offers the installed system, as the default' '
	grep -x "  4. Boot the Windows 7 installed on this VM.s disk  (default)" again.log &&
	grep -x "  1. Install Windows 7" again.log
'

test_expect_success 'the default boots the disk: its payload, then its boot manager' '
	grep -x "win7gen2: Boot the Windows 7 installed on this VM.s disk" again.log &&
	grep -x "win7gen2: starting \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.original.efi" again.log &&
	grep -x "W7G2T bootmgr: done" again.log
'

test_expect_success 'no install mode was handed on' '
	grep -x "W7G2T bootmgr: mode variable Not Found" again.log
'

test_expect_success 'setup: a bare Microsoft boot manager on the disk, nobody at the keyboard' '
	esp_put disk.img@@1M "$FAKE_BOOTMGR" "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" &&
	SECOND_DISK=disk.img boot_esp gen2.iso bare.log
'

test_expect_success 'a bare Microsoft boot manager is no system win7gen2 installed' '
	! grep "Boot the Windows 7 installed" bare.log
'

# Some Windows is there, maybe one that no longer boots: never wipe it
# unasked.
test_expect_success 'but it is a Windows: Rescue is the default, never Install' '
	grep -x "Disk 1 (200 MiB): GPT, 2 partitions; Windows found" bare.log &&
	grep -x "    1: 100 MiB FAT16 \"ESP\"" bare.log &&
	grep -x "A disk holds Windows: Rescue starts by itself, never Install." bare.log &&
	grep -x "  2. Rescue an installed system  (default)" bare.log &&
	grep -x "W7G2T bootmgr: mode variable \"rescue\" attributes=0x6" bare.log
'

test_done
