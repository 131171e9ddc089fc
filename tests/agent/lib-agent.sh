# lib-agent.sh - win7gen2pe.exe in the tests: where it is, and wine to run it
#
# Wine runs the agent's Windows code for real: its file and registry
# calls, CreateProcessW, the service manager.  Each test script gets a
# wine prefix of its own in its scratch directory (the first start makes
# it, which takes a while) with COM1 switched off, so nothing the agent
# writes reaches a serial port of this machine.
#
# SPDX-License-Identifier: MIT

# lib.sh once (a script may have it already through another library).
command -v test_expect_success >/dev/null 2>&1 || . "$top_srcdir/tests/lib.sh"

AGENT=$top_builddir/overlay/agent/win7gen2pe.exe
MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
MINGW_PREFIX=${MINGW_CC%gcc}
AGENT_VERSION=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")

require_agent() {
	test -f "$AGENT" ||
		skip_all "win7gen2pe.exe not built (apt-get install gcc-mingw-w64-x86-64 libz-mingw-w64-dev, then configure)"
}

# Debian's wine64 package installs the loader outside PATH.
find_wine() {
	for candidate in wine64 wine /usr/lib/wine/wine64; do
		if command -v "$candidate" >/dev/null 2>&1; then
			command -v "$candidate"
			return 0
		fi
	done
	return 1
}

find_wineserver() {
	for candidate in wineserver /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver; do
		if command -v "$candidate" >/dev/null 2>&1; then
			command -v "$candidate"
			return 0
		fi
	done
	return 1
}

# require_mingw: the cross compiler and windres the tests build their
# stand-in programs with; WINDRES names the latter.
require_mingw() {
	command -v "$MINGW_CC" >/dev/null || skip_all "$MINGW_CC not found"
	WINDRES=${MINGW_PREFIX}windres
	command -v "$WINDRES" >/dev/null || skip_all "$WINDRES not found"
}

require_wine() {
	WINE=$(find_wine) || skip_all "wine not found (apt-get install wine64)"
	WINESERVER=$(find_wineserver) || skip_all "wineserver not found (apt-get install wine64)"
	WINEPREFIX=$TRASH/wineprefix
	WINEDEBUG=-all
	# The wine server's socket directory goes to TMPDIR: keep it in the
	# scratch directory too, so that nothing outlives the test.
	TMPDIR=$TRASH/tmp
	mkdir -p "$TMPDIR"
	export WINE WINESERVER WINEPREFIX WINEDEBUG TMPDIR
}

# The prefix, made once; COM1 off (an empty Ports value disables it),
# and still off when a new wine server has read the registry back.
start_wine() {
	"$WINE" wineboot --init >/dev/null 2>&1 &&
	"$WINE" reg add 'HKLM\Software\Wine\Ports' /v COM1 /t REG_SZ /d '' /f >/dev/null 2>&1 &&
	stop_wine &&
	"$WINE" reg query 'HKLM\Software\Wine\Ports' /v COM1 2>/dev/null | tr -d '\r' |
		grep -E '^ +COM1 +REG_SZ *$'
}

# The wine server of this prefix (ours) gone, with the registry written
# out; the next wine program starts a new one, which also sees drives
# linked meanwhile.  The server leaves by itself a few seconds after its
# last program, so whether one still runs is a matter of timing: when
# none does, "wineserver -k" fails and that is fine.  Never fails.
stop_wine() {
	if test -n "${WINESERVER:-}" && test -d "${WINEPREFIX:-/nonexistent}"; then
		"$WINESERVER" -k 2>/dev/null
		"$WINESERVER" -w 2>/dev/null
	fi
	return 0
}

# A path here as the agent sees it through wine's Z: drive.
winpath() {
	printf 'Z:%s' "$1" | tr / '\\'
}

# wine_stderr RAW: a program's stderr without wine's own messages.
wine_stderr() {
	grep -v -e '^wine: ' -e '^[0-9a-f]*:err:' -e '^[0-9a-f]*:fixme:' "$1" || :
}

# agent ARGS...: runs it; stdout in out, stderr in err (wine's own
# messages filtered out), the exit status in $status and returned.
agent() {
	"$WINE" "$AGENT" "$@" >out 2>err.raw
	status=$?
	wine_stderr err.raw >err
	return $status
}

# fake_kernel FILE MAJOR MINOR [BUILD]: an x64 program with ntoskrnl.exe's
# kind of version resource, which is how the agent tells a Windows'
# version (BUILD 7601, Service Pack 1, unless given).
fake_kernel() {
	"$WINDRES" -DMAJOR=$2 -DMINOR=$3 -DBUILD=${4:-7601} \
		"$top_srcdir/tests/agent/fake-kernel.rc" -O coff \
		-o kernel.res &&
	echo "int main(void) { return 0; }" >kernel.c &&
	"$MINGW_CC" -o "$1" kernel.c kernel.res
}

# make_wine_bcd_template FILE: make_windows_tree's BCD-Template (one
# settings object) in wine's registry format, which wine's RegLoadKey
# reads where Windows reads a regf hive.
make_wine_bcd_template() {
	{
		printf 'WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\Machine\\\\BCD00000000\n\n'
		printf '#arch=win64\n\n'
		printf '[Objects\\\\{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}\\\\Description] 1795661594\n'
		printf '"Type"=dword:20100000\n\n'
	} >"$1"
}

# tree_state DIR...: every file with its checksum, to show nothing changed.
tree_state() {
	find "$@" -type f -exec md5sum {} + | sort -k 2
}

# make_wine_hive FILE: make_system_hive's Windows 7 SYSTEM in wine's
# registry format: two control sets, vmbus/storvsc/Ntfs demand-start,
# vmbus without its group, a BIOS install's boot devices.
make_wine_hive() {
	{
		printf 'WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\Machine\\\\W7G2\n\n'
		printf '#arch=win64\n\n[Select] 1795661594\n"Current"=dword:00000001\n'
		printf '"LastKnownGood"=dword:00000002\n\n'
		for set in ControlSet001 ControlSet002; do
			printf '[%s\\\\Control] 1795661594\n' $set
			printf '"FirmwareBootDevice"="multi(0)disk(0)rdisk(0)partition(2)"\n'
			printf '"SystemBootDevice"="multi(0)disk(0)rdisk(0)partition(2)"\n\n'
			printf '[%s\\\\Services\\\\vmbus] 1795661594\n' $set
			printf '"ImagePath"=str(2):"system32\\\\DRIVERS\\\\vmbus.sys"\n'
			printf '"Start"=dword:00000003\n"Type"=dword:00000001\n\n'
			printf '[%s\\\\Services\\\\storvsc] 1795661594\n' $set
			printf '"Group"="SCSI miniport"\n"Start"=dword:00000003\n"Type"=dword:00000001\n\n'
			printf '[%s\\\\Services\\\\Ntfs] 1795661594\n' $set
			printf '"Group"="Boot File System"\n"Start"=dword:00000003\n"Type"=dword:00000002\n\n'
			printf '[%s\\\\Services\\\\Tcpip] 1795661594\n"Start"=dword:00000001\n\n' $set
		done
	} >"$1"
}
