#!/bin/sh
# build --package FILE: the package CABs are on OUT itself under
# \win7gen2\packages\ with packages.txt, named by UDF, ISO 9660 and
# Joliet where IN has it, byte for byte the package CABs, in install
# order; inspect lists them.  Read back with xorriso, isoinfo and 7-Zip, which
# the code under test does not use.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
for tool in gcab 7zz; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found (tools/install-deps)"
done

MAKE_PKG=$top_srcdir/tests/builder/make-package
WIN7=6.1.7601.17514
ON_DVD=/win7gen2/packages

layouts="microsoft bridge iso9660"

# primary NAME: the name the ISO 9660 primary tree gives a package CAB
# (d-characters: upper case, '_' for '.' and '-' but the extension's dot).
primary() {
	stem=${1%.*}
	echo "$stem" | tr "a-z.-" "A-Z__" | tr -d "\n"
	echo ".CAB"
}

test_expect_success 'setup: samples of each layout, an SSU .msu, a .cab, another .msu; built' '
	"$MAKE_PKG" cab KB4490628 amd64 $WIN7 ssu.cab ssu &&
	"$MAKE_PKG" msu ssu.cab ssu.msu KB4490628 &&
	"$MAKE_PKG" cab KB4474419 amd64 $WIN7 Windows6.1-KB4474419-v3-x64.cab &&
	"$MAKE_PKG" cab KB4534310 amd64 $WIN7 rollup.cab &&
	"$MAKE_PKG" msu rollup.cab rollup.msu KB4534310 &&
	for layout in $layouts; do
		sample $layout.iso --editions 1 --layout $layout &&
		"$WIN7GEN2" build --quiet --iso $layout.iso --output out-$layout.iso --password p \
			--package rollup.msu --package Windows6.1-KB4474419-v3-x64.cab \
			--package ssu.msu >/dev/null || return 1
	done &&
	cp out-iso9660.iso pkgs.iso
'

test_expect_success 'packages.txt on OUT: servicing stack first, then as given' '
	iso_get pkgs.iso $ON_DVD/packages.txt packages.txt &&
	tr -d "\r" <packages.txt | grep -v "^#" >lines &&
	printf "%s\n" "servicing-stack Windows6.1-KB4490628-x64.cab" \
		"package Windows6.1-KB4534310-x64.cab" \
		"package Windows6.1-KB4474419-v3-x64.cab" >expect &&
	test_cmp expect lines
'

test_expect_success 'every tree names them: ISO 9660 always, UDF and Joliet where IN has them' '
	printf "%s\n" $ON_DVD/packages.txt $ON_DVD/windows6.1-kb4474419-v3-x64.cab \
		$ON_DVD/windows6.1-kb4490628-x64.cab $ON_DVD/windows6.1-kb4534310-x64.cab >expect &&
	printf "%s\n" $ON_DVD/packages.txt $ON_DVD/windows6_1_kb4474419_v3_x64.cab \
		$ON_DVD/windows6_1_kb4490628_x64.cab $ON_DVD/windows6_1_kb4534310_x64.cab \
		>expect.primary &&
	for layout in $layouts; do
		primary_names out-$layout.iso | tr A-Z a-z | grep "^$ON_DVD/" >primary &&
		test_cmp expect.primary primary || return 1
	done &&
	for layout in microsoft bridge; do
		udf_names out-$layout.iso | grep "^$ON_DVD/" >udf &&
		test_cmp expect udf || return 1
	done &&
	isoinfo -J -f -i out-iso9660.iso | tr A-Z a-z | grep "^$ON_DVD/" | sort >joliet &&
	test_cmp expect joliet
'

test_expect_success 'the CABs on OUT are the package CABs, byte for byte, through each tree' '
	DIR=/WIN7GEN2/PACKAGES &&
	for layout in $layouts; do
		for cab in ssu.cab:Windows6.1-KB4490628-x64.cab rollup.cab:Windows6.1-KB4534310-x64.cab \
			   Windows6.1-KB4474419-v3-x64.cab:Windows6.1-KB4474419-v3-x64.cab; do
			isoinfo -i out-$layout.iso -x "$DIR/$(primary ${cab#*:});1" >primary.out &&
			cmp ${cab%%:*} primary.out || return 1
		done || return 1
	done &&
	for layout in bridge iso9660; do
		isoinfo -J -i out-$layout.iso -x $ON_DVD/Windows6.1-KB4534310-x64.cab >rollup.joliet &&
		cmp rollup.cab rollup.joliet || return 1
	done &&
	isoinfo -J -i out-iso9660.iso -x $ON_DVD/Windows6.1-KB4490628-x64.cab >ssu.joliet &&
	cmp ssu.cab ssu.joliet &&
	udf_get out-microsoft.iso $ON_DVD/Windows6.1-KB4490628-x64.cab ssu.udf &&
	cmp ssu.cab ssu.udf &&
	udf_get out-microsoft.iso $ON_DVD/Windows6.1-KB4534310-x64.cab rollup.udf &&
	cmp rollup.cab rollup.udf
'

test_expect_success 'inspect lists them, servicing stack first' '
	test_expect_code 1 "$WIN7GEN2" inspect pkgs.iso >inspect.out &&
	grep "^  update packages  3 in .win7gen2.packages., installed by DISM after Setup in this order:" inspect.out &&
	grep -x "                   1. servicing stack Windows6.1-KB4490628-x64.cab" inspect.out &&
	grep -x "                   2. update Windows6.1-KB4534310-x64.cab" inspect.out &&
	grep -x "                   3. update Windows6.1-KB4474419-v3-x64.cab" inspect.out &&
	test_expect_code 1 "$WIN7GEN2" inspect --json pkgs.iso >inspect.json &&
	jq -e ".packages.problem == null and (.packages.entries | length) == 3 and
		.packages.entries[0].kind == \"servicing-stack\" and
		.packages.entries[0].name == \"Windows6.1-KB4490628-x64.cab\" and
		all(.packages.entries[]; .on_dvd)" inspect.json
'

test_done
