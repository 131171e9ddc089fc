#!/bin/sh
# udfpatch: a UDF file system pointed at files appended after the image's
# end, as build does to its copy of Microsoft's media.  Samples come from
# genisoimage (UDF 1.02 bridge) and pycdlib (its "2.60" writer, with the
# ISO 9660 tree naming README.TXT only, as Microsoft's do); the results
# are read with 7zz, libudfread (tests/builder/udf-read), pycdlib, udfinfo
# and a descriptor checker written here from ECMA-167, never with the
# code under test.

. "$top_srcdir/tests/lib.sh"

APPLY=$top_builddir/tests/builder/udfpatch-apply
UDF_READ=$top_builddir/tests/builder/udf-read
MAKE_UDF=$top_srcdir/tests/builder/make-udf-sample
END_ANCHOR_ONLY=$top_srcdir/tests/builder/udf-end-anchor-only
# Debian's python3-pycdlib: the system interpreter, not whatever is on PATH.
PY=/usr/bin/python3

test -x "$APPLY" && test -x "$UDF_READ" ||
	skip_all "udfpatch-apply or udf-read not built (libudfread-dev)"
for tool in 7zz genisoimage udfinfo; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done
"$PY" -c "import pycdlib" 2>/dev/null || skip_all "python3-pycdlib not installed"

# sample NAME [make-udf-sample options]: NAME.iso and the tree it holds, NAME.tree.
sample() {
	name=$1; shift
	"$MAKE_UDF" "$@" "$name.iso" "$name.tree"
}

# expect NAME UDFPATH=FILE...: NAME.want, the tree NAME.iso should hold
# once each UDFPATH has FILE's bytes.
expect() {
	name=$1; shift
	rm -rf "$name.want" && cp -R "$name.tree" "$name.want" || return 1
	for pair in "$@"; do
		cp "${pair#*=}" "$name.want/${pair%%=*}" || return 1
	done
}

# sectors FILE: its size in 2048-byte sectors.
sectors() {
	echo $(( $(stat -c %s "$1") / 2048 ))
}

# field NAME KEY: a number from udfpatch-apply's "patched" line.
field() {
	sed -n "s/^patched.* $2=\([0-9]*\).*/\1/p" "$1.result"
}

# reads_as ISO WANT [READERS]: every file of the tree WANT reads back
# the same from ISO's UDF tree, with each reader (7zz libudfread pycdlib
# by default); 7zz also lists exactly WANT's files.
reads_as() {
	iso=$1 want=$2 readers=${3:-"7zz libudfread pycdlib"}
	(cd "$want" && find . -type f | sed "s|^\./||" | sort) >"$iso.files" || return 1
	for reader in $readers; do
		case $reader in
		7zz)
			rm -rf "$iso.7zz" &&
			7zz x -tudf -o"$iso.7zz" "$iso" >/dev/null &&
			(cd "$iso.7zz" && find . -type f | sed "s|^\./||" | sort) >"$iso.7zz.files" &&
			test_cmp "$iso.files" "$iso.7zz.files" &&
			diff -r "$want" "$iso.7zz" || return 1
			;;
		libudfread)
			while read -r f; do
				"$UDF_READ" "$iso" "/$f" >got && cmp got "$want/$f" || return 1
			done <"$iso.files"
			;;
		pycdlib)
			while read -r f; do
				"$PY" udfcheck.py get "$iso" "/$f" >got && cmp got "$want/$f" || return 1
			done <"$iso.files"
			;;
		esac
	done
	rm -f got
}

test_expect_success 'setup: the descriptor checker and the samples' '
	cat >udfcheck.py <<-\EOF &&
	# udfcheck.py - UDF descriptors read straight from ECMA-167 / OSTA UDF
	import hashlib, os, struct, sys
	S = 2048

	def crc(data):
	    c = 0
	    for b in data:
	        c ^= b << 8
	        for _ in range(8):
	            c = ((c << 1) ^ 0x1021) & 0xFFFF if c & 0x8000 else (c << 1) & 0xFFFF
	    return c

	def good(b, tag_id, loc):
	    tid, crc_value, crc_len, tloc = struct.unpack_from("<H6xHHI", b)
	    return (tid == tag_id and (sum(b[0:4]) + sum(b[5:16])) & 255 == b[4] and
	            crc_len <= S - 16 and crc(b[16:16 + crc_len]) == crc_value and tloc == loc)

	class Image:
	    def __init__(self, path):
	        self.f = open(path, "rb")
	        self.sectors = os.path.getsize(path) // S
	    def sector(self, n):
	        self.f.seek(n * S)
	        return self.f.read(S)
	    def anchors(self):
	        found, n = [], 0
	        self.f.seek(0)
	        while True:
	            chunk = self.f.read(512 * S)
	            if not chunk:
	                return found
	            for i in range(0, len(chunk), S):
	                if chunk[i] == 2 and chunk[i + 1] == 0 and good(chunk[i:i + S], 2, n + i // S):
	                    found.append(n + i // S)
	            n += len(chunk) // S
	    def sequence(self, loc, length):
	        out = []
	        for n in range(loc, loc + length // S):
	            b = self.sector(n)
	            if b == bytes(S):
	                break
	            tid = struct.unpack_from("<H", b)[0]
	            assert good(b, tid, n), "bad descriptor at %d" % n
	            out.append((n, b))
	            if tid == 8:
	                break
	        return out
	    def volume(self):
	        a = self.sector(256)
	        seq = self.sequence(*struct.unpack_from("<II", a, 16)[::-1])
	        pd = [b for _, b in seq if b[0] == 5][0]
	        lvd = [b for _, b in seq if b[0] == 6][0]
	        return a, seq, pd, lvd

	def layout(iso, part_end, tail_start, image_end):
	    img = Image(iso)
	    assert img.sectors == image_end, "image is %d sectors" % img.sectors
	    anchors = img.anchors()
	    assert anchors == [256, image_end - 1], "anchors at %s" % anchors
	    a, seq, pd, lvd = img.volume()
	    last = img.sector(image_end - 1)
	    assert a[16:] == last[16:] and a[:4] == last[:4], "the two anchors differ"
	    rlen, rloc = struct.unpack_from("<II", a, 24)
	    assert rloc == tail_start and rlen >= 16 * S, "reserve at %d, %d bytes" % (rloc, rlen)
	    rseq = img.sequence(rloc, rlen)
	    assert len(rseq) == len(seq), "reserve has %d descriptors" % len(rseq)
	    for (_, m), (_, r) in zip(seq, rseq):
	        assert m[:4] == r[:4] and m[5:8] == r[5:8] and m[16:] == r[16:], "copy differs"
	    assert seq[-1][1][0] == 8, "no terminating descriptor"
	    start, length = struct.unpack_from("<II", pd, 188)
	    assert start + length == part_end, "partition ends at %d" % (start + length)
	    ilen, iloc = struct.unpack_from("<II", lvd, 432)
	    lvid = img.sector(iloc)
	    assert good(lvid, 9, iloc), "integrity descriptor damaged"
	    count = struct.unpack_from("<I", lvid, 72)[0]
	    free, size = struct.unpack_from("<I", lvid, 80)[0], struct.unpack_from("<I", lvid, 80 + 4 * count)[0]
	    assert free == 0 and size == length, "integrity: free %d, size %d" % (free, size)
	    print("ok")

	def entry(img, start, block):
	    b = img.sector(start + block)
	    tid = struct.unpack_from("<H", b)[0]
	    assert tid in (261, 266) and good(b, tid, block), "bad File Entry at %d" % block
	    base = 216 if tid == 266 else 176
	    lea, lad = struct.unpack_from("<II", b, base - 8)
	    return b, tid, base, lea, lad

	def ads(b, base, lea, lad):
	    kind = struct.unpack_from("<H", b, 34)[0] & 7
	    area = b[base + lea:base + lea + lad]
	    if kind == 3:
	        return kind, area, []
	    size = 8 if kind == 0 else 16
	    out = []
	    for i in range(0, lad, size):
	        length, pos = struct.unpack_from("<II", area, i)
	        ref = struct.unpack_from("<H", area, i + 8)[0] if kind == 1 else None
	        out.append((length >> 30, length & 0x3FFFFFFF, pos, ref))
	    return kind, area, out

	def find(img, path):
	    a, seq, pd, lvd = img.volume()
	    start = struct.unpack_from("<I", pd, 188)[0]
	    fsd = img.sector(start + struct.unpack_from("<I", lvd, 252)[0])
	    block = struct.unpack_from("<I", fsd, 404)[0]
	    for name in [n for n in path.split("/") if n]:
	        b, tid, base, lea, lad = entry(img, start, block)
	        kind, area, extents = ads(b, base, lea, lad)
	        data = area if kind == 3 else b"".join(
	            img.sector(start + pos + k)[:min(S, length - k * S)]
	            for _, length, pos, _ in extents for k in range((length + S - 1) // S))
	        i, block = 0, None
	        while i < len(data):
	            chars, lfi = data[i + 18], data[i + 19]
	            icb = struct.unpack_from("<I", data, i + 24)[0]
	            liu = struct.unpack_from("<H", data, i + 36)[0]
	            ident = data[i + 38 + liu:i + 38 + liu + lfi]
	            text = ident[1:].decode("latin-1") if ident[:1] == b"\x08" else ident[1:].decode("utf-16-be")
	            if not chars & 4 and text == name:
	                block = icb
	            i += (38 + liu + lfi + 3) // 4 * 4
	        assert block is not None, "%s not found" % name
	    return img, start, block

	def describe(iso, path):
	    img, start, block = find(Image(iso), path)
	    b, tid, base, lea, lad = entry(img, start, block)
	    kind, area, extents = ads(b, base, lea, lad)
	    info = struct.unpack_from("<Q", b, 56)[0]
	    blocks = struct.unpack_from("<Q", b, 72 if tid == 266 else 64)[0]
	    print("tag %d kind %d info %d blocks %d" % (tid, kind, info, blocks))
	    print("ea %d %s" % (lea, hashlib.sha1(b[base:base + lea]).hexdigest()))
	    if tid == 266:
	        print("object %d" % struct.unpack_from("<Q", b, 64)[0])
	    for kind_bits, length, pos, ref in extents:
	        print("ad %d %d %d %s" % (kind_bits, length, start + pos, ref))

	def get(iso, path):
	    import pycdlib
	    p = pycdlib.PyCdlib()
	    p.open(iso)
	    p.get_file_from_iso_fp(sys.stdout.buffer, udf_path=path)
	    p.close()

	{"layout": lambda *a: layout(a[0], *map(int, a[1:])), "describe": describe,
	 "anchors": lambda iso: print(*Image(iso).anchors()), "get": get}[sys.argv[1]](*sys.argv[2:])
	EOF
	sample g --maker genisoimage &&
	sample p --maker pycdlib &&
	head -c 400000 /dev/urandom >new.wim &&
	head -c 1474560 /dev/urandom >new.efi &&
	"$PY" udfcheck.py describe g.iso /sources/boot.wim >g.before &&
	grep "^tag 261 kind 0 info 300000" g.before &&
	"$PY" udfcheck.py describe p.iso /sources/boot.wim >p.before &&
	grep "^tag 261 kind 0 info 300000" p.before
'

for maker in genisoimage pycdlib; do
	name=$(echo $maker | cut -c1)

	test_expect_success "$maker: boot.wim and efisys.bin read back new, all else as before" '
		cp $name.iso $name.new.iso &&
		"$APPLY" $name.new.iso /sources/boot.wim=new.wim \
			/efi/microsoft/boot/efisys.bin=new.efi >$name.result &&
		grep "^patched " $name.result &&
		expect $name sources/boot.wim=new.wim efi/microsoft/boot/efisys.bin=new.efi &&
		reads_as $name.new.iso $name.want
	'

	test_expect_success "$maker: the new File Entries: one short_ad each, lengths and blocks" '
		old_end=$(sectors $name.iso) &&
		"$PY" udfcheck.py describe $name.new.iso /sources/boot.wim >d &&
		grep -x "tag 261 kind 0 info 400000 blocks 196" d &&
		grep -x "ad 0 400000 $old_end None" d && test $(grep -c ^ad d) = 1 &&
		"$PY" udfcheck.py describe $name.new.iso /efi/microsoft/boot/efisys.bin >d &&
		grep -x "tag 261 kind 0 info 1474560 blocks 720" d &&
		grep -x "ad 0 1474560 $((old_end + 196)) None" d
	'

	test_expect_success "$maker: partition to the data end, reserve sequence, two anchors" '
		data_end=$(field $name data_end) && tail_start=$(field $name tail_start) &&
		image_end=$(field $name image_end) &&
		test $data_end = $(( $(sectors $name.iso) + 196 + 720 )) &&
		test $image_end = $((tail_start + 17)) &&
		"$PY" udfcheck.py layout $name.new.iso $data_end $tail_start $image_end &&
		udfinfo $name.new.iso >info &&
		grep -x "start=256, blocks=1, type=ANCHOR" info &&
		grep -x "start=$((image_end - 1)), blocks=1, type=ANCHOR" info &&
		test $(grep -c type=ANCHOR info) = 2 &&
		grep -x "start=$tail_start, blocks=16, type=RVDS" info &&
		grep -x "start=257, blocks=$((data_end - 257)), type=PSPACE" info &&
		grep -x "blocks=$image_end" info && grep -x "integrity=closed" info
	'

	test_expect_success "$maker: read through the closing anchor and the reserve alone" '
		cp $name.new.iso $name.spare.iso &&
		image_end=$(field $name image_end) &&
		dd if=/dev/zero of=$name.spare.iso bs=2048 seek=256 count=1 conv=notrunc &&
		dd if=/dev/zero of=$name.spare.iso bs=2048 seek=32 count=16 conv=notrunc &&
		reads_as $name.spare.iso $name.want libudfread &&
		udfinfo $name.spare.iso >info &&
		grep -x "start=257, blocks=$(( $(field $name data_end) - 257)), type=PSPACE" info
	'
done

test_expect_success 'genisoimage: the anchors it wrote all over its padding are gone' '
	"$PY" udfcheck.py anchors g.iso >old.anchors &&
	test $(wc -w <old.anchors) -gt 100 &&
	"$PY" udfcheck.py layout g.new.iso $(field g data_end) $(field g tail_start) \
		$(field g image_end)
'

test_expect_success 'a file over 1 GiB: two short_ads, whole sectors, markers read back' '
	truncate -s $((1536 * 1024 * 1024 + 1000)) big &&
	printf START-MARKER | dd of=big conv=notrunc 2>/dev/null &&
	printf END-MARKER | dd of=big bs=1 seek=$((1536 * 1024 * 1024 + 990)) conv=notrunc \
		2>/dev/null &&
	cp g.iso big.iso &&
	"$APPLY" big.iso /sources/install.wim=big >big.result &&
	old_end=$(sectors g.iso) &&
	"$PY" udfcheck.py describe big.iso /sources/install.wim >d &&
	grep -x "tag 261 kind 0 info 1610613736 blocks 786433" d &&
	grep -x "ad 0 1073739776 $old_end None" d &&
	grep -x "ad 0 $((1610613736 - 1073739776)) $((old_end + 1073739776 / 2048)) None" d &&
	test $(grep -c ^ad d) = 2 &&
	"$UDF_READ" big.iso /sources/install.wim | cmp - big &&
	7zz e -so -tudf big.iso sources/install.wim | cmp - big &&
	"$PY" udfcheck.py get big.iso /sources/install.wim | cmp - big &&
	"$UDF_READ" big.iso /sources/install.wim | head -c 12 | grep -x START-MARKER &&
	"$UDF_READ" big.iso /sources/install.wim | tail -c 10 | grep -x END-MARKER &&
	"$UDF_READ" big.iso /sources/boot.wim | cmp - g.tree/sources/boot.wim
'

test_expect_success 'long_ad, an Extended File Entry, attributes, embedded bytes' '
	sample x --long-ad /sources/boot.wim --long-ad /efi/microsoft/boot/efisys.bin \
		--efe /efi/microsoft/boot/efisys.bin --ea 24 /sources/install.wim \
		--embed /sources/ei.cfg &&
	reads_as x.iso x.tree "7zz libudfread" &&
	"$PY" udfcheck.py describe x.iso /sources/install.wim | grep "^ea " >ea.before &&
	"$PY" udfcheck.py describe x.iso /sources/ei.cfg | grep -x "tag 261 kind 3 info 60 blocks 0" &&
	head -c 90000 /dev/urandom >new.install &&
	printf "[EditionID]\r\nProfessional\r\n" >new.cfg &&
	"$APPLY" x.iso /sources/boot.wim=new.wim /efi/microsoft/boot/efisys.bin=new.efi \
		/sources/install.wim=new.install /sources/ei.cfg=new.cfg >x.result &&
	expect x sources/boot.wim=new.wim efi/microsoft/boot/efisys.bin=new.efi \
		sources/install.wim=new.install sources/ei.cfg=new.cfg &&
	reads_as x.iso x.want "7zz libudfread" &&
	"$PY" udfcheck.py describe x.iso /sources/boot.wim >d &&
	grep -x "tag 261 kind 1 info 400000 blocks 196" d && grep "^ad 0 400000 [0-9]* 0$" d &&
	"$PY" udfcheck.py describe x.iso /efi/microsoft/boot/efisys.bin >d &&
	grep -x "tag 266 kind 1 info 1474560 blocks 720" d && grep -x "object 1474560" d &&
	"$PY" udfcheck.py describe x.iso /sources/install.wim >d &&
	grep -x "tag 261 kind 0 info 90000 blocks 44" d &&
	grep "^ea " d | test_cmp ea.before - &&
	"$PY" udfcheck.py describe x.iso /sources/ei.cfg >d &&
	grep -x "tag 261 kind 0 info $(stat -c %s new.cfg) blocks 1" d &&
	"$PY" udfcheck.py layout x.iso $(field x data_end) $(field x tail_start) $(field x image_end)
'

test_expect_success 'long_ad over 1 GiB: split the same way, partition reference kept' '
	sample y --long-ad /sources/install.wim &&
	"$APPLY" y.iso /sources/install.wim=big >y.result &&
	old_end=$(field y old_end) &&
	"$PY" udfcheck.py describe y.iso /sources/install.wim >d &&
	grep -x "ad 0 1073739776 $old_end 0" d &&
	grep -x "ad 0 $((1610613736 - 1073739776)) $((old_end + 1073739776 / 2048)) 0" d &&
	"$UDF_READ" y.iso /sources/install.wim | cmp - big
'

test_expect_success 'gaps before the data and the tail; an empty file; a name in other case' '
	cp p.iso gap.iso &&
	"$APPLY" --gap 5 --tail-gap 7 gap.iso /SOURCES/Boot.WIM=new.wim \
		/sources/empty.dat=new.efi /setup.exe=/dev/null >gap.result &&
	old_end=$(field gap old_end) &&
	test $(field gap tail_start) = $(( $(field gap data_end) + 7 )) &&
	"$PY" udfcheck.py describe gap.iso /sources/boot.wim | grep -x "ad 0 400000 $((old_end + 5)) None" &&
	"$PY" udfcheck.py describe gap.iso /setup.exe | grep -x "tag 261 kind 0 info 0 blocks 0" &&
	expect p sources/boot.wim=new.wim sources/empty.dat=new.efi setup.exe=/dev/null &&
	reads_as gap.iso p.want &&
	"$PY" udfcheck.py layout gap.iso $(field gap data_end) $(field gap tail_start) \
		$(field gap image_end)
'

test_expect_success 'old_end unset: the old anchors are still found and cleared' '
	cp g.iso unset.iso &&
	"$APPLY" --old-end-unset unset.iso /sources/boot.wim=new.wim >unset.result &&
	"$PY" udfcheck.py layout unset.iso $(field unset data_end) $(field unset tail_start) \
		$(field unset image_end)
'

# refused NAME.iso MESSAGE UDFPATH=FILE...: exit status 1, MESSAGE on
# stderr, and the image's old sectors exactly as they were.
refused() {
	iso=$1 message=$2; shift 2
	cp "$iso" refused.iso &&
	"$APPLY" refused.iso "$@" >out 2>err
	test $? -eq 1 && test ! -s out && grep -F "$message" err &&
	cmp -n $(stat -c %s "$iso") "$iso" refused.iso
}

test_expect_success 'no UDF at all: 0, nothing written' '
	sample plain --maker iso9660 &&
	cp plain.iso plain.new.iso &&
	"$APPLY" plain.new.iso /sources/boot.wim=new.wim >out &&
	grep -x "no UDF" out &&
	cmp -n $(stat -c %s plain.iso) plain.iso plain.new.iso
'

test_expect_success 'the anchor only at the end, sector 256 blank: found; OUT has two' '
	for name in g p; do
		cp $name.iso $name.end.iso &&
		"$END_ANCHOR_ONLY" $name.end.iso &&
		"$PY" udfcheck.py anchors $name.end.iso >anchors &&
		test "$(cat anchors)" = "$(sectors $name.iso)" &&
		cp $name.end.iso $name.end.new.iso &&
		"$APPLY" $name.end.new.iso /sources/boot.wim=new.wim >$name.end.result &&
		image_end=$(field $name.end image_end) &&
		"$PY" udfcheck.py anchors $name.end.new.iso >anchors &&
		test "$(cat anchors)" = "256 $((image_end - 1))" &&
		udfinfo $name.end.new.iso >info &&
		grep -x "start=256, blocks=1, type=ANCHOR" info &&
		grep -x "start=$((image_end - 1)), blocks=1, type=ANCHOR" info &&
		test $(grep -c type=ANCHOR info) = 2 &&
		rm -rf $name.end.want && cp -R $name.tree $name.end.want &&
		cp new.wim $name.end.want/sources/boot.wim &&
		reads_as $name.end.new.iso $name.end.want || return 1
	done
'

test_expect_success 'the anchor only at the end: a refusal leaves sector 256 blank' '
	refused g.end.iso "/sources/nothere.wim: not found in the UDF file system" \
		/sources/nothere.wim=new.wim
'

test_expect_success 'the anchor only at the end, data at sector 256: refused by name' '
	cp g.iso g.filled.iso &&
	"$END_ANCHOR_ONLY" --fill-256 g.filled.iso &&
	refused g.filled.iso "and sector 256 holds other data" /sources/boot.wim=new.wim
'

test_expect_success 'a path not in the tree, a directory, a file as a directory: refused' '
	refused p.iso "/sources/nothere.wim: not found in the UDF file system" \
		/sources/nothere.wim=new.wim &&
	refused g.iso "/efi/microsoft: a directory in the UDF file system, not a file" \
		/efi/microsoft=new.wim &&
	refused p.iso "/sources/boot.wim/x: \"boot.wim\" is a file in the UDF file system" \
		/sources/boot.wim/x=new.wim &&
	refused p.iso "/sources/boot.wim and /sources//boot.wim share one File Entry" \
		/sources/boot.wim=new.wim /sources//boot.wim=new.efi
'

test_expect_success 'a File Entry that does not say what the listing read: refused' '
	cp p.iso refused.iso &&
	test_expect_code 1 "$APPLY" --listed 1:1 refused.iso /sources/boot.wim=new.wim \
		>out 2>err &&
	test ! -s out &&
	grep -F "/sources/boot.wim: the UDF file system'"'"'s readers disagree: the listing (libudfread) reads 1 bytes at sector 1 (1 bytes), the File Entry to patch says" err &&
	grep -F "the image is not patched" err &&
	cmp -n $(stat -c %s p.iso) p.iso refused.iso
'

test_expect_success 'what is not handled is refused by name, nothing written' '
	sample ext --ad-kind 2 /sources/boot.wim &&
	refused ext.iso "extended allocation descriptors (ext_ad), which are not handled" \
		/sources/boot.wim=new.wim &&
	sample meta --metadata-map &&
	refused meta.iso "\"*UDF Metadata Partition\" partition map" /sources/boot.wim=new.wim &&
	sample damaged --damage /sources/boot.wim &&
	refused damaged.iso "the UDF file system is damaged: a File Entry at sector" \
		/sources/boot.wim=new.wim &&
	grep "its CRC does not match" err &&
	cp p.iso anchor.iso &&
	printf "\377" | dd of=anchor.iso bs=1 seek=$((256 * 2048 + 100)) conv=notrunc 2>/dev/null &&
	refused anchor.iso "damaged: the anchor at sector 256: its CRC does not match" \
		/sources/boot.wim=new.wim
'

test_expect_success 'descriptors that do not fit after the attributes: refused' '
	sample full --maker genisoimage --ea 1864 /sources/install.wim &&
	refused full.iso "1610613736 bytes need 2 allocation descriptors; its File Entry has room for 1" \
		/sources/install.wim=big &&
	cp full.iso full.new.iso &&
	"$APPLY" full.new.iso /sources/install.wim=new.wim >full.result &&
	"$UDF_READ" full.new.iso /sources/install.wim | cmp - new.wim
'

test_done
