#!/bin/sh
# An install.wim over 4 GiB (media with updates integrated) through
# win7gen2 build, for the two layouts that carry UDF: Microsoft's own
# (one UDF file entry, several extents) and a genisoimage bridge (whose
# ISO 9660 record says the size modulo 4 GiB: a reader that trusts it
# gets a cut-off WIM).  OUT must hold install.wim byte for byte through
# UDF (7-Zip) and through its ISO 9660 tree (xorriso, multi-extent).
#
# Slow: each sample takes minutes and about 3 x 4.2 GiB of disk.  Runs
# when WIN7GEN2_SLOW=1: `make check-slow`, and tools/test-all (so CI).

if test "${WIN7GEN2_SLOW:-}" != 1; then
	# Left out on purpose, not for want of a tool: no CI bail-out here.
	echo "1..0 # SKIP slow test: WIN7GEN2_SLOW=1 runs it (make check-slow, tools/test-all)"
	exit 0
fi
. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
command -v 7zz >/dev/null 2>&1 || skip_all "7zz not found (tools/install-deps)"

size=$((4 * 1024 * 1024 * 1024 + 300 * 1024 * 1024))  # 4.3 GiB
need_kib=$((size / 1024 * 3 + 1048576))
avail_kib=$(df -Pk . | awk 'NR == 2 { print $4 }')
test "$avail_kib" -ge "$need_kib" ||
	skip_all "needs $((need_kib / 1048576)) GiB free in $TRASH, has $((avail_kib / 1048576))"

# sum FILE: its SHA-256.
sum() { sha256sum "$1" | cut -d" " -f1; }

for layout in microsoft bridge; do
	test_expect_success "$layout: a sample with a 4.3 GiB install.wim, built" "
		sample $layout.iso --layout $layout --install-size $size --editions 1 &&
		\"\$WIN7GEN2\" inspect $layout.iso >$layout.inspect &&
		grep -x '  usable           yes' $layout.inspect &&
		\"\$WIN7GEN2\" build --quiet --iso $layout.iso --output $layout-gen2.iso \
			--password p >/dev/null &&
		udf_get $layout.iso /sources/install.wim in.wim &&
		test \$(stat -c %s in.wim) -gt 4294967296 &&
		sum in.wim >in.sum && rm -f in.wim
	"
	test_expect_success "$layout: install.wim read back whole through UDF (7-Zip)" "
		udf_get $layout-gen2.iso /sources/install.wim udf.wim &&
		echo \$(sum udf.wim) >udf.sum && rm -f udf.wim &&
		test_cmp in.sum udf.sum
	"
	test_expect_success "$layout: and through the ISO 9660 tree, in several extents (xorriso)" "
		xorriso -indev $layout-gen2.iso -find / -type f -exec report_lba -- 2>/dev/null |
			grep -i '^File data lba:.*/sources/install.wim.\$' >extents &&
		cat extents &&
		test \$(wc -l <extents) -ge 2 &&
		iso_get $layout-gen2.iso /sources/install.wim iso.wim &&
		echo \$(sum iso.wim) >iso.sum && rm -f iso.wim &&
		test_cmp in.sum iso.sum
	"
	test_expect_success "$layout: cleanup" "
		rm -f $layout.iso $layout-gen2.iso
	"
done

test_done
