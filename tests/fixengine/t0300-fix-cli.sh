#!/bin/sh
# win7gen2 fix on a disk mounted on Linux: what the user types and what
# the disk holds afterwards.

. "$top_srcdir/tests/fixengine/lib-fix.sh"
require_fix

HIVE=win/Windows/System32/config/SYSTEM
fix() {
	"$WIN7GEN2" fix --windows win --esp esp --payload payload.efi \
		--esp-partition 1 --windows-partition 3 "$@"
}

test_expect_success '--help says what it does, its options and exit status' '
	"$WIN7GEN2" fix --help >help &&
	grep -e "--windows DIR" help && grep -e "--esp DIR" help &&
	grep -e "--payload FILE" help && grep -e "--dry-run" help &&
	grep "Exit status: 0 done, or nothing to do; 1" help &&
	"$WIN7GEN2" --help | grep "^  fix "
'

test_expect_success 'usage errors exit 2 and say what is wrong' '
	test_expect_code 2 "$WIN7GEN2" fix 2>err &&
	grep "give both --windows DIR and --esp DIR" err &&
	test_expect_code 2 "$WIN7GEN2" fix --windows a 2>err &&
	grep -x "win7gen2 fix: --esp DIR is needed: the mounted EFI system partition; see '\''win7gen2 fix --help'\''" err &&
	test_expect_code 2 "$WIN7GEN2" fix --esp b 2>err &&
	grep -x "win7gen2 fix: --windows DIR is needed: the mounted Windows volume; see '\''win7gen2 fix --help'\''" err &&
	test_expect_code 2 "$WIN7GEN2" fix --windows a --esp b --bogus 2>err &&
	grep -x "win7gen2 fix: --bogus is not an option of fix; see '\''win7gen2 fix --help'\''" err &&
	test_expect_code 2 "$WIN7GEN2" fix --windows a --esp 2>err &&
	grep -x "win7gen2 fix: --esp needs a value; see '\''win7gen2 fix --help'\''" err &&
	test $(wc -l <err) -eq 1 &&
	test_expect_code 2 "$WIN7GEN2" fix --windows a --esp b --esp-partition x \
		--windows-partition 2 2>err &&
	grep "wants a partition number" err &&
	for bad in 0 129 " 1" +1 -1 1x; do
		test_expect_code 2 "$WIN7GEN2" fix --windows a --esp b --esp-partition "$bad" \
			--windows-partition 2 2>err &&
		grep "^win7gen2 fix: --esp-partition wants a partition number from 1 to 128, not \"$bad\"" err ||
		return 1
	done &&
	test_expect_code 2 "$WIN7GEN2" fix --windows a --esp b --esp-partition 1 2>err &&
	grep "together" err &&
	test_expect_code 2 "$WIN7GEN2" fix --windows a --esp b extra 2>err &&
	grep "unexpected argument \"extra\"" err
'

test_expect_success 'setup: a Windows 7 disk that does not boot on Gen2' '
	make_disk &&
	test "$(value $HIVE "\\ControlSet002\\Services\\vmbus" Start)" = 3 &&
	cp $HIVE hive.before
'

test_expect_success 'wrong directories are refused, naming them and the fix' '
	state win esp >before &&
	test_expect_code 1 "$WIN7GEN2" fix --windows nowhere --esp esp --payload payload.efi 2>err &&
	grep -x "win7gen2 fix: --windows nowhere: no such folder; give the root of the Windows volume, mounted" err &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp /nonexist --payload payload.efi 2>err &&
	grep -x "win7gen2 fix: --esp /nonexist: no such folder; give the root of the EFI system partition, mounted" err &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp payload.efi --payload payload.efi 2>err &&
	grep -x "win7gen2 fix: --esp payload.efi: not a folder; give the root of the EFI system partition, mounted" err &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp win --payload payload.efi 2>err &&
	grep "holds neither EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi" err &&
	grep "give the root of the EFI system partition" err &&
	test_expect_code 1 "$WIN7GEN2" fix --windows esp --esp esp --payload payload.efi 2>err &&
	grep "give the root of the Windows volume" err &&
	state win esp >after && test_cmp before after
'

test_expect_success 'a payload that cannot be read is named' '
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp esp --payload nowhere.efi 2>err &&
	grep "^win7gen2 fix: cannot read nowhere.efi: No such file or directory" err
'

test_expect_success 'a payload that is not win7gen2.efi is refused' '
	fake_efi other.efi "some other EFI program" &&
	state win esp >before &&
	test_expect_code 1 "$WIN7GEN2" fix --windows win --esp esp --payload other.efi 2>err &&
	grep "other.efi is not win7gen2.efi" err &&
	state win esp >after && test_cmp before after
'

test_expect_success '--dry-run shows the plan and changes nothing' '
	state win esp >before &&
	fix --dry-run >out &&
	grep "change   SYSTEM ControlSet002\\\\Services\\\\vmbus: Start" out &&
	grep "was: 3 (demand start)" out && grep "now: 0 (boot start)" out &&
	grep "change   \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi" out &&
	grep "Dry run: nothing was changed." out &&
	state win esp >after && test_cmp before after
'

test_expect_success 'fix makes the changes and reports them verified' '
	fix >out &&
	grep "^Result: 30 of 30 changes made and verified" out &&
	grep "done     SYSTEM ControlSet001\\\\Services\\\\storvsc: Start" out
'

test_expect_success 'every control set has the values a Gen2 boot needs' '
	for set in ControlSet001 ControlSet002; do
		test "$(value $HIVE "\\$set\\Services\\vmbus" Start)" = 0 &&
		test "$(value $HIVE "\\$set\\Services\\vmbus" Group)" = "System Bus Extender" &&
		test "$(value $HIVE "\\$set\\Services\\storvsc" Start)" = 0 &&
		test "$(value $HIVE "\\$set\\Services\\storvsc" Group)" = "SCSI miniport" &&
		test "$(value $HIVE "\\$set\\Services\\Ntfs" Start)" = 0 &&
		test "$(value $HIVE "\\$set\\Control\\CriticalDeviceDatabase\\acpi#vmbus" Service)" = vmbus &&
		test "$(value $HIVE "\\$set\\Control" FirmwareBootDevice)" = "multi(0)disk(0)rdisk(0)partition(1)" &&
		test "$(value $HIVE "\\$set\\Control" SystemBootDevice)" = "multi(0)disk(0)rdisk(0)partition(3)" &&
		test "$(value $HIVE "\\$set\\Control\\PnP" PollBootPartitionTimeout)" = 30000 &&
		test "$(value $HIVE "\\$set\\Services\\Tcpip" Start)" = 1 || return 1
	done
'

test_expect_success 'the hive was backed up first, exactly as it was' '
	cmp hive.before win/Windows/System32/config/SYSTEM.win7gen2-backup
'

test_expect_success 'the ESP starts the payload, which starts the Microsoft loader' '
	cmp payload.efi esp/EFI/Microsoft/Boot/bootmgfw.efi &&
	cmp ms-bootmgr.efi esp/EFI/Microsoft/Boot/bootmgfw.original.efi &&
	cmp payload.efi esp/EFI/Boot/bootx64.efi &&
	cmp ms-bootmgr.efi esp/EFI/Boot/bootx64.original.efi &&
	grep "^menu = off" esp/EFI/Microsoft/Boot/win7gen2.cfg &&
	cmp payload.efi esp/EFI/win7gen2/win7gen2.efi &&
	grep "^== result: ok; 30 changed" esp/EFI/win7gen2/log.txt &&
	test "$(head -n 1 esp/EFI/win7gen2/status.txt)" = "$(printf "win7gen2 status: ok\r")"
'

test_expect_success 'a second run has nothing to do and writes nothing to Windows' '
	state win >before &&
	fix >out &&
	grep "^Nothing to do: everything is already right" out &&
	state win >after && test_cmp before after
'

test_expect_success '--boot-wait MS: another wait in every control set, shown, then idempotent' '
	fix --boot-wait 60000 >out &&
	grep "now: 60000 (60.0 s)" out &&
	for set in ControlSet001 ControlSet002; do
		test "$(value $HIVE "\\$set\\Control\\PnP" PollBootPartitionTimeout)" = 60000 ||
		return 1
	done &&
	state win >before &&
	fix --boot-wait 60000 >out &&
	grep "^Nothing to do: everything is already right" out &&
	state win >after && test_cmp before after &&
	fix >out &&
	test "$(value $HIVE "\\ControlSet001\\Control\\PnP" PollBootPartitionTimeout)" = 30000
'

test_expect_success '--boot-wait out of range or not a number: a usage error, nothing changed' '
	state win esp >before &&
	for bad in 0 199 180001 30s ""; do
		test_expect_code 2 fix --boot-wait "$bad" 2>err &&
		grep -x "win7gen2 fix: --boot-wait wants milliseconds from 200 to 180000, not \"$bad\"; see '\''win7gen2 fix --help'\''" err ||
		return 1
	done &&
	state win esp >after && test_cmp before after
'

test_expect_success '--quiet prints only the result; --verbose what is right too' '
	fix --quiet >out &&
	test "$(cat out)" = "$(grep "^Nothing to do" out)" &&
	fix --verbose >out &&
	grep "right    SYSTEM ControlSet001\\\\Services\\\\vmbus: Start" out
'

test_expect_success 'after an update replaced bootmgfw.efi, it is wrapped again' '
	fake_efi ms-bootmgr-b.efi "Windows Boot Manager, release B" &&
	cp ms-bootmgr-b.efi esp/EFI/Microsoft/Boot/bootmgfw.efi &&
	fix >out &&
	cmp payload.efi esp/EFI/Microsoft/Boot/bootmgfw.efi &&
	cmp ms-bootmgr-b.efi esp/EFI/Microsoft/Boot/bootmgfw.original.efi &&
	cmp ms-bootmgr.efi esp/EFI/Microsoft/Boot/bootmgfw.original.old.efi
'

test_expect_success 'a hive that does not parse is reported and left alone' '
	head -c 4096 hive.before >broken &&
	cp broken $HIVE &&
	test_expect_code 1 fix >out 2>&1 &&
	grep "problem  \\\\Windows\\\\System32\\\\config\\\\SYSTEM" out &&
	grep "left untouched" out &&
	cmp broken $HIVE &&
	test "$(head -n 1 esp/EFI/win7gen2/status.txt)" = "$(printf "win7gen2 status: failed\r")" &&
	grep "^problem \\\\Windows\\\\System32\\\\config\\\\SYSTEM: " esp/EFI/win7gen2/status.txt
'

test_expect_success 'a service that is not installed is reported, not created' '
	rm -rf win esp && make_disk &&
	printf "cd \\\\ControlSet002\\\\Services\\\\storvsc\ndel\ncommit\n" >del.hsh &&
	hivexsh -w -f del.hsh $HIVE &&
	test_expect_code 1 fix >out &&
	grep "problem  SYSTEM ControlSet002\\\\Services\\\\storvsc" out &&
	grep "not installed" out &&
	printf "cd \\\\ControlSet002\\\\Services\\nls\\n" >ls.hsh &&
	hivexsh -f ls.hsh $HIVE >services &&
	grep -x vmbus services &&
	! grep -i -x storvsc services
'

if test -f "$REAL_PAYLOAD"; then
	test_expect_success 'the real win7gen2.efi is recognised and installed by default' '
		rm -rf win esp && make_disk &&
		"$WIN7GEN2" fix --windows win --esp esp --esp-partition 1 \
			--windows-partition 3 >out &&
		grep "Payload: .*payload/win7gen2.efi (win7gen2 payload " out &&
		cmp "$REAL_PAYLOAD" esp/EFI/Microsoft/Boot/bootmgfw.efi
	'
else
	say "payload/win7gen2.efi not built (gnu-efi missing?): default payload not tried"
fi

test_done
