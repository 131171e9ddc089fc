# lib-convert.sh - Gen1 disks for the win7gen2 convert tests, laid out as
# Windows 7 Setup lays them out: an MBR made by sfdisk with 1 MiB
# alignment, a 100 MiB active System Reserved NTFS partition holding
# bootmgr and \Boot\BCD, a Windows NTFS partition holding a synthetic
# tree with real hives (hivexsh) and Windows' UEFI boot files.
# Partitions are made with mkntfs and filled by wimlib's NTFS apply
# (libntfs-3g): no mounts, loop devices or FUSE.
#
# SPDX-License-Identifier: MIT

. "$top_srcdir/tests/fixengine/lib-fix.sh"

GPT_APPLY=$top_builddir/tests/convert/gpt-apply
MIB=1048576
SYSRES_START=2048
SYSRES_SECTORS=204800
WINDOWS_START=206848
# Windows partition size in MiB; the disk has 1 MiB free after it.
WINDOWS_MIB=64

require_convert() {
	require_fix
	for tool in sfdisk mkntfs wimlib-imagex ntfscat; do
		command -v $tool >/dev/null ||
			skip_all "$tool not found (apt-get install fdisk ntfs-3g wimtools)"
	done
}

# set_value HIVE KEY TYPE:NAME=VALUE...: values under KEY ("a\b"), made
# with hivexsh; KEY and its parents are created.
set_value() {
	hive=$1 key=$2
	shift 2
	{
		echo 'cd \ '
		path=
		printf '%s\n' "$key" | tr '\\' '\n' | while read -r part; do
			path="$path\\$part"
			# hivexsh adds only keys that are not there yet.
			hivexget "$hive" "$path" >/dev/null 2>&1 || printf 'add %s\n' "$part"
			printf 'cd %s\n' "$part"
		done
		echo "setval $#"
		for pair in "$@"; do
			name=${pair%%=*}
			name=${name#*:}
			type=${pair%%:*}
			printf '%s\n%s:%s\n' "$name" "$type" "${pair#*=}"
		done
		echo commit
	} >set-value.hsh &&
	hivexsh -w -f set-value.hsh "$hive"
}

# make_windows_tree DIR [ARCH [BUILD]]: an installed Windows 7 (x64, 7601).
make_windows_tree() {
	mkdir -p "$1/Windows/System32/config" "$1/Windows/System32/drivers/en-US" \
		"$1/Windows/Boot/EFI/en-US" \
		"$1/Windows/Boot/Fonts" "$1/Users/Public" &&
	make_system_hive "$1/Windows/System32/config/SYSTEM" &&
	for driver in vmbus storvsc Ntfs; do
		echo MZ >"$1/Windows/System32/drivers/$driver.sys" || return 1
	done &&
	echo "driver messages" >"$1/Windows/System32/drivers/en-US/vmbus.sys.mui" &&
	set_value "$1/Windows/System32/config/SYSTEM" \
		'ControlSet001\Control\Session Manager\Environment' \
		"string:PROCESSOR_ARCHITECTURE=${2:-AMD64}" &&
	# MBR form: disk signature 0x1234ABCD and the byte offset of Windows
	# (C:) and of System Reserved; D: is on another disk.
	set_value "$1/Windows/System32/config/SYSTEM" MountedDevices \
		'hex:\DosDevices\C:=3:cd,ab,34,12,00,00,50,06,00,00,00,00' \
		'hex:\??\Volume{5fa1b3c4-0000-0000-0000-100000000000}=3:cd,ab,34,12,00,00,10,00,00,00,00,00' \
		'hex:\DosDevices\D:=3:99,99,99,99,00,00,10,00,00,00,00,00' &&
	cp "$EMPTY_HIVE" "$1/Windows/System32/config/SOFTWARE" &&
	set_value "$1/Windows/System32/config/SOFTWARE" \
		'Microsoft\Windows NT\CurrentVersion' string:CurrentVersion=6.1 \
		"string:CurrentBuild=${3:-7601}" "string:ProductName=Windows 7 Professional" &&
	# BCD-Template as Windows keeps it, reduced to one settings object.
	cp "$EMPTY_HIVE" "$1/Windows/System32/config/BCD-Template" &&
	set_value "$1/Windows/System32/config/BCD-Template" \
		'Objects\{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}\Description' 'dword:Type=0x20100000' &&
	fake_efi "$1/Windows/Boot/EFI/bootmgfw.efi" "Windows Boot Manager, release A" &&
	fake_efi "$1/Windows/Boot/EFI/memtest.efi" "Windows Memory Diagnostic" &&
	echo "boot messages" >"$1/Windows/Boot/EFI/en-US/bootmgfw.efi.mui" &&
	echo "font" >"$1/Windows/Boot/Fonts/wgl4_boot.ttf" &&
	echo "a user's file" >"$1/Users/Public/notes.txt"
}

# make_sysres_tree DIR: bootmgr and \Boot\BCD, as bootsect and bcdboot leave them.
make_sysres_tree() {
	mkdir -p "$1/Boot/en-US" &&
	printf 'BOOTMGR stand-in' >"$1/bootmgr" &&
	cp "$EMPTY_HIVE" "$1/Boot/BCD" &&
	echo "boot messages" >"$1/Boot/en-US/bootmgr.exe.mui"
}

# ntfs_partition IMAGE SECTORS START LABEL TREE: IMAGE holds an NTFS
# volume with TREE's files, made to sit at sector START of a disk.
ntfs_partition() {
	rm -f "$1" &&
	truncate -s $(($2 * 512)) "$1" &&
	mkntfs -F -Q -q -L "$4" -p "$3" -H 255 -S 63 -s 512 "$1" 2>/dev/null &&
	# An empty capture configuration: wimlib leaves out hiberfil.sys and
	# the like by default, and the tests need them.
	: >capture.ini &&
	wimlib-imagex capture "$5" "$1.wim" --compress=none --config=capture.ini >/dev/null &&
	wimlib-imagex apply "$1.wim" 1 "$1" >/dev/null &&
	rm -f "$1.wim"
}

# make_gen1_disk IMAGE [WINDOWS-TREE]: System Reserved at 1 MiB, Windows
# after it, 1 MiB free at the end; disk signature 0x1234ABCD.
make_gen1_disk() {
	windows_tree=${2:-wintree}
	if test "$windows_tree" = wintree && ! test -d wintree; then
		make_windows_tree wintree || return 1
	fi
	test -d sysres-tree || make_sysres_tree sysres-tree || return 1
	windows_sectors=$((WINDOWS_MIB * 2048))
	rm -f "$1" &&
	truncate -s $(((WINDOWS_START + windows_sectors + 2048) * 512)) "$1" &&
	printf '%s\n' 'label: dos' 'label-id: 0x1234abcd' \
		"start=$SYSRES_START, size=$SYSRES_SECTORS, type=7, bootable" \
		"start=$WINDOWS_START, size=$windows_sectors, type=7" |
		sfdisk -q "$1" >/dev/null &&
	ntfs_partition sysres.part $SYSRES_SECTORS $SYSRES_START "System Reserved" sysres-tree &&
	ntfs_partition windows.part $windows_sectors $WINDOWS_START "" "$windows_tree" &&
	dd if=sysres.part of="$1" bs=512 seek=$SYSRES_START conv=notrunc status=none &&
	dd if=windows.part of="$1" bs=512 seek=$WINDOWS_START conv=notrunc status=none &&
	rm -f sysres.part windows.part
}

# partition_bytes IMAGE START SECTORS OUT: a partition's bytes.
partition_bytes() {
	dd if="$1" of="$4" bs=512 skip="$2" count="$3" status=none
}

# guid_bytes GUID: its 16 bytes in on-disk order, as hivexsh lsval shows
# them (3016D1D3-444B-... -> d3,d1,16,30,4b,44,...).
guid_bytes() {
	guid_hex=$(echo "$1" | tr -d - | tr A-F a-f)
	for byte in 3 2 1 0 5 4 7 6 8 9 10 11 12 13 14 15; do
		printf '%s\n' "$guid_hex" | cut -c$((byte * 2 + 1))-$((byte * 2 + 2))
	done | paste -sd,
}

# mounted_devices HIVE: its MountedDevices values, one a line.
mounted_devices() {
	printf 'cd MountedDevices\nlsval\n' >lsval.hsh &&
	hivexsh -f lsval.hsh "$1"
}

# bcd_element BCD OBJECT TYPE: the Element value of Objects\OBJECT\Elements\TYPE
# as hivexsh lsval shows it ("Element"=...).
bcd_element() {
	printf 'cd Objects\ncd %s\ncd Elements\ncd %s\nlsval\n' "$2" "$3" >element.hsh &&
	hivexsh -f element.hsh "$1"
}

# bcd_device PARTITION-GUID DISK-GUID: a GPT partition device element as
# bcd_element shows it.
bcd_device() {
	zeros8=00,00,00,00,00,00,00,00
	echo "\"Element\"=hex(3):$zeros8,$zeros8,06,00,00,00,00,00,00,00,48,00,00,00,00,00,00,00,$(guid_bytes "$1"),$zeros8,$(guid_bytes "$2"),$zeros8,$zeros8"
}
