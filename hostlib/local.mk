# hostlib/local.mk - helpers of the Linux programs (included by Makefile.am)
#
# Running a tool (run.h: its own environment, stderr kept for the
# message, nothing left open) and files (files.h: temporary folders,
# whole-file reads and writes, copies in the kernel).  Used by the ISO
# file systems and the builder; knows nothing of either.

hostlib_sources = \
	hostlib/run.c hostlib/run.h \
	hostlib/files.c hostlib/files.h
