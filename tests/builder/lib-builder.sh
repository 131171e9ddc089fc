# lib-builder.sh - run win7gen2 inspect/build on synthetic Windows 7 ISOs
#
# Each test makes the sample ISOs it needs with tests/sample/make-sample-iso
# and checks what the builder wrote with tools other than the builder
# (xorriso, isoinfo, wimlib-imagex, mtools, hivexget, xmllint, jq), so a
# test never trusts the code it tests.
#
# SPDX-License-Identifier: MIT

. "$top_srcdir/tests/lib.sh"

WIN7GEN2=$top_builddir/builder/win7gen2
PAYLOAD=$top_builddir/payload/win7gen2.efi
AGENT=$top_builddir/overlay/agent/win7gen2pe.exe
FAKE_BOOTMGR=$top_builddir/tests/efi/fake-bootmgr.efi
MAKE_SAMPLE=$top_srcdir/tests/sample/make-sample-iso
PATH=$PATH:/usr/sbin:/sbin
export PATH

require_builder() {
	test -x "$WIN7GEN2" ||
		skip_all "the win7gen2 command is not built (libwim-dev, libhivex-dev)"
	test -f "$PAYLOAD" && test -f "$FAKE_BOOTMGR" ||
		skip_all "EFI programs not built (gnu-efi missing?)"
	test -f "$AGENT" ||
		skip_all "the Windows PE agent is not built (gcc-mingw-w64-x86-64 missing?)"
	for tool in xorriso wimlib-imagex hivexsh hivexget mformat mcopy mdir mkfs.fat \
		    isoinfo xmllint jq; do
		command -v "$tool" >/dev/null 2>&1 ||
			skip_all "$tool not found (tools/install-deps)"
	done
}

# sample NAME.iso [make-sample-iso options]: a synthetic Windows 7 ISO.
sample() {
	name=$1; shift
	"$MAKE_SAMPLE" "$@" "$FAKE_BOOTMGR" "$name"
}

# iso_get ISO PATH DEST: one file out of an ISO, by xorriso, through
# Joliet when the ISO has it, else through the primary tree, where names
# are upper case (Microsoft's layout has no Joliet).
iso_get() {
	xorriso -osirrox on -indev "$1" -extract "$2" "$3" >/dev/null 2>&1 ||
	xorriso -osirrox on -indev "$1" -extract "$(echo "$2" | tr a-z A-Z)" "$3" >/dev/null 2>&1
}

# wim_get WIM IMAGE PATH DESTDIR: one file out of a WIM, by wimlib-imagex.
wim_get() {
	wimlib-imagex extract "$1" "$2" "$3" --dest-dir="$4" --no-acls >/dev/null
}

# eltorito ISO: "N PLATFORM LOAD_SECTORS PATH" per El Torito entry.
eltorito() {
	xorriso -indev "$1" -report_el_torito plain 2>/dev/null >eltorito.report &&
	awk '/^El Torito boot img :/ { plat[$6] = $7; size[$6] = $12 }
	     /^El Torito img path :/ { print $6, plat[$6], size[$6], tolower($7) }' eltorito.report
}

# primary_names ISO: the ISO 9660 primary tree's names (no Joliet, no
# Rock Ridge), version suffix and trailing dot dropped, sorted.
primary_names() {
	isoinfo -l -i "$1" | awk '/^Directory listing of / { dir = $4; next }
		NF >= 11 && $NF != "." && $NF != ".." { print dir $NF }' |
		sed -e 's/;1$//' -e 's/\.$//' | sort
}

# no_leftovers DIR NAME...: DIR holds exactly the named entries.
no_leftovers() {
	dir=$1; shift
	(cd "$dir" && ls -A) | sort >leftovers.actual
	printf '%s\n' "$@" | sed '/^$/d' | sort >leftovers.expected
	test_cmp leftovers.expected leftovers.actual
}

# file_offset ISO PATH: the byte offset of a file's data in the ISO.
file_offset() {
	xorriso -indev "$1" -find "$2" -exec report_lba -- 2>/dev/null |
		awk -F, '/^File data lba:/ { gsub(/ /, "", $2); print $2 * 2048; exit }'
}

# poke ISO OFFSET HEX: overwrite bytes in place ("99 99 99 99").
poke() {
	printf "$(printf '\\%03o' $(printf '%s\n' $3 | sed 's/^/0x/' | xargs printf '%d '))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# udf_names ISO: the UDF tree's file names (7-Zip's UDF reader), lower
# case, sorted: "/sources/boot.wim".
udf_names() {
	7zz l -tudf -slt "$1" | awk -F' = ' '
		/^Path = / { path = $2 } /^Folder = -/ { print "/" path }' |
		tr "A-Z" "a-z" | sort
}

# udf_get ISO PATH DEST: one file out of the UDF tree, by 7-Zip.
udf_get() {
	7zz e -tudf -so "$1" "${2#/}" >"$3" 2>/dev/null
}

# pycdlib_get ISO PATH DEST udf|iso9660: one file by pycdlib, a third
# reader, through the tree named.
pycdlib_get() {
	/usr/bin/python3 - "$@" <<'PY'
import sys, pycdlib
iso_path, path, dest, tree = sys.argv[1:5]
iso = pycdlib.PyCdlib()
iso.open(iso_path)
with open(dest, "wb") as out:
    if tree == "udf":
        iso.get_file_from_iso_fp(out, udf_path=path)
    else:
        iso.get_file_from_iso_fp(out, iso_path=path.upper() + ";1")
iso.close()
PY
}
