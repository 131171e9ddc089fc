#!/bin/sh
# Too little free space beside OUT is found before any work: a clear
# refusal, nothing written.  Needs a small file system: a tmpfs, which
# only root can mount (CI runs as root).

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder
test "$(id -u)" = 0 || skip_all "mounting a small tmpfs needs root"
mkdir small roomy &&
mount -t tmpfs -o size=1m win7gen2-test small &&
mount -t tmpfs -o size=80m win7gen2-test roomy ||
	skip_all "cannot mount a tmpfs here"
trap 'umount "$TRASH/small" "$TRASH/roomy" 2>/dev/null' EXIT

test_expect_success 'too little space: refused before any work, nothing left' '
	sample sample.iso &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output small/new.iso --edition 1 \
		>stdout 2>stderr &&
	grep -E "too little free space in small: [0-9]+ MiB free, about [0-9]+ MiB needed" stderr &&
	! grep "copying\|changing\|writing" stderr &&
	no_leftovers small
'

test_expect_success 'enough space on the same kind of file system: built' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output roomy/new.iso --edition 1 \
		--password p >/dev/null &&
	test -s roomy/new.iso &&
	no_leftovers roomy new.iso
'

test_expect_success 'cleanup: unmount' '
	umount small roomy
'

test_done
