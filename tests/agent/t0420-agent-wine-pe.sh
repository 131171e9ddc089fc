#!/bin/sh
# win7gen2pe.exe's Windows PE runs, under wine made to look like Windows PE
# (the MiniNT key): the boot menu's choice, the drivers step, Setup started
# with the answer file and waited for, Setup's failure and its logs,
# finding the installation Setup made, rescue's scan of every drive,
# continue - each ending in the right restart/shutdown decision
# (--no-reboot only names it).  Setup is a stand-in (fake-setup.c) that
# records its command line; the installations are synthetic trees on
# drives D: and E: with stand-in kernels carrying real version resources.
#
# What wine cannot show: disks and partitions (its storage IOCTLs do not
# describe a GPT disk), so finding and mounting an ESP is not reached
# here; the tests check that its absence is reported and stops the VM.

. "$top_srcdir/tests/fixengine/lib-fix.sh"
. "$top_srcdir/tests/agent/lib-agent.sh"
require_agent
require_wine
command -v "$MINGW_CC" >/dev/null || skip_all "$MINGW_CC not found"
WINDRES=${MINGW_PREFIX}windres
command -v "$WINDRES" >/dev/null || skip_all "$WINDRES not found"

PE_AGENT='C:\win7gen2\win7gen2pe.exe'
DRIVE_C=$WINEPREFIX/drive_c

# pe ARGS...: the agent as winpeshl.ini starts it, from C:\win7gen2.
# What every run printed also goes to all-runs.
pe() {
	"$WINE" "$PE_AGENT" "$@" >out 2>err.raw
	status=$?
	grep -v -e '^wine: ' -e '^[0-9a-f]*:err:' -e '^[0-9a-f]*:fixme:' err.raw >err || :
	cat out err >>all-runs
	return $status
}

# kernel FILE MAJOR MINOR: an x64 program with ntoskrnl.exe's kind of
# version resource.
kernel() {
	"$WINDRES" -DMAJOR=$2 -DMINOR=$3 "$top_srcdir/tests/agent/fake-kernel.rc" -O coff \
		-o kernel.res &&
	echo "int main(void) { return 0; }" >kernel.c &&
	"$MINGW_CC" -o "$1" kernel.c kernel.res
}

setup_exit() {
	echo "$1" >"$DRIVE_C/sources/exit-code.txt"
}

test_expect_success 'setup: wine as Windows PE, with Setup, the staged files, two disks' '
	start_wine &&
	"$WINE" reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\MiniNT" /f >/dev/null 2>&1 &&
	mkdir -p "$DRIVE_C/sources" "$DRIVE_C/win7gen2/drivers/wvmbus.inf_amd64" \
		"$DRIVE_C/windows/Panther" &&
	"$MINGW_CC" -municode -o "$DRIVE_C/sources/setup.exe" \
		"$top_srcdir/tests/agent/fake-setup.c" &&
	cp "$AGENT" "$DRIVE_C/win7gen2/win7gen2pe.exe" &&
	fake_payload "$DRIVE_C/win7gen2/win7gen2.efi" 0.1.0 &&
	echo "<unattend/>" >"$DRIVE_C/win7gen2/autounattend.xml" &&
	echo "[Version]" >"$DRIVE_C/win7gen2/drivers/wvmbus.inf_amd64/wvmbus.inf" &&
	printf "setup: started\nsetup: the last thing Setup did\n" \
		>"$DRIVE_C/windows/Panther/setupact.log" &&
	printf "Error: cannot find a disk to install to\n" \
		>"$DRIVE_C/windows/Panther/setuperr.log" &&
	make_disk && kernel win/Windows/System32/ntoskrnl.exe 6 1 &&
	mkdir -p vista/Windows/System32/config &&
	cp win/Windows/System32/config/SYSTEM vista/Windows/System32/config/SYSTEM &&
	kernel vista/Windows/System32/ntoskrnl.exe 6 0 &&
	ln -s "$PWD/win" "$WINEPREFIX/dosdevices/d:" &&
	ln -s "$PWD/vista" "$WINEPREFIX/dosdevices/e:" &&
	say "wine learns of new drives when it starts" &&
	stop_wine &&
	"$WINE" reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\MiniNT" >/dev/null 2>&1 &&
	test -f "$WINEPREFIX/dosdevices/d:/Windows/System32/ntoskrnl.exe" &&
	test -f "$WINEPREFIX/dosdevices/e:/Windows/System32/ntoskrnl.exe"
'

test_expect_success 'no --mode: the firmware is asked; without UEFI variables (wine, a BIOS): install' '
	setup_exit 31 &&
	test_expect_code 1 pe --no-reboot &&
	grep "^Mode: install" out &&
	grep "^  no UEFI variables on this machine (started by a BIOS): install" out &&
	grep "^Windows Setup ended: exit code 31" out
'

test_expect_success 'the drivers step: missing VMBus drivers, the staged package found' '
	setup_exit 31 &&
	test_expect_code 1 pe --mode install --no-reboot &&
	grep "^Mode: install (given with --mode)" out &&
	grep "^Drivers: vmbus not installed; storvsc not installed" out &&
	grep "drvload.exe is not in this Windows PE" out &&
	grep "^wpeinit: not in this Windows PE; skipped" out
'

test_expect_success 'install: Setup gets the answer file and /noreboot' '
	printf "%s\\n" "C:\\sources\\setup.exe /unattend:C:\\win7gen2\\autounattend.xml /noreboot" >expect &&
	tr -d "\\r" <"$DRIVE_C/sources/setup-args.txt" >actual &&
	test_cmp expect actual
'

test_expect_success 'install: Setup failed - its logs in the report, no ESP, the VM stops' '
	grep "^Windows Setup ended: exit code 31" out &&
	grep "^win7gen2pe: Windows Setup failed (exit code 31)" out &&
	grep "No EFI system partition on any disk" out &&
	grep "^---- C:.windows.Panther.setuperr.log ----" out &&
	grep "^Error: cannot find a disk to install to" out &&
	grep "^setup: the last thing Setup did" out &&
	grep "without it: shut down" out &&
	grep "^win7gen2pe: install FAILED" out
'

test_expect_success 'install: Setup succeeded - the new Windows 7 is found, a Vista left alone' '
	setup_exit 0 &&
	test_expect_code 1 pe --mode install --no-reboot &&
	grep "^Windows Setup ended: exit code 0" out &&
	grep "^  D: Windows 7 x64 (kernel 6.1)" out &&
	grep "^  E: Windows 6.0, not Windows 7 (6.1): left alone" out &&
	grep "^The new installation: D:" out
'

test_expect_success 'install: without its ESP the new system is not fixed, and the VM stops' '
	grep "^== Windows on D:" out &&
	grep -E "its disk is unknown|partitions cannot be read|has no EFI system partition" out &&
	grep "without it: shut down" out &&
	cmp ms-bootmgr.efi esp/EFI/Microsoft/Boot/bootmgfw.efi
'

test_expect_success 'rescue: every drive scanned, each Windows 7 tried, failure stops the VM' '
	rm -f "$DRIVE_C/sources/setup-args.txt" &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	grep "^  D: Windows 7 x64" out && grep "^  E: Windows 6.0" out &&
	grep "^Rescue: 0 of 1 Windows 7 installations made ready for Gen2" out &&
	grep "without it: shut down" out &&
	test ! -e "$DRIVE_C/sources/setup-args.txt"
'

test_expect_success 'continue: plain Setup, no answer file, waited for; Setup restarts by itself' '
	setup_exit 0 &&
	pe --mode continue --no-reboot &&
	printf "%s\\n" "C:\\sources\\setup.exe" >expect &&
	tr -d "\\r" <"$DRIVE_C/sources/setup-args.txt" >actual &&
	test_cmp expect actual &&
	grep "^Windows Setup ended: exit code 0" out &&
	! grep "without it" out
'

test_expect_success 'nothing waits for a key: every run above ended on its own' '
	test $(grep -c "^Mode: " all-runs) -eq 5 &&
	! grep -i -e "press" -e "any key" all-runs
'

stop_wine
test_done
