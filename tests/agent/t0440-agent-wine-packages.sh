#!/bin/sh
# Update packages (packages.txt) through DISM, under wine made to look
# like Windows PE as in t0420: in install the DVD's list - a CD-ROM drive
# (wine's HKLM\Software\Wine\Drives "f:"="cdrom") holding
# \win7gen2\packages\ - and in rescue the list win7gen2 fix staged on the
# installation's volume.  The stand-in DISM (fake-dism.c) records every
# call and fails for the packages the test names.  What a user relies
# on: every package is its own DISM call, in the list's order, servicing
# stack first; each has its own log and its line in the report; not
# applicable is not a failure; a failure, a damaged list or no list
# never stops the Gen2 fix step.
#
# As in t0420, the shipped program finds no ESP under wine, so its fix
# step ends at "without its ESP, ... not made ready for Gen2": that it
# follows the packages is what is checked, and DISM's logs go to the
# Windows volume's Windows\Logs.  The last cases use the test build
# (tests/agent/win7gen2pe-test.exe, as t0430 does), whose stand-in volume
# queries (fake-disk.c) place D: and an ESP S: on one disk, with a hive
# in the format wine loads: there the fix itself runs after the packages,
# and the logs, the record and status.txt are on the ESP.

. "$top_srcdir/tests/fixengine/lib-fix.sh"
. "$top_srcdir/tests/agent/lib-agent.sh"
require_agent
require_wine
require_mingw

PE_AGENT='C:\win7gen2\win7gen2pe.exe'
DRIVE_C=$WINEPREFIX/drive_c
SYSTEM32=$DRIVE_C/windows/system32
DISM_RECORD=$SYSTEM32/dism-args.txt
DVD_PACKAGES=dvd/win7gen2/packages
STAGED=win/win7gen2/packages
SSU=Windows6.1-KB4490628-x64.cab
SHA2=Windows6.1-KB4474419-v3-x64.cab
ROLLUP=windows6.1-kb4534310-x64.cab
TEST_AGENT=$top_builddir/tests/agent/win7gen2pe-test.exe
ESP_DIR=esp/EFI/win7gen2
WINEDLLOVERRIDES=dism.exe=n
export WINEDLLOVERRIDES

# pe ARGS...: the agent as winpeshl.ini starts it, DISM's record cleared.
pe() {
	rm -f "$DISM_RECORD" &&
	"$WINE" "$PE_AGENT" "$@" >out.raw 2>err.raw
	status=$?
	tr -d '\r' <out.raw >out
	wine_stderr err.raw >err
	return $status
}

# packages DIR LINE...: packages.txt in DIR with these lines, and a CAB
# for each line's name.
packages() {
	dir=$1 && shift &&
	rm -rf "$dir" && mkdir -p "$dir" &&
	printf '%s\r\n' "# written by win7gen2 build; one package a line, in install order" \
		"$@" >"$dir/packages.txt" &&
	for line in "$@"; do
		echo "a package CAB" >"$dir/${line#* }" || return 1
	done
}

# dism_fails NAME CODE...: the stand-in fails for these packages only.
dism_fails() {
	: >"$SYSTEM32/dism-exit-codes.txt" &&
	while test $# -gt 1; do
		echo "$1 $2" >>"$SYSTEM32/dism-exit-codes.txt" && shift 2 || return 1
	done
}

# The packages DISM was given, one a line, in order.
dism_packages() {
	tr -d '\r' <"$DISM_RECORD" | sed -n 's/.* \/PackagePath:\([^ ]*\) .*/\1/p'
}

line_of() {
	grep -n -m 1 -e "$1" out | cut -d: -f1
}

test_expect_success 'setup: wine as Windows PE, a DVD in a CD-ROM drive, Windows 7 on D:' '
	start_wine &&
	"$WINE" reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\MiniNT" /f >/dev/null 2>&1 &&
	"$WINE" reg add "HKLM\\Software\\Wine\\Drives" /v "f:" /t REG_SZ /d cdrom /f \
		>/dev/null 2>&1 &&
	mkdir -p "$DRIVE_C/sources" "$DRIVE_C/win7gen2" dvd/sources &&
	"$MINGW_CC" -municode -o "$DRIVE_C/sources/setup.exe" \
		"$top_srcdir/tests/agent/fake-setup.c" &&
	echo 0 >"$DRIVE_C/sources/exit-code.txt" &&
	"$MINGW_CC" -municode -o "$SYSTEM32/dism.exe" "$top_srcdir/tests/agent/fake-dism.c" &&
	echo 0 >"$SYSTEM32/dism-exit-code.txt" &&
	cp "$AGENT" "$DRIVE_C/win7gen2/win7gen2pe.exe" &&
	fake_payload "$DRIVE_C/win7gen2/win7gen2.efi" 0.1.0 &&
	echo "<unattend/>" >"$DRIVE_C/win7gen2/autounattend.xml" &&
	echo "the Windows image" >dvd/sources/install.wim &&
	make_disk && fake_kernel win/Windows/System32/ntoskrnl.exe 6 1 &&
	ln -s "$PWD/win" "$WINEPREFIX/dosdevices/d:" &&
	ln -s "$PWD/dvd" "$WINEPREFIX/dosdevices/f:" &&
	say "wine learns of new drives when it starts" &&
	stop_wine &&
	test -f "$WINEPREFIX/dosdevices/d:/Windows/System32/ntoskrnl.exe" &&
	test -f "$WINEPREFIX/dosdevices/f:/sources/install.wim"
'

test_expect_success 'install: the servicing stack first and alone, then each package, in order' '
	packages "$DVD_PACKAGES" "servicing-stack $SSU" "package $SHA2" "package $ROLLUP" &&
	dism_fails &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	printf "F:\\\\win7gen2\\\\packages\\\\%s\\n" $SSU $SHA2 $ROLLUP >expect &&
	dism_packages >actual &&
	test_cmp expect actual &&
	test $(grep -c "^C:.windows.system32.dism.exe " "$DISM_RECORD") -eq 3 &&
	! grep -E "PackagePath.*PackagePath" "$DISM_RECORD"
'

test_expect_success 'install: each call exactly so, its own log, the scratch on the Windows volume' '
	for place_cab in 01:$SSU 02:$SHA2 03:$ROLLUP; do
		place=${place_cab%%:*} cab=${place_cab#*:} &&
		printf "%s%s%s%s%s\\n" "C:\\windows\\system32\\dism.exe /Image:D:\\ /Add-Package /PackagePath:F:\\win7gen2\\packages\\" \
			"$cab" " /ScratchDir:D:\\Windows\\Temp\\win7gen2-dism /LogPath:D:\\Windows\\Logs\\win7gen2-dism-" \
			"$place-${cab%.cab}" ".log /NoRestart /English" &&
		printf "scratch: present\\npackage: present\\nlog: written\\n" || return 1
	done >expect &&
	tr -d "\\r" <"$DISM_RECORD" >actual &&
	test_cmp expect actual &&
	grep "^fake dism" "win/Windows/Logs/win7gen2-dism-01-${SSU%.cab}.log" &&
	grep "^fake dism" "win/Windows/Logs/win7gen2-dism-03-${ROLLUP%.cab}.log" &&
	test ! -e win/Windows/Temp/win7gen2-dism
'

test_expect_success 'install: a line before each DISM run, one result a package, then the fix step' '
	grep -x "  Update packages: 3 in F:.win7gen2.packages.packages.txt, each in its own DISM call, servicing stacks first" out &&
	grep -x "  package 2/3 $SHA2: running DISM (can take minutes)" out &&
	grep -x "  package 1/3 $SSU (servicing stack): installed (exit 0), log D:.Windows.Logs.win7gen2-dism-01-${SSU%.cab}.log" out &&
	grep -x "  package 3/3 $ROLLUP: installed (exit 0), log D:.Windows.Logs.win7gen2-dism-03-${ROLLUP%.cab}.log" out &&
	grep -x "  update packages: 3 of 3 installed" out &&
	setup=$(line_of "^Windows Setup ended: exit code 0") &&
	running=$(line_of "^  package 1/3 .*: running DISM") &&
	dism=$(line_of "^  DISM: .*$SSU") &&
	second=$(line_of "^  package 2/3 .*: running DISM") &&
	fix=$(line_of "^  without its ESP, Windows on D: is not made ready for Gen2") &&
	test -n "$setup" && test -n "$running" && test -n "$dism" && test -n "$second" &&
	test -n "$fix" &&
	test "$setup" -lt "$running" && test "$running" -lt "$dism" &&
	test "$dism" -lt "$second" && test "$second" -lt "$fix" &&
	grep -x "win7gen2pe: install FAILED (see above)" out &&
	test -f "$DVD_PACKAGES/$SSU"
'

test_expect_success 'install: a failed and a not applicable package, each said as such; the fix follows' '
	dism_fails $SHA2 0x800f0922 $ROLLUP 0x800f081e &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	test $(grep -c "^C:.windows.system32.dism.exe " "$DISM_RECORD") -eq 3 &&
	grep -x "  package 2/3 $SHA2: FAILED (exit 0x800f0922), see D:.Windows.Logs.win7gen2-dism-02-${SHA2%.cab}.log" out &&
	grep -x "  package 3/3 $ROLLUP: not applicable to this Windows, nothing installed (exit 0x800f081e), log D:.Windows.Logs.win7gen2-dism-03-${ROLLUP%.cab}.log" out &&
	grep -x "  update packages: 1 of 3 installed, 1 not applicable, 1 FAILED (see .EFI.win7gen2.log.txt)" out &&
	said=$(line_of "^  update packages: ") &&
	fix=$(line_of "^  without its ESP, Windows on D: is not made ready for Gen2") &&
	test -n "$said" && test -n "$fix" && test "$said" -lt "$fix" &&
	grep -x "win7gen2pe: install FAILED (see above), and an update package was not installed either" out &&
	grep "without it: shut down" out
'

test_expect_success 'install: a failed servicing stack is said to risk the rest, which are still tried' '
	dism_fails $SSU 2 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	printf "F:\\\\win7gen2\\\\packages\\\\%s\\n" $SSU $SHA2 $ROLLUP >expect &&
	dism_packages >actual &&
	test_cmp expect actual &&
	grep -x "  package 1/3 $SSU (servicing stack): FAILED (exit 2), see D:.Windows.Logs.win7gen2-dism-01-${SSU%.cab}.log; the packages after it may fail too without it" out &&
	grep -x "  package 2/3 $SHA2: installed (exit 0), log D:.Windows.Logs.win7gen2-dism-02-${SHA2%.cab}.log" out
'

test_expect_success 'install: a listed CAB missing from the DVD is reported, the others installed' '
	dism_fails && rm "$DVD_PACKAGES/$SHA2" &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	printf "F:\\\\win7gen2\\\\packages\\\\%s\\n" $SSU $ROLLUP >expect &&
	dism_packages >actual &&
	test_cmp expect actual &&
	grep -x "  package 2/3 $SHA2: not run, the file is not in F:.win7gen2.packages" out &&
	grep -x "win7gen2pe: install FAILED (see above), and an update package was not installed either" out
'

test_expect_success 'install: a damaged list is reported, no package given to DISM, the fix follows' '
	packages "$DVD_PACKAGES" "package $SHA2" "servicing-stack $SSU" &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	test ! -e "$DISM_RECORD" &&
	grep "^  Update packages: F:.win7gen2.packages.packages.txt is damaged (line 3: .*): no package from it is installed; build the ISO again with win7gen2 build --package$" out &&
	grep "^  without its ESP, Windows on D: is not made ready for Gen2" out &&
	grep -x "win7gen2pe: install FAILED (see above), and an update package was not installed either" out
'

test_expect_success 'install: a list with no package: said, no DISM call' '
	packages "$DVD_PACKAGES" &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	test ! -e "$DISM_RECORD" &&
	grep -x "  Update packages: none listed in F:.win7gen2.packages.packages.txt" out &&
	grep -x "win7gen2pe: install FAILED (see above)" out
'

test_expect_success 'install: no list on a CD-ROM (one on a hard disk does not count): one line, no DISM' '
	rm -rf dvd/win7gen2 &&
	packages "$STAGED" "package $SHA2" &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	test ! -e "$DISM_RECORD" &&
	grep -x "  Update packages: none (no CD-ROM drive holds .win7gen2.packages.packages.txt)" out &&
	test $(grep -c "Update packages" out) -eq 1 &&
	grep "^  without its ESP, Windows on D: is not made ready for Gen2" out &&
	grep -x "win7gen2pe: install FAILED (see above)" out &&
	test -f "$STAGED/$SHA2"
'

test_expect_success 'rescue: the staged packages installed in order, then removed' '
	packages "$DVD_PACKAGES" "package $ROLLUP" &&
	packages "$STAGED" "servicing-stack $SSU" "package $SHA2" &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	printf "D:\\\\win7gen2\\\\packages\\\\%s\\n" $SSU $SHA2 >expect &&
	dism_packages >actual &&
	test_cmp expect actual &&
	grep -x "  package 2/2 $SHA2: installed (exit 0), log D:.Windows.Logs.win7gen2-dism-02-${SHA2%.cab}.log" out &&
	grep -x "  the staged packages are removed from D:.win7gen2.packages: the next rescue does not repeat them" out &&
	test ! -e win/win7gen2 &&
	test -f "$DVD_PACKAGES/$ROLLUP" &&
	dism=$(line_of "^  DISM: ") &&
	fix=$(line_of "^  without its ESP, Windows on D: is not made ready for Gen2") &&
	test -n "$dism" && test -n "$fix" && test "$dism" -lt "$fix"
'

test_expect_success 'rescue: a failed staged package is kept, alone in the list, for another rescue' '
	packages "$STAGED" "servicing-stack $SSU" "package $SHA2" "package $ROLLUP" &&
	dism_fails $SHA2 0x800f0922 $ROLLUP 0x800f081e &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	grep -x "  D:.win7gen2.packages.packages.txt now lists the 1 package that failed, for another rescue; the others are removed" out &&
	ls "$STAGED" | sort >actual &&
	printf "%s\\n" $SHA2 packages.txt >expect &&
	test_cmp expect actual &&
	tr -d "\\r" <"$STAGED/packages.txt" | grep -v "^#" >actual &&
	echo "package $SHA2" >expect &&
	test_cmp expect actual &&
	dism_fails &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	printf "D:\\\\win7gen2\\\\packages\\\\%s\\n" $SHA2 >expect &&
	dism_packages >actual &&
	test_cmp expect actual &&
	test ! -e win/win7gen2
'

test_expect_success 'rescue: a damaged staged list is reported and kept; nothing installed' '
	packages "$STAGED" "package $SHA2" "package $SHA2" &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	test ! -e "$DISM_RECORD" &&
	grep "^  Update packages: D:.win7gen2.packages.packages.txt is damaged (line 3: .*): no package from it is installed; stage the packages again with win7gen2 fix --package$" out &&
	test -f "$STAGED/packages.txt" && test -f "$STAGED/$SHA2" &&
	grep "^Rescue: 0 of 1 Windows 7 installations made ready for Gen2" out &&
	rm -rf win/win7gen2
'

test_expect_success 'rescue: packages only on the DVD are not installed' '
	test -f "$DVD_PACKAGES/packages.txt" &&
	test_expect_code 1 pe --mode rescue --no-reboot &&
	test ! -e "$DISM_RECORD" &&
	grep -x "  Update packages: none staged on D: (win7gen2 fix --package stages them; a DVD.s packages are for install only)" out &&
	grep "^Rescue: 0 of 1 Windows 7 installations made ready for Gen2" out
'

test_expect_success 'install: of two CD-ROM drives with a list, the one with the Windows media' '
	packages dvd2/win7gen2/packages "package $ROLLUP" &&
	"$WINE" reg add "HKLM\\Software\\Wine\\Drives" /v "e:" /t REG_SZ /d cdrom /f \
		>/dev/null 2>&1 &&
	ln -s "$PWD/dvd2" "$WINEPREFIX/dosdevices/e:" &&
	stop_wine &&
	packages "$DVD_PACKAGES" "package $SHA2" && dism_fails &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	rm "$WINEPREFIX/dosdevices/e:" && stop_wine &&
	printf "F:\\\\win7gen2\\\\packages\\\\%s\\n" $SHA2 >expect &&
	dism_packages >actual &&
	test_cmp expect actual &&
	grep -x "  Update packages: 2 CD-ROM drives hold a package list; F: is used (it holds the Windows media, .sources.install.wim)" out
'

if test -f "$TEST_AGENT"; then

test_expect_success 'setup: the test build, D: and an ESP S: on disk 0, a hive wine loads' '
	cp "$TEST_AGENT" "$DRIVE_C/win7gen2/win7gen2pe.exe" &&
	printf "D 0 3 basic\nS 0 1 esp\n" >"$DRIVE_C/win7gen2/volumes.txt" &&
	rm -rf win esp && make_disk && fake_kernel win/Windows/System32/ntoskrnl.exe 6 1 &&
	make_wine_hive win/Windows/System32/config/SYSTEM &&
	ln -s "$PWD/esp" "$WINEPREFIX/dosdevices/s:" &&
	stop_wine &&
	test -d "$WINEPREFIX/dosdevices/s:/EFI"
'

test_expect_success 'install with an ESP: the packages, then the fix; each log on the ESP' '
	packages "$DVD_PACKAGES" "servicing-stack $SSU" "package $SHA2" "package $ROLLUP" &&
	dism_fails $SHA2 0x800f0922 &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	printf "F:\\\\win7gen2\\\\packages\\\\%s\\n" $SSU $SHA2 $ROLLUP >expect &&
	dism_packages >actual &&
	test_cmp expect actual &&
	grep "/LogPath:S:.EFI.win7gen2.dism-01-${SSU%.cab}.log /NoRestart" "$DISM_RECORD" &&
	grep "^fake dism" "$ESP_DIR/dism-01-${SSU%.cab}.log" &&
	grep "^fake dism" "$ESP_DIR/dism-02-${SHA2%.cab}.log" &&
	grep "^fake dism" "$ESP_DIR/dism-03-${ROLLUP%.cab}.log" &&
	grep -x "  package 2/3 $SHA2: FAILED (exit 0x800f0922), see .EFI.win7gen2.dism-02-${SHA2%.cab}.log" out &&
	said=$(line_of "^  update packages: 2 of 3 installed, 1 FAILED") &&
	fix=$(line_of "^Status: ") &&
	test -n "$said" && test -n "$fix" && test "$said" -lt "$fix"
'

test_expect_success 'install with an ESP: the fix ran - payload and status there, the tally in it' '
	test -f "$ESP_DIR/win7gen2.efi" &&
	tr -d "\r" <"$ESP_DIR/status.txt" >status &&
	grep -x "update packages: 2 of 3 installed, 1 FAILED (see .EFI.win7gen2.log.txt)" status &&
	grep -x "win7gen2pe: install done, but an update package was not installed (see above); Windows is ready for Gen2" out &&
	grep "without it: restart" out
'

test_expect_success 'install with an ESP: log.txt has every package and its result' '
	tr -d "\r" <"$ESP_DIR/log.txt" >log &&
	grep -x "package 1/3 $SSU (servicing stack): installed (exit 0), log .EFI.win7gen2.dism-01-${SSU%.cab}.log" log &&
	grep -x "package 2/3 $SHA2: FAILED (exit 0x800f0922), see .EFI.win7gen2.dism-02-${SHA2%.cab}.log" log &&
	grep -x "package 3/3 $ROLLUP: installed (exit 0), log .EFI.win7gen2.dism-03-${ROLLUP%.cab}.log" log &&
	grep -x "== result: failed; update packages: 2 of 3 installed, 1 FAILED (see .EFI.win7gen2.log.txt)" log
'

else
	say "the test build tests/agent/win7gen2pe-test.exe is not built: the ESP cases are not run"
fi

stop_wine
test_done
