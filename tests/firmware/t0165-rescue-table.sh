#!/bin/sh
# The wrap rule's whole table (tests/wrap-cases.h) through the payload's
# rescue in OVMF: one GPT partition per case, Rescue -> repair the boot
# files, then every file on every partition must be what the rule says
# and each loader reported as the rule decides.  test-fix-wrap runs the
# same table through the fix engine: both sides follow one rule.
#
# SPDX-License-Identifier: MIT

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
command -v sfdisk >/dev/null || skip_all "sfdisk not found (apt-get install fdisk)"
command -v perl >/dev/null || skip_all "perl not found"
LISTER=$top_builddir/tests/unit/test-wrap-rule
test -x "$LISTER" || skip_all "tests/unit/test-wrap-rule is not built"

# Rescue, then "repair the boot files now" (as t0160).
rescue_keys='"Choose 1-[34]" 2 "Choose 1-2" 1'
BATCH=14        # cases per disk: the payload looks at up to 16 ESPs
PART_MIB=20     # room for a loader one byte over the size limit

# The files the table names, made from the programs the build made.
make_files() {
	marker=$(grep -a -o "win7gen2-payload-marker:[0-9A-Za-z.+-]*" "$PAYLOAD" | head -n 1) &&
	version=${marker#win7gen2-payload-marker:} &&
	test -n "$version" &&
	length=${#version} &&
	# Same length, so nothing else in the image moves: "0" then NULs is
	# older than any version, nines are newer.
	older="0$(printf "%$((length - 1))s" "" | tr " " "\\000")" &&
	newer=$(printf "%${length}s" "" | tr " " 9) &&
	OLD="$older" NEW="$newer" V="$version" perl -0777 -pe \
		's/win7gen2-payload-marker:\Q$ENV{V}\E\0/win7gen2-payload-marker:$ENV{OLD}\0/' \
		"$PAYLOAD" >file-older &&
	V="$version" NEW="$newer" perl -0777 -pe \
		's/win7gen2-payload-marker:\Q$ENV{V}\E\0/win7gen2-payload-marker:$ENV{NEW}\0/' \
		"$PAYLOAD" >file-newer &&
	! cmp -s file-older "$PAYLOAD" && ! cmp -s file-newer "$PAYLOAD" &&
	cp "$PAYLOAD" file-given &&
	{ cat "$PAYLOAD" && printf "another build"; } >file-rebuilt &&
	cp "$FAKE_BOOTMGR" file-loader-a &&
	cp "$HARNESS" file-loader-b &&
	printf "menu = on\n" >file-text &&
	cp "$FAKE_BOOTMGR" file-big &&
	truncate -s "$((max_size + 1))" file-big
}

# disk_new IMAGE COUNT: a GPT disk with COUNT EFI system partitions of
# PART_MIB each, FAT; partition i is at offset_of i.
offset_of() {
	echo "$((1 + ($1 - 1) * PART_MIB))M"
}
disk_new() {
	rm -f "$1" &&
	truncate -s "$((2 + $2 * PART_MIB))M" "$1" &&
	{
		echo "label: gpt"
		i=1
		while test "$i" -le "$2"; do
			echo "start=$((1 + (i - 1) * PART_MIB))MiB, size=${PART_MIB}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
			i=$((i + 1))
		done
	} | sfdisk --quiet "$1" &&
	i=1 &&
	while test "$i" -le "$2"; do
		"$MFORMAT" -i "$1@@$(offset_of "$i")" -T $((PART_MIB * 2048)) -h 64 -s 32 \
			-v "CASE$i" :: || return 1
		i=$((i + 1))
	done
}

# The commands of case N (test-wrap-rule --shell), run with the verbs
# defined for the phase at hand.
run_case() {
	# shellcheck disable=SC1090 # generated
	. "./case-$1.sh"
}

# Phase 1: lay the case out on its partition.
setup_verbs() {
	wrap_case() { :; }
	wrap_put() { esp_put "$DISK@@$(offset_of "$PART")" "file-$3" "$2"; }
	wrap_expect_file() { :; }
	wrap_expect_line() { :; }
}

# Phase 2: check the partition and the rescue's report for it.
check_verbs() {
	wrap_case() { :; }
	wrap_put() { :; }
	wrap_expect_file() {
		rm -f got &&
		if test "$3" = none; then
			! "$MCOPY" -o -i "$DISK@@$(offset_of "$PART")" \
				"::$(printf '%s' "$2" | tr '\\' /)" got 2>/dev/null ||
				{ echo "$2: there, but should not be" >&4; return 1; }
		else
			"$MCOPY" -o -i "$DISK@@$(offset_of "$PART")" \
				"::$(printf '%s' "$2" | tr '\\' /)" got &&
			cmp got "file-$3" ||
				{ echo "$2: not $3" >&4; return 1; }
		fi
	}
	wrap_expect_line() {
		grep -Fx -- "$2" "section-$PART" ||
			{ echo "no line \"$2\" for partition $PART" >&4; return 1; }
	}
}

# The name of case N, for the test's title.
case_name() {
	wrap_case() { printf '%s' "$2"; }
	wrap_put() { :; }
	wrap_expect_file() { :; }
	wrap_expect_line() { :; }
	run_case "$1"
}

# The rescue's report for partition N of the disk: from the line naming
# it (HD(N,GPT,...)) to the next partition or the end of the repair.
section() {
	awk -v hd="HD($1,GPT," '
		/^  [^ ]/ { on = index($0, hd) > 0; next }
		/^win7gen2:/ { on = 0 }
		on { print }' "$2" >"section-$1"
}

test_expect_success 'setup: the table and the files it names' '
	"$LISTER" --shell >cases &&
	max_size=$(sed -n "s/^wrap_loader_max_size //p" cases) &&
	test "$max_size" -gt 0 &&
	echo "$max_size" >max-size &&
	awk "/^wrap_(case|put|expect_file|expect_line) / { print > (\"case-\" \$2 \".sh\") }" cases &&
	count=$(grep -c "^wrap_case " cases) &&
	test "$count" -gt 20 &&
	echo "$count" >count &&
	make_files
'
count=$(cat count 2>/dev/null || echo 0)

# One disk and one boot per batch of cases.
first=1
while test "$first" -le "$count"; do
	last=$((first + BATCH - 1))
	test "$last" -le "$count" || last=$count
	batch=$first-$last
	DISK=disk-$batch.img

	test_expect_success "setup: cases $batch on one disk, a partition each" '
		disk_new "$DISK" $((last - first + 1)) &&
		setup_verbs &&
		n=$first &&
		while test "$n" -le "$last"; do
			PART=$((n - first + 1)) && run_case "$n" || return 1
			n=$((n + 1))
		done
	'

	test_expect_success "setup: Rescue -> repair the boot files on cases $batch" '
		esp_gen2 iso.img &&
		esp_config iso.img "menu = on
menu_timeout = 30
error_timeout = 1" &&
		eval "SECOND_DISK=$DISK boot_esp_keys iso.img rescue-$batch.log $rescue_keys" &&
		grep -x "win7gen2: $((last - first + 1)) EFI system partition(s) found" \
			rescue-$batch.log
	'

	n=$first
	while test "$n" -le "$last"; do
		name=$(case_name "$n" 2>/dev/null)
		PART=$((n - first + 1))
		test_expect_success "case $n: ${name:-?}" '
			section "$PART" "rescue-$batch.log" &&
			check_verbs &&
			run_case "$n"
		'
		n=$((n + 1))
	done
	first=$((last + 1))
done

# mdir fails on an empty partition (case 1), which holds no file at all.
test_expect_success 'no temporary file is left on any partition' '
	: >all &&
	for disk in disk-*.img; do
		parts=$(sfdisk --dump "$disk" | grep -c "^$disk") &&
		i=1 &&
		while test "$i" -le "$parts"; do
			"$MDIR" -b -/ -i "$disk@@$(offset_of "$i")" ::/ >>all 2>/dev/null
			i=$((i + 1))
		done
	done &&
	grep -i "bootmgfw.original.efi" all &&
	! grep -i w7g2new all
'

test_done
