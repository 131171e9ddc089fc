# lib-firmware.sh - boot EFI programs in QEMU + OVMF and read the serial log
#
# A test builds an ESP image (FAT, mtools), lays out the programs it
# needs, boots it with boot_esp and asserts on the lines the programs
# print.  Lines meant for the tests start with "W7G2T ".
#
# SPDX-License-Identifier: MIT

. "$top_srcdir/tests/lib.sh"

FIXTURES=$top_srcdir/tests/fixtures/gen2-acpi
PAYLOAD=$top_builddir/payload/win7gen2.efi
HARNESS=$top_builddir/tests/efi/gen2-harness.efi
FAKE_BOOTMGR=$top_builddir/tests/efi/fake-bootmgr.efi
BOOT_TIMEOUT=${WIN7GEN2_BOOT_TIMEOUT:-180}

require_firmware() {
	test -n "$QEMU" && test "$QEMU" != no && test -x "$QEMU" ||
		skip_all "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
	test -n "$OVMF_CODE" && test -f "$OVMF_CODE" ||
		skip_all "OVMF not found (apt-get install ovmf)"
	test -n "$MFORMAT" && test "$MFORMAT" != no ||
		skip_all "mtools not found (apt-get install mtools)"
	test -f "$PAYLOAD" && test -f "$HARNESS" && test -f "$FAKE_BOOTMGR" ||
		skip_all "EFI programs not built (gnu-efi missing?)"
}

# esp_new IMAGE: an empty 32 MiB FAT image.
esp_new() {
	rm -f "$1" &&
	"$MFORMAT" -i "$1" -C -T 65536 -h 64 -s 32 -v W7G2TEST :: >/dev/null
}

# esp_put IMAGE SOURCE \PATH\IN\IMAGE: copy a file in, making folders.
esp_put() {
	dest=$(printf '%s' "$3" | tr '\\' /)
	dir=${dest%/*}
	sofar=
	oldifs=$IFS; IFS=/
	for part in $dir; do
		test -n "$part" || continue
		sofar=$sofar/$part
		"$MMD" -i "$1" "::$sofar" 2>/dev/null || :
	done
	IFS=$oldifs
	"$MCOPY" -o -i "$1" "$2" "::$dest"
}

# esp_gen2: the layout most tests use.  The harness boots first, then the
# payload sits where Windows' boot manager was, the fake boot manager
# where the wrap put the original.
esp_gen2() {
	esp_new "$1" &&
	esp_put "$1" "$HARNESS" '\EFI\BOOT\BOOTX64.EFI' &&
	esp_put "$1" "$PAYLOAD" '\EFI\Microsoft\Boot\bootmgfw.efi' &&
	esp_put "$1" "$FAKE_BOOTMGR" '\EFI\Microsoft\Boot\bootmgfw.original.efi'
}

# esp_gen2_tables IMAGE: the real Gen2 dumps, for the harness to install.
esp_gen2_tables() {
	for table in xsdt facp apic srat waet spcr bgrt fpdt oem0 dsdt; do
		esp_put "$1" "$FIXTURES/$table.dat" "\\win7gen2-test\\acpi\\$table.dat" ||
			return 1
	done
}

# esp_config IMAGE TEXT: win7gen2.cfg beside the payload.
esp_config() {
	printf '%s\n' "$2" >win7gen2.cfg &&
	esp_put "$1" win7gen2.cfg '\EFI\Microsoft\Boot\win7gen2.cfg'
}

# run_qemu IMAGE SERIAL: boot IMAGE (a disk, or a DVD when it ends in
# .iso), COM1 going to the QEMU character device SERIAL; exits when the
# machine powers off or resets.  A second
# disk is attached when SECOND_DISK names one (it boots after IMAGE),
# and a third when THIRD_DISK does too.  Each has a bootindex: OVMF
# connects only the devices QEMU's boot order names.
# The firmware's variables (NVRAM) start fresh from OVMF_VARS at each
# boot, unless KEEP_VARS names a file: that one is used and kept across
# boots, as a VM keeps its NVRAM (made from OVMF_VARS when missing).
# READ_ONLY=yes attaches a disk IMAGE read-only, as a write-protected
# ESP or one that fails every write.
run_qemu() {
	vars=$TRASH/vars.fd
	readonly_disk=
	test "${READ_ONLY:-}" = yes && readonly_disk=,readonly=on
	pflash_vars=
	second_disk=
	if test -n "${SECOND_DISK:-}"; then
		second_disk="-drive if=none,id=second,format=raw,file=$SECOND_DISK
			-device virtio-blk-pci,drive=second,bootindex=1"
	fi
	if test -n "${THIRD_DISK:-}"; then
		second_disk="$second_disk -drive if=none,id=third,format=raw,file=$THIRD_DISK
			-device virtio-blk-pci,drive=third,bootindex=2"
	fi
	case $1 in
	*.iso)
		boot_drive="if=none,id=boot,media=cdrom,readonly=on,format=raw,file=$1"
		boot_device="ide-cd,drive=boot,bus=ide.0,bootindex=0" ;;
	*)
		boot_drive="if=none,id=boot,format=raw,file=$1$readonly_disk"
		boot_device="virtio-blk-pci,drive=boot,bootindex=0" ;;
	esac
	if test -n "${KEEP_VARS:-}"; then
		test -n "$OVMF_VARS" || { say "KEEP_VARS: no OVMF_VARS to start from"; return 1; }
		vars=$KEEP_VARS
		test -f "$vars" || cp "$OVMF_VARS" "$vars" || return 1
		pflash_vars="-drive if=pflash,format=raw,unit=1,file=$vars"
	elif test -n "$OVMF_VARS"; then
		cp "$OVMF_VARS" "$vars"
		pflash_vars="-drive if=pflash,format=raw,unit=1,file=$vars"
	fi
	# shellcheck disable=SC2086 # pflash_vars, second_disk: empty or words
	timeout "$BOOT_TIMEOUT" "$QEMU" -machine q35 -m 512 -nodefaults \
		-display none -no-reboot -net none \
		-serial "$2" \
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE" \
		$pflash_vars \
		-drive "$boot_drive" -device "$boot_device" \
		$second_disk
}

# clean_serial LOG STATUS: LOG from LOG.raw without terminal escapes or
# carriage returns; fails, saying why, unless qemu's STATUS was 0.
clean_serial() {
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$1.raw" >"$1"
	if test "$2" -ne 0; then
		say "qemu exited with $2 (124: timed out after ${BOOT_TIMEOUT}s)"
		cat "$1.qemu" >&2
		return 1
	fi
}

# boot_esp IMAGE LOG: boot until the machine powers off; LOG gets the
# serial console.
boot_esp() {
	run_qemu "$1" "file:$2.raw" </dev/null >"$2.qemu" 2>&1
	clean_serial "$2" $?
}

# boot_esp_timed IMAGE LOG FROM TO: as boot_esp, and LOG.ms gets the
# milliseconds, by this host's clock, from FROM first showing on the
# serial console to TO showing (grep patterns; empty if either never
# showed).  The guest's own clock is no measure under TCG on a busy host:
# it calibrates its TSC against a 5 ms stall, and when QEMU is scheduled
# out during it, every figure comes out short.  Lines are seen within a
# poll (0.1 s) or so of being printed: a wait shows up to about a second
# short when the host is very busy, and TO as late as the power-off.
boot_esp_timed() {
	image=$1 log=$2 from=$3 to=$4
	from_ms= to_ms=
	run_qemu "$image" "file:$log.raw" </dev/null >"$log.qemu" 2>&1 &
	qemu_pid=$!
	# One more look after QEMU is gone: TO is often the last line
	# before the machine powers off.
	while :; do
		now=$(date +%s%3N)
		running=yes
		kill -0 $qemu_pid 2>/dev/null || running=no
		if test -z "$from_ms" && grep -q "$from" "$log.raw" 2>/dev/null; then
			from_ms=$now
		fi
		if test -n "$from_ms" && grep -q "$to" "$log.raw" 2>/dev/null; then
			to_ms=$now
			break
		fi
		test $running = yes || break
		sleep 0.1
	done
	wait $qemu_pid
	status=$?
	if test -n "$from_ms" && test -n "$to_ms"; then
		echo $((to_ms - from_ms)) >"$log.ms"
	else
		: >"$log.ms"
	fi
	clean_serial "$log" $status
}

# boot_esp_keys IMAGE LOG TEXT KEYS [TEXT KEYS]...: as boot_esp, and
# each time the next TEXT shows on the serial console, type its KEYS.
boot_esp_keys() {
	image=$1 log=$2
	shift 2
	fifo=$TRASH/keys.fifo
	rm -f "$fifo" && mkfifo "$fifo" || return 1
	run_qemu "$image" stdio <"$fifo" >"$log.raw" 2>"$log.qemu" &
	qemu_pid=$!
	exec 7>"$fifo"
	while test $# -ge 2; do
		while ! grep -q "$1" "$log.raw" 2>/dev/null && kill -0 $qemu_pid 2>/dev/null; do
			sleep 0.2
		done
		printf '%s' "$2" >&7
		shift 2
	done
	wait $qemu_pid
	status=$?
	exec 7>&-
	clean_serial "$log" $status
}

# boot_esp_hold IMAGE LOG TEXT KEYS SECONDS MORE_KEYS: boot as
# boot_esp_keys; once TEXT shows, type KEYS, let SECONDS more pass,
# keep the serial console as it is then in LOG.held, then type
# MORE_KEYS.  For asserting that something did not happen by itself:
# a host too busy to run the guest for SECONDS only weakens what
# LOG.held proves, it never fails a correct payload.
boot_esp_hold() {
	image=$1 log=$2 text=$3 keys=$4 seconds=$5 more_keys=$6
	fifo=$TRASH/keys.fifo
	rm -f "$fifo" && mkfifo "$fifo" || return 1
	run_qemu "$image" stdio <"$fifo" >"$log.raw" 2>"$log.qemu" &
	qemu_pid=$!
	exec 7>"$fifo"
	while ! grep -q "$text" "$log.raw" 2>/dev/null && kill -0 $qemu_pid 2>/dev/null; do
		sleep 0.2
	done
	printf '%s' "$keys" >&7
	sleep "$seconds"
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$log.raw" >"$log.held"
	# A machine that went on by itself has no reader for the keys left.
	if kill -0 $qemu_pid 2>/dev/null; then
		printf '%s' "$more_keys" >&7
	fi
	wait $qemu_pid
	status=$?
	exec 7>&-
	clean_serial "$log" $status
}

# blank_disk IMAGE: a 32 MiB disk of zeros, as a new virtual disk is.
blank_disk() {
	rm -f "$1" && truncate -s 32M "$1"
}

# ntfs_disk IMAGE: a 64 MiB disk with a GPT and one basic data
# partition holding an NTFS volume labelled DATA, as a data disk
# Windows formatted.  The firmware cannot read NTFS.
ntfs_disk() {
	rm -f "$1" "$1.part" &&
	truncate -s 64M "$1" &&
	printf '%s\n' "label: gpt" \
		"start=1MiB, size=62MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=\"Basic data partition\"" |
		sfdisk --quiet "$1" &&
	truncate -s 62M "$1.part" &&
	mkntfs --quiet --force --fast --label DATA --sector-size 512 \
		--partition-start 2048 --heads 64 --sectors-per-track 32 "$1.part" &&
	dd if="$1.part" of="$1" bs=1M seek=1 conv=notrunc status=none &&
	rm -f "$1.part"
}

# gpt_disk IMAGE: a 200 MiB disk with a GPT: partition 1 an EFI system
# partition, partition 2 a basic data partition, both FAT.  mtools reach
# them as IMAGE@@1M and IMAGE@@101M.
gpt_disk() {
	rm -f "$1" &&
	truncate -s 200M "$1" &&
	printf '%s\n' "label: gpt" \
		"start=1MiB, size=100MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B" \
		"start=101MiB, size=98MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7" |
		sfdisk --quiet "$1" &&
	"$MFORMAT" -i "$1@@1M" -T 204800 -h 64 -s 32 -v ESP :: &&
	"$MFORMAT" -i "$1@@101M" -T 200704 -h 64 -s 32 -v DATA ::
}

# w7g2_lines LOG: the lines the test programs printed for us.
w7g2_lines() {
	sed -n 's/^.*\(W7G2T .*\)$/\1/p' "$1"
}

# gen1_disk IMAGE SIGNATURE: a 200 MiB disk as Windows 7 Setup lays out
# a Generation 1 disk: an MBR with disk signature SIGNATURE (0x and 8 hex
# digits), aligned at 1 MiB, a 100 MiB active NTFS partition (System
# Reserved) and an NTFS partition after it to the end (Windows).
gen1_disk() {
	rm -f "$1" "$1.part" &&
	truncate -s 200M "$1" &&
	printf '%s\n' "label: dos" "label-id: $2" \
		"start=1MiB, size=100MiB, type=7, bootable" \
		"start=101MiB, type=7" |
		sfdisk --quiet "$1" &&
	truncate -s 100M "$1.part" &&
	mkntfs --quiet --force --fast --label "System Reserved" --sector-size 512 \
		--partition-start 2048 --heads 64 --sectors-per-track 32 "$1.part" &&
	dd if="$1.part" of="$1" bs=1M seek=1 conv=notrunc status=none &&
	rm -f "$1.part" &&
	truncate -s 99M "$1.part" &&
	mkntfs --quiet --force --fast --sector-size 512 \
		--partition-start 206848 --heads 64 --sectors-per-track 32 "$1.part" &&
	dd if="$1.part" of="$1" bs=1M seek=101 conv=notrunc status=none &&
	rm -f "$1.part"
}
