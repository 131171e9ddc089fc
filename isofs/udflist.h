/*
 * udflist.h - the UDF half of iso_list(), through libudfread
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_UDFLIST_H
#define WIN7GEN2_UDFLIST_H

#include "listing.h"
#include "text.h"

/* Fills listing from the image's UDF file system, when it has one.  The
 * one place that decides whether an image has UDF (listing->has_udf):
 * the UDF patch must then find it, or build stops. */
enum udf_list_result {
	UDF_LIST_NO_UDF,            /* no UDF: the ISO 9660 tree is the listing */
	UDF_LIST_LISTED,            /* UDF read, its files listed */
	UDF_LIST_FAILED,            /* err says why */
};
enum udf_list_result udf_list(const struct iso_source *src, struct iso_listing *listing,
			      struct text *err);
#endif
