#!/bin/sh
# win7gen2pe.exe --convert DISK on a Windows host: the same checks,
# refusals by name and plan as 'win7gen2 convert' on Linux, on disks laid
# out as Windows 7 Setup lays out a Gen1 disk (tests/convert/lib-convert.sh
# makes them), each refusal leaving the image byte for byte as it was.
#
# Wine opens no \\.\PhysicalDriveN and answers no volume extents, so these
# runs use the test build of the agent (tests/agent/win7gen2pe-test.exe):
# the shipped program with the disk layer replaced by a stand-in
# (fake-convertdisk.c) that reads an image file, and that says which
# drive letter each partition has from letters.txt beside the agent.  The
# letters are wine drives linked to the folders the image's NTFS
# partitions were made from, holding the same files.  What needs a real
# Windows: opening \\.\PhysicalDriveN, its size and sector size, and
# matching volumes to partitions by IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS.

. "$top_srcdir/tests/agent/lib-agent-convert.sh"

# refused IMAGE NAME: a dry run and a run refuse IMAGE as NAME and leave
# it byte for byte as it was.
refused() {
	cp "$1" before.img &&
	test_expect_code 1 convert "$1" --dry-run &&
	grep "refused ($2)" err && grep -x "Nothing was changed." err &&
	test_expect_code 1 convert "$1" &&
	grep "refused ($2)" err &&
	cmp before.img "$1"
}

test_expect_success 'setup: a Gen1 disk, its partitions'"'"' files on drives S: and W:' '
	gen1_on_drives &&
	letters "$SYSRES_START S" "$WINDOWS_START W" &&
	say "wine learns of new drives when it starts" &&
	stop_wine &&
	test -f "$WINEPREFIX/dosdevices/w:/Windows/System32/ntoskrnl.exe"
'

test_expect_success '--help names --convert; its usage errors exit 2' '
	"$WINE" "$HOST_AGENT" --help >help &&
	grep -e "--convert DISK" help &&
	test_expect_code 2 "$WINE" "$HOST_AGENT" --convert 2>/dev/null &&
	test_expect_code 2 "$WINE" "$HOST_AGENT" --convert x --mode rescue 2>/dev/null &&
	test_expect_code 2 "$WINE" "$HOST_AGENT" --undo 2>/dev/null
'

test_expect_success 'a dry run passes every check, shows the engine'"'"'s plan, changes nothing' '
	cp gen1.img before.img &&
	convert gen1.img --dry-run &&
	grep "^Windows: Windows 6.1 x64, on partition 2 (W:)" out &&
	grep "disk signature 1234ABCD" out &&
	grep "sectors 2048-206847  MBR type 0x07 active  System Reserved -> EFI system partition" out &&
	grep "keep for --undo in \\\\win7gen2\\\\gen1\\\\ on partition 2" out &&
	grep "MountedDevices" out &&
	grep -x "Dry run: every check passed; nothing was changed." out &&
	cmp before.img gen1.img
'

test_expect_success 'the plan is the one win7gen2 convert shows on Linux' '
	fake_payload payload.efi 0.1.0 &&
	"$WIN7GEN2" convert --payload payload.efi --disk gen1.img --dry-run >linux.out &&
	sed -e "/^Windows:/d" -e "/GUID\|[0-9A-F]\{8\}-[0-9A-F]\{4\}-/d" -e "/[Dd]ry run/d" \
		-e "s/gen1\.img//;s/Z:.*gen1\.img//" linux.out >linux.plan &&
	convert gen1.img --dry-run &&
	sed -e "/^Windows:/d" -e "/GUID\|[0-9A-F]\{8\}-[0-9A-F]\{4\}-/d" -e "/[Dd]ry run/d" \
		-e "s/Z:.*gen1\.img//;s/gen1\.img//" out >agent.plan &&
	grep "EFI system partition" agent.plan &&
	grep -x "Order: the ESP.s files .* temporary folder first; .*" linux.plan &&
	grep -x "Order: the undo data (read back), the table, format.com on the ESP, the boot files and the store (from BCD-Template, by win7gen2pe), MountedDevices, the Gen2 fix" agent.plan &&
	sed "/^Order: /d" linux.plan >linux.steps &&
	sed "/^Order: /d" agent.plan >agent.steps &&
	test_cmp linux.steps agent.steps
'

test_expect_success 'a run without win7gen2.efi beside the agent is refused, unchanged (t0455 converts)' '
	cp gen1.img before.img &&
	test_expect_code 1 convert gen1.img &&
	grep "the Gen2 fix needs the payload" err && grep -x "Nothing was changed." err &&
	cmp before.img gen1.img
'

test_expect_success 'a disk that cannot be opened: the reason and what to do, exit 1' '
	test_expect_code 1 convert no-such.img --dry-run &&
	grep "cannot be opened: run as administrator" err && grep "Mount-VHD" err
'

test_expect_success 'a GPT disk is refused, unchanged' '
	cp gen1.img gpt.img &&
	"$GPT_APPLY" gpt.img 2 &&
	refused gpt.img gpt
'

test_expect_success 'no room for the backup GPT: refused, says to grow by 1 MiB' '
	cp gen1.img full.img &&
	printf "%s\n" "start=$WINDOWS_START, size=$((WINDOWS_MIB * 2048 + 2048)), type=7" |
		sfdisk -q -N 2 full.img >/dev/null 2>&1 &&
	refused full.img no-room-end &&
	grep "grow the disk by 1 MiB" err && grep "Resize-VHD" err
'

test_expect_success 'a BitLocker Windows partition is refused, unchanged' '
	cp gen1.img bitlocker.img &&
	printf -- "-FVE-FS-" | dd of=bitlocker.img bs=1 seek=$((WINDOWS_START * 512 + 3)) \
		conv=notrunc status=none &&
	refused bitlocker.img bitlocker
'

test_expect_success 'dynamic and extended partitions are refused, unchanged' '
	cp gen1.img dynamic.img &&
	sfdisk -q --part-type dynamic.img 2 42 &&
	refused dynamic.img dynamic &&
	cp gen1.img extended.img &&
	sfdisk -q --part-type extended.img 2 f &&
	refused extended.img extended
'

test_expect_success 'Windows alone on its active partition: refused (no System Reserved)' '
	cp gen1.img single.img &&
	sfdisk -q --delete single.img 1 &&
	sfdisk -q --activate single.img 2 &&
	refused single.img no-system-reserved &&
	grep "shrinking" err
'

test_expect_success 'a System Reserved holding more than boot files is refused, unchanged' '
	echo "a user file" >sysres-tree/notes.txt &&
	test_when_finished "rm -f sysres-tree/notes.txt" &&
	refused gen1.img no-system-reserved &&
	grep "holds \"notes.txt\", which is not a boot file" err
'

test_expect_success 'no Windows 7 SP1 x64 on the disk: refused, unchanged' '
	mv wintree/Windows/System32/ntoskrnl.exe kernel.keep &&
	test_when_finished "mv kernel.keep wintree/Windows/System32/ntoskrnl.exe" &&
	fake_kernel wintree/Windows/System32/ntoskrnl.exe 6 0 &&
	refused gen1.img no-windows &&
	grep "partition 2 (W:) holds" err &&
	fake_kernel wintree/Windows/System32/ntoskrnl.exe 6 1 7600 &&
	refused gen1.img no-windows &&
	grep "build 7600, which has no Service Pack 1" err &&
	mv wintree/Windows wintree/Windows.away &&
	test_when_finished "mv wintree/Windows.away wintree/Windows" &&
	refused gen1.img no-windows &&
	grep "no installed Windows" err
'

test_expect_success 'a hibernated Windows is refused, unchanged' '
	{ printf hibr; head -c 4092 /dev/zero; } >wintree/hiberfil.sys &&
	test_when_finished "rm -f wintree/hiberfil.sys" &&
	refused gen1.img hibernated
'

test_expect_success 'a partition without a drive letter stops the run, unchanged' '
	letters "$SYSRES_START S" &&
	test_when_finished "letters \"$SYSRES_START S\" \"$WINDOWS_START W\"" &&
	cp gen1.img before.img &&
	test_expect_code 1 convert gen1.img --dry-run &&
	grep "partition 2 (NTFS, at sector $WINDOWS_START) has no drive letter" err &&
	grep -x "Nothing was changed." err &&
	cmp before.img gen1.img
'

test_expect_success 'setup: a disk win7gen2 convert converted on Linux, its undo data on W:' '
	cp gen1.img converted.img &&
	"$WIN7GEN2" convert --payload payload.efi --disk converted.img >linux.out &&
	sgdisk -v converted.img | grep "No problems found" &&
	partition_bytes converted.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	mkdir -p wintree/win7gen2/gen1 &&
	for file in convert.txt first-mib.bin last-mib.bin system-reserved.img.gz SYSTEM; do
		ntfscat windows.part "win7gen2/gen1/$file" >"wintree/win7gen2/gen1/$file" ||
			return 1
	done &&
	rm windows.part &&
	grep . wintree/win7gen2/gen1/convert.txt
'

test_expect_success '--undo --dry-run accepts the undo data the Linux side wrote, changes nothing' '
	cp converted.img before.img &&
	convert converted.img --undo --dry-run &&
	grep "^Dry run: the undo data in .win7gen2.gen1. checks out" out &&
	grep "put back System Reserved (sectors $SYSRES_START-$((SYSRES_START + SYSRES_SECTORS - 1)))" out &&
	cmp before.img converted.img
'

test_expect_success '--undo --dry-run refuses damaged or incomplete undo data' '
	cp wintree/win7gen2/gen1/first-mib.bin first.keep &&
	test_when_finished "cp first.keep wintree/win7gen2/gen1/first-mib.bin" &&
	printf X | dd of=wintree/win7gen2/gen1/first-mib.bin bs=1 seek=100 conv=notrunc 		status=none &&
	test_expect_code 1 convert converted.img --undo --dry-run &&
	grep "does not match its CRC-32 in convert.txt" err &&
	cp first.keep wintree/win7gen2/gen1/first-mib.bin &&
	cp wintree/win7gen2/gen1/system-reserved.img.gz sysres.keep &&
	test_when_finished "cp sysres.keep wintree/win7gen2/gen1/system-reserved.img.gz" &&
	head -c 1000 sysres.keep >wintree/win7gen2/gen1/system-reserved.img.gz &&
	test_expect_code 1 convert converted.img --undo --dry-run &&
	grep "does not match its CRC-32" err &&
	rm wintree/win7gen2/gen1/system-reserved.img.gz &&
	test_expect_code 1 convert converted.img --undo --dry-run &&
	grep "system-reserved.img.gz is missing: the undo data is incomplete" err &&
	cmp before.img converted.img
'

test_expect_success '--undo on a disk never converted, or without the undo data: refused' '
	test_expect_code 1 convert gen1.img --undo --dry-run &&
	grep "no valid GPT" err &&
	mv wintree/win7gen2 undo.away &&
	test_when_finished "mv undo.away wintree/win7gen2" &&
	test_expect_code 1 convert converted.img --undo --dry-run &&
	grep "there is nothing to undo" err
'

test_expect_success 'cleanup: the wine server stopped' '
	stop_wine
'

test_done
