#!/bin/sh
# The man pages: made with the installed paths, lint-clean, and the one
# description everything else is held to: every option of
# `win7gen2 COMMAND --help` is in win7gen2(1) and the other way round,
# README.md names every option, and win7gen2.cfg(5) has exactly the keys
# common/config.c reads, payload/win7gen2.cfg.example documents and
# README.md's table lists.

. "$top_srcdir/tests/lib.sh"

WIN7GEN2=$top_builddir/builder/win7gen2
MAN1=$top_builddir/man/win7gen2.1
MAN5=$top_builddir/man/win7gen2.cfg.5
README=$top_srcdir/README.md

# options: the options on stdin ("-x" and "--word"), one a line, sorted.
options() {
	grep -o -E '(^|[][ ,("|])--?[a-zA-Z][a-z-]*' | sed 's/^[^-]*//' | sort -u
}

# man_tags PAGE FROM TO: the tag lines of .TP items from the line FROM
# (a whole line) to the next line TO (an awk pattern) matches, with \-
# as -.
man_tags() {
	awk -v from="$2" -v to="$3" '
		$0 == from { on = 1; next }
		on && $0 ~ to { exit }
		on && tag { print; tag = 0 }
		on && $0 == ".TP" { tag = 1 }' "$1" | sed 's/\\-/-/g'
}

# man_options COMMAND: the options win7gen2(1) gives COMMAND ("" for
# the options before any command).
man_options() {
	if test -z "$1"; then
		man_tags "$MAN1" ".SH OPTIONS" "^[.]SH"
	else
		man_tags "$MAN1" ".SS $1" "^[.]S[HS]"
	fi | options
}

# help_options COMMAND: the options `win7gen2 [COMMAND] --help` prints.
help_options() {
	# shellcheck disable=SC2086 # no command: no word
	"$WIN7GEN2" $1 --help | options
}

test_expect_success 'the pages carry the version and the installed paths' '
	sed -n 1,12p "$MAN1" | grep "^\.TH WIN7GEN2 1 .* \"win7gen2 [0-9][0-9.]*\"" &&
	sed -n 1,12p "$MAN5" | grep "^\.TH WIN7GEN2\.CFG 5 .* \"win7gen2 [0-9][0-9.]*\"" &&
	! grep -n "@[a-zA-Z]*@" "$MAN1" "$MAN5" &&
	# (\: after each / lets troff break a long prefix.)
	sed "s/\\\\://g" "$MAN1" | grep "^\.I /.*/win7gen2/win7gen2\.efi$" &&
	sed "s/\\\\://g" "$MAN5" | grep "^\.I /.*/win7gen2/win7gen2\.cfg\.example$"
'

test_expect_success 'groff -ww: no warnings' '
	for page in "$MAN1" "$MAN5"; do
		LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$page" >groff.out 2>&1 &&
		test_must_be_empty groff.out || return 1
	done
'

test_expect_success 'man --warnings: no warnings' '
	command -v man >/dev/null || { say "man not installed"; return 0; }
	for page in "$MAN1" "$MAN5"; do
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >man.txt 2>man.err &&
		test_must_be_empty man.err &&
		grep "^SEE ALSO" man.txt || return 1
	done
'

test_expect_success 'mandoc -T lint: clean, down to style' '
	if ! command -v mandoc >/dev/null; then
		must_not_skip && { echo "mandoc missing (tools/install-deps installs it)"; return 1; }
		say "mandoc not installed (apt-get install mandoc): lint not run"
		return 0
	fi
	mandoc -T lint -W style "$MAN1" "$MAN5" >lint.out 2>&1 &&
	test_must_be_empty lint.out
'

test_expect_success 'win7gen2(1) has a section for each command, a SYNOPSIS line each' '
	grep "^\.SS " "$MAN1" | sed "s/^\.SS //" >sections &&
	printf "%s\n" inspect build fix convert >expected &&
	test_cmp expected sections &&
	for command in inspect build fix convert; do
		sed -n "/^\.SH SYNOPSIS/,/^\.SH/p" "$MAN1" | grep -A1 "^\.SY win7gen2" |
			grep -x "\.B $command" || return 1
	done
'

if test -x "$WIN7GEN2"; then
	test_expect_success 'the commands win7gen2 --help lists are the sections' '
		"$WIN7GEN2" --help | sed -n "/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p" >commands &&
		test_cmp expected commands
	'

	for command in "" inspect build fix convert; do
		test_expect_success "win7gen2 ${command:+$command }--help and win7gen2(1): the same options" '
			help_options "$command" >help &&
			man_options "$command" >man &&
			test -s help && test_cmp help man
		'
	done
elif must_not_skip; then
	test_expect_success 'win7gen2 is built, for its --help' 'false'
else
	say "win7gen2 not built: its --help not compared"
fi

test_expect_success 'README.md names every long option of win7gen2(1)' '
	for command in "" inspect build fix convert; do
		man_options "$command" || return 1
	done | grep -e "^--" | sort -u >long &&
	test -s long &&
	while read -r option; do
		grep -q -e "$option\([^a-z-]\|$\)" "$README" || {
			echo "README.md does not mention $option"; return 1; }
	done <long
'

# The keys, sorted: from the parser, the example, the man page, README.
test_expect_success 'common/config.c, the example, win7gen2.cfg(5), README: the same keys' '
	sed -n "s/.*span_is(key, \"\([a-z0-9_]*\)\").*/\1/p" "$top_srcdir/common/config.c" |
		sort >keys.parser &&
	test -s keys.parser &&
	sed -n "s/^#\{0,1\} \{0,1\}\([a-z][a-z0-9_]*\) = .*/\1/p" \
		"$top_srcdir/payload/win7gen2.cfg.example" | sort -u >keys.example &&
	man_tags "$MAN5" ".SH KEYS" "^[.]SH" | sed -e "s/^\.[BIR]* //" -e "s/=.*//" -e "s/[\",]/ /g" |
		tr " " "\n" | grep -x "[a-z][a-z0-9_]*" | sort -u >keys.man &&
	sed -n "/^### Settings: win7gen2.cfg/,/^##/p" "$README" | grep "^| \`" |
		cut -d"|" -f2 | grep -o "\`[a-z][a-z0-9_]*\`" | tr -d "\`" | sort -u >keys.readme &&
	test_cmp keys.parser keys.example &&
	test_cmp keys.parser keys.man &&
	test_cmp keys.parser keys.readme
'

test_done
