# builder/local.mk - the win7gen2 host command (included by Makefile.am)
#
# Each subcommand's parts come from their own fragment:
#   builder/iso.mk        inspect, build   (builder_iso_sources, builder_iso_libs)
#   fixengine/local.mk    fix              (builder_fix_sources, builder_fix_libs)

if HAVE_BUILDER
bin_PROGRAMS += builder/win7gen2
endif
builder_win7gen2_SOURCES = builder/main.c builder/commands.h \
	$(builder_iso_sources) $(builder_fix_sources)
builder_win7gen2_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/builder \
	$(WIMLIB_CFLAGS) $(HIVEX_CFLAGS) \
	-DWIN7GEN2_PAYLOAD_DEFAULT='"$(pkgdatadir)/win7gen2.efi"' \
	-DWIN7GEN2_AGENT_DEFAULT='"$(pkgdatadir)/win7gen2pe.exe"'
builder_win7gen2_LDADD = $(builder_iso_libs) $(builder_fix_libs) common/libcommon.a \
	$(WIMLIB_LIBS) $(HIVEX_LIBS)
