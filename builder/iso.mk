# builder/iso.mk - win7gen2 inspect and build (included by Makefile.am)
#
# libxml2 parses install.wim's XML (wimlib links it too); libudfread
# lists UDF files and their extents; udfwalk finds the File Entries that
# build repoints, and udfpatch rewrites them.

builder_iso_sources = $(isofs_sources) $(hostlib_sources) \
	builder/cmd_inspect.c builder/cmd_build.c \
	builder/textfmt.c builder/textfmt.h \
	builder/ui.c builder/ui.h \
	builder/publish.c builder/publish.h \
	builder/rewrite.c builder/rewrite.h builder/xxh64.c builder/xxh64.h \
	builder/outcheck.c builder/outcheck.h \
	builder/outsync.c builder/outsync.h \
	builder/writeback.c builder/writeback.h \
	builder/pkgcheck.c builder/pkgcheck.h \
	builder/efiimg.c builder/efiimg.h \
	builder/wimxml.c builder/wimxml.h builder/xmldata.c builder/xmldata.h \
	builder/wimfile.c builder/wimfile.h \
	builder/wimsd.c builder/wimsd.h \
	builder/hive.c builder/hive.h \
	builder/payload.c builder/payload.h \
	builder/media.c builder/media.h \
	builder/diskpolicy.c builder/diskpolicy.h \
	builder/drivers.c builder/drivers.h \
	builder/unattend.c builder/unattend.h \
	builder/langtag.c builder/langtag.h \
	builder/langini.c builder/langini.h \
	builder/languages.c builder/languages.h \
	builder/password.c builder/password.h \
	builder/base64.c builder/base64.h \
	builder/interrupt.c builder/interrupt.h \
	builder/embedded.h
builder_iso_libs = $(LIBXML2_LIBS) $(UDFREAD_LIBS) $(NTFS3G_LIBS)
builder_win7gen2_CPPFLAGS += $(LIBXML2_CFLAGS) $(UDFREAD_CFLAGS) $(NTFS3G_CFLAGS)

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
	tests/builder/t0225-layouts.sh \
	tests/builder/t0230-refusals.sh \
	tests/builder/t0235-publish.sh \
	tests/builder/t0240-free-space.sh \
	tests/builder/t0250-isotree.sh \
	tests/builder/t0260-udfpatch.sh \
	tests/builder/t0265-add-files.sh \
	tests/builder/t0270-wim-descriptors.sh \
	tests/builder/t0290-languages.sh \
	tests/builder/t0227-outcheck.sh
TESTS += $(builder_shell_tests)
EXTRA_DIST += $(builder_shell_tests) tests/builder/lib-builder.sh \
	tests/sample/make-sample-iso

# Host C tests (also run under ASan + UBSan by tools/test-all).
builder_host_tests = \
	tests/builder/test-wimxml \
	tests/builder/test-unattend \
	tests/builder/test-languages \
	tests/builder/test-textfmt \
	tests/fuzz/replay-langini \
	tests/builder/test-xxh64 \
	tests/builder/test-writeback \
	tests/fuzz/replay-wimxml \
	tests/builder/test-eltorito \
	tests/builder/test-isotree \
	tests/builder/test-udfwalk \
	tests/fuzz/replay-eltorito
check_PROGRAMS += $(builder_host_tests)
host_tests += $(builder_host_tests)
builder_test_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib $(FIXENGINE_CPPFLAGS) \
	$(LIBXML2_CFLAGS)

tests_builder_test_wimxml_SOURCES = tests/builder/test-wimxml.c tests/tap.h \
	builder/wimxml.c builder/wimxml.h builder/xmldata.c builder/xmldata.h
tests_builder_test_wimxml_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_wimxml_LDADD = $(LIBXML2_LIBS)

tests_builder_test_unattend_SOURCES = tests/builder/test-unattend.c tests/tap.h \
	builder/unattend.c builder/unattend.h builder/textfmt.c builder/textfmt.h \
	builder/langtag.c builder/langtag.h \
	builder/password.c builder/password.h builder/base64.c builder/base64.h \
	builder/embedded.h
nodist_tests_builder_test_unattend_SOURCES = builder/embedded-unattend.c
tests_builder_test_unattend_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_unattend_LDADD = fixengine/libfixengine.a $(LIBXML2_LIBS)

# Language tags, lang.ini and the choice of the answer file's languages.
tests_builder_test_languages_SOURCES = tests/builder/test-languages.c tests/tap.h \
	builder/langtag.c builder/langtag.h builder/langini.c builder/langini.h \
	builder/languages.c builder/languages.h builder/wimxml.c builder/wimxml.h \
	builder/xmldata.c builder/xmldata.h
tests_builder_test_languages_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_languages_LDADD = fixengine/libfixengine.a $(LIBXML2_LIBS)

tests_fuzz_replay_langini_SOURCES = tests/fuzz/fuzz-langini.c tests/fuzz/replay.c \
	builder/langini.c builder/langini.h builder/langtag.c builder/langtag.h
tests_fuzz_replay_langini_CPPFLAGS = $(builder_test_cppflags) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/langini"'

if HAVE_LIBFUZZER
tests/fuzz/fuzz-langini: tests/fuzz/fuzz-langini.c builder/langini.c builder/langtag.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib $^ -o $@
endif
CLEANFILES += tests/fuzz/fuzz-langini

tests_builder_test_xxh64_SOURCES = tests/builder/test-xxh64.c tests/tap.h \
	builder/xxh64.c builder/xxh64.h
tests_builder_test_xxh64_CPPFLAGS = $(builder_test_cppflags)

# writeback.c's calls recorded by wrapping them (-Wl,--wrap), so the
# test can make the disk fail.
tests_builder_test_writeback_SOURCES = tests/builder/test-writeback.c tests/tap.h \
	builder/writeback.c builder/writeback.h
tests_builder_test_writeback_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_writeback_LDFLAGS = -Wl,--wrap=sync_file_range -Wl,--wrap=posix_fadvise

tests_builder_test_textfmt_SOURCES = tests/builder/test-textfmt.c tests/tap.h \
	builder/textfmt.c builder/textfmt.h
tests_builder_test_textfmt_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_textfmt_LDADD = fixengine/libfixengine.a

tests_fuzz_replay_wimxml_SOURCES = tests/fuzz/fuzz-wimxml.c tests/fuzz/replay.c \
	builder/wimxml.c builder/wimxml.h builder/xmldata.c builder/xmldata.h
tests_fuzz_replay_wimxml_CPPFLAGS = $(builder_test_cppflags) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/wimxml"'
tests_fuzz_replay_wimxml_LDADD = $(LIBXML2_LIBS)

# libFuzzer build: `make tests/fuzz/fuzz-wimxml` (add it to fuzz_targets).
if HAVE_LIBFUZZER
tests/fuzz/fuzz-wimxml: tests/fuzz/fuzz-wimxml.c builder/wimxml.c builder/xmldata.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib \
		$(LIBXML2_CFLAGS) $^ $(LIBXML2_LIBS) -o $@
endif
CLEANFILES += tests/fuzz/fuzz-wimxml
EXTRA_DIST += bench/build-speed tests/fuzz/make-eltorito-seeds.py

tests_builder_test_eltorito_SOURCES = tests/builder/test-eltorito.c tests/tap.h \
	isofs/eltorito.c isofs/eltorito.h
tests_builder_test_eltorito_CPPFLAGS = $(builder_test_cppflags)

tests_fuzz_replay_eltorito_SOURCES = tests/fuzz/fuzz-eltorito.c tests/fuzz/replay.c \
	isofs/eltorito.c isofs/eltorito.h
tests_fuzz_replay_eltorito_CPPFLAGS = $(builder_test_cppflags) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/eltorito"'

if HAVE_LIBFUZZER
tests/fuzz/fuzz-eltorito: tests/fuzz/fuzz-eltorito.c isofs/eltorito.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib $^ -o $@
endif
CLEANFILES += tests/fuzz/fuzz-eltorito

# Adds files to a WIM the way build does, for t0270.
if HAVE_BUILDER
check_PROGRAMS += tests/builder/wimsd-add
endif
tests_builder_wimsd_add_SOURCES = tests/builder/wimsd-add.c \
	builder/wimsd.c builder/wimsd.h \
	hostlib/run.c hostlib/run.h builder/interrupt.c builder/interrupt.h
tests_builder_wimsd_add_CPPFLAGS = $(builder_test_cppflags) $(WIMLIB_CFLAGS) $(NTFS3G_CFLAGS)
tests_builder_wimsd_add_LDADD = fixengine/libfixengine.a $(WIMLIB_LIBS) $(NTFS3G_LIBS)

# Applies udfpatch to a sample and reads UDF back with libudfread, for t0260.
if HAVE_BUILDER
check_PROGRAMS += tests/builder/udfpatch-apply tests/builder/udf-read
endif
EXTRA_DIST += tests/builder/make-udf-sample tests/builder/udf-end-anchor-only
tests_builder_udfpatch_apply_SOURCES = tests/builder/udfpatch-apply.c \
	isofs/udfpatch.c isofs/udfpatch.h isofs/udfwalk.c isofs/udfwalk.h
tests_builder_udfpatch_apply_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib \
	$(FIXENGINE_CPPFLAGS)
tests_builder_udfpatch_apply_LDADD = fixengine/libfixengine.a
tests_builder_udf_read_SOURCES = tests/builder/udf-read.c
tests_builder_udf_read_CPPFLAGS = $(AM_CPPFLAGS) $(UDFREAD_CFLAGS)
tests_builder_udf_read_LDADD = $(UDFREAD_LIBS)

# The builder's listing of an image, as build reads IN and OUT, for t0250.
if HAVE_BUILDER
check_PROGRAMS += tests/builder/iso-list
endif
tests_builder_iso_list_SOURCES = tests/builder/iso-list.c \
	isofs/listing.c isofs/listing.h isofs/iso.c isofs/iso.h isofs/udflist.c isofs/udflist.h \
	isofs/voldesc.c isofs/voldesc.h \
	isofs/eltorito.c isofs/eltorito.h hostlib/files.c hostlib/files.h \
	hostlib/run.c hostlib/run.h
tests_builder_iso_list_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib \
	$(FIXENGINE_CPPFLAGS) $(UDFREAD_CFLAGS)
tests_builder_iso_list_LDADD = fixengine/libfixengine.a $(UDFREAD_LIBS)

# Writes OUT with files added, as build does, for t0265.
if HAVE_BUILDER
check_PROGRAMS += tests/builder/rewrite-add
endif
tests_builder_rewrite_add_SOURCES = tests/builder/rewrite-add.c \
	builder/rewrite.c builder/rewrite.h builder/outcheck.c builder/outcheck.h \
	builder/writeback.c builder/writeback.h \
	builder/xxh64.c builder/xxh64.h $(isofs_sources) $(hostlib_sources)
tests_builder_rewrite_add_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder \
	-I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib \
	$(FIXENGINE_CPPFLAGS) $(UDFREAD_CFLAGS)
tests_builder_rewrite_add_LDADD = fixengine/libfixengine.a $(UDFREAD_LIBS)

# Lays out trees over a sparse test image, for t0250.
if HAVE_BUILDER
check_PROGRAMS += tests/builder/make-isotree-image
endif
tests_builder_make_isotree_image_SOURCES = tests/builder/make-isotree-image.c \
	isofs/isotree.c isofs/isotree.h
tests_builder_make_isotree_image_CPPFLAGS = $(builder_test_cppflags)

tests_builder_test_isotree_SOURCES = tests/builder/test-isotree.c tests/tap.h \
	isofs/isotree.c isofs/isotree.h
tests_builder_test_isotree_CPPFLAGS = $(builder_test_cppflags)

tests_builder_test_udfwalk_SOURCES = tests/builder/test-udfwalk.c tests/tap.h \
	isofs/udfwalk.c isofs/udfwalk.h
tests_builder_test_udfwalk_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_udfwalk_LDADD = fixengine/libfixengine.a

# Replays the UDF patcher's fuzz seeds (built with the command).
if HAVE_BUILDER
check_PROGRAMS += tests/fuzz/replay-udfpatch
host_tests += tests/fuzz/replay-udfpatch
endif
tests_fuzz_replay_udfpatch_SOURCES = tests/fuzz/fuzz-udfpatch.c tests/fuzz/replay.c \
	isofs/udfpatch.c isofs/udfpatch.h isofs/udfwalk.c isofs/udfwalk.h
tests_fuzz_replay_udfpatch_CPPFLAGS = $(builder_test_cppflags) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/udfpatch"'
tests_fuzz_replay_udfpatch_LDADD = fixengine/libfixengine.a

if HAVE_LIBFUZZER
tests/fuzz/fuzz-udfpatch: tests/fuzz/fuzz-udfpatch.c isofs/udfpatch.c isofs/udfwalk.c \
		fixengine/text.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) -I$(top_srcdir)/builder -I$(top_srcdir)/isofs -I$(top_srcdir)/hostlib \
		$(FIXENGINE_CPPFLAGS) $^ -o $@
endif
CLEANFILES += tests/fuzz/fuzz-udfpatch
EXTRA_DIST += tests/fuzz/make-udfpatch-seeds.py

# An LD_PRELOAD library for t0235: renameat2 refuses every flag, as the
# 9P client of WSL's /mnt/c does (tests only; never installed).
if HAVE_BUILDER
check_DATA += tests/builder/norename-flags.so
endif
tests/builder/norename-flags.so: tests/builder/norename-flags.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CC) $(WARN_CFLAGS) $(CFLAGS) -shared -fPIC \
		-o $@ $(srcdir)/tests/builder/norename-flags.c
CLEANFILES += tests/builder/norename-flags.so
EXTRA_DIST += tests/builder/norename-flags.c

# Changes OUT or IN between the write and the read-back, for t0227.  A
# shared object loaded with LD_PRELOAD: the shipped program has no hook.
if HAVE_BUILDER
check_DATA += tests/builder/publish-shim.so
endif
tests/builder/publish-shim.so: tests/builder/publish-shim.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && \
		$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -shared -fPIC -o $@ $< -ldl
CLEANFILES += tests/builder/publish-shim.so
EXTRA_DIST += tests/builder/publish-shim.c
