#!/bin/sh
# win7gen2pe.exe --convert DISK, the run that writes, in win7gen2
# convert's order: the undo set on the Windows volume (the same one the
# Linux command keeps), read back whole; System Reserved locked, the
# GPT; the ESP formatted by format.com and given Windows' boot files and
# a UEFI boot store written by the engine - on a host never bcdboot.exe,
# which may add a boot entry to the host's own firmware; MountedDevices
# in GPT form and the Gen2 fix in W:'s SYSTEM hive; the run record in the
# ESP's log.
#
# As in t0450, wine opens no \\.\PhysicalDriveN: the test build of the
# agent (tests/agent/win7gen2pe-test.exe, fake-convertdisk.c) reads and
# writes an image file, and the partitions' files are wine drives linked
# to folders (S: System Reserved, W: Windows).  The undo set therefore
# lands in the W: folder; the tests copy it into the image's NTFS with
# ntfscp where the Linux command is to read it.  format.com and
# bcdboot.exe are stand-ins (fake-format.c, fake-bcdboot.c) in wine's
# System32; bcdboot's leaves a record if it runs.  W:'s SYSTEM hive and
# BCD-Template are in the format wine's RegLoadKey reads (make_wine_hive,
# make_wine_bcd_template), so the hives are checked as that text, not
# with hivex.  The disk image's own NTFS keeps make_windows_tree's regf
# hives, for the Linux command.
#
# What only a real Windows shows: the volume lock and dismount, the
# table reread (IOCTL_DISK_UPDATE_PROPERTIES), a letter for the new ESP,
# what the real format.com does, and RegLoadKey on a regf BCD.  The
# Windows PE case (mode convert:SSSSSSSS, which runs bcdboot W:\Windows
# /s S:) is run once, with --mode and wine's MiniNT key, at the end.

. "$top_srcdir/tests/agent/lib-agent-convert.sh"
command -v ntfscp >/dev/null || skip_all "ntfscp not found (apt-get install ntfs-3g)"

UNDO_FILES="first-mib.bin last-mib.bin system-reserved.img.gz SYSTEM convert.txt"

SYSTEM32=$WINEPREFIX/drive_c/windows/system32
BOOTMGR={9dea862c-5cdd-4e70-acc1-f32b344d4795}
WIN_HIVE=wintree/Windows/System32/config/SYSTEM

# wine_hive FILE: make_wine_hive's SYSTEM with MountedDevices as
# make_windows_tree has it (this disk's C: and System Reserved, and a D:
# on another disk).
wine_hive() {
	make_wine_hive "$1" &&
	printf '%s\n' '[MountedDevices] 1795661594' \
		'"\\DosDevices\\C:"=hex:cd,ab,34,12,00,00,50,06,00,00,00,00' \
		'"\\??\\Volume{5fa1b3c4-0000-0000-0000-100000000000}"=hex:cd,ab,34,12,00,00,10,00,00,00,00,00' \
		'"\\DosDevices\\D:"=hex:99,99,99,99,00,00,10,00,00,00,00,00' '' >>"$1"
}

# wine_value HIVE KEY NAME: a value as wine's hive text has it
# ("dword:00000000", "hex:44,4d,..."), continued lines joined.
wine_value() {
	sed -e ':a' -e '/\\$/{N;s/\\\n *//;ba}' "$1" >hive.joined &&
	KEY="[$2]" NAME="\"$3\"" awk '
		BEGIN { key = ENVIRON["KEY"]; name = ENVIRON["NAME"] }
		/^\[/ { line = $0; sub(/\] [0-9]+$/, "]", line); gsub(/\\\\/, "\\", line)
			in_key = (line == key); next }
		in_key && index($0, name "=") == 1 { print substr($0, length(name) + 2); exit }
	' hive.joined
}

# fresh: the Gen1 disk, its folders and the stand-ins as before any run.
fresh() {
	cp gen1.img disk.img &&
	rm -rf sysres-tree wintree/win7gen2 &&
	cp -R sysres.orig sysres-tree &&
	cp hive.orig $WIN_HIVE &&
	rm -f "$AGENT_DIR/convertdisk.log" "$SYSTEM32"/format-*.txt "$SYSTEM32"/bcdboot-*.txt
}

test_expect_success 'setup: a Gen1 disk, its partitions'"'"' files on S: and W:, the stand-ins' '
	gen1_on_drives &&
	fake_payload "$AGENT_DIR/win7gen2.efi" 0.1.0 &&
	make_wine_bcd_template wintree/Windows/System32/config/BCD-Template &&
	cp -R sysres-tree sysres.orig &&
	cp $WIN_HIVE system.regf &&
	wine_hive hive.orig &&
	"$MINGW_CC" -municode -o "$SYSTEM32/format.com" "$top_srcdir/tests/agent/fake-format.c" &&
	"$MINGW_CC" -municode -o "$SYSTEM32/bcdboot.exe" "$top_srcdir/tests/agent/fake-bcdboot.c" &&
	letters "$SYSRES_START S" "$WINDOWS_START W" &&
	stop_wine &&
	test -f "$WINEPREFIX/dosdevices/w:/Windows/System32/ntoskrnl.exe"
'

test_expect_success 'a run converts: System Reserved locked, the undo set, the table, release, refresh, ESP' '
	fresh &&
	"$WINE" winecfg /v win10 >/dev/null 2>&1 &&
	convert disk.img &&
	grep "^Keeping what --undo needs in W:.win7gen2.gen1. (partition 2)" out &&
	grep "^The undo data is in W:.win7gen2.gen1. and reads back whole." out &&
	grep "^Converted: attach the disk to a Generation 2 VM" out &&
	for file in $UNDO_FILES; do
		test -s "wintree/win7gen2/gen1/$file" || return 1
	done &&
	printf "%s\n" "open write" "lock $SYSRES_START" release refresh \
		"mount $SYSRES_START S" "unmount S" >expect &&
	disk_log >log &&
	test_cmp expect log
'

test_expect_success 'the table: a clean GPT, every partition on its sectors, Windows'"'"' sectors as they were' '
	sgdisk -v disk.img | grep "No problems found" &&
	sgdisk -i 1 disk.img >esp.info &&
	grep "^First sector: $SYSRES_START " esp.info &&
	grep "^Last sector: $((SYSRES_START + SYSRES_SECTORS - 1)) " esp.info &&
	grep -i "^Partition GUID code: C12A7328-F81F-11D2-BA4B-00A0C93EC93B" esp.info &&
	sgdisk -i 2 disk.img | grep "^First sector: $WINDOWS_START " &&
	partition_bytes gen1.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.before &&
	partition_bytes disk.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.after &&
	cmp windows.before windows.after &&
	head -c 512 /dev/zero >zero.sector &&
	partition_bytes disk.img $SYSRES_START 1 boot.sector && cmp zero.sector boot.sector &&
	partition_bytes disk.img $((SYSRES_START + SYSRES_SECTORS - 1)) 1 boot.sector &&
	cmp zero.sector boot.sector
'

test_expect_success 'on a host the ESP is format.com'"'"'s, with Windows'"'"' boot files; no bcdboot.exe runs' '
	tr -d "\r" <"$SYSTEM32/format-args.txt" >format.args &&
	grep -x "\"C:.windows.system32.format.com\" S: /FS:FAT32 /Q /Y /V:SYSTEM" format.args &&
	! test -e "$SYSTEM32/bcdboot-args.txt" &&
	grep "^The UEFI boot store S:.EFI.Microsoft.Boot.BCD is written (no bcdboot" out &&
	! test -e sysres-tree/bootmgr &&
	cmp wintree/Windows/Boot/EFI/memtest.efi sysres-tree/EFI/Microsoft/Boot/memtest.efi &&
	cmp wintree/Windows/Boot/EFI/en-US/bootmgfw.efi.mui \
		sysres-tree/EFI/Microsoft/Boot/en-US/bootmgfw.efi.mui &&
	cmp wintree/Windows/Boot/EFI/bootmgfw.efi sysres-tree/EFI/Microsoft/Boot/bootmgfw.original.efi &&
	cmp wintree/Windows/Boot/EFI/bootmgfw.efi sysres-tree/EFI/Boot/bootx64.original.efi
'

# bcd_value OBJECT ELEMENT: the Element value in S:'s BCD, as wine's text.
bcd_value() {
	wine_value sysres-tree/EFI/Microsoft/Boot/BCD "Objects\\$1\\Elements\\$2" Element
}

test_expect_success 'the boot store names the ESP and Windows by the GUIDs of the GPT on the disk' '
	disk_guid=$(sgdisk -p disk.img | sed -n "s/^Disk identifier (GUID): //p") &&
	esp_guid=$(sgdisk -i 1 disk.img | sed -n "s/^Partition unique GUID: //p") &&
	windows_guid=$(sgdisk -i 2 disk.img | sed -n "s/^Partition unique GUID: //p") &&
	z8=00,00,00,00,00,00,00,00 &&
	head="hex:$z8,$z8,06,00,00,00,00,00,00,00,48,00,00,00,00,00,00,00" &&
	test "$(bcd_value $BOOTMGR 11000001)" = \
		"$head,$(guid_bytes $esp_guid),$z8,$(guid_bytes $disk_guid),$z8,$z8" &&
	test "$(bcd_value $BOOTMGR 12000002)" = "\"\\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi\"" &&
	loader=$(bcd_value $BOOTMGR 23000003 | tr -d "\"") &&
	resume=$(bcd_value $BOOTMGR 23000006 | tr -d "\"") &&
	test -n "$loader" && test -n "$resume" && test "$loader" != "$resume" &&
	windows_device="$head,$(guid_bytes $windows_guid),$z8,$(guid_bytes $disk_guid),$z8,$z8" &&
	test "$(bcd_value $loader 11000001)" = "$windows_device" &&
	test "$(bcd_value $loader 21000001)" = "$windows_device" &&
	test "$(bcd_value $loader 12000002)" = "\"\\\\Windows\\\\system32\\\\winload.efi\"" &&
	test "$(bcd_value $loader 22000002)" = "\"\\\\Windows\"" &&
	test "$(bcd_value $loader 23000003)" = "\"$resume\"" &&
	test "$(bcd_value $resume 12000002)" = "\"\\\\Windows\\\\system32\\\\winresume.efi\"" &&
	test "$(bcd_value $resume 21000001)" = "$windows_device" &&
	test "$(wine_value sysres-tree/EFI/Microsoft/Boot/BCD \
		"Objects\\{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}\\Description" Type)" = dword:20100000
'

test_expect_success 'W:'"'"'s SYSTEM: MountedDevices by partition GUID, the Gen2 fix; the ESP'"'"'s log' '
	windows_guid=$(sgdisk -i 2 disk.img | sed -n "s/^Partition unique GUID: //p") &&
	esp_guid=$(sgdisk -i 1 disk.img | sed -n "s/^Partition unique GUID: //p") &&
	dmio=44,4d,49,4f,3a,49,44,3a &&
	test "$(wine_value $WIN_HIVE MountedDevices "\\\\DosDevices\\\\C:")" = \
		"hex:$dmio,$(guid_bytes $windows_guid)" &&
	test "$(wine_value $WIN_HIVE MountedDevices "\\\\??\\\\Volume{5fa1b3c4-0000-0000-0000-100000000000}")" = \
		"hex:$dmio,$(guid_bytes $esp_guid)" &&
	test "$(wine_value $WIN_HIVE MountedDevices "\\\\DosDevices\\\\D:")" = \
		"hex:99,99,99,99,00,00,10,00,00,00,00,00" &&
	grep "MountedDevices: 2 entries of this disk to GPT form" out &&
	test "$(wine_value $WIN_HIVE "ControlSet001\\Services\\vmbus" Start)" = dword:00000000 &&
	grep "win7gen2 fix" sysres-tree/EFI/win7gen2/log.txt &&
	grep "win7gen2 convert .* (Windows host (win7gen2pe --convert))" sysres-tree/EFI/win7gen2/log.txt &&
	grep "^undo data: .win7gen2.gen1. on partition 2 (the SYSTEM hive as it was is there" \
		sysres-tree/EFI/win7gen2/log.txt &&
	grep "$windows_guid" sysres-tree/EFI/win7gen2/log.txt &&
	head -n 1 sysres-tree/EFI/win7gen2/status.txt | grep "^win7gen2 status: ok"
'

test_expect_success 'the undo set is what win7gen2 convert keeps on Linux for this disk' '
	kept=wintree/win7gen2/gen1 &&
	partition_bytes gen1.img 0 2048 first.before &&
	cmp first.before $kept/first-mib.bin &&
	partition_bytes gen1.img $((WINDOWS_START + WINDOWS_MIB * 2048)) 2048 last.before &&
	cmp last.before $kept/last-mib.bin &&
	partition_bytes gen1.img $SYSRES_START $SYSRES_SECTORS sysres.before &&
	gunzip <$kept/system-reserved.img.gz >sysres.kept &&
	cmp sysres.before sysres.kept &&
	cmp hive.orig $kept/SYSTEM &&
	fake_payload payload.efi 0.1.0 &&
	cp gen1.img linux.img &&
	"$WIN7GEN2" convert --payload payload.efi --disk linux.img >linux.out &&
	partition_bytes linux.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	ntfscat windows.part win7gen2/gen1/convert.txt >linux.manifest &&
	grep -v "^system-hive-" linux.manifest >linux.rest &&
	grep -v "^system-hive-" $kept/convert.txt >agent.rest &&
	test_cmp linux.rest agent.rest &&
	grep -x "system-hive-size $(wc -c <hive.orig)" $kept/convert.txt
'

test_expect_success 'the agent'"'"'s own --undo --dry-run accepts the disk it converted' '
	cp disk.img converted.before &&
	convert disk.img --undo --dry-run &&
	grep "^Dry run: the undo data in .win7gen2.gen1. checks out" out &&
	cmp converted.before disk.img
'

test_expect_success 'win7gen2pe --convert --undo puts the agent'"'"'s own conversion back' '
	cp disk.img agent-converted.img &&
	cp $WIN_HIVE agent-converted.hive &&
	test_when_finished "cp agent-converted.img disk.img && cp agent-converted.hive $WIN_HIVE" &&
	rm -f "$AGENT_DIR/convertdisk.log" &&
	convert disk.img --undo &&
	grep "^Undone: the disk has its MBR" out &&
	for range in "0 2048" "$SYSRES_START $SYSRES_SECTORS" \
		"$((WINDOWS_START + WINDOWS_MIB * 2048)) 2048"; do
		partition_bytes gen1.img $range a &&
		partition_bytes disk.img $range b &&
		cmp a b || return 1
	done &&
	sfdisk -d gen1.img | sed "s/gen1\.img//" >table.before &&
	sfdisk -d disk.img | sed "s/disk\.img//" >table.after &&
	test_cmp table.before table.after &&
	cmp hive.orig $WIN_HIVE &&
	printf "%s\n" "open write" "lock $SYSRES_START" release refresh >expect &&
	disk_log >log &&
	test_cmp expect log
'

test_expect_success 'win7gen2 convert --undo on Linux puts the agent'"'"'s conversion back' '
	# The W: folder stands for the Windows volume: the undo set goes into
	# the image'"'"'s NTFS, into the folder the Linux run of the test above
	# made there (ntfscp makes no folders).
	partition_bytes linux.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	for file in $UNDO_FILES; do
		ntfscp -f -q windows.part "wintree/win7gen2/gen1/$file" "win7gen2/gen1/$file" ||
			return 1
	done &&
	dd if=windows.part of=disk.img bs=512 seek=$WINDOWS_START conv=notrunc status=none &&
	"$WIN7GEN2" convert --disk disk.img --undo >undo.out &&
	grep "^Undone" undo.out &&
	for range in "0 2048" "$SYSRES_START $SYSRES_SECTORS" \
		"$((WINDOWS_START + WINDOWS_MIB * 2048)) 2048"; do
		partition_bytes gen1.img $range a &&
		partition_bytes disk.img $range b &&
		cmp a b || return 1
	done
'

test_expect_success 'on a host running Windows 7 too, no bcdboot.exe runs' '
	fresh &&
	"$WINE" winecfg /v win7 >/dev/null 2>&1 &&
	convert disk.img &&
	! test -e "$SYSTEM32/bcdboot-args.txt" &&
	test -f sysres-tree/EFI/Microsoft/Boot/BCD
'

test_expect_success 'a failing format.com stops the run: the state, and --undo to put it back' '
	fresh &&
	echo 5 >"$SYSTEM32/format-exit.txt" &&
	test_when_finished "rm -f \"$SYSTEM32/format-exit.txt\"" &&
	test_expect_code 1 convert disk.img &&
	grep "format.com S: /FS:FAT32 /Q /Y /V:SYSTEM failed (exit code 5)" err &&
	grep "The disk is half converted: the GPT is written; the ESP is not formatted yet." err &&
	grep "win7gen2pe --convert .*disk.img --undo" err &&
	grep "win7gen2 convert --disk IMAGE --undo" err &&
	! test -e "$SYSTEM32/bcdboot-args.txt" &&
	disk_log | tail -n 1 | grep -x "unmount S" &&
	cmp hive.orig $WIN_HIVE
'

test_expect_success 'a BCD-Template that does not load stops the run after the boot files: the state, --undo' '
	fresh &&
	cp wintree/Windows/System32/config/BCD-Template template.wine &&
	test_when_finished "cp template.wine wintree/Windows/System32/config/BCD-Template" &&
	echo "not a hive" >wintree/Windows/System32/config/BCD-Template &&
	test_expect_code 1 convert disk.img &&
	grep "the UEFI boot store: S:.EFI.Microsoft.Boot.BCD (a copy of BCD-Template) does not open as a hive" err &&
	grep "The disk is half converted: the GPT is written and the ESP has Windows'"'"' boot files, without a boot store." err &&
	grep "win7gen2 convert --disk IMAGE --undo" err &&
	! test -e "$SYSTEM32/bcdboot-args.txt" &&
	cmp hive.orig $WIN_HIVE &&
	disk_log | tail -n 1 | grep -x "unmount S"
'

test_expect_success 'the undo set cannot be written: stops before the table, says so' '
	fresh &&
	echo "in the way" >wintree/win7gen2 &&
	test_when_finished "rm -f wintree/win7gen2" &&
	test_expect_code 1 convert disk.img &&
	grep "the undo data cannot be written to W:.win7gen2.gen1." err &&
	grep "The partition table was not changed; only W:.win7gen2.gen1. on the Windows volume may have been written." err &&
	printf "%s\n" "open write" "lock $SYSRES_START" release >expect &&
	disk_log >log && test_cmp expect log &&
	cmp gen1.img disk.img
'

test_expect_success 'a SYSTEM hive Windows cannot load stops the run after the ESP: the state, --undo' '
	fresh &&
	cp system.regf $WIN_HIVE &&
	test_expect_code 1 convert disk.img &&
	grep "The disk is half converted: the GPT is written and the ESP has Windows'"'"' boot files; the SYSTEM hive is not changed yet." err &&
	grep "win7gen2 convert --disk IMAGE --undo" err &&
	cmp system.regf $WIN_HIVE &&
	disk_log | tail -n 1 | grep -x "unmount S"
'

test_expect_success 'System Reserved cannot be locked: refused before anything is written, naming it' '
	fresh &&
	: >"$AGENT_DIR/lock-refused.txt" &&
	test_when_finished "rm -f \"$AGENT_DIR/lock-refused.txt\"" &&
	test_expect_code 1 convert disk.img &&
	grep "System Reserved (partition 1, S:) cannot be locked: close what has files open on it" err &&
	grep -x "Nothing was changed." err &&
	! test -e wintree/win7gen2 &&
	printf "%s\n" "open write" "lock $SYSRES_START refused" >expect &&
	disk_log >log && test_cmp expect log &&
	cmp gen1.img disk.img &&
	! test -e "$SYSTEM32/format-args.txt"
'

test_expect_success 'no win7gen2.efi beside the agent: refused before anything is written' '
	fresh &&
	mv "$AGENT_DIR/win7gen2.efi" payload.away &&
	test_when_finished "mv payload.away \"$AGENT_DIR/win7gen2.efi\"" &&
	test_expect_code 1 convert disk.img &&
	grep "win7gen2.efi" err && grep -x "Nothing was changed." err &&
	! test -e wintree/win7gen2 &&
	cmp gen1.img disk.img
'

# The key Windows PE has, by which the agent knows it runs there.
MININT='HKLM\SYSTEM\CurrentControlSet\Control\MiniNT'
# (disk.txt names the disk Windows PE finds by its signature, a short
# path as \\.\PhysicalDriveN is: the image on drive T:.)
not_windows_pe() {
	"$WINE" reg delete "$MININT" /f >/dev/null 2>&1
	rm -f "$AGENT_DIR/disk.txt" "$WINEPREFIX/dosdevices/t:"
}

test_expect_success 'in Windows PE (mode convert:SSSSSSSS) bcdboot fills the ESP: W:\Windows /s S:, no /f' '
	fresh &&
	"$WINE" winecfg /v win7 >/dev/null 2>&1 &&
	"$WINE" reg add "$MININT" /f >/dev/null 2>&1 &&
	test_when_finished "not_windows_pe" &&
	ln -s "$PWD" "$WINEPREFIX/dosdevices/t:" &&
	printf "%s\n" "T:\\disk.img" >"$AGENT_DIR/disk.txt" &&
	"$WINE" "$HOST_AGENT" --mode convert:1234abcd --no-reboot >out 2>err.raw &&
	tr -d "\r" <out >pe.out &&
	grep -x "Mode: convert (given with --mode)" pe.out &&
	grep "^Converting the Generation 1 disk whose MBR disk signature is 1234abcd" pe.out &&
	grep -x "Order: the undo data (read back), the table, format.com on the ESP, the boot files and the store (by bcdboot), MountedDevices, the Gen2 fix" pe.out &&
	tr -d "\r" <"$SYSTEM32/bcdboot-args.txt" >bcdboot.args &&
	test $(wc -l <bcdboot.args) = 1 &&
	grep "W:.Windows /s S:\$" bcdboot.args &&
	test -f sysres-tree/EFI/Microsoft/Boot/BCD &&
	test -f sysres-tree/EFI/Boot/bootx64.efi &&
	sgdisk -v disk.img >verify &&
	grep "No problems found" verify
'

test_expect_success 'cleanup: the wine server stopped' '
	stop_wine
'

test_done
