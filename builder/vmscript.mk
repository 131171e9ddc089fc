# builder/vmscript.mk - the Hyper-V VM script and the lines build prints
# (included by Makefile.am, after builder/iso.mk)
#
# builder/New-Win7Gen2VM.ps1.in is the one template of both; it is
# compiled in like the answer file template, so the command needs no data
# folder at run time.  win7gen2 adds $(builder_vmscript_sources) to its
# sources; the generated C file is added here.

builder_vmscript_sources = builder/vmscript.c builder/vmscript.h
nodist_builder_win7gen2_SOURCES += builder/embedded-vmscript.c

builder/embedded-vmscript.c: $(srcdir)/builder/New-Win7Gen2VM.ps1.in $(srcdir)/builder/embed-text.sh
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(SHELL) $(srcdir)/builder/embed-text.sh vmscript_template \
		$(srcdir)/builder/New-Win7Gen2VM.ps1.in >$@.tmp && mv $@.tmp $@
CLEANFILES += builder/embedded-vmscript.c
EXTRA_DIST += builder/New-Win7Gen2VM.ps1.in

# Quoting, the script's shape and the printed lines (no PowerShell needed).
check_PROGRAMS += tests/builder/test-vmscript
host_tests += tests/builder/test-vmscript
tests_builder_test_vmscript_SOURCES = tests/builder/test-vmscript.c tests/tap.h \
	$(builder_vmscript_sources) builder/embedded.h
nodist_tests_builder_test_vmscript_SOURCES = builder/embedded-vmscript.c
tests_builder_test_vmscript_CPPFLAGS = $(builder_test_cppflags)
tests_builder_test_vmscript_LDADD = fixengine/libfixengine.a
