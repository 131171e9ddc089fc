#!/bin/sh
# OUT read back before it gets its name: libudfread (UDF), xorriso (the
# ISO 9660 primary and Joliet trees) and the El Torito parser must each
# find every file of IN at its old place, boot.wim and the EFI image at
# their new one, holding the bytes written there.  A shim (LD_PRELOAD,
# tests/builder/publish-shim.c) changes OUT or IN at the one moment
# between the write and the read-back: each change must be caught, named
# with the reader and the file, and leave nothing at OUT.  An image whose
# UDF anchor is only at its end (sector 256 blank) builds, and readers
# that are not the builder find OUT's UDF.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
SHIM=$top_builddir/tests/builder/publish-shim.so
UDF_READ=$top_builddir/tests/builder/udf-read
END_ANCHOR_ONLY=$top_srcdir/tests/builder/udf-end-anchor-only
test -f "$SHIM" || skip_all "publish-shim.so not built"
test -x "$UDF_READ" || skip_all "udf-read not built (libudfread-dev)"
for tool in 7zz udfinfo; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done

layouts="microsoft bridge iso9660"

# build_with_shim NAME IN [VAR=VALUE...]: build IN to out/NAME.iso with
# the shim loaded and VAR=VALUE in its environment; status 1 expected,
# stderr in NAME.err, nothing left in out/.
build_with_shim() {
	name=$1 in=$2; shift 2
	mkdir -p out &&
	env LD_PRELOAD="$SHIM" "$@" "$WIN7GEN2" build --quiet --iso "$in" \
		--output out/$name.iso --edition 1 --password p >$name.out 2>$name.err
	status=$?
	cat $name.err
	test $status -eq 1 && test ! -s $name.out && no_leftovers out
}

# sectors FILE: its size in 2048-byte sectors.
sectors() {
	echo $(( $(stat -c %s "$1") / 2048 ))
}

test_expect_success 'setup: a sample of each layout, one with the UDF anchor at its end only' '
	for layout in $layouts; do
		sample $layout.iso --layout $layout || return 1
	done &&
	cp microsoft.iso endanchor.iso &&
	"$END_ANCHOR_ONLY" endanchor.iso &&
	udfinfo endanchor.iso >endanchor.info 2>&1 &&
	grep -x "start=$(( $(sectors endanchor.iso) - 1 )), blocks=1, type=ANCHOR" endanchor.info &&
	test $(grep -c type=ANCHOR endanchor.info) = 1
'

test_expect_success 'the read-back passes on every layout; the shim alone changes nothing' '
	mkdir -p out &&
	for layout in $layouts; do
		"$WIN7GEN2" build --iso $layout.iso --output out/$layout.iso --edition 1 \
			--password p >$layout.report 2>&1 || return 1
		grep -x "win7gen2: reading the new ISO back: boot catalog, UDF, ISO 9660" \
			$layout.report || return 1
	done &&
	LD_PRELOAD="$SHIM" "$WIN7GEN2" build --quiet --iso microsoft.iso \
		--output out/shim.iso --edition 1 --password p >/dev/null &&
	no_leftovers out microsoft.iso bridge.iso iso9660.iso shim.iso &&
	rm out/*
'

test_expect_success 'the anchor only at the end: OUT builds, udfinfo, 7zz, libudfread read its UDF' '
	"$WIN7GEN2" build --quiet --iso endanchor.iso --output out/endanchor.iso --edition 1 \
		--password p >endanchor.report &&
	grep "^Kept: .*, UDF" endanchor.report &&
	udfinfo out/endanchor.iso >out.info 2>&1 &&
	grep -x "start=256, blocks=1, type=ANCHOR" out.info &&
	grep -x "start=$(( $(sectors out/endanchor.iso) - 1 )), blocks=1, type=ANCHOR" out.info &&
	test $(grep -c type=ANCHOR out.info) = 2 &&
	7zz t -tudf out/endanchor.iso >7zz.log && grep -x "Everything is Ok" 7zz.log &&
	7zz x -tudf -oudf7 out/endanchor.iso sources/boot.wim >/dev/null &&
	"$UDF_READ" out/endanchor.iso /sources/boot.wim >boot.libudfread &&
	cmp udf7/sources/boot.wim boot.libudfread &&
	"$UDF_READ" out/endanchor.iso /sources/install.wim >install.out &&
	"$UDF_READ" endanchor.iso /sources/install.wim >install.in &&
	cmp install.in install.out &&
	rm -f out/endanchor.iso boot.libudfread install.out install.in
'

test_expect_success 'boot.wim changed after it was written: caught by its hash, no OUT' '
	# boot.wim is appended first, at the sector after IN ends.
	build_with_shim flip microsoft.iso \
		WIN7GEN2_SHIM_FLIP=$(( $(sectors microsoft.iso) * 2048 + 100 )) &&
	grep "OUT check failed: the [0-9]* bytes at sector $(sectors microsoft.iso) are not those of /sources/boot.wim written there (XXH64 hash differs); out/flip.iso was not written" flip.err
'

test_expect_success 'UDF anchors gone: caught by libudfread, no OUT' '
	build_with_shim udf microsoft.iso WIN7GEN2_SHIM_ZERO="256 last" &&
	grep "OUT check failed: UDF (libudfread) finds no UDF file system in it; out/udf.iso was not written" udf.err
'

test_expect_success 'boot.wim'"'"'s UDF File Entry changed: caught by libudfread, named' '
	# The File Entry stays at its sector in OUT (udfpatch rewrites it in
	# place): pycdlib finds it in IN; one byte of its first allocation
	# descriptor'"'"'s position is changed.
	at=$(/usr/bin/python3 - microsoft.iso <<-\PY
	import struct, sys
	import pycdlib
	p = pycdlib.PyCdlib()
	p.open(sys.argv[1])
	sector = p.get_record(udf_path="/sources/boot.wim").extent_location()
	with open(sys.argv[1], "rb") as f:
	    f.seek(sector * 2048)
	    entry = f.read(2048)
	assert struct.unpack_from("<H", entry)[0] == 261
	print(sector * 2048 + 176 + struct.unpack_from("<I", entry, 168)[0] + 4)
	PY
	) &&
	build_with_shim entry microsoft.iso WIN7GEN2_SHIM_FLIP=$at &&
	grep "OUT check failed: UDF (libudfread) names /sources/boot.wim at sector [0-9]*, [0-9]* bytes; expected sector $(sectors microsoft.iso), [0-9]* bytes; out/entry.iso was not written" entry.err
'

test_expect_success 'the boot record gone: caught by the El Torito reader, no OUT' '
	build_with_shim catalog microsoft.iso WIN7GEN2_SHIM_ZERO=17 &&
	grep "OUT check failed: El Torito (boot catalog) finds no boot catalog where IN.s was" \
		catalog.err
'

test_expect_success 'the primary tree'"'"'s root moved: caught by xorriso, no OUT' '
	# The root directory record of the primary volume descriptor: its
	# extent (offset 156 + 2) is made to point elsewhere.
	build_with_shim root iso9660.iso WIN7GEN2_SHIM_FLIP=$((16 * 2048 + 156 + 2)) &&
	grep "^win7gen2 build: OUT check failed: ISO 9660 (xorriso): the file tree of .* cannot be read: xorriso refuses it" root.err &&
	grep "; out/root.iso was not written\$" root.err
'

test_expect_success 'IN changed while it was read: stop, name it, no OUT' '
	cp microsoft.iso changing.iso &&
	build_with_shim changing changing.iso WIN7GEN2_SHIM_TOUCH=changing.iso &&
	grep "IN changed while it was being read: changing.iso (its modification time changed); OUT was not written" \
		changing.err
'

test_expect_success 'IN replaced under its name while it was read: stop, name it, no OUT' '
	cp microsoft.iso replaced.iso &&
	cp bridge.iso other.iso &&
	build_with_shim replaced replaced.iso WIN7GEN2_SHIM_REPLACE=other.iso:replaced.iso &&
	grep "IN changed while it was being read: replaced.iso (another file took its name); OUT was not written" \
		replaced.err
'

test_done
