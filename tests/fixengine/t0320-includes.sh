#!/bin/sh
# The fix engine is reached through its public headers and the include
# path the build gives (FIXENGINE_CPPFLAGS in fixengine/local.mk), never
# by a relative path into its folders: its internals can then change
# without breaking the WinPE agent or win7gen2 fix.

. "$top_srcdir/tests/lib.sh"

# The list fixengine/local.mk keeps, without the "fixengine/" prefix.
public_headers() {
	sed -n '/^fixengine_public_headers =/,/[^\\]$/p' "$top_srcdir/fixengine/local.mk" |
		sed 's/^fixengine_public_headers =//; s/\\$//' | tr ' \t' '\n\n' |
		sed -n 's|^fixengine/||p'
}

# The quoted includes of a file, one a line.
quoted_includes() {
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"
}

test_expect_success 'setup: fixengine/local.mk names the public headers' '
	public_headers >public &&
	grep -x fix.h public && grep -x backend.h public &&
	grep -x posix/posix.h public &&
	while read -r header; do
		test -f "$top_srcdir/fixengine/$header" || return 1
	done <public
'

test_expect_success 'no source includes by a ../ path' '
	! grep -rn -E --include="*.c" --include="*.h" \
		"^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<](\.\./|.*/\.\./)" \
		"$top_srcdir/builder" "$top_srcdir/common" "$top_srcdir/fixengine" \
		"$top_srcdir/isofs" "$top_srcdir/hostlib" \
		"$top_srcdir/overlay" "$top_srcdir/payload" "$top_srcdir/tests"
'

# Every quoted include of these files that is not beside the file or in
# common/ and names a fixengine/ header must name a public one.
only_public() {
	for file in "$@"; do
		dir=$(dirname "$file")
		for header in $(quoted_includes "$file"); do
			test -f "$dir/$header" && continue
			test -f "$top_srcdir/common/$header" && continue
			test -f "$top_srcdir/fixengine/$header" || continue
			grep -qx "$header" public || {
				echo "$file includes $header, which is not public" >&2
				return 1
			}
		done
	done
}

test_expect_success 'the builder and the agent include only public engine headers' '
	only_public "$top_srcdir"/builder/*.[ch] "$top_srcdir"/overlay/agent/*.[ch] \
		"$top_srcdir"/isofs/*.[ch] "$top_srcdir"/hostlib/*.[ch]
'

test_expect_success 'a public header includes only public ones' '
	for header in $(cat public); do
		for included in $(quoted_includes "$top_srcdir/fixengine/$header"); do
			test -f "$top_srcdir/common/$included" ||
			grep -qx "$included" public || {
				echo "fixengine/$header includes $included" >&2
				return 1
			}
		done
	done
'

test_done
