#!/bin/sh
# The install guard: in install mode Windows PE runs Setup, whose answer
# file wipes disk 0, only when disk 0 is blank or a person confirmed the
# install on the boot menu.  Otherwise no Setup: the report names the
# disk Setup would use and why, what every disk holds and what to do, on
# the console and in the log, and the VM is shut down.
#
# Wine has no \\.\PhysicalDriveN, so these runs use the test build of the
# agent (tests/agent/win7gen2pe-test.exe), which is the shipped program
# with the layout query replaced by a stand-in (fake-disklayout.c) that
# reads disks.txt beside it.  The stand-in Setup (fake-setup.c) records
# whether it ran.  What the query itself answers on a real VMBus disk is
# not shown here; t0420 shows that the shipped program, which cannot read
# any disk under wine, does not start Setup either.

. "$top_srcdir/tests/fixengine/lib-fix.sh"
. "$top_srcdir/tests/agent/lib-agent.sh"
TEST_AGENT=$top_builddir/tests/agent/win7gen2pe-test.exe
test -f "$TEST_AGENT" || skip_all "tests/agent/win7gen2pe-test.exe not built (make check builds it)"
require_wine
command -v "$MINGW_CC" >/dev/null || skip_all "$MINGW_CC not found"

PE_AGENT='C:\win7gen2\win7gen2pe.exe'
DRIVE_C=$WINEPREFIX/drive_c
AGENT_DIR=$DRIVE_C/win7gen2
SETUP_RECORD=$DRIVE_C/sources/setup-args.txt
PE_LOG=$DRIVE_C/EFI/win7gen2/log.txt
GIB=1073741824
MIB=1048576

# pe ARGS...: the agent as winpeshl.ini starts it, from C:\win7gen2, with
# Setup's record and the log of the run before cleared.
pe() {
	rm -f "$SETUP_RECORD" "$PE_LOG" &&
	"$WINE" "$PE_AGENT" "$@" >out 2>err.raw
	status=$?
	wine_stderr err.raw >err
	tr -d '\r' <out >out.lf && mv out.lf out
	return $status
}

# disks LINE...: what the stand-in layout query answers (fake-disklayout.c).
disks() {
	printf '%s\n' "$@" >"$AGENT_DIR/disks.txt"
}

setup_ran() {
	test -f "$SETUP_RECORD"
}

# The report of a run that refused to start Setup.
refused_report() {
	grep -x "Disks (Setup installs to disk 0: the answer file names DiskID 0):" out &&
	grep "^Windows Setup is not started: nothing is wiped" out &&
	grep "start the VM again and pick Install on the win7gen2 menu yourself" out &&
	grep "choose Rescue" out &&
	grep -x "win7gen2pe: install stopped before Setup; nothing was wiped" out &&
	grep -x "win7gen2pe: --no-reboot: the VM is left running (without it: shut down)" out &&
	! grep "^Windows Setup:" out
}

test_expect_success 'the answer file wipes disk 0 and no other (what the guard checks)' '
	grep "<DiskID>" "$top_srcdir/overlay/autounattend.xml" >ids &&
	test -s ids &&
	! grep -v "<DiskID>0</DiskID>" ids
'

test_expect_success 'setup: wine as Windows PE, the test agent, the stand-in Setup' '
	start_wine &&
	"$WINE" reg add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\MiniNT" /f >/dev/null 2>&1 &&
	mkdir -p "$DRIVE_C/sources" "$AGENT_DIR" &&
	"$MINGW_CC" -municode -o "$DRIVE_C/sources/setup.exe" \
		"$top_srcdir/tests/agent/fake-setup.c" &&
	echo 31 >"$DRIVE_C/sources/exit-code.txt" &&
	cp "$TEST_AGENT" "$AGENT_DIR/win7gen2pe.exe" &&
	fake_payload "$AGENT_DIR/win7gen2.efi" 0.1.0 &&
	cp "$top_srcdir/overlay/autounattend.xml" "$AGENT_DIR/autounattend.xml" &&
	stop_wine
'

test_expect_success 'install, disk 0 blank: Setup runs' '
	disks "0 raw $((127 * GIB))" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	setup_ran &&
	grep -x "  disk 0: no partition table, 127 GiB, no partitions (blank)   <- Setup'"'"'s disk" out &&
	grep -x "Setup uses disk 0 (the answer file names DiskID 0), which is blank: nothing on it is lost" out &&
	grep "^Windows Setup ended: exit code 31" out
'

test_expect_success 'install, disk 0 with an empty GPT: blank, Setup runs' '
	disks "0 gpt $((127 * GIB))" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	setup_ran &&
	grep -x "  disk 0: GPT, 127 GiB, no partitions (blank)   <- Setup'"'"'s disk" out
'

test_expect_success 'install, disk 0 with partitions: no Setup, the disk and the reason reported' '
	disks "0 gpt $((127 * GIB)) $((100 * MIB)) $((16 * MIB)) $((126 * GIB))" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	! setup_ran &&
	refused_report &&
	grep -x "  disk 0: GPT, 127 GiB, 3 partitions (100 MiB, 16 MiB, 126 GiB)   <- Setup'"'"'s disk" out &&
	grep -x "Setup would wipe disk 0 (the answer file names DiskID 0), which holds 3 partitions; nobody confirmed the install." out
'

test_expect_success 'the refusal is in the log too (no ESP here: on Windows PE'"'"'s drive)' '
	grep "No EFI system partition on any disk: the report goes to COM1, the screen and C:.EFI.win7gen2.log.txt" out &&
	tr -d "\r" <"$PE_LOG" >log &&
	grep "^== .* win7gen2pe .* (Windows PE)" log &&
	grep "Setup would wipe disk 0 (the answer file names DiskID 0), which holds 3 partitions" log &&
	grep "disk 0: GPT, 127 GiB, 3 partitions" log &&
	grep -x "== result: stopped; Windows Setup was not started, nothing was wiped" log
'

test_expect_success 'install, an MBR disk 0 with one partition: no Setup' '
	disks "0 mbr $((40 * GIB)) $((40 * GIB))" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	! setup_ran &&
	refused_report &&
	grep "which holds 1 partition; nobody confirmed" out
'

test_expect_success 'install-confirmed, disk 0 with partitions: the layout logged, then Setup' '
	disks "0 gpt $((127 * GIB)) $((100 * MIB)) $((16 * MIB)) $((126 * GIB))" &&
	test_expect_code 1 pe --mode install-confirmed --no-reboot &&
	setup_ran &&
	grep -x "Mode: install-confirmed (given with --mode)" out &&
	grep -x "  disk 0: GPT, 127 GiB, 3 partitions (100 MiB, 16 MiB, 126 GiB)   <- Setup'"'"'s disk" out &&
	grep -x "Setup wipes disk 0 (the answer file names DiskID 0): confirmed on the boot menu" out &&
	disks_line=$(grep -n -m 1 "^Disks " out | cut -d: -f1) &&
	setup_line=$(grep -n -m 1 "^Windows Setup: " out | cut -d: -f1) &&
	test -n "$disks_line" && test -n "$setup_line" && test "$disks_line" -lt "$setup_line"
'

test_expect_success 'install, disk 0 unreadable: never taken for blank, no Setup' '
	disks "0 unreadable" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	! setup_ran &&
	refused_report &&
	grep -x "  disk 0: its layout cannot be read (unreadable by the test'"'"'s disks.txt), so it may hold anything   <- Setup'"'"'s disk" out &&
	grep "whose layout cannot be read, so it may hold data; nobody confirmed" out
'

test_expect_success 'install, no disk 0 at all: no Setup' '
	disks "1 raw $GIB" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	! setup_ran &&
	refused_report &&
	grep -x "  disk 0: not found   <- Setup'"'"'s disk" out
'

test_expect_success 'several disks: each shown, disk 0 named as Setup'"'"'s, its contents decide' '
	disks "0 gpt $((60 * GIB)) $((100 * MIB)) $((59 * GIB))" "1 raw $((20 * GIB))" \
		"3 mbr $((500 * GIB)) $((500 * GIB))" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	! setup_ran &&
	refused_report &&
	grep -x "  disk 0: GPT, 60 GiB, 2 partitions (100 MiB, 59 GiB)   <- Setup'"'"'s disk" out &&
	grep -x "  disk 1: no partition table, 20 GiB, no partitions (blank)" out &&
	grep -x "  disk 3: MBR, 500 GiB, 1 partition (500 GiB)" out &&
	! grep "disk 2" out &&
	grep "Setup would wipe disk 0 (the answer file names DiskID 0), which holds 2 partitions" out
'

test_expect_success 'several disks, disk 0 blank: Setup runs though others hold data' '
	disks "0 raw $((60 * GIB))" "1 gpt $((20 * GIB)) $((20 * GIB))" "2 unreadable" &&
	test_expect_code 1 pe --mode install --no-reboot &&
	setup_ran &&
	grep -x "  disk 1: GPT, 20 GiB, 1 partition (20 GiB)" out &&
	grep "^  disk 2: its layout cannot be read" out &&
	grep -x "Setup uses disk 0 (the answer file names DiskID 0), which is blank: nothing on it is lost" out
'

test_expect_success 'continue is not guarded: plain Setup wipes nothing by itself' '
	disks "0 gpt $((127 * GIB)) $((127 * GIB))" &&
	test_expect_code 1 pe --mode continue --no-reboot &&
	setup_ran &&
	! grep "^Disks " out
'

stop_wine
test_done
