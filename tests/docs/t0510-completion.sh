#!/bin/sh
# bash completion (share/bash-completion/completions/win7gen2), sourced
# in a bash subshell and asked as bash asks it (COMP_WORDS, COMP_CWORD):
# commands, each command's options (those of its --help), files and
# folders for the options that take them, and after --edition the
# edition names (after --ui-language the editions' languages) of the ISO
# given with --iso, read through `win7gen2 inspect --json` with jq and
# without.

. "$top_srcdir/tests/builder/lib-builder.sh"

COMPLETION=$top_srcdir/share/bash-completion/completions/win7gen2

command -v bash >/dev/null 2>&1 || skip_all "bash not found"

# completions WORD...: what the completion offers for the command line
# WORD... with the cursor at the end of the last WORD ("" for a new
# word), one a line, sorted.  WORDs are as bash splits the line: the
# text as typed (Windows\ 7, "Windows 7), "=" a word of its own.
# win7gen2 is the built one.
completions() {
	PATH=$top_builddir/builder:$PATH bash -c '
		set -u
		. "$1"; shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		complete -p win7gen2 >/dev/null || exit 1
		_win7gen2 win7gen2 "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" ||
			exit 1
		if ((${#COMPREPLY[@]})); then printf "%s\n" "${COMPREPLY[@]}"; fi
	' completions "$COMPLETION" "$@" | sort
}

# expect WORD...: completions WORD... is the list on stdin.
expect() {
	sort >expected &&
	completions "$@" >actual &&
	test_cmp expected actual
}

test_expect_success 'the first word: commands and the global options' '
	printf "%s\n" inspect build fix convert help -h --help -V --version | expect win7gen2 "" &&
	echo build | expect win7gen2 b &&
	printf "%s\n" --help --version | expect win7gen2 --
'

test_expect_success 'an unknown command: nothing' '
	expect win7gen2 frobnicate -- </dev/null
'

if test -x "$WIN7GEN2"; then
	for command in inspect build fix convert; do
		test_expect_success "$command: the options its --help lists" '
			"$WIN7GEN2" $command --help |
				grep -o -E "(^|[][ ,(\"|])--?[a-zA-Z][a-z-]*" |
				sed "s/^[^-]*//" | sort -u | expect win7gen2 $command - &&
			"$WIN7GEN2" $command --help | grep -o -E "(^|[][ ,(\"|])--[a-zA-Z][a-z-]*" |
				sed "s/^[^-]*//" | sort -u | expect win7gen2 $command --
		'
	done
elif must_not_skip; then
	test_expect_success 'win7gen2 is built, for its --help' 'false'
fi

test_expect_success 'options are offered after other options and their values' '
	echo --output | expect win7gen2 build --iso in.iso --out &&
	echo --dry-run | expect win7gen2 fix --windows /mnt/w --dry &&
	echo --json | expect win7gen2 inspect --js
'

test_expect_success 'files: ISOs and folders for --iso, --output and inspect' '
	mkdir -p files/sub files/more &&
	: >files/a.iso && : >files/B.ISO && : >files/notes.txt &&
	printf "%s\n" files/a.iso files/B.ISO files/more files/sub >iso.expected &&
	expect win7gen2 build --iso files/ <iso.expected &&
	expect win7gen2 build --output files/ <iso.expected &&
	expect win7gen2 inspect files/ <iso.expected &&
	expect win7gen2 build --iso = files/ <iso.expected
'

test_expect_success 'files: any for --unattend, --payload, --agent, --integration-services, --vm-script, --password-file; folders for the rest' '
	printf "%s\n" files/a.iso files/B.ISO files/more files/notes.txt files/sub >all &&
	expect win7gen2 build --password-file files/ <all &&
	expect win7gen2 build --unattend files/ <all &&
	expect win7gen2 build --integration-services files/ <all &&
	expect win7gen2 build --vm-script files/ <all &&
	expect win7gen2 fix --integration-services files/ <all &&
	expect win7gen2 build --payload files/ <all &&
	expect win7gen2 fix --payload files/ <all &&
	expect win7gen2 build --agent files/ <all &&
	printf "%s\n" files/more files/sub >dirs &&
	expect win7gen2 build --drivers files/ <dirs &&
	expect win7gen2 fix --windows files/ <dirs &&
	expect win7gen2 fix --esp files/ <dirs
'

test_expect_success 'files: updates (.msu, .cab in any case) and folders for --package' '
	: >files/u.msu && : >files/P.CAB &&
	printf "%s\n" files/P.CAB files/more files/sub files/u.msu >updates &&
	expect win7gen2 build --package files/ <updates &&
	expect win7gen2 fix --package files/ <updates
'

test_expect_success 'values nobody can guess: nothing' '
	expect win7gen2 build --user "" </dev/null &&
	expect win7gen2 build --menu-timeout "" </dev/null &&
	expect win7gen2 fix --esp-partition "" </dev/null &&
	expect win7gen2 fix --boot-wait "" </dev/null
'

test_expect_success '--edition without --iso, or with a missing ISO: nothing' '
	expect win7gen2 build --edition "" </dev/null &&
	expect win7gen2 build --iso nowhere.iso --edition "" </dev/null
'

if test -x "$WIN7GEN2" && test -f "$FAKE_BOOTMGR" && command -v xorriso >/dev/null 2>&1; then
	test_expect_success 'setup: a sample ISO with two editions, in French and German' '
		sample "$TRASH/sample.iso" --language fr-FR,de-DE &&
		"$WIN7GEN2" inspect --json "$TRASH/sample.iso" >json || test -s json
	'

	# A PATH without jq: links to everything else the builder may run.
	test_expect_success 'setup: a PATH without jq' '
		mkdir nojq &&
		for tool in /usr/bin/* /usr/sbin/* /sbin/*; do
			name=${tool##*/}
			test "$name" = jq || test -e "nojq/$name" || ln -s "$tool" "nojq/$name" || return 1
		done &&
		! PATH=$TRASH/nojq command -v jq
	'

	for jq in with without; do
		if test $jq = with; then
			command -v jq >/dev/null 2>&1 || continue
			path=$PATH
		else
			path=$TRASH/nojq
		fi
		test_expect_success "--edition: the names in the ISO, $jq jq" '
			printf "%s\n" "Windows\\ 7\\ PROFESSIONAL" "Windows\\ 7\\ ULTIMATE" >names &&
			PATH=$path expect win7gen2 build --iso sample.iso --edition "" <names &&
			PATH=$path expect win7gen2 build --output o.iso --iso "$TRASH/sample.iso" --edition "" <names &&
			echo "Windows\\ 7\\ ULTIMATE" |
				PATH=$path expect win7gen2 build --iso sample.iso --edition "Windows\\ 7\\ U" &&
			echo "Windows 7 ULTIMATE" |
				PATH=$path expect win7gen2 build --iso sample.iso --edition "\"Windows 7 U" &&
			echo "Windows 7 PROFESSIONAL" |
				PATH=$path expect win7gen2 build --iso sample.iso --edition "'"'"'Windows 7 P" &&
			PATH=$path expect win7gen2 build --iso = sample.iso --edition "" <names &&
			PATH=$path expect win7gen2 build --iso sample.iso --edition Vista </dev/null
		'
		test_expect_success "--ui-language: the editions' languages, $jq jq" '
			printf "%s\n" de-DE fr-FR |
				PATH=$path expect win7gen2 build --iso sample.iso --ui-language "" &&
			echo fr-FR | PATH=$path expect win7gen2 build --iso sample.iso --ui-language f &&
			PATH=$path expect win7gen2 build --ui-language "" </dev/null
		'
	done
elif must_not_skip; then
	test_expect_success 'win7gen2, the EFI programs and xorriso are there, for a sample ISO' 'false'
fi

test_done
