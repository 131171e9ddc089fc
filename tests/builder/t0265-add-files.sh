#!/bin/sh
# Files added to OUT that IN does not have (update packages under
# /win7gen2/packages/, and one into a folder IN has): their bytes are
# appended, and every tree that names files names them too: UDF when IN
# has it, ISO 9660 always, Joliet when IN has it.  OUT is written by
# tests/builder/rewrite-add (rewrite_iso and its read-back, as build
# runs them) and read with 7-Zip, isoinfo, pycdlib, libudfread and
# udfinfo, never with the code that wrote it.  A name IN has is refused
# with nothing left at OUT.  The UDF cases the samples lack (Extended
# File Entries, directories embedded in their File Entry, long_ad) come
# from make-udf-sample through udfpatch-apply.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
REWRITE_ADD=$top_builddir/tests/builder/rewrite-add
UDF_READ=$top_builddir/tests/builder/udf-read
ISO_LIST=$top_builddir/tests/builder/iso-list
APPLY=$top_builddir/tests/builder/udfpatch-apply
MAKE_UDF=$top_srcdir/tests/builder/make-udf-sample
PY=/usr/bin/python3
for program in "$REWRITE_ADD" "$UDF_READ" "$ISO_LIST" "$APPLY"; do
	test -x "$program" || skip_all "$program not built (libudfread-dev)"
done
for tool in 7zz udfinfo genisoimage; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done
"$PY" -c "import pycdlib" 2>/dev/null || skip_all "python3-pycdlib not installed"

layouts="microsoft bridge iso9660"
BIG=/win7gen2/packages/Windows6.1-KB4490628-x64.cab
EMPTY=/win7gen2/packages/empty.cab
ONE=/sources/Extra-Notes.txt
ADDS="$BIG=big.cab $EMPTY=empty.cab $ONE=one.txt"

# py_get ISO udf|iso|joliet PATH: one file by pycdlib, through that tree.
py_get() {
	"$PY" - "$@" <<'PY'
import io, sys, pycdlib
image, tree, path = sys.argv[1:4]
iso = pycdlib.PyCdlib()
iso.open(image)
out = io.BytesIO()
iso.get_file_from_iso_fp(out, **{tree + "_path": path})
sys.stdout.buffer.write(out.getvalue())
iso.close()
PY
}

# primary_path ISO PATH: the primary tree's name of a file, ";1" kept,
# found by isoinfo (the tree maps names to d-characters).
primary_path() {
	isoinfo -i "$1" -f | grep -i -x "$(echo "$2" | sed 's/[^/A-Za-z0-9]/./g');1"
}

# added_ok ISO READER...: each added file reads back byte for byte.
added_ok() {
	iso=$1; shift
	for reader in "$@"; do
		for pair in $ADDS; do
			path=${pair%%=*} disk=${pair#*=}
			case $reader in
			libudfread) "$UDF_READ" "$iso" "$path" >got ;;
			pycdlib-udf) py_get "$iso" udf "$path" >got ;;
			pycdlib-iso) py_get "$iso" iso "$(primary_path "$iso" "$path")" >got ;;
			pycdlib-joliet) py_get "$iso" joliet "$path" >got ;;
			isoinfo) isoinfo -i "$iso" -x "$(primary_path "$iso" "$path")" >got ;;
			isoinfo-joliet) isoinfo -i "$iso" -J -x "$path" >got ;;
			esac || { echo "$reader cannot read $path"; return 1; }
			cmp "$disk" got || { echo "$reader reads $path wrong"; return 1; }
		done
	done
}

# udfinfo_count ISO KEY: numfiles or numdirs, from udfinfo.
udfinfo_count() {
	udfinfo "$1" 2>/dev/null | sed -n "s/^$2=//p"
}

test_expect_success 'setup: a sample of each layout, a 1.5 MiB, an empty and a 1-byte file' '
	for layout in $layouts; do
		sample $layout.iso --layout $layout || return 1
	done &&
	"$PY" -c "import random, sys
sys.stdout.buffer.write(random.Random(265).randbytes(1572869))" >big.cab &&
	: >empty.cab &&
	printf x >one.txt
'

for layout in $layouts; do
	test_expect_success "$layout: OUT is written and read back with the files added" '
		"$REWRITE_ADD" $layout.iso out-$layout.iso $ADDS
	'
done

for layout in microsoft bridge; do
	test_expect_success "$layout: 7-Zip, libudfread, pycdlib read the added files in UDF" '
		7zz t -tudf out-$layout.iso >7zz.log && grep -x "Everything is Ok" 7zz.log &&
		rm -rf in7 out7 &&
		7zz x -tudf -oin7 $layout.iso >/dev/null &&
		7zz x -tudf -oout7 out-$layout.iso >/dev/null &&
		cmp big.cab out7$BIG && cmp empty.cab out7$EMPTY && cmp one.txt out7$ONE &&
		added_ok out-$layout.iso libudfread pycdlib-udf
	'

	test_expect_success "$layout: the old files are unchanged in UDF, udfinfo counts the new" '
		rm out7$BIG out7$EMPTY out7$ONE && rmdir out7/win7gen2/packages out7/win7gen2 &&
		diff -r in7 out7 &&
		udfinfo out-$layout.iso >udfinfo.log &&
		test $(udfinfo_count out-$layout.iso numfiles) = \
			$(( $(udfinfo_count $layout.iso numfiles) + 3 )) &&
		test $(udfinfo_count out-$layout.iso numdirs) = \
			$(( $(udfinfo_count $layout.iso numdirs) + 2 ))
	'
done

for layout in $layouts; do
	test_expect_success "$layout: isoinfo and pycdlib read the added files in ISO 9660" '
		added_ok out-$layout.iso isoinfo pycdlib-iso
	'

	test_expect_success "$layout: the builder listing names each added file with its size" '
		"$ISO_LIST" out-$layout.iso >list &&
		grep -x "$BIG 1572869 [0-9]*+1572869" list &&
		grep -x "$EMPTY 0" list &&
		grep -x "$ONE 1 [0-9]*+1" list &&
		"$ISO_LIST" $layout.iso >in.list &&
		test $(wc -l <list) = $(( $(wc -l <in.list) + 3 ))
	'
done

for layout in bridge iso9660; do
	test_expect_success "$layout: isoinfo and pycdlib read the added files in Joliet" '
		added_ok out-$layout.iso isoinfo-joliet pycdlib-joliet &&
		isoinfo -i out-$layout.iso -J -f >joliet.names &&
		grep -x "$BIG" joliet.names
	'
done

test_expect_success 'iso9660: 7-Zip reads the added and the old files' '
	rm -rf in7 out7 &&
	7zz x -oin7 iso9660.iso >/dev/null && 7zz x -oout7 out-iso9660.iso >/dev/null &&
	cmp big.cab out7$BIG && cmp empty.cab out7$EMPTY && cmp one.txt out7$ONE &&
	rm out7$BIG out7$EMPTY out7$ONE && rmdir out7/win7gen2/packages out7/win7gen2 &&
	diff -r in7 out7
'

for layout in $layouts; do
	test_expect_success "$layout: a name IN has, one given twice, a file as folder: refused" '
		mkdir -p refused &&
		for adds in "/SOURCES/Boot.WIM=one.txt" "/efi/MICROSOFT=one.txt" \
			    "/x.cab=one.txt /X.CAB=big.cab" "/setup.exe/x.cab=one.txt"; do
			test_expect_code 1 "$REWRITE_ADD" $layout.iso refused/out.iso $adds \
				2>refused.err || return 1
			cat refused.err &&
			grep "^rewrite-add: cannot add " refused.err || return 1
			no_leftovers refused || return 1
		done
	'
done

test_expect_success 'folders given in other case are the same folder in every tree' '
	rm -f case.iso &&
	"$REWRITE_ADD" bridge.iso case.iso /SOURCES/New.txt=one.txt /Win7Gen2/a.cab=one.txt \
		/WIN7GEN2/PACKAGES/b.cab=one.txt &&
	isoinfo -i case.iso -J -f >case.joliet &&
	grep -x /sources/New.txt case.joliet && ! grep -x "/SOURCES" case.joliet &&
	test $(grep -i -c -x /win7gen2 case.joliet) = 1 &&
	grep -x /Win7Gen2/PACKAGES/b.cab case.joliet &&
	udf_names case.iso >case.udf &&
	grep -x /sources/new.txt case.udf && grep -x /win7gen2/packages/b.cab case.udf &&
	7zz l -tudf -slt case.iso | grep -i -c -x "Path = win7gen2" >case.count &&
	test $(cat case.count) = 1
'

test_expect_success 'a new folder whose identifiers fill several sectors' '
	adds= &&
	for i in $(seq 10 49); do
		adds="$adds /win7gen2/packages/Windows6.1-KB44906$i-x64-with-a-longer-name.cab=one.txt"
	done &&
	"$REWRITE_ADD" microsoft.iso many.iso $adds &&
	udfinfo many.iso >/dev/null &&
	test $(udfinfo_count many.iso numfiles) = $(( $(udfinfo_count microsoft.iso numfiles) + 40 )) &&
	last=/win7gen2/packages/Windows6.1-KB4490649-x64-with-a-longer-name.cab &&
	"$UDF_READ" many.iso $last | cmp - one.txt &&
	py_get many.iso udf $last | cmp - one.txt &&
	udf_get many.iso $last got && cmp one.txt got
'

test_expect_success 'a path not from the root, or with . or .., is refused' '
	for add in "x.cab=one.txt" "/a/../x.cab=one.txt" "/a/./x.cab=one.txt" "/a/=one.txt"; do
		test_expect_code 1 "$REWRITE_ADD" bridge.iso refused/out.iso "$add" \
			2>refused.err || return 1
		grep "^rewrite-add: cannot add .* a path names a file from the root" \
			refused.err || return 1
		no_leftovers refused || return 1
	done
'

# offset_of ISO WHAT: the byte offset in ISO of what the read-back must
# catch when it changes: "data" the big file's first byte; "udf" a byte
# of its name in its UDF File Identifier Descriptor; "joliet" and
# "primary" the low byte of the sector in its directory record.
offset_of() {
	"$PY" - "$@" <<'PY'
import sys
image, what = sys.argv[1:3]
data = open(image, "rb").read()
name = "Windows6.1-KB4490628-x64.cab"
if what == "data":
    want = open("big.cab", "rb").read(4096)
    print(data.index(want, 1 << 20))
elif what == "udf":
    print(data.index(b"\x08" + name.encode()) + 5)
else:
    ident = name.encode("utf-16-be") if what == "joliet" else b"WINDOWS6_1_KB4490628_X64.CAB;1"
    print(data.index(bytes([len(ident)]) + ident) - 32 + 2)
PY
}

SHIM=$top_builddir/tests/builder/publish-shim.so
for what in data udf joliet primary; do
	case $what in
	data) reader="the .* bytes at sector .* are not those of $BIG written there" ;;
	udf) reader="UDF (libudfread) does not name $BIG" ;;
	joliet) reader="Joliet (xorriso) names $BIG at sector" ;;
	primary) reader="ISO 9660 (xorriso) names no file at .*; expected the added $BIG" ;;
	esac
	test_expect_success "bridge: OUT changed before the read-back ($what): refused, named" '
		test -f "$SHIM" || { echo "publish-shim.so not built"; return 1; }
		offset=$(offset_of out-bridge.iso $what) && mkdir -p shim &&
		test_expect_code 1 env LD_PRELOAD="$SHIM" WIN7GEN2_SHIM_FLIP=$offset \
			"$REWRITE_ADD" bridge.iso shim/output.iso $ADDS 2>shim.err &&
		cat shim.err &&
		grep "^rewrite-add: OUT check failed: $reader" shim.err &&
		no_leftovers shim
	'
done

# uapply NAME OPTIONS... -- ADDS...: a make-udf-sample image NAME.iso made
# with OPTIONS, copied to NAME.new.iso, the adds applied to the copy.
uapply() {
	name=$1; shift
	options=
	while test "$1" != --; do options="$options $1"; shift; done
	shift
	rm -rf $name.iso $name.tree &&
	"$MAKE_UDF" $options $name.iso $name.tree &&
	cp $name.iso $name.new.iso &&
	"$APPLY" $name.new.iso "$@" >$name.result
}

test_expect_success 'Extended File Entries: the new ones are too, read by 7-Zip, libudfread' '
	uapply efe --efe / --efe /sources -- "+$BIG=big.cab" "+$EMPTY=empty.cab" "+$ONE=one.txt" &&
	udfinfo efe.new.iso >/dev/null &&
	added_ok efe.new.iso libudfread &&
	rm -rf out7 && 7zz x -tudf -oout7 efe.new.iso >/dev/null &&
	cmp big.cab out7$BIG && cmp one.txt out7$ONE &&
	rm out7$BIG out7$EMPTY out7$ONE && rmdir out7/win7gen2/packages out7/win7gen2 &&
	diff -r efe.tree out7
'

test_expect_success 'directories embedded in their File Entry, long_ad: pycdlib reads OUT' '
	uapply emb --embed / --embed /sources --long-ad /boot -- \
		"+$BIG=big.cab" "+$EMPTY=empty.cab" "+$ONE=one.txt" "+/boot/New.bin=one.txt" &&
	udfinfo emb.new.iso >/dev/null &&
	added_ok emb.new.iso libudfread pycdlib-udf &&
	py_get emb.new.iso udf /boot/New.bin | cmp - one.txt &&
	rm -rf out7 && 7zz x -tudf -oout7 emb.new.iso >/dev/null &&
	rm out7$BIG out7$EMPTY out7$ONE out7/boot/New.bin && rmdir out7/win7gen2/packages out7/win7gen2 &&
	diff -r emb.tree out7
'

test_expect_success 'genisoimage UDF: adds next to a patched file, the volume stays whole' '
	uapply geni --maker genisoimage -- /sources/boot.wim=one.txt "+$BIG=big.cab" \
		"+$EMPTY=empty.cab" "+$ONE=one.txt" &&
	udfinfo geni.new.iso >/dev/null &&
	added_ok geni.new.iso libudfread pycdlib-udf &&
	"$UDF_READ" geni.new.iso /sources/boot.wim | cmp - one.txt
'

test_expect_success 'udfpatch refuses a name the UDF tree has, before it writes' '
	uapply dup -- "+/Sources/EI.CFG=one.txt" 2>dup.err ;
	test $? = 1 && cat dup.err &&
	grep "/Sources/EI.CFG: cannot add it to the UDF file system: \"EI.CFG\" is already" dup.err &&
	cmp -n $(stat -c %s dup.iso) dup.iso dup.new.iso
'

test_done
