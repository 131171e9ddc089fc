# lib-fix.sh - disks for the win7gen2 fix tests: a Windows volume with a
# SYSTEM hive built by hivexsh, an ESP with stand-ins for Microsoft's
# boot manager, a stand-in payload
#
# SPDX-License-Identifier: MIT

. "$top_srcdir/tests/lib.sh"

WIN7GEN2=$top_builddir/builder/win7gen2
EMPTY_HIVE=$top_srcdir/tests/fixtures/registry/empty.hive
REAL_PAYLOAD=$top_builddir/payload/win7gen2.efi

require_fix() {
	test -x "$WIN7GEN2" || skip_all "win7gen2 not built (libwim-dev, libhivex-dev missing?)"
	command -v hivexsh >/dev/null && command -v hivexget >/dev/null ||
		skip_all "hivexsh/hivexget not found (apt-get install libhivex-bin)"
}

# fake_efi FILE TEXT: an x64 PE header (MZ, PE at 0x40, machine 0x8664)
# with TEXT and a NUL at 0x80 - what tells a loader from other files -
# and "Microsoft" in UTF-16, as in Microsoft's version resources.
fake_efi() {
	{
		printf 'MZ'
		head -c 58 /dev/zero
		printf '\100\000\000\000PE\000\000\144\206'
		head -c 58 /dev/zero
		printf '%s\000' "$2"
		printf 'M\000i\000c\000r\000o\000s\000o\000f\000t\000'
	} >"$1"
}

# fake_payload FILE VERSION: the same with win7gen2's marker.
fake_payload() {
	fake_efi "$1" "win7gen2-payload-marker:$2"
}

# make_system_hive FILE: Windows 7's SYSTEM as on a disk moved from
# elsewhere: two control sets, vmbus/storvsc/Ntfs demand-start, vmbus
# without its group, the boot devices of a BIOS install.
make_system_hive() {
	{
		echo 'add Select'
		echo 'cd Select'
		printf 'setval 2\nCurrent\ndword:1\nLastKnownGood\ndword:2\n'
		for set in ControlSet001 ControlSet002; do
			echo 'cd \ '
			echo "add $set"
			echo "cd $set"
			echo 'add Control'
			echo 'cd Control'
			printf 'setval 2\nFirmwareBootDevice\nstring:multi(0)disk(0)rdisk(0)partition(2)\n'
			printf 'SystemBootDevice\nstring:multi(0)disk(0)rdisk(0)partition(2)\n'
			echo 'cd ..'
			echo 'add Services'
			echo 'cd Services'
			printf 'add vmbus\ncd vmbus\nsetval 3\nType\ndword:1\nStart\ndword:3\n'
			printf 'ImagePath\nexpandstring:system32\\DRIVERS\\vmbus.sys\ncd ..\n'
			printf 'add storvsc\ncd storvsc\nsetval 3\nType\ndword:1\nStart\ndword:3\n'
			printf 'Group\nstring:SCSI miniport\ncd ..\n'
			printf 'add Ntfs\ncd Ntfs\nsetval 3\nType\ndword:2\nStart\ndword:3\n'
			printf 'Group\nstring:Boot File System\ncd ..\n'
			printf 'add Tcpip\ncd Tcpip\nsetval 1\nStart\ndword:1\ncd ..\n'
		done
		echo "commit $1"
	} >make-hive.hsh &&
	hivexsh -w -f make-hive.hsh "$EMPTY_HIVE"
}

# make_disk: win/ and esp/ here, payload.efi (0.1.0) beside them.
make_disk() {
	mkdir -p win/Windows/System32/config win/Windows/System32/drivers \
		esp/EFI/Microsoft/Boot esp/EFI/Boot &&
	make_system_hive win/Windows/System32/config/SYSTEM &&
	for driver in vmbus storvsc Ntfs; do
		echo MZ >"win/Windows/System32/drivers/$driver.sys" || return 1
	done &&
	fake_efi ms-bootmgr.efi "Windows Boot Manager, release A" &&
	cp ms-bootmgr.efi esp/EFI/Microsoft/Boot/bootmgfw.efi &&
	cp ms-bootmgr.efi esp/EFI/Boot/bootx64.efi &&
	fake_payload payload.efi 0.1.0
}

# value HIVE KEY NAME: one value, as hivexget prints it.
value() {
	hivexget "$1" "$2" "$3"
}

# state DIR...: every file and directory below the DIRs with size, mode,
# modification time and a checksum, for "nothing changed" checks.
state() {
	find "$@" -printf '%p %s %m %T@\n' | sort &&
	find "$@" -type f -exec md5sum {} + | sort
}
