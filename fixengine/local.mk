# fixengine/local.mk - the fix engine and win7gen2 fix (included by Makefile.am)
#
#   fixengine/*.c        the engine: portable C11 (gcc and mingw-w64), no
#                        POSIX, Win32 or hivex; libfixengine.a
#   fixengine/posix/     its Linux backend: POSIX files + hivex;
#                        libfixengine-posix.a
#   builder/cmd_fix.c    win7gen2 fix
#
# The engine's sources include each other by plain name from their own
# folder.  Everything else - the Linux backend, builder/cmd_fix.c, the
# WinPE agent, the tests - reaches the engine through
# $(FIXENGINE_CPPFLAGS), and outside fixengine/ only the public headers
# below are included (tests/fixengine/t0320-includes.sh checks that, and
# that no source includes by a "../" path).  Tests of the engine's parts
# may include its other headers the same way.

FIXENGINE_CPPFLAGS = -I$(top_srcdir)/fixengine
fixengine_public_headers = \
	fixengine/fix.h fixengine/backend.h fixengine/text.h fixengine/ascii.h \
	fixengine/posix/posix.h \
	fixengine/convert.h \
	fixengine/convert_bcd.h

fixengine_core_sources = \
	fixengine/fix.h fixengine/backend.h fixengine/plan.h \
	fixengine/engine.c fixengine/plan.c \
	fixengine/esp.c fixengine/diskcfg.c fixengine/diskcfg.h fixengine/bootentry.c \
	fixengine/registry.c fixengine/registry_table.c fixengine/registry_table.h \
	fixengine/arcname.c fixengine/arcname.h \
	fixengine/regvalue.c fixengine/regvalue.h \
	fixengine/execute.c fixengine/report.c fixengine/report.h \
	fixengine/text.c fixengine/text.h fixengine/ascii.h
fixengine_posix_sources = \
	fixengine/posix/posix.h fixengine/posix/internal.h fixengine/posix/files.c \
	fixengine/posix/hive.c fixengine/posix/layout.c

# Every .c file a program using the engine with the Linux backend needs,
# for builds outside automake (the libFuzzer target).
fixengine_all_c_sources = $(filter %.c,$(fixengine_core_sources) $(fixengine_posix_sources)) \
	common/config.c common/marker.c common/pe_header.c common/efi_image.c \
	common/wrap_rule.c common/regf.c common/bootopt.c

noinst_LIBRARIES += fixengine/libfixengine.a
fixengine_libfixengine_a_SOURCES = $(fixengine_core_sources)

EXTRA_DIST += $(fixengine_posix_sources) tests/fixengine/lib-fix.sh \
	tests/fixengine/test-fix-engine.c tests/fixengine/test-fix-layout.c \
	tests/fixengine/fixture.c \
	tests/fixengine/fixture.h tests/fuzz/fuzz-fix-plan.c

# Unit tests of the engine's parts: no backend, no hivex.
host_tests += tests/fixengine/test-fix-units
check_PROGRAMS += tests/fixengine/test-fix-units
tests_fixengine_test_fix_units_SOURCES = tests/fixengine/test-fix-units.c tests/tap.h
tests_fixengine_test_fix_units_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS)
tests_fixengine_test_fix_units_LDADD = fixengine/libfixengine.a common/libcommon.a

# The portable core compiles with mingw-w64 as it is (for the WinPE agent).
fixengine_shell_tests = tests/fixengine/t0310-fix-core-mingw.sh

# The engine's public headers are the only way in (see FIXENGINE_CPPFLAGS).
fixengine_shell_tests += tests/fixengine/t0320-includes.sh

if HAVE_HIVEX
noinst_LIBRARIES += fixengine/libfixengine-posix.a
fixengine_libfixengine_posix_a_SOURCES = $(fixengine_posix_sources)
fixengine_libfixengine_posix_a_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS) $(HIVEX_CFLAGS)

# The engine on synthetic SYSTEM hives and ESP trees, through hivex.
host_tests += tests/fixengine/test-fix-engine tests/fixengine/test-fix-layout \
	tests/fuzz/replay-fix-plan
check_PROGRAMS += tests/fixengine/test-fix-engine tests/fixengine/test-fix-layout \
	tests/fuzz/replay-fix-plan
tests_fixengine_test_fix_engine_SOURCES = tests/fixengine/test-fix-engine.c \
	tests/fixengine/fixture.c tests/fixengine/fixture.h tests/tap.h
tests_fixengine_test_fix_engine_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS) $(HIVEX_CFLAGS) \
	-DEMPTY_HIVE='"$(abs_top_srcdir)/tests/fixtures/registry/empty.hive"'
tests_fixengine_test_fix_engine_LDADD = fixengine/libfixengine-posix.a \
	fixengine/libfixengine.a common/libcommon.a $(HIVEX_LIBS)

# Partition numbers from stand-ins for /proc/self/mountinfo and sysfs.
tests_fixengine_test_fix_layout_SOURCES = tests/fixengine/test-fix-layout.c \
	tests/fixengine/fixture.c tests/fixengine/fixture.h tests/tap.h
tests_fixengine_test_fix_layout_CPPFLAGS = $(tests_fixengine_test_fix_engine_CPPFLAGS)
tests_fixengine_test_fix_layout_LDADD = $(tests_fixengine_test_fix_engine_LDADD)

# The wrap rule's table (tests/wrap-cases.h) through the engine.
host_tests += tests/fixengine/test-fix-wrap
check_PROGRAMS += tests/fixengine/test-fix-wrap
tests_fixengine_test_fix_wrap_SOURCES = tests/fixengine/test-fix-wrap.c \
	tests/fixengine/fixture.c tests/fixengine/fixture.h tests/wrap-cases.h tests/tap.h
tests_fixengine_test_fix_wrap_CPPFLAGS = $(tests_fixengine_test_fix_engine_CPPFLAGS)
tests_fixengine_test_fix_wrap_LDADD = $(tests_fixengine_test_fix_engine_LDADD)

# A directory swapped for a link between the backend's walk and its use.
host_tests += tests/fixengine/test-fix-races
check_PROGRAMS += tests/fixengine/test-fix-races
tests_fixengine_test_fix_races_SOURCES = tests/fixengine/test-fix-races.c \
	tests/fixengine/fixture.c tests/fixengine/fixture.h tests/tap.h
tests_fixengine_test_fix_races_CPPFLAGS = $(tests_fixengine_test_fix_engine_CPPFLAGS)
tests_fixengine_test_fix_races_LDADD = $(tests_fixengine_test_fix_engine_LDADD)

# Arbitrary bytes as the SYSTEM hive through the whole plan; the seeds
# replay in make check (and under the sanitizers).
tests_fuzz_replay_fix_plan_SOURCES = tests/fuzz/fuzz-fix-plan.c tests/fuzz/replay.c
tests_fuzz_replay_fix_plan_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS) $(HIVEX_CFLAGS) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/fix-plan"'
tests_fuzz_replay_fix_plan_LDADD = fixengine/libfixengine-posix.a \
	fixengine/libfixengine.a common/libcommon.a $(HIVEX_LIBS)

if HAVE_LIBFUZZER
tests/fuzz/fuzz-fix-plan: tests/fuzz/fuzz-fix-plan.c $(fixengine_all_c_sources)
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) $(FIXENGINE_CPPFLAGS) $^ $(HIVEX_LIBS) -o $@
endif
endif
CLEANFILES += tests/fuzz/fuzz-fix-plan

if HAVE_BUILDER
# win7gen2 fix as a user runs it.
fixengine_shell_tests += tests/fixengine/t0300-fix-cli.sh
endif

TESTS += $(fixengine_shell_tests)
EXTRA_DIST += tests/fixengine/t0300-fix-cli.sh tests/fixengine/t0310-fix-core-mingw.sh \
	tests/fixengine/t0320-includes.sh \
	tests/fixengine/mingw-link.c

builder_fix_sources = builder/cmd_fix.c
builder_win7gen2_CPPFLAGS += $(FIXENGINE_CPPFLAGS)
builder_fix_libs = fixengine/libfixengine-posix.a fixengine/libfixengine.a
