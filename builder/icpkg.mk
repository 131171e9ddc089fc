# builder/icpkg.mk - the Integration Services package reader (included by
# Makefile.am)
#
# icpkg opens the user's .msu, package .cab or vmguest.iso (libmspack for
# CABs, isofs/iso.c for the ISO) and checks the package's manifest
# (libxml2, through builder/xmldata.c, which builder/iso.mk's sources
# bring).  win7gen2 build and fix use it (builder/local.mk adds these
# sources, $(MSPACK_CFLAGS) and $(MSPACK_LIBS)).

builder_icpkg_sources = \
	builder/icpkg.c builder/icpkg.h \
	builder/package.c builder/package.h \
	builder/icmum.c builder/icmum.h \
	builder/cabfile.c builder/cabfile.h

# The manifest parser alone: unit test and fuzz seeds (libxml2 only).
check_PROGRAMS += tests/builder/test-icmum tests/fuzz/replay-icpkg-mum
host_tests += tests/builder/test-icmum tests/fuzz/replay-icpkg-mum
tests_builder_test_icmum_SOURCES = tests/builder/test-icmum.c tests/tap.h \
	builder/icmum.c builder/icmum.h builder/xmldata.c builder/xmldata.h
tests_builder_test_icmum_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_icmum_LDADD = $(LIBXML2_LIBS)

tests_fuzz_replay_icpkg_mum_SOURCES = tests/fuzz/fuzz-icpkg-mum.c tests/fuzz/replay.c \
	builder/icmum.c builder/icmum.h builder/xmldata.c builder/xmldata.h
tests_fuzz_replay_icpkg_mum_CPPFLAGS = $(builder_test_cppflags) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/icpkg-mum"'
tests_fuzz_replay_icpkg_mum_LDADD = $(LIBXML2_LIBS)

# libFuzzer build: `make tests/fuzz/fuzz-icpkg-mum`.
if HAVE_LIBFUZZER
tests/fuzz/fuzz-icpkg-mum: tests/fuzz/fuzz-icpkg-mum.c builder/icmum.c builder/xmldata.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib \
		$(LIBXML2_CFLAGS) $^ $(LIBXML2_LIBS) -o $@
endif
CLEANFILES += tests/fuzz/fuzz-icpkg-mum

# The whole reader on synthetic packages (gcab, xorriso), for t0280.
if HAVE_ICPKG
check_PROGRAMS += tests/builder/icpkg-open
endif
tests_builder_icpkg_open_SOURCES = tests/builder/icpkg-open.c $(builder_icpkg_sources) \
	builder/xmldata.c builder/xmldata.h \
	isofs/listing.c isofs/listing.h isofs/iso.c isofs/iso.h isofs/udflist.c isofs/udflist.h \
	isofs/voldesc.c isofs/voldesc.h \
	isofs/eltorito.c isofs/eltorito.h \
	hostlib/files.c hostlib/files.h hostlib/run.c hostlib/run.h
tests_builder_icpkg_open_CPPFLAGS = $(builder_test_cppflags) $(MSPACK_CFLAGS) \
	$(UDFREAD_CFLAGS)
tests_builder_icpkg_open_LDADD = fixengine/libfixengine.a common/libcommon.a $(MSPACK_LIBS) $(LIBXML2_LIBS) \
	$(UDFREAD_LIBS)

icpkg_shell_tests = tests/builder/t0280-icpkg.sh tests/builder/t0285-integration-services.sh
TESTS += $(icpkg_shell_tests)
EXTRA_DIST += $(icpkg_shell_tests) tests/builder/make-ic-package

# The packages' members checked on a second thread (builder/pkgcheck.c),
# against a stand-in for the check itself.
check_PROGRAMS += tests/builder/test-pkgcheck
host_tests += tests/builder/test-pkgcheck
tests_builder_test_pkgcheck_SOURCES = tests/builder/test-pkgcheck.c tests/tap.h \
	builder/pkgcheck.c builder/pkgcheck.h builder/xxh64.c builder/xxh64.h
tests_builder_test_pkgcheck_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_pkgcheck_LDADD = fixengine/libfixengine.a

# build --package and fix --package: update packages (builder/package.c);
# t0296 reads them back from OUT.
package_shell_tests = tests/builder/t0295-packages.sh tests/builder/t0296-packages-dvd.sh \
	tests/builder/t0297-package-check.sh
TESTS += $(package_shell_tests)
EXTRA_DIST += $(package_shell_tests) tests/builder/make-package
