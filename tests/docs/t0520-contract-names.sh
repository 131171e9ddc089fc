#!/bin/sh
# The names the payload, the fix engine, the agent and the host command
# meet by (common/win7gen2.h) are spelled there and nowhere else in the
# code: where the status and the log are on the ESP, how large the log
# may grow, where Setup's and DISM's logs go, what the Integration
# Services package is called where it is staged.  A second spelling
# would let one part move a file the others still look for in the old
# place.
#
# Code spells a Windows path as a C string, with doubled backslashes
# ("\\EFI\\win7gen2\\log.txt"); prose (comments, README.md, the man
# pages) quotes it for people with single ones.  So the patterns below
# are the code's spellings, and prose may quote the names.  Left out:
# the header itself, and tests/, whose checks spell the names on
# purpose, so that a name changed by mistake in the header fails them.

. "$top_srcdir/tests/lib.sh"

HEADER=common/win7gen2.h

# spellings ERE: every line, as FILE:LINE:TEXT, of the source tree
# outside $HEADER and tests/ that matches ERE.  The tracked files when
# $top_srcdir is a git checkout's top, else (a release tarball, which may
# be unpacked inside a checkout) every text file under $top_srcdir but
# the build folder.
spellings() {
	src=$(cd "$top_srcdir" && pwd -P) &&
	build=$(cd "$top_builddir" && pwd -P) || return 1
	if test "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = "$src"; then
		git -C "$src" grep -n -I -E -e "$1" -- . ":!$HEADER" ':!tests' || :
	else
		case $build/ in
		"$src"/*) inside=${build#"$src"/}/ ;;
		*) inside= ;;
		esac
		(cd "$src" && grep -r -n -I -E -e "$1" --exclude-dir=.git --exclude-dir=tests .) |
			sed 's|^\./||' | awk -v header="$HEADER:" -v inside="$inside" '
				index($0, header) != 1 && (inside == "" || index($0, inside) != 1)'
	fi
}

# once NAME ERE: ERE matches the definition of NAME in $HEADER, and
# nothing outside it.
once() {
	grep -E -e "^#define $1 " "$top_srcdir/$HEADER" | grep -q -E -e "$2" ||
		{ echo "$HEADER: no #define $1 matching $2" >&4; return 1; }
	spellings "$2" >found &&
	if test -s found; then
		echo "spelled again outside $HEADER (use $1):" >&4
		cat found >&4
		return 1
	fi
}

test_expect_success 'the status file is named once' '
	once WIN7GEN2_STATUS_PATH "\"status\.txt\"|\\\\\\\\status\.txt"
'

test_expect_success 'the log file is named once' '
	once WIN7GEN2_LOG_PATH "\"log\.txt\"|\\\\\\\\log\.txt"
'

test_expect_success 'the log size limit is given once' '
	once WIN7GEN2_LOG_MAX_SIZE "define [A-Z0-9_]*LOG[A-Z0-9_]*[[:space:]]+\(1024u \* 1024\)"
'

test_expect_success 'the folder of Setup logs is named once' '
	once WIN7GEN2_SETUP_LOGS_DIR "\"setup\"|win7gen2\\\\\\\\setup"
'

test_expect_success 'the DISM log is named once' '
	once WIN7GEN2_DISM_LOG_PATH "\"dism\.log\"|\\\\\\\\dism\.log"
'

test_expect_success 'the Integration Services package is named once' '
	once WIN7GEN2_IC_PACKAGE_NAME "(\"|\\\\\\\\)integration-services\.cab"
'

test_expect_success 'the package list is named once' '
	once WIN7GEN2_PACKAGES_LIST_NAME "(\"|\\\\\\\\)packages\.txt"
'

test_expect_success 'the packages folder is named once' '
	once WIN7GEN2_PACKAGES_DIR "\\\\\\\\packages(\"|\\\\)"
'

test_expect_success 'the prefix of the packages DISM logs is given once' '
	once WIN7GEN2_PACKAGE_LOG_PREFIX "\"dism-\"|\\\\\\\\dism-"
'

test_done
