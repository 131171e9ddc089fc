#!/bin/sh
# Too little free space beside OUT is found before any work: a clear
# refusal, nothing written.  Needs a small file system: a tmpfs, which
# only root can mount (CI runs as root).

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

# A tmpfs mount is what needs root; without one the tests say so.
test_lazy_prereq TMPFS '
	test "$(id -u)" = 0 && mkdir probe &&
	mount -t tmpfs -o size=1m win7gen2-test probe && umount probe && rmdir probe
'

# small_fs NAME SIZE: a tmpfs of SIZE at NAME, unmounted when the test ends.
small_fs() {
	mkdir "$1" && mount -t tmpfs -o size="$2" win7gen2-test "$1" &&
	test_when_finished "umount \"$TRASH/$1\""
}

test_expect_success TMPFS 'too little space: refused before any work, nothing left' '
	small_fs small 1m && sample sample.iso &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output small/new.iso --edition 1 \
		>stdout 2>stderr &&
	grep -E "too little free space in small: [0-9]+ MiB free, about [0-9]+ MiB needed" stderr &&
	! grep "copying\|changing\|writing" stderr &&
	no_leftovers small
'

test_expect_success TMPFS 'enough space on the same kind of file system: built' '
	small_fs roomy 80m &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output roomy/new.iso --edition 1 \
		--password p >/dev/null &&
	test -s roomy/new.iso &&
	no_leftovers roomy new.iso
'

test_done
