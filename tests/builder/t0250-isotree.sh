#!/bin/sh
# isotree: ISO 9660 (level 3, full names) and Joliet trees written for
# file data already in place, as build does to its copy of the source.
# tests/builder/make-isotree-image lays out files at known sectors of a
# sparse image (a deep path, long names, names that collide once mapped,
# an empty file and empty folders, spaces and dots, characters outside
# ASCII, a 4 GiB file in two extents needing three records) and has
# isotree_build name them.  What each tree must say is written out here
# by hand; the image is read with isoinfo, xorriso, 7-Zip, pycdlib and an
# ECMA-119 checker written here, never with the code under test.

. "$top_srcdir/tests/builder/lib-builder.sh"

MAKE_IMAGE=$top_builddir/tests/builder/make-isotree-image
ISO_LIST=$top_builddir/tests/builder/iso-list
# Debian's python3-pycdlib: the system interpreter, not whatever is on PATH.
PY=/usr/bin/python3

test -x "$MAKE_IMAGE" || skip_all "make-isotree-image not built"
test -x "$ISO_LIST" || skip_all "iso-list not built"
for tool in isoinfo xorriso 7zz iconv; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done
"$PY" -c "import pycdlib" 2>/dev/null || skip_all "python3-pycdlib not installed"

# install.wim: 4 GiB + 8 KiB at sector 1000, then 1 MiB + 123 bytes at
# sector 2098160.  A record holds at most 0xFFFFF800 bytes, so three:
P1=4294965248            # 0xFFFFF800, sector 1000
P2=10240                 # the rest of the first run, sector 1000 + 0xFFFFF800 / 2048
P3=1048699               # the second run
BIG=$((P1 + P2 + P3))

# PRIMARY|JOLIET|ORIGINAL|SIZE per file but install.wim; ORIGINAL is the
# name given ("=": the Joliet name), its bytes are under expect/.  The
# primary names: upper case, '_' for anything but A-Z 0-9 _ and the last
# '.', "NAME.;1" without an extension, the full length kept; collisions
# renamed "_1", "_2" in the order of the names given (A+B < a-b < a_b).
# Joliet: the names given, no ";1", ';' as '_', cut at 103 characters,
# and renamed when equal without regard to case (Mixed.txt, mixed.TXT).
cat >files.table <<'EOF'
/BOOT/BCD.;1|/boot/bcd|=|2048
/BOOT/EN_US/BOOTSECT_EXE.MUI;1|/boot/en-us/bootsect.exe.mui|=|17
/BOOTMGR.;1|/bootmgr|=|3000
/DEEP/L1/L2/L3/L4/L5/L6/L7/L8/DEEPEST_FILE.TXT;1|/deep/l1/l2/l3/l4/l5/l6/l7/l8/deepest file.txt|=|40
/EFI/MICROSOFT/BOOT/BCD.;1|/efi/microsoft/boot/bcd|=|700
/EFI/MICROSOFT/BOOT/EFISYS.BIN;1|/efi/microsoft/boot/efisys.bin|=|5000
/INTL/CAF___N_CODE.TXT;1|/intl/café ünïcode.txt|=|21
/LONG_NAMES/A_B.TXT;1|/long names/A+B.txt|=|13
/LONG_NAMES/A_B_1.TXT;1|/long names/a-b.txt|=|11
/LONG_NAMES/A_B_2.TXT;1|/long names/a_b.txt|=|12
/LONG_NAMES/A_FILE_NAME_WELL_OVER_THIRTY_ONE_CHARACTERS_LONG.TXT;1|/long names/A file name well over thirty-one characters long.txt|=|64
/LONG_NAMES/JOLIET_CUTS_A_NAME_LONGER_THAN_ONE_HUNDRED_AND_THREE_CHARACTERS__THE_ISO_9660_TREE_KEEPS_ALL_OF_THIS_ONE.DAT;1|/long names/Joliet cuts a name longer than one hundred and three characters_ the ISO 9660 tree keeps all of thi.dat|/long names/Joliet cuts a name longer than one hundred and three characters; the ISO 9660 tree keeps all of this one.dat|33
/LONG_NAMES/MIXED.TXT;1|/long names/Mixed.txt|=|14
/LONG_NAMES/MIXED_1.TXT;1|/long names/mixed_1.TXT|/long names/mixed.TXT|15
/MY_DOCS/READ_ME_FIRST_V2.TXT;1|/my docs/read me.first.v2.txt|=|2500
/README.TXT;1|/README.TXT|=|100
/SOURCES/BOOT.WIM;1|/sources/boot.wim|=|6000
/SOURCES/EI.CFG;1|/sources/ei.cfg|=|0
EOF
# A folder of several sectors: records never cross one.
i=0
while test $i -lt 60; do
	n=$(printf %02d $i)
	echo "/MANY/FILE_${n}_IN_A_FOLDER_OF_SEVERAL_SECTORS.TXT;1|/many/file $n in a folder of several sectors.txt|=|$((i + 1))"
	i=$((i + 1))
done >>files.table
empty_primary="/SUPPORT/ /UPGRADE/ /UPGRADE/EMPTY/"
empty_joliet="/support/ /upgrade/ /upgrade/empty/"

# expected COLUMN EMPTY_DIRS [BIG_LINES]: "PATH SIZE" per file and
# "PATH/" per folder (every parent of a file, and EMPTY_DIRS), sorted.
expected() {
	{
		awk -F'|' -v c="$1" '{
			print $c, $4
			n = split($c, part, "/"); dir = "/"
			for (i = 2; i < n; i++) { dir = dir part[i] "/"; print dir }
		}' files.table
		printf '%s\n' $2
		shift 2
		test $# -eq 0 || printf '%s\n' "$@"
	} | sort -u
}

# isoinfo_list ISO [OPTIONS]: what isoinfo -l shows, as "PATH SIZE" per
# record (one per piece of a multi-extent file) and "PATH/" per folder,
# unsorted.
isoinfo_list() {
	iso=$1; shift
	isoinfo "$@" -l -i "$iso" | awk '
		/^Directory listing of / { dir = substr($0, 22); next }
		/^[d-]/ {
			name = $0
			sub(/^[^[]*\[ *[0-9]+ [0-9A-Fa-f]+\]? */, "", name)
			sub(/ $/, "", name)
			if (name == "." || name == "..") next
			if (substr($0, 1, 1) == "d") print dir name "/"; else print dir name, $5
		}'
}

# original JOLIET ORIGINAL: the path under expect/ of a table row.
original() {
	if test "$2" = "="; then echo "$1"; else echo "$2"; fi
}

test_expect_success 'setup: the image and the bytes it holds' '
	"$MAKE_IMAGE" img.iso expect >make.out &&
	grep "^trees at [0-9]*, [0-9]* sectors; image [0-9]* sectors$" make.out &&
	test "$(stat -c %s img.iso)" -gt 4294967296
'

test_expect_success 'isoinfo -l: the primary tree, full names, each record.s size' '
	expected 1 "$empty_primary" "/SOURCES/INSTALL.WIM;1 $P1" \
		"/SOURCES/INSTALL.WIM;1 $P2" "/SOURCES/INSTALL.WIM;1 $P3" >primary.expected &&
	isoinfo_list img.iso | sort >primary.actual &&
	test_cmp primary.expected primary.actual
'

test_expect_success 'isoinfo -J -l: the Joliet tree, the names given, cut at 103' '
	expected 2 "$empty_joliet" "/sources/install.wim $P1" \
		"/sources/install.wim $P2" "/sources/install.wim $P3" >joliet.expected &&
	isoinfo_list img.iso -J -j iso8859-1 | iconv -f ISO-8859-1 -t UTF-8 | sort >joliet.actual &&
	test_cmp joliet.expected joliet.actual
'

test_expect_success 'isoinfo -x: every file through the primary tree, byte for byte' '
	while IFS="|" read -r primary joliet orig size; do
		isoinfo -i img.iso -x "$primary" >got &&
		cmp got "expect$(original "$joliet" "$orig")" || return 1
	done <files.table
'

test_expect_success 'isoinfo -J -x: every file through the Joliet tree, byte for byte' '
	while IFS="|" read -r primary joliet orig size; do
		isoinfo -J -j iso8859-1 -i img.iso \
			-x "$(printf "%s" "$joliet" | iconv -f UTF-8 -t ISO-8859-1)" >got &&
		cmp got "expect$(original "$joliet" "$orig")" || return 1
	done <files.table
'

# -local_charset: the names in UTF-8 whatever the locale; -rm only drops
# install.wim from what is extracted, -rollback_end writes nothing.
test_expect_success 'xorriso -extract: the whole tree, empty folders too, byte for byte' '
	xorriso -local_charset UTF-8 -osirrox on -indev img.iso -rm /sources/install.wim -- \
		-extract / out -rollback_end >xorriso.out 2>&1 &&
	cp -R expect want &&
	rm want/sources/install.wim &&
	while IFS="|" read -r primary joliet orig size; do
		test "$orig" = "=" || mv "want$orig" "want$joliet" || return 1
	done <files.table &&
	diff -r want out
'

test_expect_success 'xorriso report_lba: install.wim in three pieces where its data lie' '
	xorriso -indev img.iso -find /sources/install.wim -exec report_lba -- 2>/dev/null |
		sed -n "s/^File data lba: *//p" | tr -d " " >lba.actual &&
	cat >lba.expected <<-EOF &&
	0,1000,2097151,$BIG,'"'"'/sources/install.wim'"'"'
	1,2098151,5,$BIG,'"'"'/sources/install.wim'"'"'
	2,2098160,513,$BIG,'"'"'/sources/install.wim'"'"'
	EOF
	test_cmp lba.expected lba.actual
'

# The builder's own listing (iso_list, through xorriso) of the same
# image, which build holds OUT against before it publishes it: the size
# once, the first run's two records as one extent.
test_expect_success 'the builder lists install.wim once, its size whole, each record where it lies' '
	"$ISO_LIST" img.iso >listing &&
	grep "^/sources/install.wim " listing >list.actual &&
	echo "/sources/install.wim $BIG 1000+$((P1 + P2)) 2098160+$P3" >list.expected &&
	test_cmp list.expected list.actual
'

# Reading install.wim through a reader takes seconds (4 GiB, if of
# holes): xorriso reads across the join of its two runs, 7-Zip reads it
# whole, once.
test_expect_success 'xorriso -extract_cut: where the first run ends, the second begins' '
	xorriso -osirrox on -indev img.iso \
		-extract_cut /sources/install.wim $((P1 + P2 - 16)) 32 cut >/dev/null 2>&1 &&
	printf "%-16s%-16s" "P2 end" "P3 start" >want.cut &&
	cmp want.cut cut
'

test_expect_success '7-Zip: install.wim whole, byte for byte; the pieces add up' '
	cat >big-check.py <<-\EOF &&
	import sys
	p1, p2, p3 = map(int, sys.argv[1:4])
	big = p1 + p2 + p3
	marks = {}
	for k, (start, end) in enumerate(((0, p1), (p1, p1 + p2), (p1 + p2, big)), 1):
	    marks[start] = ("P%d start" % k).ljust(16).encode()
	    marks[end - 16] = ("P%d end" % k).ljust(16).encode()
	chunk_size, pos = 1 << 22, 0
	zeros = bytes(chunk_size)
	while True:
	    chunk = sys.stdin.buffer.read(chunk_size)
	    if not chunk:
	        break
	    want = None
	    for at, text in marks.items():
	        for i in range(16):
	            if pos <= at + i < pos + len(chunk):
	                if want is None:
	                    want = bytearray(len(chunk))
	                want[at + i - pos] = text[i]
	    if chunk != (bytes(want) if want is not None else zeros[:len(chunk)]):
	        sys.exit("install.wim differs in bytes %d..%d" % (pos, pos + len(chunk)))
	    pos += len(chunk)
	if pos != big:
	    sys.exit("install.wim is %d bytes, not %d" % (pos, big))
	EOF
	7zz e -so img.iso sources/install.wim 2>7z.err | "$PY" big-check.py $P1 $P2 $P3 &&
	7zz l -slt img.iso >7z.out &&
	awk -F" = " "/^Path = / { path = \$2 } /^Size = / { print \"/\" path, \$2 }" 7z.out |
		sort >7z.actual &&
	grep -x "/sources/install.wim $BIG" 7z.actual &&
	grep -x "/deep/l1/l2/l3/l4/l5/l6/l7/l8/deepest file.txt 40" 7z.actual
'

test_expect_success 'pycdlib: opens it (path tables match folders), both trees, the bytes' '
	cat >pycdlib-read.py <<-\EOF &&
	import sys, pycdlib
	iso = pycdlib.PyCdlib()
	iso.open(sys.argv[1])
	for kind in ("iso_path", "joliet_path"):
	    out = open(kind + ".list", "w")
	    for root, dirs, files in iso.walk(**{kind: "/"}):
	        root = root.rstrip("/")
	        for d in dirs:
	            print(root + "/" + d + "/", file=out)
	        for f in files:
	            if f.lower().startswith("install.wim"):
	                continue
	            rec = iso.get_record(**{kind: root + "/" + f})
	            print(root + "/" + f, rec.get_data_length(), file=out)
	for line in open(sys.argv[2], encoding="utf-8"):
	    primary, joliet, orig, size = line.rstrip("\n").split("|")
	    want = open("expect" + (joliet if orig == "=" else orig), "rb").read()
	    for kind, path in (("iso_path", primary), ("joliet_path", joliet)):
	        class Sink(bytearray):
	            def write(self, b):
	                self.extend(b)
	        got = Sink()
	        iso.get_file_from_iso_fp(got, **{kind: path})
	        if bytes(got) != want:
	            sys.exit("%s %s: not the bytes written" % (kind, path))
	# pycdlib 1.12 links only two records of one file (its issue 134),
	# so the pieces are read from the folder, not through the file.
	for rec in iso.get_record(iso_path="/SOURCES").children:
	    if rec.file_identifier() == b"INSTALL.WIM;1":
	        print("piece", rec.extent_location(), rec.get_data_length(),
	              rec.file_flags & 0x80)
	iso.close()
	EOF
	"$PY" pycdlib-read.py img.iso files.table >pieces.actual &&
	expected 1 "$empty_primary" | grep -v INSTALL >iso_path.expected &&
	sort iso_path.list >iso_path.actual &&
	test_cmp iso_path.expected iso_path.actual &&
	expected 2 "$empty_joliet" | grep -v install >joliet_path.expected &&
	sort joliet_path.list >joliet_path.actual &&
	test_cmp joliet_path.expected joliet_path.actual &&
	sort -n -k2 pieces.actual >pieces.sorted &&
	printf "piece %s\n" "1000 $P1 128" "2098151 $P2 128" "2098160 $P3 0" >pieces.expected &&
	test_cmp pieces.expected pieces.sorted
'

# An ECMA-119 reader written here: every structure isotree writes, each
# rule checked on its own; prints each tree as "PATH SIZE" / "PATH/".
cat >ecma119-check.py <<'EOF'
import os, struct, sys

img = open(sys.argv[1], "rb")
image_sectors = os.fstat(img.fileno()).st_size // 2048
problems = []


def bad(msg):
    problems.append(msg)


def read(lba, size):
    img.seek(lba * 2048)
    return img.read(size)


def both32(b, off, what):
    le, be = struct.unpack_from("<I", b, off)[0], struct.unpack_from(">I", b, off + 4)[0]
    if le != be:
        bad("%s: little-endian %d, big-endian %d" % (what, le, be))
    return le


def both16(b, off, what):
    le, be = struct.unpack_from("<H", b, off)[0], struct.unpack_from(">H", b, off + 2)[0]
    if le != be:
        bad("%s: little-endian %d, big-endian %d" % (what, le, be))
    return le


def units(name, joliet):
    if joliet:
        return [struct.unpack_from(">H", name, i)[0] for i in range(0, len(name), 2)]
    return list(name)


def text(name, joliet):
    return name.decode("utf-16-be" if joliet else "ascii")


def order_key(u):
    # 9.3: file name, then extension, each padded with spaces; the
    # version (";1" everywhere) does not order anything here.
    if ord(";") in u:
        u = u[:u.index(ord(";"))]
    dot = len(u) - 1 - u[::-1].index(ord(".")) if ord(".") in u else len(u)
    name, ext = u[:dot], u[dot + 1:]
    return (name + [0x20] * (256 - len(name)), ext + [0x20] * (256 - len(ext)))


def records(lba, length, where, joliet):
    if length % 2048 or length == 0:
        bad("%s: length %d is not whole sectors" % (where, length))
    data, off, out = read(lba, length), 0, []
    while off < length:
        n = data[off]
        if n == 0:
            off = (off // 2048 + 1) * 2048
            continue
        r = data[off:off + n]
        if off % 2048 + n > 2048:
            bad("%s: a record crosses a sector at %d" % (where, off))
        nl = r[32]
        if n != 33 + nl + (nl % 2 == 0):
            bad("%s: record length %d for a %d-byte name" % (where, n, nl))
        if r[1] or r[26] or r[27]:
            bad("%s: extended attributes, unit size or gap set" % where)
        if both16(r, 28, where) != 1:
            bad("%s: volume sequence number is not 1" % where)
        out.append((r[33:33 + nl], both32(r, 2, where), both32(r, 10, where), r[25], r[18:25]))
        off += n
    return out


def check_tree(vd, joliet, label):
    listing = []
    root = vd[156:190]
    if root[0] != 34 or root[32] != 1 or root[33] != 0 or root[25] != 2:
        bad("%s: the root record is not a 34-byte directory record named 0x00" % label)
    root_lba, root_len = both32(root, 2, label + " root"), both32(root, 10, label + " root")
    # Folders level by level; within a level by parent number, then by
    # identifier (6.9.1), numbered from 1.
    table = [(b"\0", root_lba, 1)]
    level = [("/", root_lba, root_len, 1)]
    while level:
        below = []
        for path, lba, length, number in level:
            recs = records(lba, length, label + " " + path, joliet)
            if len(recs) < 2 or recs[0][0] != b"\0" or recs[1][0] != b"\1":
                bad("%s %s: no \".\" and \"..\" first" % (label, path))
                continue
            if recs[0][1:3] != (lba, length) or recs[0][3] != 2:
                bad("%s %s: \".\" is not the folder" % (label, path))
            parent_lba = [t[1] for t in table][table[number - 1][2] - 1]
            if recs[1][1] != parent_lba or recs[1][3] != 2:
                bad("%s %s: \"..\" is not its parent" % (label, path))
            children = recs[2:]
            keys = [order_key(units(c[0], joliet)) for c in children]
            if keys != sorted(keys):
                bad("%s %s: records not in 9.3 order" % (label, path))
            pieces = []
            for name, clba, clen, flags, date in children:
                if date != recs[0][4]:
                    bad("%s %s: records with different dates" % (label, path))
                full = path + text(name, joliet)
                if flags & 2:
                    below.append((number, order_key(units(name, joliet)), name, full + "/", clba, clen))
                    listing.append(full + "/")
                    continue
                if pieces and pieces[-1][0] != name:
                    bad("%s %s: a multi-extent file ends without its last record" % (label, full))
                    pieces = []
                pieces.append((name, clba, clen))
                if clen and clba + (clen + 2047) // 2048 > image_sectors:
                    bad("%s %s: data past the image" % (label, full))
                if flags & 0x80:
                    if clen % 2048:
                        bad("%s %s: a piece before the last is not whole sectors" % (label, full))
                    continue
                if len(pieces) > 1:
                    print("%s pieces %s %s" % (label, full,
                          " ".join("%d+%d" % (p[1], p[2]) for p in pieces)))
                listing.append("%s %d" % (full, sum(p[2] for p in pieces)))
                pieces = []
            if pieces:
                bad("%s %s: the last record is flagged multi-extent" % (label, path))
        below.sort(key=lambda d: (d[0], d[1]))
        level = []
        for parent, _, name, full, lba, length in below:
            table.append((name, lba, parent))
            level.append((full, lba, length, len(table)))
    size = both32(vd, 132, label + " path table size")
    for fmt, lba, what in (("<", struct.unpack_from("<I", vd, 140)[0], "L"),
                           (">", struct.unpack_from(">I", vd, 148)[0], "M")):
        data, off, got = read(lba, size), 0, []
        while off < size:
            nl = data[off]
            got.append((data[off + 8:off + 8 + nl], struct.unpack_from(fmt + "I", data, off + 2)[0],
                        struct.unpack_from(fmt + "H", data, off + 6)[0]))
            if data[off + 1]:
                bad("%s %s path table: extended attributes set" % (label, what))
            off += 8 + nl + nl % 2
        if got != table:
            bad("%s %s path table: not the folders in 6.9.1 order" % (label, what))
    if struct.unpack_from("<I", vd, 144)[0] or struct.unpack_from(">I", vd, 152)[0]:
        bad("%s: optional path tables named" % label)
    if both32(vd, 80, label + " volume space size") != image_sectors:
        bad("%s: volume space size is not the image's" % label)
    return listing


pvd, svd, term = read(16, 2048), read(17, 2048), read(18, 2048)
if pvd[:7] != b"\1CD001\1" or svd[:7] != b"\2CD001\1" or term[:7] != b"\xffCD001\1":
    bad("descriptors at 16, 17, 18 are not primary, supplementary, terminator")
if svd[88:91] != b"%/E":
    bad("the Joliet escape sequence was touched")
for label, vd, joliet in (("primary", pvd, False), ("joliet", svd, True)):
    with open(label + ".tree", "w", encoding="utf-8") as out:
        for line in check_tree(vd, joliet, label):
            print(line, file=out)
for p in problems:
    print("problem:", p)
sys.exit(1 if problems else 0)
EOF

test_expect_success 'ECMA-119 check: records, order, pieces, path tables, descriptors' '
	"$PY" ecma119-check.py img.iso >check.out &&
	cat >pieces.expected <<-EOF &&
	primary pieces /SOURCES/INSTALL.WIM;1 1000+$P1 2098151+$P2 2098160+$P3
	joliet pieces /sources/install.wim 1000+$P1 2098151+$P2 2098160+$P3
	EOF
	test_cmp pieces.expected check.out &&
	expected 1 "$empty_primary" "/SOURCES/INSTALL.WIM;1 $BIG" >primary.expected &&
	sort primary.tree >primary.actual &&
	test_cmp primary.expected primary.actual &&
	expected 2 "$empty_joliet" "/sources/install.wim $BIG" >joliet.expected &&
	sort joliet.tree >joliet.actual &&
	test_cmp joliet.expected joliet.actual
'

test_expect_success 'the ECMA-119 check finds a path table that does not match' '
	cp --sparse=always img.iso broken.iso &&
	lba=$(od -An -tu4 -j $((16 * 2048 + 140)) -N4 broken.iso | tr -d " ") &&
	printf "\377\377\377\000" |
		dd of=broken.iso bs=1 seek=$((lba * 2048 + 2)) conv=notrunc status=none &&
	test_must_fail "$PY" ecma119-check.py broken.iso >broken.out &&
	grep "problem: primary L path table" broken.out
'

test_done
