#!/bin/sh
# Windows 7 media in other languages: the answer file names UI languages
# the images hold (read back from OUT's boot.wim with wimlib-imagex and
# xmllint), --locale sets formats and keyboard only, --ui-language is
# checked, and inspect names every image's languages and lang.ini's.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

# build_to NAME ISO [OPTIONS]: OUT is out/NAME.iso, report NAME.report.
build_to() {
	name=$1 iso=$2; shift 2
	mkdir -p out &&
	"$WIN7GEN2" build --iso "$iso" --output "out/$name.iso" "$@" >"$name.report" 2>"$name.err"
}

# langs NAME: the answer file in out/NAME.iso's boot.wim, one line:
# SetupUILanguage, Windows PE's UILanguage, the new system's UILanguage,
# then InputLocale, SystemLocale, UserLocale of windowsPE and oobeSystem.
langs() {
	rm -rf "$1.d" && mkdir "$1.d" &&
	iso_get "out/$1.iso" /sources/boot.wim "$1.d/boot.wim" &&
	wim_get "$1.d/boot.wim" 2 /win7gen2/autounattend.xml "$1.d" &&
	xml=$1.d/autounattend.xml &&
	pe="//*[@pass=\"windowsPE\"]/*[@name=\"Microsoft-Windows-International-Core-WinPE\"]" &&
	oobe="//*[@pass=\"oobeSystem\"]/*[@name=\"Microsoft-Windows-International-Core\"]" &&
	for path in "$pe/*[local-name()=\"SetupUILanguage\"]/*[local-name()=\"UILanguage\"]" \
		    "$pe/*[local-name()=\"UILanguage\"]" "$oobe/*[local-name()=\"UILanguage\"]" \
		    "$pe/*[local-name()=\"InputLocale\"]" "$pe/*[local-name()=\"SystemLocale\"]" \
		    "$pe/*[local-name()=\"UserLocale\"]" "$oobe/*[local-name()=\"InputLocale\"]" \
		    "$oobe/*[local-name()=\"SystemLocale\"]" "$oobe/*[local-name()=\"UserLocale\"]"; do
		value=$(xmllint --xpath "string($path)" "$xml") && test -n "$value" &&
		printf "%s " "$value" || return 1
	done
	echo
}

test_expect_success 'setup: German (UDF only, as Microsoft), Chinese, two-language and English samples' '
	sample de.iso --language de-DE --editions 1 --layout microsoft --label GRMCPRFRER_DE_DVD &&
	sample zh.iso --language zh-CN --editions 1 --lang-ini ansi --label GRMCPRFRER_CN_DVD &&
	sample two.iso --language fr-FR,de-DE --editions 1 --layout bridge &&
	sample pack.iso --language de-DE --install-language de-DE,fr-FR --editions 1 &&
	sample en.iso --editions 1
'

test_expect_success 'German media: de-DE everywhere, from the media' '
	build_to de de.iso &&
	langs de >actual &&
	echo "de-DE de-DE de-DE de-DE de-DE de-DE de-DE de-DE de-DE " >expected &&
	test_cmp expected actual &&
	grep -E "Setup and Windows PE UI +de-DE +\(media: the Setup image" de.report &&
	grep -E "Windows UI +de-DE +\(media: the default of edition 1\)" de.report &&
	grep -E "formats and keyboard +de-DE +\(media" de.report
'

test_expect_success 'Chinese media: zh-CN everywhere' '
	build_to zh zh.iso &&
	langs zh >actual &&
	echo "zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN " >expected &&
	test_cmp expected actual
'

test_expect_success 'English media: en-US everywhere' '
	build_to en en.iso &&
	langs en >actual &&
	echo "en-US en-US en-US en-US en-US en-US en-US en-US en-US " >expected &&
	test_cmp expected actual
'

test_expect_success '--locale alone on German media: formats and keyboard, never the UI' '
	build_to de-fr de.iso --locale fr-FR &&
	langs de-fr >actual &&
	echo "de-DE de-DE de-DE fr-FR fr-FR fr-FR fr-FR fr-FR fr-FR " >expected &&
	test_cmp expected actual &&
	grep -E "formats and keyboard +fr-FR +\(--locale\)" de-fr.report
'

test_expect_success '--ui-language the edition lacks: refused, naming its languages, nothing at OUT' '
	mkdir -p out && (cd out && ls -A) >before &&
	test_expect_code 1 "$WIN7GEN2" build --iso de.iso --output out/refused.iso \
		--ui-language fr-FR 2>err &&
	cat err &&
	grep "ui-language fr-FR: edition 1 holds de-DE only" err &&
	test ! -e out/refused.iso &&
	(cd out && ls -A) >after &&
	test_cmp before after
'

test_expect_success '--ui-language that is no language tag: a usage error' '
	test_expect_code 2 "$WIN7GEN2" build --iso de.iso --output out/bad.iso \
		--ui-language "de-DE<x>" 2>err &&
	test $(wc -l <err) -eq 1 &&
	grep "ui-language" err
'

test_expect_success 'two languages: the DEFAULT unless --ui-language chooses the other' '
	build_to two two.iso &&
	langs two >actual &&
	echo "fr-FR fr-FR fr-FR fr-FR fr-FR fr-FR fr-FR fr-FR fr-FR " >expected &&
	test_cmp expected actual &&
	build_to two-de two.iso --ui-language de-de &&
	langs two-de >actual &&
	echo "de-DE de-DE de-DE de-DE de-DE de-DE de-DE de-DE de-DE " >expected &&
	test_cmp expected actual &&
	grep -E "Windows UI +de-DE +\(--ui-language" two-de.report
'

test_expect_success 'a language pack in install.wim only: Setup keeps its own, and the report says so' '
	build_to pack pack.iso --ui-language fr-FR &&
	langs pack >actual &&
	echo "de-DE de-DE fr-FR fr-FR fr-FR fr-FR fr-FR fr-FR fr-FR " >expected &&
	test_cmp expected actual &&
	grep "it lacks fr-FR" pack.report &&
	grep "The media disagree about languages" pack.report &&
	grep -E "^ +lang.ini lists +de-DE$" pack.report &&
	grep -E "^ +the Setup image +de-DE$" pack.report &&
	grep -E "^ +edition 1 +de-DE, fr-FR$" pack.report
'

test_expect_success 'inspect names the languages of every image and of lang.ini' '
	"$WIN7GEN2" inspect two.iso >two.inspect &&
	test $(grep -c ", fr-FR, de-DE (default fr-FR)" two.inspect) -eq 3 &&
	grep -E "^  lang.ini +fr-FR, de-DE$" two.inspect &&
	"$WIN7GEN2" inspect --json pack.iso >pack.json &&
	test "$(jq -c "[.boot_wim.images[].languages, .editions[].languages, .lang_ini.languages]" pack.json)" = \
		"[[\"de-DE\"],[\"de-DE\"],[\"de-DE\",\"fr-FR\"],[\"de-DE\"]]" &&
	test "$(jq -r ".editions[0].default_language" pack.json)" = de-DE &&
	"$WIN7GEN2" inspect zh.iso >zh.inspect &&
	grep -E "^  lang.ini +zh-CN$" zh.inspect
'

test_expect_success 'a lang.ini that is not INI text: named as unreadable, the images decide' '
	cp zh.iso badini.iso &&
	poke badini.iso $(file_offset badini.iso /sources/lang.ini) "00" &&
	"$WIN7GEN2" inspect badini.iso >badini.inspect &&
	grep -x "  lang.ini         unreadable: sources/lang.ini: it holds a NUL character, which no INI text has" badini.inspect &&
	grep -x "  usable           yes" badini.inspect &&
	build_to badini badini.iso &&
	grep -x "      not used: sources/lang.ini: it holds a NUL character, which no INI text has" badini.report &&
	langs badini >actual &&
	echo "zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN zh-CN " >expected &&
	test_cmp expected actual
'

test_done
