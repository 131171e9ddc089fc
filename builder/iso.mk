# builder/iso.mk - win7gen2 inspect and build (included by Makefile.am)
#
# libxml2 parses install.wim's XML (wimlib links it too).

builder_iso_sources = \
	builder/cmd_inspect.c builder/cmd_build.c \
	builder/buf.c builder/buf.h \
	builder/run.c builder/run.h \
	builder/ui.c builder/ui.h \
	builder/files.c builder/files.h \
	builder/iso.c builder/iso.h \
	builder/efiimg.c builder/efiimg.h \
	builder/wimxml.c builder/wimxml.h \
	builder/wimfile.c builder/wimfile.h \
	builder/hive.c builder/hive.h \
	builder/payload.c builder/payload.h \
	builder/media.c builder/media.h \
	builder/drivers.c builder/drivers.h \
	builder/unattend.c builder/unattend.h \
	builder/password.c builder/password.h \
	builder/interrupt.c builder/interrupt.h \
	builder/embedded.h
builder_iso_libs = $(LIBXML2_LIBS)
builder_win7gen2_CPPFLAGS += $(LIBXML2_CFLAGS)

# The answer file template is compiled in: the command needs no data
# folder at run time.
nodist_builder_win7gen2_SOURCES = builder/embedded-unattend.c
builder/embedded-unattend.c: $(srcdir)/overlay/autounattend.xml $(srcdir)/builder/embed-text.sh
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(SHELL) $(srcdir)/builder/embed-text.sh unattend_template \
		$(srcdir)/overlay/autounattend.xml >$@.tmp && mv $@.tmp $@
CLEANFILES += builder/embedded-unattend.c
EXTRA_DIST += overlay/autounattend.xml builder/embed-text.sh

# -------------------------------------------------------------------------
# Tests: the synthetic sample ISO, inspect and build end to end, one test
# per refusal; unit tests and a fuzz target for install.wim's header+XML.
# -------------------------------------------------------------------------
builder_shell_tests = \
	tests/builder/t0200-sample.sh \
	tests/builder/t0210-inspect.sh \
	tests/builder/t0220-build.sh \
	tests/builder/t0230-refusals.sh \
	tests/builder/t0240-free-space.sh
TESTS += $(builder_shell_tests)
EXTRA_DIST += $(builder_shell_tests) tests/builder/lib-builder.sh \
	tests/sample/make-sample-iso

# Host C tests (also run under ASan + UBSan by tools/test-all).
builder_host_tests = \
	tests/builder/test-wimxml \
	tests/builder/test-unattend \
	tests/fuzz/replay-wimxml
check_PROGRAMS += $(builder_host_tests)
host_tests += $(builder_host_tests)
builder_test_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/builder $(LIBXML2_CFLAGS)

tests_builder_test_wimxml_SOURCES = tests/builder/test-wimxml.c tests/tap.h \
	builder/wimxml.c builder/wimxml.h
tests_builder_test_wimxml_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_wimxml_LDADD = $(LIBXML2_LIBS)

tests_builder_test_unattend_SOURCES = tests/builder/test-unattend.c tests/tap.h \
	builder/unattend.c builder/unattend.h builder/buf.c builder/buf.h \
	builder/password.c builder/password.h builder/embedded.h
nodist_tests_builder_test_unattend_SOURCES = builder/embedded-unattend.c
tests_builder_test_unattend_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_unattend_LDADD = $(LIBXML2_LIBS)

tests_fuzz_replay_wimxml_SOURCES = tests/fuzz/fuzz-wimxml.c tests/fuzz/replay.c \
	builder/wimxml.c builder/wimxml.h
tests_fuzz_replay_wimxml_CPPFLAGS = $(builder_test_cppflags) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/wimxml"'
tests_fuzz_replay_wimxml_LDADD = $(LIBXML2_LIBS)

# libFuzzer build: `make tests/fuzz/fuzz-wimxml` (add it to fuzz_targets).
if HAVE_LIBFUZZER
tests/fuzz/fuzz-wimxml: tests/fuzz/fuzz-wimxml.c builder/wimxml.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -I$(top_srcdir)/builder \
		$(LIBXML2_CFLAGS) $^ $(LIBXML2_LIBS) -o $@
endif
CLEANFILES += tests/fuzz/fuzz-wimxml
EXTRA_DIST += bench/build-speed
