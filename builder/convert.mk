# builder/convert.mk - win7gen2 convert (included by Makefile.am)
#
#   fixengine/convert.[ch]   the engine: checks and the new GPT, pure
#                            functions on bytes; libfixconvert.a, portable
#                            C11 like the fix engine (the WinPE agent can
#                            link it with common/partition_table.c)
#   builder/cmd_convert.c    the Linux command: a raw image or a block device
#   builder/ntfspart.[ch]    NTFS inside the disk at a byte offset (libntfs-3g)
#   builder/convert_hive.[ch] the SYSTEM hive (hivex); the UEFI BCD is
#                            fixengine/convert_bcd.[ch], through a backend

noinst_LIBRARIES += fixengine/libfixconvert.a
fixengine_libfixconvert_a_SOURCES = fixengine/convert.c fixengine/convert.h
# The UEFI boot store, through a fix backend (Linux and the agent alike).
fixengine_libfixconvert_a_SOURCES += fixengine/convert_bcd.c fixengine/convert_bcd.h
fixengine_libfixconvert_a_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS)

builder_convert_sources = builder/cmd_convert.c builder/ntfspart.c builder/ntfspart.h \
	builder/convert_hive.c builder/convert_hive.h
# After the libraries builder/local.mk lists: the engine needs text.c and
# partition_table.c from them.
builder_win7gen2_LDADD += fixengine/libfixconvert.a fixengine/libfixengine.a common/libcommon.a \
	$(ZLIB_LIBS)
builder_win7gen2_CPPFLAGS += $(ZLIB_CFLAGS)

# The engine's checks and GPT, without a disk.
host_tests += tests/convert/test-convert
check_PROGRAMS += tests/convert/test-convert
tests_convert_test_convert_SOURCES = tests/convert/test-convert.c tests/tap.h
tests_convert_test_convert_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS)
tests_convert_test_convert_LDADD = fixengine/libfixconvert.a fixengine/libfixengine.a common/libcommon.a

# Writes the engine's GPT over a copy of an image, for sgdisk -v in the
# shell test (the command itself writes only after keeping the undo data).
check_PROGRAMS += tests/convert/gpt-apply
tests_convert_gpt_apply_SOURCES = tests/convert/gpt-apply.c
tests_convert_gpt_apply_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS)
tests_convert_gpt_apply_LDADD = fixengine/libfixconvert.a fixengine/libfixengine.a common/libcommon.a

# Any bytes as the MBR and boot sectors: the checks and the GPT built
# from what they accept (the seeds replay in make check).
host_tests += tests/fuzz/replay-convert-mbr
check_PROGRAMS += tests/fuzz/replay-convert-mbr
tests_fuzz_replay_convert_mbr_SOURCES = tests/fuzz/fuzz-convert-mbr.c tests/fuzz/replay.c
tests_fuzz_replay_convert_mbr_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/convert-mbr"'
tests_fuzz_replay_convert_mbr_LDADD = fixengine/libfixconvert.a fixengine/libfixengine.a common/libcommon.a
# Any bytes as the undo manifest --undo trusts.
host_tests += tests/fuzz/replay-convert-undo
check_PROGRAMS += tests/fuzz/replay-convert-undo
tests_fuzz_replay_convert_undo_SOURCES = tests/fuzz/fuzz-convert-undo.c tests/fuzz/replay.c
tests_fuzz_replay_convert_undo_CPPFLAGS = $(AM_CPPFLAGS) $(FIXENGINE_CPPFLAGS) \
	-DSEED_DIR='"$(abs_top_srcdir)/tests/fuzz/seeds/convert-undo"'
tests_fuzz_replay_convert_undo_LDADD = fixengine/libfixconvert.a fixengine/libfixengine.a common/libcommon.a
if HAVE_LIBFUZZER
tests/fuzz/fuzz-convert-undo: tests/fuzz/fuzz-convert-undo.c fixengine/convert.c fixengine/text.c \
		common/partition_table.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) $(FIXENGINE_CPPFLAGS) $^ -o $@
tests/fuzz/fuzz-convert-mbr: tests/fuzz/fuzz-convert-mbr.c fixengine/convert.c fixengine/text.c \
		common/partition_table.c
	$(AM_V_CCLD)$(MKDIR_P) $(@D) && $(CLANG) $(FUZZ_CFLAGS) $(FIXENGINE_CPPFLAGS) $^ -o $@
endif

if HAVE_BUILDER
# win7gen2 convert on Gen1-like disk images; a converted disk booted in OVMF.
TESTS += tests/convert/t0330-convert.sh tests/convert/t0340-convert-boot.sh
endif
EXTRA_DIST += tests/convert/t0330-convert.sh tests/convert/t0340-convert-boot.sh \
	tests/convert/lib-convert.sh \
	tests/fuzz/seeds/convert-mbr tests/fuzz/seeds/convert-undo
