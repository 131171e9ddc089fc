#!/bin/sh
# What `win7gen2 build` makes of each layout Windows media come in boots
# in UEFI firmware as a DVD, to the boot manager: Microsoft's own layout
# (UDF only, boot images without a name), a UDF bridge, and Windows
# Server 2008 R2 media.  (Plain ISO 9660 + Joliet: t0180.)  Each is
# built with update packages, which go on the DVD itself beside UDF's and
# ISO 9660's other files: they must not cost the boot.

. "$top_srcdir/tests/firmware/lib-firmware.sh"
require_firmware
WIN7GEN2=$top_builddir/builder/win7gen2
test -x "$WIN7GEN2" || skip_all "the win7gen2 command is not built (see configure's summary)"
PATH=$PATH:/usr/sbin:/sbin

MAKE_PKG=$top_srcdir/tests/builder/make-package

test_expect_success 'setup: a servicing stack .msu and an update .cab' '
	"$MAKE_PKG" cab KB4490628 amd64 6.1.7601.17514 ssu.cab ssu &&
	"$MAKE_PKG" msu ssu.cab ssu.msu KB4490628 &&
	"$MAKE_PKG" cab KB4474419 amd64 6.1.7601.17514 Windows6.1-KB4474419-v3-x64.cab
'

for media in microsoft bridge server; do
	case $media in
	server) options="--layout microsoft --server" ;;
	*) options="--layout $media" ;;
	esac
	test_expect_success "setup: $media media through win7gen2 build" "
		\"\$top_srcdir/tests/sample/make-sample-iso\" $options \"\$FAKE_BOOTMGR\" $media.iso &&
		\"\$WIN7GEN2\" build --quiet --iso $media.iso --output $media-gen2.iso --edition 1 \
			--menu-timeout 1 --password p --payload \"\$PAYLOAD\" \
			--package ssu.msu --package Windows6.1-KB4474419-v3-x64.cab >$media.report &&
		grep -i \"KB4490628\" $media.report
	"
	test_expect_success "$media: the DVD boots the payload, then the boot manager in install mode" "
		boot_esp $media-gen2.iso $media.log &&
		grep '^win7gen2 [0-9.]* - Windows 7 on Hyper-V Generation 2' $media.log &&
		grep -x 'W7G2T bootmgr: started' $media.log &&
		grep -x 'W7G2T bootmgr: mode variable \"install\" attributes=0x6' $media.log
	"
done

test_done
