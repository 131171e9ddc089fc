# lib-agent-convert.sh - what the win7gen2pe --convert tests share
#
# t0450 (checks and plan), t0455 (the run that writes) and t0456 (--undo)
# run the test build of the agent (tests/agent/win7gen2pe-test.exe): the
# shipped program with its disk layer replaced by fake-convertdisk.c,
# which works on an image file (wine opens no \\.\PhysicalDriveN), says
# which drive letter each partition has from letters.txt beside the
# agent, and logs what would change Windows' view of the disk to
# convertdisk.log there.  The disks are made as tests/convert/lib-convert.sh
# makes Gen1 disks.

. "$top_srcdir/tests/convert/lib-convert.sh"
. "$top_srcdir/tests/agent/lib-agent.sh"
TEST_AGENT=$top_builddir/tests/agent/win7gen2pe-test.exe
test -f "$TEST_AGENT" || skip_all "tests/agent/win7gen2pe-test.exe not built (make check builds it)"
require_convert
require_wine
require_mingw

AGENT_DIR=$WINEPREFIX/drive_c/win7gen2
HOST_AGENT='C:\win7gen2\win7gen2pe.exe'

# agent_convert IMAGE ARGS...: win7gen2pe --convert on the image, as a
# person on a Hyper-V host runs it; stdout in out, stderr in err.
agent_convert() {
	image=$1
	shift
	"$WINE" "$HOST_AGENT" --convert "$(winpath "$PWD/$image")" "$@" >out 2>err.raw
	status=$?
	wine_stderr err.raw | tr -d '\r' >err
	tr -d '\r' <out >out.lf && mv out.lf out
	return $status
}

# convert IMAGE ARGS...: agent_convert; a test may redefine it.
convert() {
	agent_convert "$@"
}

# gen1_on_drives: wine started, the test agent in C:\win7gen2, a Gen1
# disk gen1.img made from the trees wintree (Windows 7 SP1) and
# sysres-tree, and those trees as drives W: and S:.
gen1_on_drives() {
	start_wine &&
	mkdir -p "$AGENT_DIR" &&
	cp "$TEST_AGENT" "$AGENT_DIR/win7gen2pe.exe" &&
	make_windows_tree wintree &&
	fake_kernel wintree/Windows/System32/ntoskrnl.exe 6 1 &&
	make_gen1_disk gen1.img &&
	ln -s "$PWD/sysres-tree" "$WINEPREFIX/dosdevices/s:" &&
	ln -s "$PWD/wintree" "$WINEPREFIX/dosdevices/w:"
}

# letters LINE...: which drive each partition's volume is, a
# "FIRST-SECTOR LETTER" line each (fake-convertdisk.c).
letters() {
	printf '%s\n' "$@" >"$AGENT_DIR/letters.txt"
}

# disk_log: what the runs since the log was removed did to Windows' view
# of the disk, in order.
disk_log() {
	tr -d '\r' <"$AGENT_DIR/convertdisk.log"
}
