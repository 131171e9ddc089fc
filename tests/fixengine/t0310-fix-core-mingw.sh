#!/bin/sh
# The fix engine's core is portable C11: it compiles with the flags CI
# uses, and links, with mingw-w64 for the WinPE agent, using nothing but
# the C library (and common/, which the payload shares).

. "$top_srcdir/tests/lib.sh"

MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
command -v "$MINGW_CC" >/dev/null ||
	skip_all "$MINGW_CC not found (apt-get install gcc-mingw-w64-x86-64)"

FLAGS="-std=c11 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wformat=2 -I$top_srcdir/common -I$top_srcdir/fixengine"

test_expect_success 'every core source compiles for Windows without a warning' '
	for source in "$top_srcdir"/fixengine/*.c "$top_srcdir"/common/*.c; do
		object=$(basename "$source" .c).obj &&
		$MINGW_CC $FLAGS -c "$source" -o "$object" || return 1
	done
'

test_expect_success 'the core links into a Windows program with no POSIX symbol' '
	$MINGW_CC $FLAGS -o link-test.exe \
		"$top_srcdir"/tests/fixengine/mingw-link.c *.obj &&
	test -s link-test.exe
'

test_expect_success 'the core source includes no POSIX, Win32 or hivex header' '
	! grep -n -E "#include <(unistd|fcntl|dirent|hivex|windows|sys/)" \
		"$top_srcdir"/fixengine/*.c "$top_srcdir"/fixengine/*.h
'

test_done
