# isofs/local.mk - the ISO file systems (included by Makefile.am)
#
# Reading ISO 9660, Joliet, UDF and El Torito into one listing (iso.h),
# and writing what an image needs to name new data: ISO 9660/Joliet trees
# (isotree.h) and UDF File Entries and folders (udfwalk.h, udfpatch.h).
# It knows nothing of Windows: the builder composes it with WIMs and
# packages.  Programs using it add $(ISOFS_CPPFLAGS) and link
# $(UDFREAD_LIBS) and fixengine/libfixengine.a (struct text).

isofs_sources = \
	isofs/listing.c isofs/listing.h \
	isofs/iso.c isofs/iso.h \
	isofs/voldesc.c isofs/voldesc.h \
	isofs/udflist.c isofs/udflist.h \
	isofs/insource.c isofs/insource.h \
	isofs/eltorito.c isofs/eltorito.h \
	isofs/isotree.c isofs/isotree.h \
	isofs/udf_format.h \
	isofs/udfwalk.c isofs/udfwalk.h \
	isofs/udfpatch.c isofs/udfpatch.h
