#!/bin/sh
# win7gen2 build end to end on the synthetic Windows 7 ISO; OUT checked
# with xorriso, isoinfo, wimlib-imagex, mtools and xmllint, never with the
# builder's own code.

. "$top_srcdir/tests/builder/lib-builder.sh"
require_builder

test_expect_success 'setup: build from the sample, edition by name' '
	sample sample.iso &&
	mkdir out &&
	"$WIN7GEN2" build --iso sample.iso --output out/new.iso --edition "windows 7 ultimate" \
		--user Alice --computer-name W7-TEST --locale de-DE \
		--timezone "W. Europe Standard Time" >report 2>progress &&
	test -s out/new.iso
'

test_expect_success 'OUT alone is left beside it: no temporary files' '
	no_leftovers out new.iso
'

test_expect_success 'El Torito: BIOS entry kept, UEFI entry loads the whole new image' '
	eltorito out/new.iso >entries &&
	grep -x "1 BIOS 8 /boot/etfsboot.com" entries &&
	iso_get out/new.iso /efi/microsoft/boot/efisys.bin efisys.bin &&
	sectors=$(( $(stat -c %s efisys.bin) / 512 )) &&
	grep -x "2 UEFI $sectors /efi/microsoft/boot/efisys.bin" entries
'

test_expect_success 'volume label and Joliet kept; no Rock Ridge added' '
	isoinfo -d -i out/new.iso >pvd &&
	grep -x "Volume id: GRMCPRXFRER_EN_DVD" pvd &&
	grep "Joliet with UCS level" pvd &&
	! grep "Rock Ridge signatures" pvd
'

test_expect_success 'the ISO 9660 primary tree has the same full names as the source' '
	primary_names sample.iso >names.in &&
	primary_names out/new.iso >names.out &&
	test_cmp names.in names.out &&
	grep -x "/EFI/MICROSOFT/BOOT/BCD" names.out
'

test_expect_success 'files other than boot.wim and efisys.bin stream through unchanged' '
	for f in /sources/install.wim /bootmgr /boot/etfsboot.com /efi/microsoft/boot/bcd \
		 /sources/setup.exe /sources/ei.cfg; do
		rm -f a b &&
		iso_get sample.iso $f a && iso_get out/new.iso $f b && cmp a b || return 1
	done
'

test_expect_success 'EFI image: payload as BOOTX64.EFI, the original loader beside it' '
	MTOOLS_SKIP_CHECK=1 mcopy -n -i efisys.bin ::/EFI/BOOT/BOOTX64.EFI bootx64.efi &&
	cmp bootx64.efi "$PAYLOAD" &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i efisys.bin ::/EFI/BOOT/BOOTX64.original.efi original.efi &&
	cmp original.efi "$FAKE_BOOTMGR" &&
	grep "Windows Boot Manager from boot.wim" report
'

test_expect_success 'EFI image: win7gen2.cfg for ISO mode, no prompt answering' '
	MTOOLS_SKIP_CHECK=1 mcopy -n -i efisys.bin ::/EFI/BOOT/win7gen2.cfg cfg &&
	tr -d "\r" <cfg | grep -v "^#" >cfg.lines &&
	printf "%s\n" "menu = on" "menu_timeout = 10" "menu_default = install" >expected &&
	test_cmp expected cfg.lines
'

test_expect_success 'by default Install wipes no disk unasked, and the report says so' '
	! grep -i wipe cfg &&
	grep -x "Disks: Install starts by itself only when every disk is blank; otherwise the menu waits (use --wipe-unattended to wipe disk 0 unasked)." report
'

test_expect_success '--wipe-unattended: wipe_unattended = on in win7gen2.cfg, said in the report' '
	"$WIN7GEN2" build --iso sample.iso --output wipe.iso --edition 1 --password p \
		--menu-timeout 7 --wipe-unattended >wipe.report 2>/dev/null &&
	iso_get wipe.iso /efi/microsoft/boot/efisys.bin wipe.bin &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i wipe.bin ::/EFI/BOOT/win7gen2.cfg wipe.cfg &&
	tr -d "\r" <wipe.cfg | grep -v "^#" >wipe.lines &&
	printf "%s\n" "menu = on" "menu_timeout = 7" "menu_default = install" \
		"wipe_unattended = on" >expected &&
	test_cmp expected wipe.lines &&
	grep -x "Disks: Install starts by itself after 7 s and wipes disk 0, whatever it holds (--wipe-unattended)." wipe.report &&
	! grep "only when every disk is blank" wipe.report
'

test_expect_success 'boot.wim: answer file, payload, winpeshl.ini and driver packages in Setup' '
	iso_get out/new.iso /sources/boot.wim boot.wim &&
	wimlib-imagex info boot.wim >info &&
	grep -x "Boot Index:     2" info &&
	wimlib-imagex dir boot.wim 2 >files &&
	grep -x "/win7gen2/autounattend.xml" files &&
	grep -x "/win7gen2/win7gen2.efi" files &&
	grep -ix "/win7gen2/drivers/wvmbus.inf_amd64_neutral_[0-9a-f]*/vmbus.sys" files &&
	grep -ix "/win7gen2/drivers/wstorvsc.inf_amd64_neutral_[0-9a-f]*/storvsc.sys" files &&
	grep -x "/Windows/System32/winpeshl.ini" files &&
	wim_get boot.wim 2 /win7gen2/win7gen2.efi . && cmp win7gen2.efi "$PAYLOAD" &&
	wim_get boot.wim 2 /win7gen2/win7gen2pe.exe . && cmp win7gen2pe.exe "$AGENT" &&
	wimlib-imagex dir boot.wim 1 >pe.files &&
	! grep -i win7gen2 pe.files
'

test_expect_success 'winpeshl.ini starts the agent' '
	wim_get boot.wim 2 /Windows/System32/winpeshl.ini . &&
	tr -d "\r" <winpeshl.ini | grep -v "^;" >lines &&
	printf "%s\n" "[LaunchApps]" "X:\\win7gen2\\win7gen2pe.exe" >expected &&
	test_cmp expected lines
'

# ans XPATH: a value from the answer file (namespaces ignored).
ans() {
	xmllint --xpath "string($1)" autounattend.xml
}

# account_password FILE: the LocalAccount password of an answer file,
# decoded by the rule Windows System Image Manager writes it by (Base64
# of UTF-16LE, the element name "Password" appended), with coreutils and
# iconv; "not-encoded" when PlainText is not false or the suffix lacks.
account_password() {
	local_account="//*[local-name()=\"LocalAccount\"]/*[local-name()=\"Password\"]"
	test "$(xmllint --xpath "string($local_account/*[local-name()=\"PlainText\"])" "$1")" = false ||
		{ echo not-encoded; return; }
	xmllint --xpath "string($local_account/*[local-name()=\"Value\"])" "$1" | base64 -d |
		iconv -f UTF-16LE -t UTF-8 >decoded.password &&
	case "$(cat decoded.password)" in
	*Password) sed "s/Password\$//" decoded.password ;;
	*) echo not-encoded ;;
	esac
}

test_expect_success 'the answer file is well-formed and installs the chosen edition' '
	wim_get boot.wim 2 /win7gen2/autounattend.xml . &&
	xmllint --noout autounattend.xml &&
	test "$(ans "//*[local-name()=\"MetaData\"]/*[local-name()=\"Key\"]")" = /IMAGE/INDEX &&
	index=$(ans "//*[local-name()=\"MetaData\"]/*[local-name()=\"Value\"]") &&
	test "$index" = 2 &&
	iso_get sample.iso /sources/install.wim install.wim &&
	wimlib-imagex info install.wim "$index" | grep -x "Name:                   Windows 7 ULTIMATE"
'

test_expect_success 'the answer file: GPT disk 0 wiped into EFI 100 MB, MSR 128 MB, Windows' '
	test "$(ans "//*[local-name()=\"Disk\"]/*[local-name()=\"DiskID\"]")" = 0 &&
	test "$(ans "//*[local-name()=\"WillWipeDisk\"]")" = true &&
	xmllint --xpath "//*[local-name()=\"CreatePartition\"]/*[local-name()=\"Type\"]/text()" \
		autounattend.xml | tr "\n" " " >types &&
	test "$(cat types)" = "EFI MSR Primary " &&
	test "$(ans "//*[local-name()=\"CreatePartition\"][1]/*[local-name()=\"Size\"]")" = 100 &&
	test "$(ans "//*[local-name()=\"CreatePartition\"][2]/*[local-name()=\"Size\"]")" = 128 &&
	test "$(ans "//*[local-name()=\"InstallTo\"]/*[local-name()=\"PartitionID\"]")" = 3
'

test_expect_success 'the answer file: user values, EULA, OOBE skipped, Remote Desktop on' '
	test "$(ans "//*[local-name()=\"LocalAccount\"]/*[local-name()=\"Name\"]")" = Alice &&
	test "$(ans "//*[local-name()=\"ComputerName\"]")" = W7-TEST &&
	test "$(ans "//*[local-name()=\"TimeZone\"]")" = "W. Europe Standard Time" &&
	test "$(ans "(//*[local-name()=\"UserLocale\"])[1]")" = de-DE &&
	test "$(ans "(//*[local-name()=\"InputLocale\"])[2]")" = de-DE &&
	# --locale is formats and keyboard: English media keep English UI.
	test "$(ans "//*[local-name()=\"SetupUILanguage\"]/*[local-name()=\"UILanguage\"]")" = en-US &&
	test "$(ans "(//*[local-name()=\"UILanguage\"])[3]")" = en-US &&
	test "$(ans "//*[local-name()=\"AcceptEula\"]")" = true &&
	test "$(ans "//*[local-name()=\"SkipMachineOOBE\"]")" = true &&
	test "$(ans "//*[local-name()=\"fDenyTSConnections\"]")" = false &&
	test "$(ans "//*[local-name()=\"FirewallGroup\"]/*[local-name()=\"Active\"]")" = true &&
	! grep -i "<ProductKey>" autounattend.xml
'

test_expect_success 'the answer file names the staged drivers for windowsPE and offlineServicing' '
	test "$(ans "//*[@pass=\"windowsPE\"]//*[local-name()=\"DriverPaths\"]//*[local-name()=\"Path\"]")" = "X:\\win7gen2\\drivers" &&
	test "$(ans "//*[@pass=\"offlineServicing\"]/*[@name=\"Microsoft-Windows-PnpCustomizationsNonWinPE\"]//*[local-name()=\"Path\"]")" = "X:\\win7gen2\\drivers"
'

test_expect_success 'a generated password: printed once, strong, the one in the answer file' '
	password=$(sed -n "s/^Password for Alice (generated, shown only now): //p" report) &&
	test ${#password} -ge 16 &&
	echo "$password" | grep "[A-Z]" | grep "[a-z]" | grep "[0-9]" &&
	test "$(account_password autounattend.xml)" = "$password" &&
	test $(grep -c -F -e "$password" report) -eq 1
'

test_expect_success 'no password is readable as text in the answer file in boot.wim' '
	password=$(sed -n "s/^Password for Alice (generated, shown only now): //p" report) &&
	test -n "$password" &&
	! grep -F -e "$password" autounattend.xml &&
	! grep -i "<PlainText>true" autounattend.xml &&
	test $(grep -c "<PlainText>false</PlainText>" autounattend.xml) -eq 1
'

test_expect_success '--password-file FILE: the first line, never as text in OUT' '
	printf "%s\r\n%s\n" "Fil3-pässword" "second line" >pw.txt &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output pwfile.iso --edition 1 \
		--password-file pw.txt >pwfile.report &&
	iso_get pwfile.iso /sources/boot.wim pwfile.wim &&
	mkdir pwfile && wim_get pwfile.wim 2 /win7gen2/autounattend.xml pwfile &&
	test "$(account_password pwfile/autounattend.xml)" = "Fil3-pässword" &&
	! grep -F "Fil3" pwfile/autounattend.xml &&
	! grep "second line\|Password for" pwfile.report
'

test_expect_success '--password-file -: the password from standard input' '
	echo "st4ndard-input" |
		"$WIN7GEN2" build --quiet --iso sample.iso --output pwstdin.iso --edition 1 \
			--password-file - >/dev/null &&
	iso_get pwstdin.iso /sources/boot.wim pwstdin.wim &&
	mkdir pwstdin && wim_get pwstdin.wim 2 /win7gen2/autounattend.xml pwstdin &&
	test "$(account_password pwstdin/autounattend.xml)" = st4ndard-input
'

test_expect_success '--password-file: refused when empty, missing, or with --password' '
	printf "\nsecond\n" >empty.txt &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output e.iso --edition 1 \
		--password-file empty.txt 2>err &&
	grep -x "win7gen2 build: --password-file: the first line of empty.txt is empty; put the password on it, or leave out --password-file to have one made up" err &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output e.iso --edition 1 \
		--password-file - </dev/null 2>err &&
	grep "the first line of standard input is empty" err &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output e.iso --edition 1 \
		--password-file missing.txt 2>err &&
	grep -x "win7gen2 build: --password-file missing.txt: No such file or directory" err &&
	test_expect_code 2 "$WIN7GEN2" build --iso sample.iso --output e.iso --edition 1 \
		--password-file pw.txt --password p 2>err &&
	grep -x "win7gen2 build: --password and --password-file both give the password; give one of them; see .win7gen2 build --help." err &&
	printf "\377\n" >latin1.txt &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output e.iso --edition 1 \
		--password-file latin1.txt 2>err &&
	grep -x "win7gen2 build: --password-file latin1.txt: the password on its first line: it is not UTF-8 text" err &&
	test ! -e e.iso
'

test_expect_success 'the report: what changed and the Hyper-V commands (builder/vmscript.c)' '
	grep "^win7gen2: wrote out/new.iso" report &&
	grep -x "  \$vm = New-VM -Name .W7-TEST. -Generation 2 -MemoryStartupBytes 2GB -NewVHDPath .W7-TEST.vhdx. -NewVHDSizeBytes 64GB" report &&
	grep -x "  Set-VMProcessor -VM \$vm -Count 1" report &&
	grep -x "  Set-VMComPort -VM \$vm -Number 1 -Path .\\\\\\\\\\.\\\\pipe\\\\W7-TEST-com1." report &&
	grep -x "  \$dvd = Add-VMDvdDrive -VM \$vm -Path .C:\\\\ISO\\\\new.iso. -Passthru" report &&
	grep -x "  Set-VMFirmware -VM \$vm -EnableSecureBoot Off -FirstBootDevice \$dvd" report &&
	grep -x "  Start-VM -VM \$vm" report &&
	grep "from install.wim" report
'

test_expect_success '--vm-script FILE: the same commands as a script, whole, nothing else beside it' '
	mkdir vm &&
	"$WIN7GEN2" build --iso sample.iso --output vm/vm.iso --edition 1 --password p \
		--computer-name "VM-1" --vm-script vm/New-Win7Gen2VM.ps1 >vm.report &&
	(cd vm && ls -A) >files && printf "%s\n" New-Win7Gen2VM.ps1 vm.iso >expect &&
	test_cmp expect files &&
	head -c 3 vm/New-Win7Gen2VM.ps1 | od -An -tx1 | grep -x " ef bb bf" &&
	test $(grep -c -v "$(printf "\r")\$" vm/New-Win7Gen2VM.ps1) -eq 0 &&
	tr -d "\r" <vm/New-Win7Gen2VM.ps1 >script &&
	grep -x "    \[string\]\$Name = .VM-1.," script &&
	grep -x "    \[string\]\$IsoPath = .C:\\\\ISO\\\\vm.iso.," script &&
	grep -x "Set-VMProcessor -VM \$vm -Count 1" script &&
	grep -x "Set-VMComPort -VM \$vm -Number 1 -Path \$PipePath" script &&
	grep "^  Set-VMProcessor\|^  Set-VMFirmware\|^  Start-VM" vm.report |
		sed "s/^  //" >printed &&
	test $(wc -l <printed) -eq 3 &&
	grep -x -F -f printed script >both && test_cmp printed both &&
	grep -x "The same as a script that also shows COM1: vm/New-Win7Gen2VM.ps1; on the host" vm.report
'

test_expect_success '--vm-script: an existing script is kept without --force, and so is OUT' '
	echo mine >vm/mine.ps1 &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output vm/two.iso --edition 1 \
		--password p --vm-script vm/mine.ps1 2>err &&
	grep -x "win7gen2 build: vm/mine.ps1 exists; give --force to replace it" err &&
	echo mine >expect && test_cmp expect vm/mine.ps1 && test ! -e vm/two.iso &&
	test_expect_code 1 "$WIN7GEN2" build --iso sample.iso --output vm/two.iso --edition 1 \
		--password p --vm-script vm/two.iso 2>err &&
	grep "is OUT as well" err && test ! -e vm/two.iso
'

test_expect_success 'progress names each step; --quiet prints none of it' '
	grep "^win7gen2: reading sample.iso" progress &&
	grep "^win7gen2: boot.wim.s Setup image lacks the Gen2 drivers: copying install.wim" progress &&
	grep "^win7gen2: writing the new ISO" progress &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output quiet.iso --edition 1 \
		>quiet.report 2>quiet.progress &&
	test ! -s quiet.progress &&
	grep "^win7gen2: wrote quiet.iso" quiet.report
'

test_expect_success 'user values are XML-escaped' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output esc.iso --edition 1 \
		--password "<&>\"'"'"'pw" --timezone "A & B <zone>" >/dev/null &&
	iso_get esc.iso /sources/boot.wim esc.wim &&
	mkdir esc && wim_get esc.wim 2 /win7gen2/autounattend.xml esc &&
	xmllint --noout esc/autounattend.xml &&
	test "$(account_password esc/autounattend.xml)" = "<&>\"'"'"'pw" &&
	test "$(xmllint --xpath "string(//*[local-name()=\"TimeZone\"])" esc/autounattend.xml)" = "A & B <zone>"
'

test_expect_success 'a product key goes into UserData' '
	"$WIN7GEN2" build --quiet --iso sample.iso --output key.iso --edition 2 --password p \
		--product-key ABCDE-12345-FGHIJ-67890-KLMNO >/dev/null &&
	iso_get key.iso /sources/boot.wim key.wim &&
	mkdir key && wim_get key.wim 2 /win7gen2/autounattend.xml key &&
	test "$(xmllint --xpath "string(//*[local-name()=\"ProductKey\"]/*[local-name()=\"Key\"])" key/autounattend.xml)" = ABCDE-12345-FGHIJ-67890-KLMNO
'

test_expect_success 'drivers already in boot.wim: none copied, no DriverPaths' '
	sample boot.iso --drivers boot &&
	"$WIN7GEN2" build --iso boot.iso --output boot-out.iso --edition 1 --password p \
		>boot.report 2>boot.progress &&
	! grep "copying install.wim" boot.progress &&
	iso_get boot-out.iso /sources/boot.wim b.wim &&
	wimlib-imagex dir b.wim 2 >b.files &&
	! grep -i "^/win7gen2/drivers" b.files &&
	mkdir bw && wim_get b.wim 2 /win7gen2/autounattend.xml bw &&
	! grep DriverPaths bw/autounattend.xml
'

test_expect_success '--drivers DIR: the user packages staged and named' '
	mkdir -p mydrivers/netvsc && printf "[Version]\r\n" >mydrivers/netvsc/wnetvsc.inf &&
	echo sys >mydrivers/netvsc/netvsc60.sys &&
	"$WIN7GEN2" build --quiet --iso boot.iso --output user.iso --edition 1 --password p \
		--drivers mydrivers >user.report &&
	iso_get user.iso /sources/boot.wim u.wim &&
	wimlib-imagex dir u.wim 2 | grep -x "/win7gen2/drivers/user/netvsc/wnetvsc.inf" &&
	mkdir u && wim_get u.wim 2 /win7gen2/autounattend.xml u &&
	test "$(xmllint --xpath "string(//*[@pass=\"windowsPE\"]//*[local-name()=\"Path\"])" u/autounattend.xml)" = "X:\\win7gen2\\drivers"
'

test_expect_success '--unattend FILE: the user answer file is used as it is' '
	printf "<?xml version=\"1.0\"?>\n<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"><!-- mine --></unattend>\n" >mine.xml &&
	"$WIN7GEN2" build --quiet --iso sample.iso --output mine.iso --unattend mine.xml >/dev/null &&
	iso_get mine.iso /sources/boot.wim m.wim &&
	mkdir m && wim_get m.wim 2 /win7gen2/autounattend.xml m &&
	cmp mine.xml m/autounattend.xml
'

test_expect_success 'no plain boot manager, a no-prompt CD loader: that one is chained' '
	sample np.iso --no-bootmgfw --noprompt-loader &&
	"$WIN7GEN2" build --quiet --iso np.iso --output np-out.iso --edition 1 --password p >np.report &&
	grep "no-prompt CD loader (efi/microsoft/boot/cdboot_noprompt.efi)" np.report &&
	iso_get np-out.iso /efi/microsoft/boot/efisys.bin np.bin &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i np.bin ::/EFI/BOOT/win7gen2.cfg np.cfg &&
	! grep answer_prompt np.cfg
'

test_expect_success 'only the CD loader with its prompt: chained, and answer_prompt = on' '
	sample prompt.iso --no-bootmgfw &&
	"$WIN7GEN2" build --quiet --iso prompt.iso --output prompt-out.iso --edition 1 \
		--password p --menu-timeout 3 >prompt.report &&
	grep "the CD loader of the UEFI boot image" prompt.report &&
	iso_get prompt-out.iso /efi/microsoft/boot/efisys.bin p.bin &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i p.bin ::/EFI/BOOT/win7gen2.cfg p.cfg &&
	tr -d "\r" <p.cfg | grep -x "answer_prompt = on" &&
	tr -d "\r" <p.cfg | grep -x "menu_timeout = 3" &&
	MTOOLS_SKIP_CHECK=1 mcopy -n -i p.bin ::/EFI/BOOT/BOOTX64.original.efi p.efi &&
	cmp p.efi "$FAKE_BOOTMGR"
'

test_expect_success 'unchanged files keep their sectors: OUT is IN with the changes appended' '
	for f in /sources/install.wim /bootmgr /boot/etfsboot.com; do
		xorriso -indev sample.iso -find $f -exec report_lba -- 2>/dev/null |
			grep "^File data lba:" >lba.in &&
		xorriso -indev out/new.iso -find $f -exec report_lba -- 2>/dev/null |
			grep "^File data lba:" >lba.out &&
		test_cmp lba.in lba.out || return 1
	done &&
	test $(stat -c %s out/new.iso) -gt $(stat -c %s sample.iso) &&
	cmp -n $(( 16 * 2048 )) sample.iso out/new.iso
'

test_expect_success '--force replaces an existing OUT' '
	echo old >exists.iso &&
	"$WIN7GEN2" build --quiet --force --iso sample.iso --output exists.iso --edition 1 \
		--password p >/dev/null &&
	isoinfo -d -i exists.iso | grep -x "Volume id: GRMCPRXFRER_EN_DVD"
'

test_done
