#!/bin/sh
# win7gen2pe.exe on a Windows host, run by wine: --help, --version, usage
# errors, and --windows/--esp on a synthetic Windows 7 disk - the fix
# engine through the agent's Win32 backend, files and registry.
#
# Wine's RegLoadKeyW reads wine's own text registry format, not Windows'
# binary hives ("regf").  So a hive made by hivexsh shows how the agent
# treats a hive the system cannot load (reported, left untouched), and a
# hive in wine's format takes the whole registry path: copy, load, change,
# RegSaveKeyExW, rename into place, read back.

. "$top_srcdir/tests/fixengine/lib-fix.sh"
. "$top_srcdir/tests/agent/lib-agent.sh"
require_agent
require_wine
command -v hivexsh >/dev/null && command -v hivexget >/dev/null ||
	skip_all "hivexsh/hivexget not found (apt-get install libhivex-bin)"

HIVE=win/Windows/System32/config/SYSTEM

# wine_value FILE KEY NAME: the value as the file writes it (dword:0000...
# or "text"), KEY with single backslashes.
wine_value() {
	KEY="[$2]" NAME="\"$3\"" awk '
		BEGIN { key = ENVIRON["KEY"]; name = ENVIRON["NAME"] }
		/^\[/ { line = $0; sub(/\] [0-9]+$/, "]", line); gsub(/\\\\/, "\\", line)
			in_key = (line == key); next }
		in_key && index($0, name "=") == 1 { print substr($0, length(name) + 2); exit }
	' "$1"
}

fix() {
	agent --windows "$(winpath "$PWD/win")" --esp "$(winpath "$PWD/esp")" \
		--payload "$(winpath "$PWD/payload.efi")" --esp-partition 1 --windows-partition 3 "$@"
}

test_expect_success 'setup: a wine prefix of this test' '
	start_wine
'

test_expect_success '--version prints the version and exits 0' '
	agent --version && test ! -s err &&
	echo "win7gen2pe $AGENT_VERSION" >expect && test_cmp expect out
'

test_expect_success '--help says what it does, its options and exit status, exit 0' '
	agent --help && test ! -s err &&
	grep "^Usage: win7gen2pe.exe \[--mode MODE\] \[--no-reboot\]" out &&
	grep -e "--mode MODE .*: install,$" out &&
	grep "^ *install-confirmed, rescue, continue, or convert:SSSSSSSS$" out &&
	grep -e "--windows DIR" out && grep -e "--esp DIR" out && grep -e "--dry-run" out &&
	grep -e "--payload FILE" out && grep "never waits for a key" out &&
	grep "Exit status: 0 done, or nothing to do; 1" out
'

test_expect_success 'usage errors exit 2 and say what is wrong' '
	test_expect_code 2 agent --bogus &&
	grep "win7gen2pe: --bogus: unknown option; see .win7gen2pe --help." err &&
	test_expect_code 2 agent --windows C:\\ &&
	grep "give both --windows DIR and --esp DIR" err &&
	test_expect_code 2 agent --mode wipe && grep "not \"wipe\"" err &&
	test_expect_code 2 agent --windows a --esp b --no-reboot && grep "not both" err
'

test_expect_success 'outside Windows PE, no arguments do nothing and say so' '
	test_expect_code 2 agent &&
	grep "this is not Windows PE, so there is nothing to install or rescue here" err
'

test_expect_success 'setup: a Windows 7 disk with a binary hive, as Setup leaves it' '
	make_disk && cp $HIVE hive.before
'

test_expect_success 'dry run: the plan, and nothing changes' '
	tree_state win esp >before &&
	test_expect_code 1 fix --dry-run &&
	grep "change   \\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi" out &&
	grep "now: win7gen2 payload 0.1.0" out &&
	grep "Dry run: nothing was changed." out &&
	tree_state win esp >after && test_cmp before after
'

test_expect_success 'a hive Windows cannot load is reported and left untouched; the ESP is fixed' '
	test_expect_code 1 fix &&
	grep "Windows cannot load it as a registry hive" out &&
	grep "the hive is left untouched" out &&
	cmp hive.before $HIVE &&
	cmp ms-bootmgr.efi esp/EFI/Microsoft/Boot/bootmgfw.original.efi &&
	cmp payload.efi esp/EFI/Microsoft/Boot/bootmgfw.efi &&
	cmp ms-bootmgr.efi esp/EFI/Boot/bootx64.original.efi &&
	cmp payload.efi esp/EFI/Boot/bootx64.efi &&
	grep "menu = off" esp/EFI/Microsoft/Boot/win7gen2.cfg
'

test_expect_success 'the run record and a failed status are on the ESP, CRLF' '
	grep "^== .* win7gen2 fix 0\\.1\\.0 (Windows host)" esp/EFI/win7gen2/log.txt &&
	grep "^== result: problems" esp/EFI/win7gen2/log.txt &&
	head -n 1 esp/EFI/win7gen2/status.txt | od -c | grep "\\\\r  \\\\n" &&
	head -n 1 esp/EFI/win7gen2/status.txt | grep "^win7gen2 status: failed" &&
	grep "may not boot on Hyper-V Gen2" esp/EFI/win7gen2/status.txt &&
	grep "^problem  .Windows.System32.config.SYSTEM" esp/EFI/win7gen2/status.txt &&
	grep "Windows cannot load it as a registry hive" esp/EFI/win7gen2/status.txt
'

test_expect_success 'no temporary file is left anywhere' '
	find win esp "$WINEPREFIX/drive_c" -name "*win7gen2-tmp" -o -name "*win7gen2-new" \
		-o -name "*win7gen2-copy*" -o -name "win7gen2-hive-*" >leftovers &&
	test_must_be_empty leftovers
'

test_expect_success 'a hive that was not closed cleanly is refused before Windows loads it' '
	cp hive.before dirty &&
	printf "\\377" | dd of=dirty bs=1 seek=4 conv=notrunc 2>/dev/null &&
	cp dirty $HIVE &&
	test_expect_code 1 fix &&
	grep "the hive was not closed cleanly (sequence numbers" out &&
	grep "boot this Windows once" out &&
	cmp dirty $HIVE
'

test_expect_success 'setup: the same disk with a hive in the format wine loads' '
	rm -rf win esp payload.efi &&
	make_disk &&
	make_wine_hive $HIVE && cp $HIVE hive.before &&
	test "$(wine_value $HIVE "ControlSet002\\Services\\vmbus" Start)" = dword:00000003
'

test_expect_success 'dry run through the registry: the plan, and nothing changes' '
	tree_state win esp >before &&
	fix --dry-run &&
	grep "SYSTEM ControlSet002\\\\Services\\\\vmbus: Start" out &&
	grep "SYSTEM ControlSet002\\\\Control\\\\PnP: PollBootPartitionTimeout" out &&
	grep "now: 30000 (30.0 s)" out &&
	grep "Plan: [1-9][0-9]* changes, [0-9]* already right, 0 problems." out &&
	tree_state win esp >after && test_cmp before after
'

test_expect_success 'the fix: every registry change made, read back, exit 0' '
	fix &&
	grep "^Result: \\([1-9][0-9]*\\) of \\1 changes made and verified" out &&
	head -n 1 esp/EFI/win7gen2/status.txt | grep "^win7gen2 status: ok" &&
	grep "is ready to boot on Hyper-V Gen2" esp/EFI/win7gen2/status.txt
'

test_expect_success 'the hive holds the values, in both control sets' '
	for set in ControlSet001 ControlSet002; do
		test "$(wine_value $HIVE "$set\\Services\\vmbus" Start)" = dword:00000000 &&
		test "$(wine_value $HIVE "$set\\Services\\vmbus" Group)" = "\"System Bus Extender\"" &&
		test "$(wine_value $HIVE "$set\\Services\\storvsc" Start)" = dword:00000000 &&
		test "$(wine_value $HIVE "$set\\Services\\Ntfs" Start)" = dword:00000000 &&
		test "$(wine_value $HIVE "$set\\Services\\Tcpip" Start)" = dword:00000001 &&
		test "$(wine_value $HIVE "$set\\Control\\CriticalDeviceDatabase\\acpi#vmbus" Service)" = "\"vmbus\"" &&
		test "$(wine_value $HIVE "$set\\Control" FirmwareBootDevice)" = "\"multi(0)disk(0)rdisk(0)partition(1)\"" &&
		test "$(wine_value $HIVE "$set\\Control" SystemBootDevice)" = "\"multi(0)disk(0)rdisk(0)partition(3)\"" &&
		test "$(wine_value $HIVE "$set\\Control\\PnP" PollBootPartitionTimeout)" = dword:00007530 || return 1
	done &&
	test "$(wine_value $HIVE Select Current)" = dword:00000001
'

test_expect_success 'the backup is the hive as it was' '
	cmp hive.before $HIVE.win7gen2-backup
'

test_expect_success 'a second run changes nothing (and clears a copy a crash left)' '
	tree_state win esp/EFI/Microsoft esp/EFI/Boot >before &&
	echo "left by an interrupted run" >$HIVE.win7gen2-copy &&
	fix &&
	test ! -e $HIVE.win7gen2-copy &&
	grep "Nothing to do: everything is already right" out &&
	tree_state win esp/EFI/Microsoft esp/EFI/Boot >after && test_cmp before after
'

test_expect_success 'no copy of the hive is left, on the disk or in %TEMP%' '
	ls win/Windows/System32/config >config.list &&
	printf "SYSTEM\nSYSTEM.win7gen2-backup\n" >expect && test_cmp expect config.list &&
	find "$WINEPREFIX/drive_c" -name "win7gen2-hive-*" >leftovers &&
	test_must_be_empty leftovers
'

test_expect_success 'wrong directories and a foreign payload are refused' '
	test_expect_code 1 agent --windows "$(winpath "$PWD/esp")" --esp "$(winpath "$PWD/esp")" \
		--payload "$(winpath "$PWD/payload.efi")" &&
	grep "give the root of the Windows volume" out &&
	test_expect_code 1 agent --windows "$(winpath "$PWD/nowhere")" --esp "$(winpath "$PWD/esp")" \
		--payload "$(winpath "$PWD/payload.efi")" &&
	grep "nowhere: .* (error [23])\$" out &&
	test_expect_code 1 agent --windows "$(winpath "$PWD/win")" --esp "$(winpath "$PWD/esp")" &&
	grep "win7gen2pe.*win7gen2.efi: .* (error 2)" err &&
	grep "give the payload with --payload FILE" err &&
	fake_efi other.efi "some other EFI program" &&
	tree_state win esp >before &&
	test_expect_code 1 agent --windows "$(winpath "$PWD/win")" --esp "$(winpath "$PWD/esp")" \
		--payload "$(winpath "$PWD/other.efi")" &&
	grep "other.efi is not win7gen2.efi" out &&
	tree_state win esp >after && test_cmp before after &&
	say "a directory the user named wrongly as the ESP gets no status.txt" &&
	rm -rf notesp && mkdir notesp &&
	test_expect_code 1 agent --windows "$(winpath "$PWD/win")" --esp "$(winpath "$PWD/notesp")" \
		--payload "$(winpath "$PWD/payload.efi")" &&
	grep "give the root of the EFI system partition" out &&
	find notesp -type f >written &&
	test_must_be_empty written
'

stop_wine
test_done
