#!/bin/sh
# Files the builder adds to boot.wim carry an NTFS security descriptor
# (BRIEF section 4: without one, Windows' boot manager + winload fail
# with 0xc0000001): wimsd_add() (builder/wimsd.c), through the test
# program tests/builder/wimsd-add, on WIMs made here.  Descriptors are
# set with ntfssecaudit and read back with `wimlib-imagex dir --detailed`
# ("Security Descriptor = HEX"); contents with `wimlib-imagex extract`:
# none of it is the code under test.

. "$top_srcdir/tests/lib.sh"

WIMSD_ADD=$top_builddir/tests/builder/wimsd-add
PATH=$PATH:/usr/sbin:/sbin
export PATH

test -x "$WIMSD_ADD" || skip_all "tests/builder/wimsd-add is not built (libwim-dev, ntfs-3g-dev)"
for tool in wimlib-imagex mkntfs ntfssecaudit; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done

# Self-relative descriptors, in hex as wimlib-imagex prints them.
#   O:SY G:SY D:(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;WD)
SD_ROOT=010004805c000000680000000000000014000000020048000300000000031400ff011f0001010000000000051200000000031800ff011f000102000000000005200000002002000000031400a9001200010100000000000100000000010100000000000512000000010100000000000512000000
#   O:TrustedInstaller G:SY D:PAI(A;OICI;FA;;;TrustedInstaller)
#   (A;OICI;0x1200a9;;;SY)(A;OICI;0x1200a9;;;BA)(A;OICI;0x1200a9;;;BU),
#   as Windows PE's System32
SD_SYS32=0100049488000000a80000000000000014000000020074000400000000032800ff011f00010600000000000550000000b589fb381984c2cb5c6c236d5700776ec002648700031400a900120001010000000000051200000000031800a90012000102000000000005200000002002000000031800a900120001020000000000052000000021020000010600000000000550000000b589fb381984c2cb5c6c236d5700776ec0026487010100000000000512000000
#   O:BA G:SY D:AI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)
#   (A;OICI;0x1200a9;;;WD), for \Windows
SD_WINDOWS=0100048474000000840000000000000014000000020060000400000000031400ff011f0001010000000000051200000000031800ff011f000102000000000005200000002002000000031800a90012000102000000000005200000002102000000031400a900120001010000000000010000000001020000000000052000000020020000010100000000000512000000
#   O:SY G:SY D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA), for System32\config
SD_CONFIG=0100049448000000540000000000000014000000020034000200000000031400ff011f0001010000000000051200000000031800ff011f0001020000000000052000000020020000010100000000000512000000010100000000000512000000
# Files libntfs-3g makes without being given a descriptor get its
# default, O:BA G:BA D:(A;OICI;FA;;;WD): the folders above all differ
# from it, so a file added without a descriptor set cannot pass.
#   the fallback, wimsd_fallback_descriptor (builder/wimsd.h):
#   O:BA G:SY D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)
SD_FALLBACK=010004946000000070000000000000001400000002004c000300000000031400ff011f0001010000000000051200000000031800ff011f000102000000000005200000002002000000031800a90012000102000000000005200000002102000001020000000000052000000020020000010100000000000512000000

# sd_backup PATH HEX: ntfssecaudit's backup format, which -s applies.
sd_backup() {
	echo "Directory $1"
	echo "$2" | fold -w 32 | awk '{
		line = sprintf("%06x ", (NR - 1) * 16)
		for (i = 1; i <= length($0); i += 8)
			line = line " " substr($0, i, 8)
		print "        " line
	}'
}

# entries WIM: one line per file and folder of image 1, sorted:
# PATH|ATTRIBUTES|DESCRIPTOR ("-" when none)|LAST WRITE TIME|HASH
entries() {
	wimlib-imagex dir "$1" 1 --detailed >"$1.dir" &&
	awk 'function flush() { if (path != "") print path "|" attr "|" sd "|" wtime "|" hash }
	     /^Full Path/ { flush(); path = $0; sub(/^[^"]*"/, "", path); sub(/"$/, "", path)
			    attr = ""; sd = "-"; wtime = ""; hash = "" }
	     /^Attributes/ { attr = $3 }
	     /^Security Descriptor/ { sd = $4 }
	     /^Last Write Time/ { wtime = substr($0, index($0, "= ") + 2) }
	     /^Hash/ { hash = $3 }
	     END { flush() }' "$1.dir" | LC_ALL=C sort
}

# added BEFORE AFTER: the paths AFTER (entries) has and BEFORE lacks.
added() {
	cut -d"|" -f1 "$1" | LC_ALL=C sort >"$1.paths" &&
	cut -d"|" -f1 "$2" | LC_ALL=C sort | LC_ALL=C comm -13 "$1.paths" -
}

# same_as_parent ENTRIES PATHS WANT: each of PATHS (a file) has a
# descriptor, equal to its parent folder's in ENTRIES and to WANT.
same_as_parent() {
	test -s "$2" &&
	awk -F"|" -v want="$3" '
		NR == FNR { sd[$1] = $3; next }
		{ parent = $0; sub(/\/[^\/]*$/, "", parent); if (parent == "") parent = "/"
		  if (!($0 in sd)) { print "missing: " $0; bad = 1 }
		  else if (sd[$0] == "-") { print "no descriptor: " $0; bad = 1 }
		  else if (sd[$0] != sd[parent]) { print "not its parent.s: " $0; bad = 1 }
		  else if (sd[$0] != want) { print "not the expected one: " $0; bad = 1 } }
		END { exit bad }' "$1" "$2"
}

# unchanged BEFORE AFTER [SKIP]: every entry of BEFORE (but SKIP) is in
# AFTER with the same attributes, descriptor, time and content hash.
unchanged() {
	grep -v -x -F -e "${3:-//none//}" "$1.paths" >keep.paths &&
	awk -F"|" 'NR == FNR { keep[$1] = 1; next } ($1 in keep)' keep.paths "$1" >want &&
	awk -F"|" 'NR == FNR { keep[$1] = 1; next } ($1 in keep)' keep.paths "$2" >got &&
	test_cmp want got
}

test_expect_success 'setup: a WIM whose every file and folder has a descriptor' '
	mkdir -p ms/Windows/System32/config ms/sources &&
	echo dll >ms/Windows/System32/existing.dll &&
	printf "[LaunchApps]\r\n%%SYSTEMDRIVE%%\\\\sources\\\\setup.exe\r\n" \
		>ms/Windows/System32/winpeshl.ini &&
	echo hive >ms/Windows/System32/config/SYSTEM &&
	echo setup >ms/sources/setup.exe &&
	wimlib-imagex capture ms linux.wim "Microsoft Windows Setup (x64)" >/dev/null &&
	truncate -s 16M ms.ntfs &&
	mkntfs -F -Q -q -s 512 -p 0 -H 0 -S 0 ms.ntfs 2>/dev/null &&
	wimlib-imagex apply linux.wim 1 ms.ntfs >/dev/null &&
	{ sd_backup / $SD_ROOT && sd_backup /Windows $SD_WINDOWS &&
	  sd_backup /Windows/System32 $SD_SYS32 &&
	  sd_backup /Windows/System32/config $SD_CONFIG; } >acl.backup &&
	ntfssecaudit -s ms.ntfs acl.backup >audit.out 2>&1 &&
	grep "4 ACLs have been applied" audit.out &&
	wimlib-imagex capture ms.ntfs ms.wim "Microsoft Windows Setup (x64)" >/dev/null &&
	entries ms.wim >ms.entries &&
	test $(wc -l <ms.entries) -eq 9 &&
	! cut -d"|" -f3 ms.entries | grep -x -e - &&
	grep -x "/|0x00000010|$SD_ROOT|.*" ms.entries &&
	grep -x "/Windows|0x00000010|$SD_WINDOWS|.*" ms.entries &&
	grep -x "/Windows/System32|0x00000010|$SD_SYS32|.*" ms.entries &&
	grep -x "/Windows/System32/config|0x00000010|$SD_CONFIG|.*" ms.entries
'

test_expect_success 'setup: what the build adds, and wimsd_add on one WIMStruct' '
	mkdir -p payload/drivers/vmbus tempdir &&
	echo agent >payload/win7gen2pe.exe &&
	head -c 300000 /dev/urandom >payload/win7gen2.efi &&
	echo "<unattend/>" >payload/autounattend.xml &&
	echo "[Version]" >payload/drivers/vmbus/wvmbus.inf &&
	: >payload/drivers/vmbus/empty.cat &&
	echo caf >"payload/drivers/café ü.txt" &&
	touch -d "2001-02-03 04:05:06 UTC" payload/win7gen2pe.exe &&
	printf "[LaunchApps]\r\nX:\\\\win7gen2\\\\win7gen2pe.exe\r\n" >winpeshl.ini &&
	mkdir -p user/sub &&
	echo "[Version]" >user/mine.inf &&
	echo sys >user/sub/mine.sys &&
	cp ms.wim new.wim &&
	"$WIMSD_ADD" new.wim 1 tempdir payload "\\win7gen2" \
		winpeshl.ini "\\Windows\\System32\\winpeshl.ini" \
		user "\\win7gen2\\drivers\\user" &&
	entries new.wim >new.entries &&
	added ms.entries new.entries >new.added &&
	cat >expect.added <<-\EOF &&
	/win7gen2
	/win7gen2/autounattend.xml
	/win7gen2/drivers
	/win7gen2/drivers/café ü.txt
	/win7gen2/drivers/user
	/win7gen2/drivers/user/mine.inf
	/win7gen2/drivers/user/sub
	/win7gen2/drivers/user/sub/mine.sys
	/win7gen2/drivers/vmbus
	/win7gen2/drivers/vmbus/empty.cat
	/win7gen2/drivers/vmbus/wvmbus.inf
	/win7gen2/win7gen2.efi
	/win7gen2/win7gen2pe.exe
	EOF
	LC_ALL=C sort expect.added >expect.sorted &&
	test_cmp expect.sorted new.added
'

test_expect_success 'every added file and folder has its parent folder.s descriptor' '
	same_as_parent new.entries new.added $SD_ROOT &&
	echo /Windows/System32/winpeshl.ini >ini.path &&
	same_as_parent new.entries ini.path $SD_SYS32
'

test_expect_success 'what was in the image is intact, winpeshl.ini replaced' '
	unchanged ms.entries new.entries /Windows/System32/winpeshl.ini &&
	mkdir out &&
	wimlib-imagex extract new.wim 1 "\\Windows\\System32\\winpeshl.ini" \
		"\\Windows\\System32\\existing.dll" --dest-dir=out --no-acls >/dev/null &&
	cmp winpeshl.ini out/winpeshl.ini &&
	cmp ms/Windows/System32/existing.dll out/existing.dll
'

test_expect_success 'contents are byte-identical to the sources' '
	wimlib-imagex extract new.wim 1 "\\win7gen2" --dest-dir=out --no-acls >/dev/null &&
	cp -R payload expect &&
	cp -R user expect/drivers/user &&
	diff -r expect out/win7gen2
'

test_expect_success 'a file keeps its modification time' '
	grep -x "/win7gen2/win7gen2pe.exe|0x00000020|$SD_ROOT|Sat Feb 03 04:05:06 2001 UTC|.*" \
		new.entries
'

test_expect_success 'the NTFS images wimlib read from stay in TEMPDIR until written' '
	test $(ls tempdir | grep -c "^wimsd-") -eq 3
'

test_expect_success 'onto existing folders: what is new takes the descriptor of where it lands' '
	mkdir -p merge/System32/config merge/System32/new merge/Fonts &&
	echo n >merge/System32/new.dll &&
	echo n >merge/System32/new/inner.dll &&
	echo h >merge/System32/config/SOFTWARE &&
	echo f >merge/Fonts/a.ttf &&
	cp ms.wim merge.wim &&
	"$WIMSD_ADD" merge.wim 1 tempdir merge "\\windows" &&
	entries merge.wim >merge.entries &&
	added ms.entries merge.entries >merge.added &&
	test $(wc -l <merge.added) -eq 6 &&
	unchanged ms.entries merge.entries &&
	grep "^/Windows/System32/" merge.added | grep -v /config/ >in.sys32 &&
	same_as_parent merge.entries in.sys32 $SD_SYS32 &&
	grep /config/ merge.added >in.config &&
	same_as_parent merge.entries in.config $SD_CONFIG &&
	grep -v "^/Windows/System32/" merge.added >in.windows &&
	same_as_parent merge.entries in.windows $SD_WINDOWS
'

test_expect_success 'folders missing on the way take the nearest existing folder.s descriptor' '
	cp ms.wim deep.wim &&
	"$WIMSD_ADD" deep.wim 1 tempdir winpeshl.ini "/Windows/System32/a/b/c.ini" &&
	entries deep.wim >deep.entries &&
	added ms.entries deep.entries >deep.added &&
	printf "%s\n" /Windows/System32/a /Windows/System32/a/b /Windows/System32/a/b/c.ini \
		>deep.expect &&
	test_cmp deep.expect deep.added &&
	same_as_parent deep.entries deep.added $SD_SYS32
'

test_expect_success 'a WIM captured from a Linux folder: the fallback descriptor' '
	entries linux.wim >linux.entries &&
	! cut -d"|" -f3 linux.entries | grep -v -x -e - &&
	cp linux.wim fallback.wim &&
	"$WIMSD_ADD" fallback.wim 1 tempdir payload "\\win7gen2" \
		winpeshl.ini "\\Windows\\System32\\winpeshl.ini" &&
	entries fallback.wim >fallback.entries &&
	added linux.entries fallback.entries >fallback.added &&
	test $(wc -l <fallback.added) -eq 9 &&
	awk -F"|" -v want=$SD_FALLBACK "NR == FNR { new[\$1] = 1; next }
		(\$1 in new) && \$3 != want { print; bad = 1 } END { exit bad }" \
		fallback.added fallback.entries &&
	grep -x "/Windows/System32/winpeshl.ini|0x00000020|$SD_FALLBACK|.*" fallback.entries &&
	unchanged linux.entries fallback.entries /Windows/System32/winpeshl.ini
'

test_expect_success 'refusals name the file and the fix, and change nothing' '
	mkdir refuse-tmp &&
	cp ms.wim refuse.wim &&
	test_must_fail "$WIMSD_ADD" refuse.wim 1 refuse-tmp nowhere "\\x" 2>err &&
	grep "cannot read nowhere: No such file or directory; check that it exists" err &&
	mkdir -p odd && mkfifo odd/pipe &&
	test_must_fail "$WIMSD_ADD" refuse.wim 1 refuse-tmp odd "\\odd" 2>err &&
	grep "odd/pipe is neither a file nor a folder (a device, pipe or socket); remove it" err &&
	mkdir -p bad && echo x >"bad/a:b.inf" &&
	test_must_fail "$WIMSD_ADD" refuse.wim 1 refuse-tmp bad "\\bad" 2>err &&
	grep "the name of bad/a:b.inf has a character Windows does not allow in names" err &&
	test_must_fail "$WIMSD_ADD" refuse.wim 1 refuse-tmp payload "\\Windows\\System32\\existing.dll" 2>err &&
	grep "cannot put payload at .Windows.System32.existing.dll in the WIM image: that is a file there and this is a folder" err &&
	test_must_fail "$WIMSD_ADD" refuse.wim 1 refuse-tmp winpeshl.ini "\\Windows\\System32\\existing.dll\\x" 2>err &&
	grep "existing.dll is a file there, not a folder" err &&
	test_must_fail "$WIMSD_ADD" refuse.wim 1 refuse-tmp winpeshl.ini "\\" 2>err &&
	grep "name a path below its root" err &&
	cmp ms.wim refuse.wim &&
	test -z "$(ls refuse-tmp)"
'

test_done
