# overlay/agent/local.mk - win7gen2pe.exe, the WinPE agent (included by
# Makefile.am, after fixengine/local.mk: it compiles the engine's
# portable core, $(fixengine_core_sources), for Windows)
#
#   overlay/agent/*.c   the agent and the fix engine's Win32 backend; the
#                       files in agent_portable_sources are plain C11 and
#                       are also built for the host unit tests
#
# Built like the EFI programs: explicit rules with their own flags (user
# CFLAGS are for the host compiler and never reach mingw-w64), objects
# named *.pe.o.  One static x64 console program; _WIN32_WINNT=0x0601 makes
# the headers hide every function newer than Windows 7, so using one is a
# compile error rather than a failure in Windows PE 3.x.
#

agent_portable_sources = \
	overlay/agent/args.c overlay/agent/args.h \
	overlay/agent/decide.c overlay/agent/decide.h \
	overlay/agent/cmdline.c overlay/agent/cmdline.h \
	overlay/agent/relpath.c overlay/agent/relpath.h \
	overlay/agent/report_text.c overlay/agent/report_text.h \
	overlay/agent/icpackage.c overlay/agent/icpackage.h \
	overlay/agent/packages.c overlay/agent/packages.h \
	common/package_list.c common/package_list.h \
	common/size_text.c common/size_text.h
agent_win32_sources = \
	overlay/agent/main.c \
	overlay/agent/pe.c overlay/agent/pe.h \
	overlay/agent/host.c overlay/agent/host.h \
	overlay/agent/fixrun.c overlay/agent/fixrun.h \
	overlay/agent/icdism.c overlay/agent/icdism.h \
	overlay/agent/updates.c overlay/agent/updates.h \
	overlay/agent/installs.c overlay/agent/installs.h \
	overlay/agent/drivers.c overlay/agent/drivers.h \
	overlay/agent/setuplogs.c overlay/agent/setuplogs.h \
	overlay/agent/firmware.c overlay/agent/firmware.h \
	overlay/agent/power.c overlay/agent/power.h \
	overlay/agent/process.c overlay/agent/process.h \
	overlay/agent/output.c overlay/agent/output.h \
	overlay/agent/serial.c overlay/agent/serial.h \
	overlay/agent/disk.h \
	overlay/agent/disklayout.h \
	overlay/agent/privilege.c overlay/agent/privilege.h \
	overlay/agent/win32util.c overlay/agent/win32util.h \
	overlay/agent/backend_win32.h \
	overlay/agent/backend_win32_files.c \
	overlay/agent/backend_win32_hive.c \
	overlay/agent/backend_win32_layout.c \
	overlay/agent/convertrun.c overlay/agent/convertrun.h overlay/agent/convertstate.h \
	overlay/agent/convertundo.c \
	overlay/agent/convertwrite.c overlay/agent/convertwrite.h \
	overlay/agent/convertdisk_io.c overlay/agent/convertdisk.h
# The queries the wine tests replace: disk layouts (disklayout.h), and
# volumes and partitions (disk.h: wine's storage IOCTLs show no ESP).
agent_disklayout_source = overlay/agent/disklayout_win32.c
agent_disk_source = overlay/agent/disk.c
# and the disk win7gen2pe --convert reads (wine has no \\.\PhysicalDriveN).
agent_convertdisk_source = overlay/agent/convertdisk_win32.c

AGENT_CFLAGS = -std=c11 -O2 -g0 $(WARN_CFLAGS) -municode \
	-D_WIN32_WINNT=0x0601 -DWINVER=0x0601 -DUNICODE -D_UNICODE -DWIN32_LEAN_AND_MEAN \
	-D__USE_MINGW_ANSI_STDIO=1 \
	-I$(top_srcdir)/common $(FIXENGINE_CPPFLAGS) -DWIN7GEN2_VERSION='"$(PACKAGE_VERSION)"'
# Static: Windows PE has no mingw runtime DLLs.  --nxcompat/--dynamicbase
# as Windows 7's own programs are; -s: no symbols in the shipped file.
AGENT_LINK_FLAGS = -static -municode -s -Wl,--nxcompat -Wl,--dynamicbase
AGENT_LINK_LIBS = -lz -ladvapi32 -luser32 -lkernel32

# The engine's portable core, and the common/ files the engine and its
# backends need (the engine keeps that list in fixengine_all_c_sources;
# common/regf.c, the hive check, serves both backends).
agent_engine_c_sources = $(filter %.c,$(fixengine_core_sources)) \
	$(filter common/%,$(fixengine_all_c_sources)) \
	fixengine/convert.c common/partition_table.c
agent_engine_c_sources += fixengine/convert_bcd.c
agent_common_objects = $(patsubst %.c,%.pe.o,$(filter %.c,$(agent_portable_sources) \
	$(agent_win32_sources)) $(agent_engine_c_sources))
agent_objects = $(agent_common_objects) $(agent_disklayout_source:.c=.pe.o) \
	$(agent_disk_source:.c=.pe.o) $(agent_convertdisk_source:.c=.pe.o)
# The test build: the same program with the stand-in queries.
agent_test_objects = $(agent_common_objects) tests/agent/fake-disklayout.pe.o \
	tests/agent/fake-disk.pe.o tests/agent/fake-convertdisk.pe.o

%.pe.o: %.c
	$(AM_V_CC)$(MKDIR_P) $(@D) && $(MINGW_CC) $(AGENT_CFLAGS) -MD -MP -MF $@.d -c -o $@ $<

if HAVE_MINGW
# Installed for win7gen2 build, which stages it in boot.wim.
pkgdata_DATA += overlay/agent/win7gen2pe.exe

overlay/agent/win7gen2pe.exe: $(agent_objects)
	$(AM_V_CCLD)$(MINGW_CC) $(AGENT_LINK_FLAGS) -o $@ $(agent_objects) $(AGENT_LINK_LIBS)

# Never installed: tests/agent/t0430-agent-wine-guard.sh runs it.
check_DATA += tests/agent/win7gen2pe-test.exe
tests/agent/win7gen2pe-test.exe: $(agent_test_objects)
	$(AM_V_CCLD)$(MINGW_CC) $(AGENT_LINK_FLAGS) -o $@ $(agent_test_objects) $(AGENT_LINK_LIBS)

tests/agent/fake-disklayout.pe.o: AGENT_CFLAGS += -I$(top_srcdir)/overlay/agent \
	-I$(top_srcdir)/tests/agent
tests/agent/fake-disk.pe.o: AGENT_CFLAGS += -I$(top_srcdir)/overlay/agent \
	-I$(top_srcdir)/tests/agent
tests/agent/fake-convertdisk.pe.o: AGENT_CFLAGS += -I$(top_srcdir)/overlay/agent \
	-I$(top_srcdir)/tests/agent

-include $(agent_objects:=.d) tests/agent/fake-disklayout.pe.o.d tests/agent/fake-disk.pe.o.d \
	tests/agent/fake-convertdisk.pe.o.d
endif

CLEANFILES += overlay/agent/win7gen2pe.exe overlay/agent/*.pe.o overlay/agent/*.pe.o.d \
	tests/agent/win7gen2pe-test.exe tests/agent/*.pe.o tests/agent/*.pe.o.d \
	fixengine/*.pe.o fixengine/*.pe.o.d common/*.pe.o common/*.pe.o.d

EXTRA_DIST += $(agent_portable_sources) $(agent_win32_sources) overlay/agent/README.md \
	$(agent_disklayout_source) tests/agent/fake-disklayout.c \
	$(agent_disk_source) tests/agent/fake-disk.c \
	$(agent_convertdisk_source) tests/agent/fake-convertdisk.c \
	tests/agent/lib-agent.sh tests/agent/lib-agent-convert.sh tests/agent/win32-allowed.txt \
	tests/agent/fake-setup.c tests/agent/fake-dism.c tests/agent/stand-in.h \
	tests/agent/fake-format.c tests/agent/fake-bcdboot.c \
	tests/agent/fake-kernel.rc

# The agent's decisions and texts on the host (portable parts only).
host_tests += tests/agent/test-agent-units
check_PROGRAMS += tests/agent/test-agent-units
tests_agent_test_agent_units_SOURCES = tests/agent/test-agent-units.c tests/tap.h \
	$(agent_portable_sources)
tests_agent_test_agent_units_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS) \
	-I$(top_srcdir)/overlay/agent
tests_agent_test_agent_units_LDADD = fixengine/libfixengine.a common/libcommon.a

# Any bytes as the boot menu's choice (the seeds replay in make check).
host_tests += tests/fuzz/replay-agent-mode
check_PROGRAMS += tests/fuzz/replay-agent-mode
tests_fuzz_replay_agent_mode_SOURCES = tests/fuzz/fuzz-agent-mode.c tests/fuzz/replay.c \
	overlay/agent/decide.c common/size_text.c
tests_fuzz_replay_agent_mode_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS) \
	-I$(top_srcdir)/overlay/agent -DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/agent-mode"'
tests_fuzz_replay_agent_mode_LDADD = fixengine/libfixengine.a common/libcommon.a
if HAVE_LIBFUZZER
tests/fuzz/fuzz-agent-mode: tests/fuzz/fuzz-agent-mode.c overlay/agent/decide.c \
		common/size_text.c common/pe_header.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -I$(top_srcdir)/common \
		$(FIXENGINE_CPPFLAGS) -I$(top_srcdir)/overlay/agent $^ -o $@
endif

# The Windows program: its file, its imports, and wine running it.
agent_shell_tests = \
	tests/agent/t0400-agent-exe.sh \
	tests/agent/t0410-agent-wine.sh \
	tests/agent/t0420-agent-wine-pe.sh \
	tests/agent/t0430-agent-wine-guard.sh \
	tests/agent/t0440-agent-wine-packages.sh \
	tests/agent/t0450-agent-wine-convert.sh \
	tests/agent/t0455-agent-wine-convert-write.sh
TESTS += $(agent_shell_tests)
EXTRA_DIST += $(agent_shell_tests)
agent_shell_tests += tests/agent/t0456-agent-wine-convert-undo.sh
