#!/bin/sh
# Every refusal of win7gen2 build: exit status 1, a message that says
# what was found and what is needed, and nothing at OUT afterwards (nor
# any temporary file beside it).

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

# refuse NAME MESSAGE_REGEX BUILD_ARGS...: build into out/NAME.iso must fail
# with status 1 and MESSAGE on stderr, leaving out/ as it was.  stderr is
# shown whatever happened, for the log of a failing case.
refuse() {
	name=$1; message=$2; shift 2
	mkdir -p out &&
	(cd out && ls -A) >before || return 1
	test_expect_code 1 "$WIN7GEN2" build "$@" --output "out/$name.iso" >stdout 2>stderr
	refused=$?
	cat stderr
	test $refused -eq 0 &&
	grep -E -e "$message" stderr &&
	test ! -e "out/$name.iso" &&
	(cd out && ls -A) >after &&
	test_cmp before after
}

test_expect_success 'setup: sample ISOs' '
	sample sample.iso &&
	sample x86.iso --arch x86 &&
	sample w8.iso --version 6.2.9200 --sp 0 &&
	sample none.iso --drivers none &&
	sample one.iso --editions 1 &&
	cp sample.iso badboot.iso &&
	poke badboot.iso $(( $(file_offset badboot.iso /sources/boot.wim) + 8 )) "99 99 99 99" &&
	cp sample.iso badinstall.iso &&
	poke badinstall.iso $(( $(file_offset badinstall.iso /sources/install.wim) + 80 )) \
		"ff ff ff ff ff ff ff 7f"
'

test_expect_success 'not an ISO' '
	echo "hello" >text.iso &&
	refuse text "text.iso is not an ISO image \(no ISO 9660 volume descriptor" --iso text.iso
'

test_expect_success 'an ISO that is not Windows media' '
	mkdir tree && echo data >tree/README.TXT &&
	xorriso -as mkisofs -quiet -V DATA -o data.iso tree &&
	refuse data "data.iso is an ISO image but not Windows installation media: it has no sources/boot.wim" \
		--iso data.iso
'

test_expect_success 'x86 Windows' '
	refuse x86 "is x86 Windows; Hyper-V Generation 2 boots only 64-bit \(x64\) Windows" \
		--iso x86.iso --edition 1
'

test_expect_success 'Windows 8: it already boots on Gen2' '
	refuse w8 "Windows 8 / Server 2012, version 6.2 build 9200, which already boots on Hyper-V Generation 2 as it is" \
		--iso w8.iso --edition 1
'

test_expect_success 'a corrupt boot.wim: wimlib.s reason passed on' '
	refuse badboot "sources/boot.wim is not a usable WIM: The WIM header was invalid \(wimlib error [0-9]+\)" \
		--iso badboot.iso --edition 1
'

test_expect_success 'a corrupt install.wim: what is wrong with it' '
	refuse badinstall "sources/install.wim is not a usable WIM: its XML data lies outside the file" \
		--iso badinstall.iso --edition 1
'

test_expect_success 'an unknown edition: the editions there are listed' '
	refuse unknown "--edition \"Starter\" is no edition in this ISO; install.wim holds:" \
		--iso sample.iso --edition Starter &&
	grep -x "  1  Windows 7 PROFESSIONAL" stderr &&
	grep -x "  2  Windows 7 ULTIMATE" stderr &&
	refuse index "--edition \"3\" is no edition in this ISO" --iso sample.iso --edition 3
'

test_expect_success 'several editions and none chosen: stop and list them' '
	refuse several "install.wim holds 2 editions; choose one with --edition NAME or INDEX:" \
		--iso sample.iso &&
	grep -x "  2  Windows 7 ULTIMATE" stderr
'

test_expect_success 'one edition needs no --edition (the refusals above are not blanket)' '
	"$WIN7GEN2" build --quiet --iso one.iso --output one-out.iso --password p >/dev/null &&
	test -s one-out.iso
'

test_expect_success 'OUT exists: untouched without --force' '
	mkdir -p out && echo precious >out/exists.iso &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output out/exists.iso \
		--edition 1 2>stderr &&
	grep "out/exists.iso exists; give --force to replace it" stderr &&
	test "$(cat out/exists.iso)" = precious &&
	rm out/exists.iso
'

test_expect_success 'OUT = IN, by the same name, another name or a hard link; even with --force' '
	cp sample.iso in.iso && sum=$(md5sum <in.iso) &&
	for out in in.iso ./in.iso "$PWD/in.iso"; do
		test_expect_code 1 "$WIN7GEN2" build --force --iso in.iso --output "$out" \
			--edition 1 2>stderr &&
		grep "is the input ISO itself" stderr || return 1
	done &&
	ln in.iso link.iso &&
	test_expect_code 1 "$WIN7GEN2" build --force --iso in.iso --output link.iso \
		--edition 1 2>stderr &&
	grep "link.iso is the input ISO itself" stderr &&
	test "$(md5sum <in.iso)" = "$sum"
'

test_expect_success 'a payload that is not win7gen2.efi' '
	refuse payload "is not win7gen2.efi \(no \"win7gen2-payload-marker:\" marker in it\)" \
		--iso sample.iso --edition 1 --payload "$FAKE_BOOTMGR"
'

test_expect_success 'an agent that is not win7gen2pe.exe' '
	refuse agent "is not win7gen2pe.exe, the Windows PE agent" \
		--iso sample.iso --edition 1 --agent "$PAYLOAD"
'

test_expect_success 'an agent that is not there' '
	refuse noagent "missing.exe" --iso sample.iso --edition 1 --agent missing.exe
'

test_expect_success 'the Gen2 drivers nowhere on the media' '
	refuse nodrivers "the VMBus driver \(vmbus.sys\) is neither installed in boot.wim.s Setup image nor in a driver package in install.wim image 1.*--drivers DIR" \
		--iso none.iso --edition 1
'

test_expect_success 'a boot image that is not Setup: refused before anything is written' '
	sample nosetup.iso --layout microsoft --no-setup-exe &&
	refuse nosetup "boot.wim image 2 .* has no sources.setup.exe: it would start Windows PE, not Windows Setup" \
		--iso nosetup.iso --edition 1
'

test_expect_success 'slimmed media, boot.wim with the Setup image alone, are fine' '
	sample slim.iso --slim &&
	"$WIN7GEN2" build --quiet --iso slim.iso --output slim-gen2.iso --edition 1 --password p \
		>/dev/null &&
	iso_get slim-gen2.iso /sources/boot.wim slim.wim &&
	wimlib-imagex dir slim.wim 1 >slim.files &&
	grep -x "/win7gen2/win7gen2pe.exe" slim.files
'

test_expect_success 'a truncated ISO: what is wrong, the sizes that show it, what to do' '
	size=$(wc -c <sample.iso) &&
	for cut in 40000 300000 $(( $(file_offset sample.iso /sources/install.wim) + 1000 )); do
		head -c $cut sample.iso >cut.iso &&
		refuse cut "^win7gen2 build: cut.iso is truncated: its volume descriptor gives it $size bytes, but the file holds only $cut; copy or download it again$" \
			--iso cut.iso --edition 1 || return 1
	done
'

test_expect_success 'a file that lies past the end the volume descriptor gives: damaged' '
	cut=$(( $(file_offset sample.iso /sources/install.wim) + 1000 )) &&
	head -c $cut sample.iso >short.iso &&
	# Volume space size (sector 16, byte 80, both-endian): what is left.
	blocks=$(( cut / 2048 )) &&
	le=$(printf "%08x" $blocks | sed "s/\(..\)\(..\)\(..\)\(..\)/\4 \3 \2 \1/") &&
	be=$(printf "%08x" $blocks | sed "s/\(..\)\(..\)\(..\)\(..\)/\1 \2 \3 \4/") &&
	poke short.iso $(( 16 * 2048 + 80 )) "$le $be" &&
	refuse short "short.iso is truncated or damaged: .* lies at bytes [0-9]+-[0-9]+, but the ISO holds only $cut bytes; copy or download it again" \
		--iso short.iso --edition 1
'

test_expect_success 'an answer file that is not well-formed XML' '
	printf "<unattend><settings></unattend>\n" >broken.xml &&
	refuse broken "broken.xml is not well-formed XML \(line [0-9]+: " --iso sample.iso --unattend broken.xml
'

test_expect_success 'an ISO win7gen2 already made' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output made.iso --edition 1 --password p >/dev/null &&
	refuse again "made.iso was made by win7gen2 .* already; build from the original Windows 7 ISO" \
		--iso made.iso --edition 1
'

# usage_error EXPECTED ARGS...: build ARGS exits 2 with exactly the one
# line "win7gen2 build: EXPECTED; see 'win7gen2 build --help'".
usage_error() {
	expected="win7gen2 build: $1; see 'win7gen2 build --help'"; shift
	test_expect_code 2 "$WIN7GEN2" build "$@" >stdout 2>stderr &&
	echo "$expected" >expected &&
	test_cmp expected stderr &&
	test_must_be_empty stdout
}

test_expect_success 'a usage error is one line: the command, what is wrong, where help is' '
	usage_error "--iso needs a value" --iso &&
	usage_error "--output needs a value" --iso sample.iso --output &&
	usage_error "--frobnicate is not an option of build" --frobnicate &&
	usage_error "-x is not an option of build" -qx &&
	usage_error "--force takes no value" --force=yes --iso sample.iso --output x.iso &&
	usage_error "--force takes no value" --fo=yes --iso sample.iso --output x.iso &&
	usage_error "--p could be --password, --password-file, --product-key, --payload, --package; write more of it" \
		--p x --iso sample.iso --output x.iso &&
	usage_error "unexpected argument \"extra\"" --iso sample.iso --output x.iso extra &&
	test ! -e x.iso
'

test_expect_success 'a missing --iso or --output is named, the other not blamed' '
	usage_error "--output OUT is needed: the ISO to write" --iso sample.iso &&
	usage_error "--iso IN is needed: the Windows 7 ISO to read" --output x.iso &&
	usage_error "--iso IN and --output OUT are needed: the Windows 7 ISO to read and the ISO to write"
'

test_expect_success 'an --iso that is not there is named with its option' '
	refuse noiso "^win7gen2 build: --iso nowhere.iso: no such file$" --iso nowhere.iso
'

test_expect_success 'a missing output folder is named as such, not as a free-space problem' '
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output no/such/dir/x.iso \
		--edition 1 2>stderr &&
	cat stderr &&
	grep -x "win7gen2 build: --output no/such/dir/x.iso: its folder no/such/dir does not exist; make the folder first, or write it elsewhere" stderr &&
	! grep "free space" stderr &&
	test ! -e no
'

test_expect_success 'usage errors exit with status 2 before any work' '
	test_expect_code 2 "$WIN7GEN2" build --iso sample.iso --output x.iso \
		--computer-name "bad name!" 2>stderr &&
	grep -- "--computer-name \"bad name!\": it may hold only letters" stderr &&
	test_expect_code 2 "$WIN7GEN2" build --iso sample.iso --output x.iso --product-key 123 2>stderr &&
	grep -- "--product-key \"123\": it must look like XXXXX" stderr &&
	test_expect_code 2 "$WIN7GEN2" build --iso sample.iso --output x.iso --unattend a.xml \
		--user bob 2>stderr &&
	grep -- "--unattend FILE is a whole answer file" stderr &&
	test ! -e x.iso
'

test_done
