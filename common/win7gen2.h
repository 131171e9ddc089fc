/*
 * win7gen2.h - names every part of win7gen2 must agree on
 *
 * The payload, the host command and the WinPE agent meet on disk and in
 * firmware variables; these are the names they meet by.  Plain macros,
 * usable from UEFI, Linux and Windows code alike.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_NAMES_H
#define WIN7GEN2_NAMES_H

/*
 * win7gen2.efi carries this ASCII string followed by its version, so a
 * tool can tell our payload from a Microsoft loader without running it.
 */
#define WIN7GEN2_PAYLOAD_MARKER "win7gen2-payload-marker:"

/* win7gen2pe.exe, the WinPE agent, carries this ASCII string so the
 * builder can tell it from any other program before staging it. */
#define WIN7GEN2_AGENT_MARKER "win7gen2-agent-marker:"

/*
 * The ESP layout every part wraps and starts (BRIEF.md sections 3 and 5).
 * Windows' boot entry starts \EFI\Microsoft\Boot\bootmgfw.efi; firmware
 * without a boot entry starts the removable-media path \EFI\Boot\bootx64.efi.
 * Each becomes win7gen2.efi, and the loader found there is kept beside it:
 *   <stem>.efi -> <stem>.original.efi
 * When an update has replaced the payload with a newer loader, the
 * previous original is kept once more:
 *   <stem>.original.efi -> <stem>.original.old.efi
 * Folders start and end with '\' (UEFI style); the host side drops the
 * leading one.  What to do with what is found is common/wrap_rule.h.
 */
#define WIN7GEN2_BOOTMGFW_DIR "\\EFI\\Microsoft\\Boot\\"
#define WIN7GEN2_BOOTMGFW_STEM "bootmgfw"
#define WIN7GEN2_FALLBACK_DIR "\\EFI\\Boot\\"
#define WIN7GEN2_FALLBACK_STEM "bootx64"
#define WIN7GEN2_LOADER_SUFFIX ".efi"
#define WIN7GEN2_ORIGINAL_SUFFIX ".original.efi"
#define WIN7GEN2_OLD_ORIGINAL_SUFFIX ".original.old.efi"

#define WIN7GEN2_BOOTMGFW_PATH \
	WIN7GEN2_BOOTMGFW_DIR WIN7GEN2_BOOTMGFW_STEM WIN7GEN2_LOADER_SUFFIX
#define WIN7GEN2_BOOTMGFW_ORIGINAL_PATH \
	WIN7GEN2_BOOTMGFW_DIR WIN7GEN2_BOOTMGFW_STEM WIN7GEN2_ORIGINAL_SUFFIX
#define WIN7GEN2_FALLBACK_PATH \
	WIN7GEN2_FALLBACK_DIR WIN7GEN2_FALLBACK_STEM WIN7GEN2_LOADER_SUFFIX
#define WIN7GEN2_FALLBACK_ORIGINAL_PATH \
	WIN7GEN2_FALLBACK_DIR WIN7GEN2_FALLBACK_STEM WIN7GEN2_ORIGINAL_SUFFIX

/*
 * An update that brings a new boot manager writes it over
 * \EFI\Microsoft\Boot\bootmgfw.efi, and Windows' boot entry then starts
 * it without us.  So the payload also keeps a copy of itself here, in a
 * folder no Windows update writes, with a boot entry (Boot####) of its
 * own first in BootOrder: started from there, it puts the wrap back
 * (common/wrap_rule.h) and starts Windows' boot manager.  The entry's
 * description names win7gen2, so a person can tell it in a firmware
 * menu or Hyper-V's Get-VMFirmware.
 */
#define WIN7GEN2_OWN_DIR "\\EFI\\win7gen2\\"
#define WIN7GEN2_OWN_PATH WIN7GEN2_OWN_DIR "win7gen2.efi"
#define WIN7GEN2_BOOT_OPTION_DESCRIPTION "win7gen2 (Windows Boot Manager)"

/*
 * Every EFI loader win7gen2 handles - the payload itself, and whatever is
 * at a loader path or kept as an original - is read whole into memory:
 * firmware pool in the payload, the heap in the fix engine, the agent
 * and the host command.  Windows boot managers are a few hundred KiB
 * (Windows 7) to a few MiB (later Windows), win7gen2.efi well under
 * 1 MiB: 16 MiB holds any of them several times over while bounding
 * what a stray large file costs.  A larger file is not read; it is left
 * alone and reported.
 */
#define WIN7GEN2_LOADER_MAX_SIZE (16u * 1024 * 1024)

/* The settings file beside the payload. */
#define WIN7GEN2_CONFIG_NAME "win7gen2.cfg"

/*
 * The user's choice on the ISO menu reaches Windows PE in a volatile
 * variable (boot service + runtime access) under this vendor GUID:
 *   name  "Win7Gen2Mode"
 *   value ASCII, no NUL:
 *     "install-confirmed"  unattended install with our answer file, and
 *                          disk 0 may be wiped: a person chose Install
 *                          with a key, or the ISO was built with
 *                          --wipe-unattended (wipe_unattended = on)
 *     "install"            Install came by itself (the menu's timeout):
 *                          Windows PE installs only onto a blank disk 0
 *     "rescue"             repair the installed systems found
 *     "continue"           Windows Setup as on the original media
 *     "convert:SSSSSSSS"   convert the Generation 1 (MBR) disk whose MBR
 *                          disk signature is SSSSSSSS (8 lower-case hex
 *                          digits) to GPT with win7gen2 convert's engine:
 *                          a person chose "Convert a Generation 1 disk"
 *                          and confirmed that disk; never a default, as it
 *                          changes a partition table
 * No variable (an older payload, a BIOS boot) means "install", unconfirmed.
 * Windows reads it with
 * GetFirmwareEnvironmentVariable(L"Win7Gen2Mode", WIN7GEN2_VENDOR_GUID_STRING, ...).
 */
#define WIN7GEN2_VENDOR_GUID_STRING "{7be720a5-3037-4b51-8449-4e8ddab6d584}"
#define WIN7GEN2_VENDOR_GUID_INIT \
	{ 0x7be720a5, 0x3037, 0x4b51, { 0x84, 0x49, 0x4e, 0x8d, 0xda, 0xb6, 0xd5, 0x84 } }
#define WIN7GEN2_MODE_VARIABLE "Win7Gen2Mode"
#define WIN7GEN2_MODE_INSTALL "install"
#define WIN7GEN2_MODE_INSTALL_CONFIRMED "install-confirmed"
#define WIN7GEN2_MODE_RESCUE "rescue"
#define WIN7GEN2_MODE_CONTINUE "continue"
#define WIN7GEN2_MODE_CONVERT "convert"          /* then ':' and the signature */
#define WIN7GEN2_MODE_CONVERT_SIGNATURE_DIGITS 8

/*
 * Whoever repairs an installed system (the WinPE agent, win7gen2 fix)
 * leaves the outcome on the ESP for the payload to show at the next
 * boot.  ASCII text, CRLF or LF:
 *   line 1     "win7gen2 status: ok" or "win7gen2 status: failed"
 *   lines 2..  a short summary a person can act on
 * The full log goes to WIN7GEN2_LOG_PATH beside it.
 */
#define WIN7GEN2_STATUS_PATH WIN7GEN2_OWN_DIR "status.txt"
#define WIN7GEN2_LOG_PATH WIN7GEN2_OWN_DIR "log.txt"
#define WIN7GEN2_STATUS_OK "win7gen2 status: ok"
#define WIN7GEN2_STATUS_FAILED "win7gen2 status: failed"

/*
 * log.txt keeps its newest records only: whoever appends to it (the fix
 * engine, the agent) drops the oldest beyond this size, so a machine
 * repaired many times does not fill its ESP.
 */
#define WIN7GEN2_LOG_MAX_SIZE (1024u * 1024)

/* Beside them, the agent leaves copies of Windows Setup's own logs when
 * Setup failed, and DISM's log of the Integration Services package. */
#define WIN7GEN2_SETUP_LOGS_DIR WIN7GEN2_OWN_DIR "setup"
#define WIN7GEN2_DISM_LOG_PATH WIN7GEN2_OWN_DIR "dism.log"

/*
 * The user's Hyper-V Integration Services package reaches Windows PE
 * as a package CAB under this name, in a folder of this name at the
 * root of a volume: win7gen2 build stages it in boot.wim (X:\win7gen2),
 * win7gen2 fix on the Windows volume (<W>:\win7gen2), and the agent
 * looks for it in both.
 */
#define WIN7GEN2_STAGE_DIR "win7gen2"
#define WIN7GEN2_IC_PACKAGE_NAME "integration-services.cab"
#define WIN7GEN2_IC_PACKAGE_STAGED_PATH "\\" WIN7GEN2_STAGE_DIR "\\" WIN7GEN2_IC_PACKAGE_NAME

/*
 * Update packages (build --package, fix --package): the package CABs
 * and packages.txt (common/package_list.h, their order) lie in this
 * folder, on the DVD itself (not in boot.wim, which the boot manager
 * loads whole into RAM) and, for fix, on the Windows volume.  The agent
 * finds the DVD as the CD-ROM volume holding the list.  DISM's log of
 * each package goes to the ESP as WIN7GEN2_PACKAGE_LOG_PREFIX, the
 * package's 1-based place in the list as two digits, '-', its file name
 * without ".cab", and ".log": \EFI\win7gen2\dism-01-Windows6.1-KB4490628-x64.log.
 */
#define WIN7GEN2_PACKAGES_DIR "\\" WIN7GEN2_STAGE_DIR "\\packages"
#define WIN7GEN2_PACKAGES_LIST_NAME "packages.txt"
#define WIN7GEN2_PACKAGE_LOG_PREFIX WIN7GEN2_OWN_DIR "dism-"

#endif
