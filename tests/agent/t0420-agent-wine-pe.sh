#!/bin/sh
# win7gen2pe.exe's Windows PE runs, under wine made to look like Windows PE
# (the MiniNT key): the boot menu's choice, the drivers step, the install
# guard refusing Setup when it cannot read disk 0 (t0430 shows the guard
# with disks), Setup started with the answer file and waited for when the
# install is confirmed, Setup's failure and its logs,
# finding the installation Setup made, rescue's scan of every drive,
# continue - each ending in the right restart/shutdown decision
# (--no-reboot only names it).  Setup is a stand-in (fake-setup.c) that
# records its command line; the installations are synthetic trees on
# drives D: and E: with stand-in kernels carrying real version resources.
# The Integration Services package goes through a stand-in DISM
# (fake-dism.c, in wine's system directory where the agent looks) that
# records its command line and what the agent readied for it.
#
# What wine cannot show: disks and partitions (its storage IOCTLs do not
# describe a GPT disk), so finding and mounting an ESP is not reached
# here; the tests check that its absence is reported and stops the VM.
# So the fix engine never runs in these tests: that DISM comes before it
# is seen from the report's order (DISM, then the fix step saying it has
# no ESP), and DISM's log goes where it goes without an ESP.

. "$top_srcdir/tests/fixengine/lib-fix.sh"
. "$top_srcdir/tests/agent/lib-agent.sh"
require_agent
require_wine
require_mingw

PE_AGENT='C:\win7gen2\win7gen2pe.exe'
DRIVE_C=$WINEPREFIX/drive_c
SYSTEM32=$DRIVE_C/windows/system32
PACKAGE=$DRIVE_C/win7gen2/integration-services.cab
# Wine has a dism.exe of its own; the stand-in is to run instead.
WINEDLLOVERRIDES=dism.exe=n
export WINEDLLOVERRIDES

# pe ARGS...: the agent as winpeshl.ini starts it, from C:\win7gen2.
# What every run printed also goes to all-runs.
pe() {
	"$WINE" "$PE_AGENT" "$@" >out 2>err.raw
	status=$?
	wine_stderr err.raw >err
	cat out err >>all-runs
	return $status
}

setup_exit() {
	echo "$1" >"$DRIVE_C/sources/exit-code.txt"
}

# dism_exit CODE: how the stand-in DISM ends; its record cleared.
dism_exit() {
	echo "$1" >"$SYSTEM32/dism-exit-code.txt" &&
	rm -f "$SYSTEM32/dism-args.txt"
}

# dism_record PACKAGE: what the stand-in DISM records when the agent
# readied everything for it: the agent's command line for the
# installation on D: (no ESP, so the log is on D:) and the package at
# PACKAGE (a Windows path).
dism_record() {
	printf '%s%s%s\n' 'C:\windows\system32\dism.exe /Image:D:\ /Add-Package /PackagePath:' \
		"$1" ' /ScratchDir:D:\Windows\Temp\win7gen2-dism /LogPath:D:\Windows\Logs\win7gen2-dism.log /NoRestart /English' &&
	printf "scratch: present\npackage: present\nlog: written\n"
}

# line_of PATTERN: the number of the first line of out matching PATTERN.
line_of() {
	grep -n -m 1 -e "$1" out | cut -d: -f1
}

test_expect_success 'setup: wine as Windows PE, with Setup, the staged files, two disks' '
	start_wine &&
	"$WINE" reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\MiniNT" /f >/dev/null 2>&1 &&
	mkdir -p "$DRIVE_C/sources" "$DRIVE_C/win7gen2/drivers/wvmbus.inf_amd64" \
		"$DRIVE_C/windows/Panther" &&
	"$MINGW_CC" -municode -o "$DRIVE_C/sources/setup.exe" \
		"$top_srcdir/tests/agent/fake-setup.c" &&
	"$MINGW_CC" -municode -o "$SYSTEM32/dism.exe" "$top_srcdir/tests/agent/fake-dism.c" &&
	cp "$AGENT" "$DRIVE_C/win7gen2/win7gen2pe.exe" &&
	fake_payload "$DRIVE_C/win7gen2/win7gen2.efi" 0.1.0 &&
	echo "<unattend/>" >"$DRIVE_C/win7gen2/autounattend.xml" &&
	echo "[Version]" >"$DRIVE_C/win7gen2/drivers/wvmbus.inf_amd64/wvmbus.inf" &&
	printf "setup: started\nsetup: the last thing Setup did\n" \
		>"$DRIVE_C/windows/Panther/setupact.log" &&
	printf "Error: cannot find a disk to install to\n" \
		>"$DRIVE_C/windows/Panther/setuperr.log" &&
	make_disk && fake_kernel win/Windows/System32/ntoskrnl.exe 6 1 &&
	mkdir -p vista/Windows/System32/config &&
	cp win/Windows/System32/config/SYSTEM vista/Windows/System32/config/SYSTEM &&
	fake_kernel vista/Windows/System32/ntoskrnl.exe 6 0 &&
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
	grep -x "Mode: install" out &&
	grep "^  no UEFI variables on this machine (started by a BIOS): install" out
'

test_expect_success 'unconfirmed install: disk 0 cannot be read under wine, so no Setup' '
	grep "^  disk 0: .*   <- Setup.s disk" out &&
	grep "^Setup would wipe disk 0 (the answer file names DiskID 0), whose layout cannot be read" out &&
	! grep -e "^Windows Setup:" -e "^Windows Setup ended" out &&
	test ! -e "$DRIVE_C/sources/setup-args.txt" &&
	grep "without it: shut down" out
'

# The stand-ins print German text that contradicts their exit code
# (stand-in.h), as Windows PE prints its tools' text in the media's
# language: the agent must go by the exit code alone.
test_expect_success 'Setup judged by its exit code, not its words: German "success", exit 31' '
	setup_exit 31 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	grep "^Der Vorgang wurde erfolgreich beendet" out &&
	grep "^Windows Setup ended: exit code 31" out &&
	! grep "^The new installation" out
'

test_expect_success 'the drivers step: missing VMBus drivers, the staged package found' '
	setup_exit 31 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	grep -x "Mode: install-confirmed (given with --mode)" out &&
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
	setup_exit 0 && dism_exit 0 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	grep "^Windows Setup ended: exit code 0" out &&
	grep "^  D: Windows 7 x64 (kernel 6.1)" out &&
	grep "^  E: Windows 6.0, not Windows 7 (6.1): left alone" out &&
	grep "^The new installation: D:" out
'

test_expect_success 'install without a package: no DISM, the in-box Integration Services said' '
	test ! -e "$SYSTEM32/dism-args.txt" &&
	grep -x "  Integration Services: in-box 6.1.7601 (no Gen2 keyboard or video; Remote Desktop works)" out &&
	test $(grep -c "Integration Services" out) -eq 1 &&
	test ! -e win/Windows/Temp/win7gen2-dism
'

test_expect_success 'install: without its ESP the new system is not fixed, and the VM stops' '
	grep "^== Windows on D:" out &&
	grep -E "its disk is unknown|partitions cannot be read|has no EFI system partition" out &&
	grep "without it: shut down" out &&
	cmp ms-bootmgr.efi esp/EFI/Microsoft/Boot/bootmgfw.efi
'

test_expect_success 'install with the package: DISM after Setup, before the fix, exactly so' '
	echo "a package CAB" >"$PACKAGE" &&
	setup_exit 0 && dism_exit 0 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	dism_record "C:\\win7gen2\\integration-services.cab" >expect &&
	tr -d "\r" <"$SYSTEM32/dism-args.txt" >actual &&
	test_cmp expect actual &&
	setup=$(line_of "^Windows Setup ended: exit code 0") &&
	dism=$(line_of "^  DISM: C:.windows.system32.dism.exe /Image:D:") &&
	said=$(line_of "^  Integration Services: .* installed by DISM") &&
	fix=$(line_of "^  without its ESP, Windows on D: is not made ready for Gen2") &&
	test -n "$setup" && test -n "$dism" && test -n "$said" && test -n "$fix" &&
	test "$setup" -lt "$dism" && test "$dism" -lt "$said" && test "$said" -lt "$fix"
'

test_expect_success 'install with the package: exit 0 reported, scratch removed, log written' '
	grep -x "  Integration Services: C:.win7gen2.integration-services.cab installed by DISM (exit 0), log D:.Windows.Logs.win7gen2-dism.log" out &&
	grep "^Fehler: Der Vorgang ist fehlgeschlagen" out &&
	test -d win/Windows/Temp && test ! -e win/Windows/Temp/win7gen2-dism &&
	grep "^fake dism: /Add-Package" win/Windows/Logs/win7gen2-dism.log &&
	test -f "$PACKAGE" &&
	grep -x "win7gen2pe: install FAILED (see above)" out &&
	grep "without it: shut down" out
'

test_expect_success 'install: DISM exit 3010 (restart needed) is success' '
	setup_exit 0 && dism_exit 3010 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	grep -x "  Integration Services: C:.win7gen2.integration-services.cab installed by DISM (exit 3010, finished when Windows starts), log D:.Windows.Logs.win7gen2-dism.log" out &&
	! grep "DISM failed" out &&
	grep -x "win7gen2pe: install FAILED (see above)" out
'

test_expect_success 'install: DISM exit 2 is a failure, reported; the fix step still follows' '
	setup_exit 0 && dism_exit 2 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	test $(grep -c "^C:.windows.system32.dism.exe " "$SYSTEM32/dism-args.txt") -eq 1 &&
	grep -x "  Integration Services: C:.win7gen2.integration-services.cab: DISM failed (exit 2), see D:.Windows.Logs.win7gen2-dism.log; the system has the in-box 6.1 Integration Services (no keyboard on Gen2)" out &&
	said=$(line_of "DISM failed (exit 2)") &&
	fix=$(line_of "^  without its ESP, Windows on D: is not made ready for Gen2") &&
	test -n "$said" && test -n "$fix" && test "$said" -lt "$fix" &&
	test ! -e win/Windows/Temp/win7gen2-dism &&
	grep -x "win7gen2pe: install FAILED (see above), and the Integration Services package was not installed either" out &&
	grep "without it: shut down" out
'

test_expect_success 'install: no dism.exe in Windows PE is a failure without a log to point at' '
	mv "$SYSTEM32/dism.exe" dism.exe.aside &&
	setup_exit 0 && dism_exit 0 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	mv dism.exe.aside "$SYSTEM32/dism.exe" &&
	grep -x "  Integration Services: C:.win7gen2.integration-services.cab: DISM failed (dism.exe is not in this Windows PE); the system has the in-box 6.1 Integration Services (no keyboard on Gen2)" out &&
	grep "^  without its ESP, Windows on D: is not made ready for Gen2" out &&
	test ! -e win/Windows/Temp/win7gen2-dism
'

test_expect_success 'rescue: every drive scanned, each Windows 7 tried, failure stops the VM' '
	rm -f "$DRIVE_C/sources/setup-args.txt" "$PACKAGE" && dism_exit 0 &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	grep "^  D: Windows 7 x64" out && grep "^  E: Windows 6.0" out &&
	grep "^Rescue: 0 of 1 Windows 7 installations made ready for Gen2" out &&
	grep "without it: shut down" out &&
	test ! -e "$DRIVE_C/sources/setup-args.txt"
'

test_expect_success 'rescue without a package: no DISM, the installation keeps its own' '
	test ! -e "$SYSTEM32/dism-args.txt" &&
	grep -x "  Integration Services: no package given; the installation keeps the ones it has" out
'

test_expect_success 'rescue: a package staged on the installation is installed, then removed' '
	mkdir -p win/win7gen2 && echo "a staged package CAB" >win/win7gen2/integration-services.cab &&
	echo "the agent package" >"$PACKAGE" &&
	dism_exit 0 &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	dism_record "D:\\win7gen2\\integration-services.cab" >expect &&
	tr -d "\r" <"$SYSTEM32/dism-args.txt" >actual &&
	test_cmp expect actual &&
	grep -x "  Integration Services: D:.win7gen2.integration-services.cab installed by DISM (exit 0), log D:.Windows.Logs.win7gen2-dism.log" out &&
	grep -x "  the staged copy D:.win7gen2.integration-services.cab is removed: it is installed" out &&
	test ! -e win/win7gen2 &&
	test -f "$PACKAGE" &&
	test ! -e win/Windows/Temp/win7gen2-dism &&
	dism=$(line_of "^  DISM: ") &&
	fix=$(line_of "^  without its ESP, Windows on D: is not made ready for Gen2") &&
	test -n "$dism" && test -n "$fix" && test "$dism" -lt "$fix" &&
	grep "^Rescue: 0 of 1 Windows 7 installations made ready for Gen2" out
'

test_expect_success 'rescue: a staged package DISM failed on is kept for another try' '
	mkdir -p win/win7gen2 && echo "a staged package CAB" >win/win7gen2/integration-services.cab &&
	rm -f "$PACKAGE" && dism_exit 2 &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	grep "/PackagePath:D:.win7gen2.integration-services.cab " "$SYSTEM32/dism-args.txt" &&
	grep -x "  Integration Services: D:.win7gen2.integration-services.cab: DISM failed (exit 2), see D:.Windows.Logs.win7gen2-dism.log; the installation keeps the Integration Services it has" out &&
	test -f win/win7gen2/integration-services.cab &&
	grep -x "win7gen2pe: rescue FAILED (see above), and the Integration Services package was not installed either" out
'

test_expect_success 'rescue: without a staged copy, the package beside the agent; it stays' '
	rm -rf win/win7gen2 && echo "the agent package" >"$PACKAGE" && dism_exit 0 &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	dism_record "C:\\win7gen2\\integration-services.cab" >expect &&
	tr -d "\r" <"$SYSTEM32/dism-args.txt" >actual &&
	test_cmp expect actual &&
	! grep "staged copy" out &&
	test -f "$PACKAGE" &&
	rm -f "$PACKAGE"
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
	test $(grep -c "^Mode: " all-runs) -eq 13 &&
	! grep -i -e "press" -e "any key" all-runs
'

stop_wine
test_done
