#!/bin/sh
# win7gen2pe.exe --convert DISK --undo on a Windows host: a disk that
# 'win7gen2 convert' moved to GPT on Linux is put back from the undo data
# it kept, byte for byte where Linux's --undo puts it back (the first
# MiB, System Reserved's sectors, the last MiB) and the SYSTEM hive as it
# was; damaged or absent undo data is refused with the disk unchanged,
# and a run stopped half way can simply be made again.
#
# As in t0450, the test build of the agent (tests/agent/win7gen2pe-test.exe)
# works on an image file through tests/agent/fake-convertdisk.c, and the
# Windows partition's files are a folder linked as wine drive W:.  That
# stand-in logs what would change Windows' view of the disk
# (convertdisk.log): the order of opening for writing, locking the ESP's
# volume, releasing it and rereading the table is checked here; that a
# real volume locks, and that Windows rereads a real disk's table, needs a
# real Windows.

. "$top_srcdir/tests/agent/lib-agent-convert.sh"

HIVE=wintree/Windows/System32/config/SYSTEM
UNDO=wintree/win7gen2/gen1

# convert IMAGE ARGS...: one run, its disk log alone.
convert() {
	rm -f "$AGENT_DIR/convertdisk.log"
	agent_convert "$@"
}

# converted_state IMAGE: IMAGE is the disk win7gen2 convert left, and W:
# holds the hive convert wrote (as a Windows host sees the volume).
converted_state() {
	cp converted.img "$1" &&
	cp converted.SYSTEM "$HIVE"
}

# put_back IMAGE: the first MiB, System Reserved and the last MiB of
# IMAGE are those of the disk before convert, its table is the old MBR
# one, and W:'s SYSTEM is the hive as it was.
put_back() {
	cmp -n $MIB gen1.img "$1" &&
	partition_bytes gen1.img $SYSRES_START $SYSRES_SECTORS sysres.before &&
	partition_bytes "$1" $SYSRES_START $SYSRES_SECTORS sysres.after &&
	cmp sysres.before sysres.after &&
	tail -c $MIB gen1.img >last.before &&
	tail -c $MIB "$1" >last.after &&
	cmp last.before last.after &&
	sfdisk -d gen1.img | sed "s/gen1\.img//" >table.before &&
	sfdisk -d "$1" | sed "s/$1//" >table.after &&
	test_cmp table.before table.after &&
	cmp original.SYSTEM "$HIVE" &&
	test ! -e "$HIVE.win7gen2-undo"
}

test_expect_success 'setup: a Gen1 disk converted on Linux, W: as Windows then sees it' '
	gen1_on_drives &&
	cp "$HIVE" original.SYSTEM &&
	letters "$WINDOWS_START W" &&
	say "wine learns of new drives when it starts" &&
	stop_wine &&
	fake_payload payload.efi 0.1.0 &&
	cp gen1.img converted.img &&
	"$WIN7GEN2" convert --payload payload.efi --disk converted.img >linux.out &&
	sgdisk -v converted.img | grep "No problems found" &&
	partition_bytes converted.img $WINDOWS_START $((WINDOWS_MIB * 2048)) windows.part &&
	mkdir -p "$UNDO" &&
	for file in convert.txt first-mib.bin last-mib.bin system-reserved.img.gz SYSTEM; do
		ntfscat windows.part "win7gen2/gen1/$file" >"$UNDO/$file" || return 1
	done &&
	ntfscat windows.part Windows/System32/config/SYSTEM >converted.SYSTEM &&
	rm windows.part &&
	! cmp -s original.SYSTEM converted.SYSTEM &&
	cmp original.SYSTEM "$UNDO/SYSTEM" &&
	! cmp -s -n $MIB gen1.img converted.img
'

test_expect_success '--undo puts back the MBR, System Reserved, the last MiB and the hive' '
	converted_state undo.img &&
	convert undo.img --undo &&
	put_back undo.img &&
	grep "^Putting back System Reserved, the MBR and the SYSTEM hive from W:" out &&
	grep "System Reserved: sectors $SYSRES_START-$((SYSRES_START + SYSRES_SECTORS - 1)) put back" out &&
	grep "^Undone: the disk has its MBR" out &&
	grep "W:.win7gen2.gen1. stays on the Windows volume" out &&
	test -f "$UNDO/convert.txt"
'

test_expect_success 'it opens the disk for writing, locks the ESP, releases it, then rereads the table' '
	printf "%s\n" "open write" "lock $SYSRES_START" release refresh >log.expected &&
	tr -d "\r" <"$AGENT_DIR/convertdisk.log" >log.actual &&
	test_cmp log.expected log.actual
'

test_expect_success 'once the MBR is back, --undo again finds no GPT and changes nothing' '
	cp undo.img before.img &&
	test_expect_code 1 convert undo.img --undo &&
	grep "no valid GPT: the disk.s first MiB is W:.win7gen2.gen1.first-mib.bin again, so it was put back already" err &&
	grep -x "Nothing was changed." err &&
	cmp before.img undo.img &&
	test ! -e "$AGENT_DIR/convertdisk.log"
'

# cut_off IMAGE SECTORS: the disk an --undo leaves when it stops part way
# through its last write: the first SECTORS of the first MiB back, the
# rest still what convert wrote (the GPT), everything else put back.
cut_off() {
	cp undo.img "$1" &&
	dd if=converted.img of="$1" bs=512 skip="$2" seek="$2" count=$((2048 - $2)) \
		conv=notrunc status=none
}

test_expect_success 'an --undo cut off after the MBR sector: the GPT header is still there, it runs again' '
	cut_off cut1.img 1 &&
	convert cut1.img --undo &&
	grep "^Undone: the disk has its MBR" out &&
	put_back cut1.img
'

test_expect_success 'cut off after the MBR and the GPT header: --undo again writes the first MiB' '
	cut_off cut.img 2 &&
	! sfdisk -d cut.img 2>/dev/null | grep -q "label: gpt" &&
	cp cut.img before.img &&
	convert cut.img --undo --dry-run &&
	grep "^Dry run: an --undo stopped while writing the first MiB" out &&
	cmp before.img cut.img &&
	convert cut.img --undo &&
	grep "^Undone: the disk has its MBR" out &&
	put_back cut.img &&
	printf "%s\n" "open write" refresh >log.expected &&
	tr -d "\r" <"$AGENT_DIR/convertdisk.log" >log.actual &&
	test_cmp log.expected log.actual
'

test_expect_success 'an MBR disk that differs from the undo data beyond its MBR: refused, unchanged' '
	cut_off other.img 2 &&
	printf X | dd of=other.img bs=1 seek=$(( (SYSRES_START + 100) * 512 )) conv=notrunc status=none &&
	cp other.img before.img &&
	test_expect_code 1 convert other.img --undo &&
	grep "this is not a disk an --undo stopped at its last write" err &&
	grep -x "Nothing was changed." err &&
	cmp before.img other.img &&
	test ! -e "$AGENT_DIR/convertdisk.log"
'

test_expect_success 'stopped half way (the hive cannot be written): says so; --undo again finishes' '
	converted_state half.img &&
	mkdir "$HIVE.win7gen2-undo" &&
	test_expect_code 1 convert half.img --undo &&
	grep "the SYSTEM hive cannot be written beside the old one" err &&
	grep "The disk is part way back: its table is still the GPT" err &&
	grep "Run .win7gen2pe --convert .*half.img --undo. again" err &&
	! grep -x "Nothing was changed." err &&
	cmp -n $MIB converted.img half.img &&
	cmp converted.SYSTEM "$HIVE" &&
	tr -d "\r" <"$AGENT_DIR/convertdisk.log" | grep -x release &&
	rmdir "$HIVE.win7gen2-undo" &&
	convert half.img --undo &&
	put_back half.img
'

test_expect_success 'System Reserved'"'"'s gzip with damaged deflate data: refused, unchanged' '
	converted_state damaged.img &&
	cp damaged.img before.img &&
	cp "$UNDO/system-reserved.img.gz" sysres.keep &&
	test_when_finished "cp sysres.keep $UNDO/system-reserved.img.gz" &&
	size=$(wc -c <sysres.keep) &&
	byte=$(od -An -tu1 -j $((size / 2)) -N1 sysres.keep | tr -d " ") &&
	printf "\\$(printf %03o $(( (byte + 1) % 256 )))" |
		dd of="$UNDO/system-reserved.img.gz" bs=1 seek=$((size / 2)) conv=notrunc status=none &&
	! cmp -s sysres.keep "$UNDO/system-reserved.img.gz" &&
	tail -c 8 sysres.keep >trailer.before &&
	tail -c 8 "$UNDO/system-reserved.img.gz" >trailer.after &&
	cmp trailer.before trailer.after &&
	test_expect_code 1 convert damaged.img --undo &&
	grep "system-reserved.img.gz does not unpack to System Reserved" err &&
	grep -x "Nothing was changed." err &&
	! grep "open write" "$AGENT_DIR/convertdisk.log" &&
	test_expect_code 1 convert damaged.img --undo --dry-run &&
	grep "does not unpack to System Reserved" err &&
	cmp before.img damaged.img &&
	cmp converted.SYSTEM "$HIVE"
'

test_expect_success 'the ESP'"'"'s volume cannot be locked: stops before any write, naming it' '
	converted_state locked.img &&
	cp locked.img before.img &&
	: >"$AGENT_DIR/lock-refused.txt" &&
	test_when_finished "rm -f \"$AGENT_DIR/lock-refused.txt\"" &&
	test_expect_code 1 convert locked.img --undo &&
	grep "the EFI system partition.s volume (partition at sector $SYSRES_START) cannot be locked" err &&
	grep -x "Nothing was changed." err &&
	printf "%s\n" "open write" "lock $SYSRES_START refused" >log.expected &&
	tr -d "\r" <"$AGENT_DIR/convertdisk.log" >log.actual &&
	test_cmp log.expected log.actual &&
	cmp before.img locked.img &&
	cmp converted.SYSTEM "$HIVE"
'

test_expect_success 'a manifest larger than undo data can be: refused as damaged, unchanged' '
	converted_state huge.img &&
	cp huge.img before.img &&
	cp "$UNDO/convert.txt" manifest.keep &&
	test_when_finished "cp manifest.keep $UNDO/convert.txt" &&
	head -c 5000 /dev/zero | tr "\\0" "#" >>"$UNDO/convert.txt" &&
	test_expect_code 1 convert huge.img --undo &&
	grep "gen1.convert.txt is larger than the undo data can be: it is damaged" err &&
	grep -x "Nothing was changed." err &&
	cmp before.img huge.img &&
	cmp converted.SYSTEM "$HIVE"
'

test_expect_success 'without the undo data: refused, unchanged' '
	converted_state absent.img &&
	cp absent.img before.img &&
	mv wintree/win7gen2 undo.away &&
	test_when_finished "mv undo.away wintree/win7gen2" &&
	test_expect_code 1 convert absent.img --undo &&
	grep "there is nothing to undo" err && grep -x "Nothing was changed." err &&
	cmp before.img absent.img &&
	cmp converted.SYSTEM "$HIVE" &&
	test ! -e "$AGENT_DIR/convertdisk.log"
'

test_expect_success 'cleanup: the wine server stopped' '
	stop_wine
'

test_done
