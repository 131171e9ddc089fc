# builder/local.mk - the win7gen2 host command (included by Makefile.am)
#
# Each subcommand's parts come from their own fragment:
#   builder/iso.mk        inspect, build   (builder_iso_sources, builder_iso_libs)
#   fixengine/local.mk    fix              (builder_fix_sources, builder_fix_libs)
#
# The builder's string buffer is the engine's struct text (text.h, a
# public engine header): a program with builder sources is given
# $(FIXENGINE_CPPFLAGS) and links fixengine/libfixengine.a.

if HAVE_BUILDER
bin_PROGRAMS += builder/win7gen2
endif
builder_win7gen2_SOURCES = builder/main.c builder/commands.h \
	builder/usage.c builder/usage.h \
	builder/numbers.c builder/numbers.h \
	$(builder_iso_sources) $(builder_fix_sources) $(builder_icpkg_sources) \
	$(builder_vmscript_sources) \
	$(builder_convert_sources)
builder_win7gen2_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs \
	-I$(top_srcdir)/hostlib \
	$(WIMLIB_CFLAGS) $(HIVEX_CFLAGS) $(MSPACK_CFLAGS) \
	-DWIN7GEN2_PAYLOAD_DEFAULT='"$(pkgdatadir)/win7gen2.efi"' \
	-DWIN7GEN2_AGENT_DEFAULT='"$(pkgdatadir)/win7gen2pe.exe"'
builder_win7gen2_LDADD = $(builder_iso_libs) $(builder_fix_libs) common/libcommon.a \
	$(WIMLIB_LIBS) $(HIVEX_LIBS) $(MSPACK_LIBS)

# Running tools: the environment each gets (LC_ALL=C and its own
# variables), what is left open afterwards; the EFI boot image through
# mtools, told apart by exit status and listing, not by message text.
builder_tool_tests = tests/builder/test-run tests/builder/test-efiimg
check_PROGRAMS += $(builder_tool_tests)
host_tests += $(builder_tool_tests)
tests_builder_test_run_SOURCES = tests/builder/test-run.c tests/tap.h \
	hostlib/run.c hostlib/run.h
tests_builder_test_run_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib $(FIXENGINE_CPPFLAGS)
tests_builder_test_run_LDADD = fixengine/libfixengine.a
tests_builder_test_efiimg_SOURCES = tests/builder/test-efiimg.c tests/tap.h \
	builder/efiimg.c builder/efiimg.h hostlib/run.c hostlib/run.h
tests_builder_test_efiimg_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib $(FIXENGINE_CPPFLAGS)
tests_builder_test_efiimg_LDADD = fixengine/libfixengine.a

# Copying a file whole (files.c): every byte, progress to the end, never
# over a file that is there.
check_PROGRAMS += tests/builder/test-files
host_tests += tests/builder/test-files
tests_builder_test_files_SOURCES = tests/builder/test-files.c tests/tap.h \
	hostlib/files.c hostlib/files.h
tests_builder_test_files_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib $(FIXENGINE_CPPFLAGS)
tests_builder_test_files_LDADD = fixengine/libfixengine.a
