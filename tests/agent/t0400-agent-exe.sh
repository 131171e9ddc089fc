#!/bin/sh
# win7gen2pe.exe as a file: what Windows PE 3.x (Windows 7 SP1 x64) needs
# to start it - an x64 console program, no DLL Windows PE lacks, no
# function newer than Windows 7.  No wine needed.

. "$top_srcdir/tests/agent/lib-agent.sh"
require_agent

OBJDUMP=${MINGW_PREFIX}objdump
command -v "$OBJDUMP" >/dev/null ||
	skip_all "$OBJDUMP not found (apt-get install binutils-mingw-w64-x86-64)"
ALLOWED=$top_srcdir/tests/agent/win32-allowed.txt

test_expect_success 'setup: the headers and the import table' '
	"$OBJDUMP" -p "$AGENT" >headers &&
	awk "/DLL Name:/ { dll = toupper(\$3); sub(/\\.DLL\$/, \"\", dll); next }
	     dll && /^\\t[0-9a-f]+\\t +[0-9]+ +[A-Za-z_]/ { print dll, \$3 }
	     /^\$/ { dll = \"\" }" headers >imports &&
	test -s imports
'

test_expect_success 'an x64 (PE32+) console program' '
	grep -E "^Magic[[:space:]]+020b" headers &&
	grep -E "^Subsystem[[:space:]]+00000003" headers &&
	"$OBJDUMP" -f "$AGENT" | grep "file format pei-x86-64"
'

test_expect_success 'its subsystem version lets Windows 7 (6.1) start it' '
	major=$(sed -n "s/^MajorSubsystemVersion[[:space:]]*//p" headers) &&
	minor=$(sed -n "s/^MinorSubsystemVersion[[:space:]]*//p" headers) &&
	say "subsystem version $major.$minor" &&
	test $((major * 100 + minor)) -le 601
'

test_expect_success 'imports only from DLLs every Windows PE 3.x has' '
	sed -n "s/^[[:space:]]*DLL Name: //p" headers | tr a-z A-Z | sort >dlls &&
	printf "%s\n" ADVAPI32.DLL KERNEL32.DLL MSVCRT.DLL USER32.DLL >known &&
	cat dlls && grep -x KERNEL32.DLL dlls &&
	! grep -v -x -F -f known dlls
'

test_expect_success 'every Windows function it imports is in Windows 7 (win32-allowed.txt)' '
	sed -e "s/#.*//" -e "/^[[:space:]]*\$/d" "$ALLOWED" |
		awk "{ print \$1, \$2 }" | sort >allowed &&
	grep -v "^MSVCRT " imports | sort >used &&
	say "$(wc -l <used) functions used, $(wc -l <allowed) allowed" &&
	grep "^KERNEL32 " used && grep "^KERNEL32 " allowed &&
	comm -23 used allowed >not-allowed &&
	test_must_be_empty not-allowed
'

test_expect_success 'static: no mingw runtime DLL to carry along' '
	grep -x KERNEL32.DLL dlls &&
	! grep -i -E "libgcc|libwinpthread|libstdc|api-ms-win" dlls
'

test_done
