#!/bin/sh
# The parts include one another in one direction only, as HACKING.md's
# table says: common/ at the bottom, knowing nothing of the others and
# using no C library (the payload links it freestanding); the fix engine
# above it; the host helpers and the ISO file systems (which know nothing
# of Windows) beside it; the payload, the agent and the builder on top,
# each reaching the engine only through its public headers (t0320 checks
# which those are) and never one another.  A header found in a part that may not be
# included fails here, naming the file and the header.

. "$top_srcdir/tests/lib.sh"

# allowed PART: the folders PART's quoted includes may resolve to, beside
# the including file's own folder.
allowed() {
	case $1 in
	common) echo "" ;;
	fixengine) echo "common" ;;
	fixengine/posix) echo "fixengine common" ;;
	payload) echo "common" ;;
	hostlib) echo "fixengine common" ;;
	isofs) echo "hostlib fixengine common" ;;
	overlay/agent) echo "fixengine fixengine/posix common" ;;
	builder) echo "isofs hostlib fixengine fixengine/posix common" ;;
	esac
}

parts="common fixengine fixengine/posix hostlib isofs payload overlay/agent builder"

# check PART: every quoted include of PART's sources resolves to the
# file's own folder or an allowed part; prints the ones that do not.
check() {
	for file in "$top_srcdir/$1"/*.[ch]; do
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file" |
		while read -r header; do
			test -f "$(dirname "$file")/$header" && continue
			found=
			for dir in $(allowed "$1"); do
				test -f "$top_srcdir/$dir/$header" && found=$dir && break
			done
			test -n "$found" && continue
			owner=
			for dir in $parts; do
				test -f "$top_srcdir/$dir/$header" && owner="$owner $dir/"
			done
			echo "${file#"$top_srcdir"/}: \"$header\" is in${owner:- no part}, which $1/ may not include"
		done
	done
}

for part in $parts; do
	test_expect_success "$part/ includes only what it may" "
		check $part >wrong &&
		test_must_be_empty wrong
	"
done

test_expect_success 'common/ uses no C library: only stdbool.h, stddef.h and stdint.h' '
	grep -n -E "^[[:space:]]*#[[:space:]]*include[[:space:]]*<" "$top_srcdir"/common/*.[ch] |
		grep -v -E "<(stdbool|stddef|stdint)\.h>" >wrong || :
	test_must_be_empty wrong
'

test_expect_success 'the check finds a forbidden include (a planted one)' '
	mkdir -p planted/common planted/builder &&
	echo "#include \"cmd_build.h\"" >planted/common/bad.c &&
	: >planted/builder/cmd_build.h &&
	(top_srcdir=$PWD/planted; parts="common builder"; check common) >wrong &&
	grep "common/bad.c: \"cmd_build.h\" is in builder/, which common/ may not include" wrong
'

test_done
