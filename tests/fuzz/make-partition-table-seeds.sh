#!/bin/sh
# make-partition-table-seeds.sh - build the seed corpus of the partition
# table fuzz target: small disks (64 KiB, 512-byte blocks) as sfdisk and
# mkfs.fat write them.
#
#   tests/fuzz/make-partition-table-seeds.sh [DIR]
#
# SPDX-License-Identifier: MIT
set -eu
out=${1:-$(dirname "$0")/seeds/partition-table}
PATH=$PATH:/usr/sbin:/sbin
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

disk() {
	rm -f "$work/disk" && truncate -s 64K "$work/disk"
}

# A GPT with an ESP and a named basic data partition.
disk
printf '%s\n' "label: gpt" "first-lba: 34" \
	"start=34, size=20, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"EFI system partition\"" \
	"start=54, size=30, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=\"Basic data partition\"" |
	sfdisk --quiet "$work/disk"
cp "$work/disk" "$out/gpt.bin"

# The same with its primary header spoilt: the backup at the end holds.
dd if=/dev/zero of="$work/disk" bs=1 seek=$((512 + 16)) count=4 conv=notrunc 2>/dev/null
cp "$work/disk" "$out/gpt-backup.bin"

# An MBR, as Windows 7 Setup on a BIOS VM writes it: two primaries.
disk
printf '%s\n' "label: dos" "start=1, size=40, type=7, bootable" "start=41, size=80, type=7" |
	sfdisk --quiet "$work/disk"
cp "$work/disk" "$out/mbr.bin"

# A FAT file system on the whole disk, no table.
disk
mkfs.fat "$work/disk" >/dev/null
cp "$work/disk" "$out/volume-fat.bin"

# A blank disk.
disk
cp "$work/disk" "$out/blank.bin"
