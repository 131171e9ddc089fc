#!/bin/sh
# embed-text.sh NAME FILE: a C file defining `const char NAME[]` with the
# text of FILE, so the builder carries its templates (overlay/) inside
# itself and needs no data directory at run time.
# SPDX-License-Identifier: MIT
set -eu
name=$1
file=$2
printf '/* Generated from %s by builder/embed-text.sh: do not edit. */\n' "${file##*/}"
printf '#include "embedded.h"\n\n'
printf 'const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$file"
printf ';\n'
