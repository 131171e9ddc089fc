#!/bin/sh
# win7gen2pe.exe --convert DISK, the run that writes: the undo set on the
# Windows volume, the same one win7gen2 convert keeps on Linux, read back
# whole before anything else is written; the disk's table untouched
# until then.
#
# As in t0450, wine opens no \\.\PhysicalDriveN: the test build of the
# agent (tests/agent/win7gen2pe-test.exe, fake-convertdisk.c) reads and
# writes an image file, and the partitions' files are wine drives linked
# to folders (S: System Reserved, W: Windows).  The undo set therefore
# lands in the W: folder; the tests copy it into the image's NTFS with
# ntfscp where the Linux command is to read it.

. "$top_srcdir/tests/convert/lib-convert.sh"
. "$top_srcdir/tests/agent/lib-agent.sh"
TEST_AGENT=$top_builddir/tests/agent/win7gen2pe-test.exe
test -f "$TEST_AGENT" || skip_all "tests/agent/win7gen2pe-test.exe not built (make check builds it)"
require_convert
require_wine
require_mingw
command -v ntfscp >/dev/null || skip_all "ntfscp not found (apt-get install ntfs-3g)"

AGENT_DIR=$WINEPREFIX/drive_c/win7gen2
HOST_AGENT='C:\win7gen2\win7gen2pe.exe'
UNDO_FILES="first-mib.bin last-mib.bin system-reserved.img.gz SYSTEM convert.txt"

# convert IMAGE ARGS...: win7gen2pe --convert on the image; stdout in
# out, stderr in err.
convert() {
	image=$1
	shift
	"$WINE" "$HOST_AGENT" --convert "$(winpath "$PWD/$image")" "$@" >out 2>err.raw
	status=$?
	wine_stderr err.raw | tr -d '\r' >err
	tr -d '\r' <out >out.lf && mv out.lf out
	return $status
}

letters() {
	printf '%s\n' "$@" >"$AGENT_DIR/letters.txt"
}

# disk_log: what the run did to Windows' view of the disk, in order
# (fake-convertdisk.c), without Windows' line ends.
disk_log() {
	tr -d '\r' <"$AGENT_DIR/convertdisk.log"
}

test_expect_success 'setup: a Gen1 disk, its partitions'"'"' files on drives S: and W:' '
	start_wine &&
	mkdir -p "$AGENT_DIR" &&
	cp "$TEST_AGENT" "$AGENT_DIR/win7gen2pe.exe" &&
	make_windows_tree wintree &&
	fake_kernel wintree/Windows/System32/ntoskrnl.exe 6 1 &&
	make_gen1_disk gen1.img &&
	ln -s "$PWD/sysres-tree" "$WINEPREFIX/dosdevices/s:" &&
	ln -s "$PWD/wintree" "$WINEPREFIX/dosdevices/w:" &&
	letters "$SYSRES_START S" "$WINDOWS_START W" &&
	stop_wine &&
	test -f "$WINEPREFIX/dosdevices/w:/Windows/System32/ntoskrnl.exe"
'

test_expect_success 'a run keeps the undo set on W:, reads it back, leaves the table as it was' '
	cp gen1.img disk.img &&
	rm -f "$AGENT_DIR/convertdisk.log" &&
	test_expect_code 1 convert disk.img &&
	grep "^Keeping what --undo needs in W:.win7gen2.gen1. (partition 2)" out &&
	grep "^The undo data is in W:.win7gen2.gen1. and reads back whole." out &&
	for file in $UNDO_FILES; do
		test -s "wintree/win7gen2/gen1/$file" || return 1
	done &&
	grep "writing the new table from Windows is not in this agent yet" err &&
	grep "The partition table was not changed; only W:.win7gen2.gen1. on the Windows volume was written." err &&
	disk_log >log &&
	grep -x "open write" log &&
	! grep -e lock -e refresh log &&
	cmp gen1.img disk.img
'

test_expect_success 'the undo set holds the disk'"'"'s first and last MiB, System Reserved and SYSTEM' '
	kept=wintree/win7gen2/gen1 &&
	partition_bytes gen1.img 0 2048 first.before &&
	cmp first.before $kept/first-mib.bin &&
	partition_bytes gen1.img $((WINDOWS_START + WINDOWS_MIB * 2048)) 2048 last.before &&
	cmp last.before $kept/last-mib.bin &&
	partition_bytes gen1.img $SYSRES_START $SYSRES_SECTORS sysres.before &&
	gunzip <$kept/system-reserved.img.gz >sysres.kept &&
	cmp sysres.before sysres.kept &&
	cmp wintree/Windows/System32/config/SYSTEM $kept/SYSTEM &&
	grep -x "disk-signature 1234ABCD" $kept/convert.txt
'

test_expect_success 'the manifest is the one win7gen2 convert writes on Linux for this disk' '
	fake_payload payload.efi 0.1.0 &&
	cp gen1.img converted.img &&
	"$WIN7GEN2" convert --payload payload.efi --disk converted.img >linux.out &&
	partition_bytes converted.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	ntfscat windows.part win7gen2/gen1/convert.txt >linux.manifest &&
	test_cmp linux.manifest wintree/win7gen2/gen1/convert.txt
'

test_expect_success 'win7gen2 convert --undo on Linux puts the disk back from the agent'"'"'s undo set' '
	partition_bytes converted.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	for file in $UNDO_FILES; do
		ntfscp -f -q windows.part "wintree/win7gen2/gen1/$file" "win7gen2/gen1/$file" ||
			return 1
	done &&
	dd if=windows.part of=converted.img bs=512 seek=$WINDOWS_START conv=notrunc status=none &&
	"$WIN7GEN2" convert --disk converted.img --undo >undo.out &&
	grep "^Undone" undo.out &&
	for range in "0 2048" "$SYSRES_START $SYSRES_SECTORS" \
		"$((WINDOWS_START + WINDOWS_MIB * 2048)) 2048"; do
		partition_bytes gen1.img $range a &&
		partition_bytes converted.img $range b &&
		cmp a b || return 1
	done
'

test_expect_success 'the undo set cannot be written: stops before the table, says so' '
	rm -rf wintree/win7gen2 &&
	echo "in the way" >wintree/win7gen2 &&
	test_when_finished "rm -f wintree/win7gen2" &&
	cp gen1.img disk.img &&
	test_expect_code 1 convert disk.img &&
	grep "the undo data cannot be written to W:.win7gen2.gen1." err &&
	grep "The partition table was not changed; only W:.win7gen2.gen1. on the Windows volume may have been written." err &&
	cmp gen1.img disk.img
'

test_expect_success 'cleanup: the wine server stopped' '
	stop_wine
'

test_done
