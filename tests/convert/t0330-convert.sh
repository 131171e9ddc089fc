#!/bin/sh
# win7gen2 convert on disks laid out as Windows 7 Setup lays out a Gen1
# disk: the checks, each refusal with nothing changed, the plan, and the
# engine's GPT as sgdisk reads it.

. "$top_srcdir/tests/convert/lib-convert.sh"
require_convert

convert() {
	"$WIN7GEN2" convert --payload payload.efi "$@"
}

# refused IMAGE NAME: convert --dry-run and convert refuse IMAGE as NAME
# and leave it byte for byte as it was.
refused() {
	cp "$1" before.img &&
	test_expect_code 1 convert --disk "$1" --dry-run 2>err &&
	grep "refused ($2)" err && grep -x "Nothing was changed." err &&
	test_expect_code 1 convert --disk "$1" 2>err &&
	grep "refused ($2)" err &&
	cmp before.img "$1"
}

test_expect_success 'setup: a Gen1 disk as Windows 7 Setup makes it' '
	fake_payload payload.efi 0.1.0 &&
	make_gen1_disk gen1.img &&
	sfdisk -d gen1.img >layout &&
	grep "start= *2048, size= *204800, type=7, bootable" layout &&
	grep "start= *206848, size= *$((WINDOWS_MIB * 2048)), type=7$" layout
'

test_expect_success '--help says what it does; usage errors exit 2' '
	convert --help >help &&
	grep -e "--disk PATH" help && grep -e "--dry-run" help &&
	grep "shrinking Windows" help &&
	"$WIN7GEN2" --help | grep "^  convert " &&
	test_expect_code 2 convert 2>err &&
	grep "disk IMAGE|DEVICE is needed" err &&
	test_expect_code 2 convert --disk a --bogus 2>err
'

test_expect_success 'a dry run passes every check, shows the plan, changes nothing' '
	cp gen1.img before.img &&
	convert --disk gen1.img --dry-run >out &&
	grep "Windows: Windows 7 Professional, build 7601, x64, on partition 2" out &&
	grep "disk signature 1234ABCD" out &&
	grep "sectors 2048-206847  MBR type 0x07 active  System Reserved -> EFI system partition" out &&
	grep "keep for --undo in \\\\win7gen2\\\\gen1\\\\ on partition 2" out &&
	grep "MountedDevices" out &&
	grep "nothing was changed" out &&
	cmp before.img gen1.img
'

test_expect_success 'convert: GPT clean to sgdisk, every partition on its sectors' '
	cp gen1.img converted.img &&
	partition_bytes gen1.img $WINDOWS_START 2048 windows-head.before &&
	convert --disk converted.img >out &&
	grep "^Converted" out &&
	sgdisk -v converted.img >verify &&
	grep "No problems found" verify &&
	sgdisk -p converted.img >table &&
	grep -E "^ +1 +2048 +206847 .* EF00 +EFI system partition" table &&
	grep -E "^ +2 +206848 +$((WINDOWS_START + WINDOWS_MIB * 2048 - 1)) .* 0700 +Basic data partition" table &&
	partition_bytes converted.img $WINDOWS_START 1 windows-boot.after &&
	partition_bytes gen1.img $WINDOWS_START 1 windows-boot.before &&
	cmp windows-boot.before windows-boot.after
'

test_expect_success 'convert: the ESP is FAT32, clean, with Windows'"'"' boot files behind win7gen2.efi' '
	partition_bytes converted.img $SYSRES_START $SYSRES_SECTORS esp.fat &&
	fsck.fat -n esp.fat &&
	file -b esp.fat | grep "FAT (32 bit)" &&
	for loader in Boot/bootx64 Microsoft/Boot/bootmgfw; do
		mcopy -n -i esp.fat ::/EFI/$loader.original.efi original.efi &&
		cmp wintree/Windows/Boot/EFI/bootmgfw.efi original.efi &&
		mcopy -n -i esp.fat ::/EFI/$loader.efi wrapped.efi &&
		cmp payload.efi wrapped.efi || return 1
	done &&
	mcopy -n -i esp.fat ::/EFI/win7gen2/win7gen2.efi own.efi && cmp payload.efi own.efi &&
	mcopy -n -i esp.fat ::/EFI/win7gen2/log.txt log.txt &&
	grep "^== .* win7gen2 fix " log.txt &&
	grep "^== .* win7gen2 convert " log.txt &&
	grep -x "partition 1: sectors 2048-206847, MBR type 0x07 -> EFI system partition, $(sgdisk -i 1 converted.img | sed -n "s/^Partition unique GUID: //p")" log.txt &&
	grep "^undo data: .win7gen2.gen1. on partition 2" log.txt &&
	mcopy -n -i esp.fat ::/EFI/Microsoft/Boot/en-US/bootmgfw.efi.mui mui &&
	cmp wintree/Windows/Boot/EFI/en-US/bootmgfw.efi.mui mui &&
	mcopy -n -i esp.fat ::/EFI/Microsoft/Boot/memtest.efi memtest.efi &&
	cmp wintree/Windows/Boot/EFI/memtest.efi memtest.efi
'

test_expect_success 'convert: the Gen2 fix is in the SYSTEM hive' '
	partition_bytes converted.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	ntfscat windows.part Windows/System32/config/SYSTEM >hive &&
	for set in ControlSet001 ControlSet002; do
		test "$(value hive "$set\\Services\\vmbus" Start)" = 0 &&
		test "$(value hive "$set\\Services\\storvsc" Start)" = 0 &&
		test "$(value hive "$set\\Services\\Ntfs" Start)" = 0 &&
		test "$(value hive "$set\\Control\\PnP" PollBootPartitionTimeout)" = 30000 || return 1
	done
'

test_expect_success 'convert: Windows'"'"' files unchanged; the undo data restores by hand too' '
	partition_bytes converted.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	ntfscat windows.part Users/Public/notes.txt >notes &&
	cmp wintree/Users/Public/notes.txt notes &&
	ntfscat windows.part win7gen2/gen1/SYSTEM >hive.kept &&
	cmp wintree/Windows/System32/config/SYSTEM hive.kept &&
	ntfscat windows.part win7gen2/gen1/convert.txt >manifest &&
	grep -x "disk-signature 1234ABCD" manifest &&
	ntfscat windows.part win7gen2/gen1/system-reserved.img.gz | gunzip >sysres.kept &&
	partition_bytes gen1.img $SYSRES_START $SYSRES_SECTORS sysres.before &&
	cmp sysres.before sysres.kept &&
	ntfscat windows.part win7gen2/gen1/first-mib.bin >first.kept &&
	partition_bytes gen1.img 0 2048 first.before &&
	cmp first.before first.kept
'

test_expect_success 'convert: MountedDevices names this disk'"'"'s volumes by partition GUID' '
	partition_bytes converted.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	ntfscat windows.part Windows/System32/config/SYSTEM >hive &&
	mounted_devices hive >mounted &&
	windows_guid=$(sgdisk -i 2 converted.img | sed -n "s/^Partition unique GUID: //p") &&
	esp_guid=$(sgdisk -i 1 converted.img | sed -n "s/^Partition unique GUID: //p") &&
	dmio=44,4d,49,4f,3a,49,44,3a &&
	grep -x "\"\\\\\\\\DosDevices\\\\\\\\C:\"=hex(3):$dmio,$(guid_bytes $windows_guid)" mounted &&
	grep -x "\"\\\\\\\\??\\\\\\\\Volume{5fa1b3c4-0000-0000-0000-100000000000}\"=hex(3):$dmio,$(guid_bytes $esp_guid)" mounted &&
	grep -x "\"\\\\\\\\DosDevices\\\\\\\\D:\"=hex(3):99,99,99,99,00,00,10,00,00,00,00,00" mounted
'

test_expect_success 'convert: the UEFI BCD names the ESP and Windows by GPT GUIDs' '
	mcopy -n -i esp.fat ::/EFI/Microsoft/Boot/BCD BCD &&
	bootmgr={9dea862c-5cdd-4e70-acc1-f32b344d4795} &&
	element() { hivexget BCD "Objects\\$1\\Elements\\$2" Element; } &&
	test "$(hivexget BCD "Objects\\$bootmgr\\Description" Type)" = 269484034 &&
	test "$(element $bootmgr 12000002)" = "\\EFI\\Microsoft\\Boot\\bootmgfw.efi" &&
	loader=$(element $bootmgr 23000003) && resume=$(element $bootmgr 23000006) &&
	test "$(element $loader 12000002)" = "\\Windows\\system32\\winload.efi" &&
	test "$(element $loader 22000002)" = "\\Windows" &&
	test "$(element $loader 12000005)" = en-US &&
	test "$(element $loader 23000003)" = "$resume" &&
	test "$(element $resume 12000002)" = "\\Windows\\system32\\winresume.efi" &&
	disk_guid=$(sgdisk -p converted.img | sed -n "s/^Disk identifier (GUID): //p") &&
	esp_guid=$(sgdisk -i 1 converted.img | sed -n "s/^Partition unique GUID: //p") &&
	windows_guid=$(sgdisk -i 2 converted.img | sed -n "s/^Partition unique GUID: //p") &&
	bcd_device "$esp_guid" "$disk_guid" >esp.device &&
	bcd_device "$windows_guid" "$disk_guid" >windows.device &&
	bcd_element BCD $bootmgr 11000001 >got && test_cmp esp.device got &&
	bcd_element BCD $loader 11000001 >got && test_cmp windows.device got &&
	bcd_element BCD $loader 21000001 >got && test_cmp windows.device got &&
	bcd_element BCD $resume 21000001 >got && test_cmp windows.device got &&
	test "$(hivexget BCD "Objects\\{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}\\Description" Type)" = 537919488
'

test_expect_success 'a converted disk is refused as GPT, unchanged' '
	cp converted.img again.img &&
	refused again.img gpt
'

test_expect_success '--undo --dry-run checks the undo data and changes nothing' '
	cp converted.img before.img &&
	convert --disk converted.img --undo --dry-run >out &&
	grep "checks out" out && grep "Nothing was changed" out &&
	cmp before.img converted.img
'

test_expect_success '--undo puts back the MBR, System Reserved and the SYSTEM hive byte for byte' '
	cp converted.img undone.img &&
	convert --disk undone.img --undo >out &&
	grep "^Undone" out &&
	for range in "0 2048" "$SYSRES_START $SYSRES_SECTORS" \
		"$((WINDOWS_START + WINDOWS_MIB * 2048)) 2048"; do
		partition_bytes gen1.img $range a &&
		partition_bytes undone.img $range b &&
		cmp a b || return 1
	done &&
	partition_bytes undone.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	ntfscat windows.part Windows/System32/config/SYSTEM >hive &&
	cmp wintree/Windows/System32/config/SYSTEM hive &&
	sfdisk -d gen1.img | sed "s/gen1\.img//" >layout.before &&
	sfdisk -d undone.img | sed "s/undone\.img//" >layout.undone &&
	test_cmp layout.before layout.undone &&
	convert --disk undone.img --dry-run >out &&
	grep "every check passed" out
'

test_expect_success '--undo on a disk never converted is refused, unchanged' '
	cp gen1.img before.img &&
	test_expect_code 1 convert --disk gen1.img --undo 2>err &&
	grep "no valid GPT" err &&
	cmp before.img gen1.img
'

test_expect_success 'a GPT disk is refused, unchanged' '
	cp gen1.img gpt.img &&
	"$GPT_APPLY" gpt.img 2 &&
	refused gpt.img gpt
'

test_expect_success 'no room for the backup GPT: refused, says to grow by 1 MiB; grown, it passes' '
	cp gen1.img full.img &&
	windows_sectors=$((WINDOWS_MIB * 2048 + 2048)) &&
	printf "%s\n" "start=$WINDOWS_START, size=$windows_sectors, type=7" |
		sfdisk -q -N 2 full.img >/dev/null 2>&1 &&
	refused full.img no-room-end &&
	grep "grow the disk by 1 MiB" err &&
	grep "qemu-img resize IMAGE +1M" err && grep "Resize-VHD" err &&
	truncate -s +1M full.img &&
	convert --disk full.img --dry-run >out
'

test_expect_success 'a BitLocker Windows partition is refused, unchanged' '
	cp gen1.img bitlocker.img &&
	printf -- "-FVE-FS-" | dd of=bitlocker.img bs=1 seek=$((WINDOWS_START * 512 + 3)) \
		conv=notrunc status=none &&
	refused bitlocker.img bitlocker &&
	grep "manage-bde -off" err
'

test_expect_success 'a dynamic disk is refused, unchanged' '
	cp gen1.img dynamic.img &&
	sfdisk -q --part-type dynamic.img 2 42 &&
	refused dynamic.img dynamic
'

test_expect_success 'an extended partition is refused, unchanged' '
	cp gen1.img extended.img &&
	sfdisk -q --part-type extended.img 2 f &&
	refused extended.img extended
'

test_expect_success 'a disk without Windows is refused, unchanged' '
	mkdir -p empty-tree/Data && echo data >empty-tree/Data/file &&
	make_gen1_disk nowin.img empty-tree &&
	refused nowin.img no-windows &&
	grep "no installed Windows" err
'

test_expect_success '32-bit Windows and Windows 7 without SP1 are refused, unchanged' '
	make_windows_tree x86-tree x86 &&
	make_gen1_disk x86.img x86-tree &&
	refused x86.img no-windows && grep "for x86, not x64" err &&
	make_windows_tree rtm-tree AMD64 7600 &&
	make_gen1_disk rtm.img rtm-tree &&
	refused rtm.img no-windows && grep "no Service Pack 1" err
'

test_expect_success 'a hibernated Windows is refused, unchanged; one that resumed is not' '
	make_windows_tree hibr-tree &&
	{ printf hibr; head -c 4092 /dev/zero; } >hibr-tree/hiberfil.sys &&
	make_gen1_disk hibr.img hibr-tree &&
	refused hibr.img hibernated && grep "shut it down, not hibernate" err &&
	{ printf wake; head -c 4092 /dev/zero; } >hibr-tree/hiberfil.sys &&
	make_gen1_disk woke.img hibr-tree &&
	convert --disk woke.img --dry-run >out
'

test_expect_success 'Windows alone on its active partition is refused (no shrinking)' '
	cp gen1.img single.img &&
	sfdisk -q --delete single.img 1 &&
	sfdisk -q --activate single.img 2 &&
	refused single.img no-system-reserved &&
	grep "shrinking" err
'

test_expect_success 'Windows on the active partition beside a data partition: refused, not shrunk' '
	mkdir -p data-tree/Data && echo data >data-tree/Data/file &&
	mv sysres-tree sysres-tree.kept && cp -r wintree sysres-tree &&
	make_gen1_disk win-active.img data-tree &&
	rm -rf sysres-tree && mv sysres-tree.kept sysres-tree &&
	refused win-active.img no-system-reserved &&
	grep "holds Windows itself" err && grep "shrinking it for an ESP is not done" err
'

test_expect_success 'a System Reserved holding more than boot files is refused, unchanged' '
	mkdir -p sysres-more && cp -r sysres-tree/. sysres-more/ &&
	echo "keep me" >sysres-more/important.doc &&
	mv sysres-tree sysres-tree.kept && mv sysres-more sysres-tree &&
	make_gen1_disk more.img &&
	rm -rf sysres-tree && mv sysres-tree.kept sysres-tree &&
	refused more.img no-system-reserved &&
	grep "important.doc" err
'

test_expect_success 'a read-only image is refused, unchanged' '
	cp gen1.img ro.img &&
	if test "$(id -u)" = 0; then
		# root writes any file: run as nobody, who may only read it.
		chmod 755 . && chmod 644 ro.img &&
		cp ro.img before.img &&
		test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$WIN7GEN2" convert --disk ro.img --dry-run 2>err &&
		grep "refused (read-only)" err && cmp before.img ro.img
	else
		chmod a-w ro.img && refused ro.img read-only
	fi
'

test_expect_success 'an image another program holds locked (a running VM) is refused, unchanged' '
	cp gen1.img locked.img && cp gen1.img before.img &&
	# Holds a read lock, as QEMU does on an image it has open, while
	# convert runs in a child.
	test_expect_code 1 python3 -c "
import fcntl, subprocess, sys
image = open(sys.argv[1], \"rb\")
fcntl.lockf(image, fcntl.LOCK_SH, 1, 100)
sys.exit(subprocess.call(sys.argv[2:]))" locked.img \
		"$WIN7GEN2" convert --payload payload.efi --disk locked.img 2>err &&
	grep "refused (in-use)" err && cmp before.img locked.img
'

test_expect_success 'the engine GPT: sgdisk -v clean, types and sectors kept, data untouched' '
	command -v sgdisk >/dev/null || { say "sgdisk missing (apt-get install gdisk)"; false; } &&
	cp gen1.img gpt.img &&
	partition_bytes gen1.img $SYSRES_START $SYSRES_SECTORS sysres.before &&
	partition_bytes gen1.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.before &&
	"$GPT_APPLY" gpt.img 2 &&
	sgdisk -v gpt.img >verify &&
	grep "No problems found" verify &&
	sgdisk -p gpt.img >table &&
	grep -E "^ +1 +2048 +206847 .* EF00 +EFI system partition" table &&
	grep -E "^ +2 +206848 +$((WINDOWS_START + WINDOWS_MIB * 2048 - 1)) .* 0700 +Basic data partition" table &&
	partition_bytes gpt.img $SYSRES_START $SYSRES_SECTORS sysres.after &&
	partition_bytes gpt.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.after &&
	cmp sysres.before sysres.after && cmp windows.before windows.after &&
	sgdisk -i 1 gpt.img >one && sgdisk -i 2 gpt.img >two &&
	! test "$(grep "unique GUID" one)" = "$(grep "unique GUID" two)"
'

test_done
