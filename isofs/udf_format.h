/*
 * udf_format.h - the numbers of ECMA-167 / OSTA UDF that udfwalk and
 * udfpatch both read and write
 *
 * One place for them, so the walker that finds a File Entry and the
 * patcher that rewrites it cannot read one field two ways.  Each value
 * is ECMA-167 3rd edition's, part and section given.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_UDF_FORMAT_H
#define WIN7GEN2_UDF_FORMAT_H

#define UDF_SECTOR 2048u           /* the logical block size of every DVD */
#define UDF_TAG_SIZE 16u           /* descriptor tag, 3/7.2 */

/* Tag identifiers (3/7.2.1, 4/7.2.1). */
#define TAG_ANCHOR 2
#define TAG_POINTER 3
#define TAG_PARTITION 5
#define TAG_LOGICAL_VOLUME 6
#define TAG_TERMINATOR 8
#define TAG_INTEGRITY 9
#define TAG_FILE_SET 256
#define TAG_IDENTIFIER 257         /* File Identifier Descriptor */
#define TAG_FILE_ENTRY 261
#define TAG_EXTENDED_FILE_ENTRY 266

/* Allocation descriptor kinds, ICB tag flags bits 0-2 (4/14.6.8). */
#define AD_SHORT 0
#define AD_LONG 1
#define AD_EXTENDED 2
#define AD_EMBEDDED 3

/* ICB tag file types and the one strategy Windows media use (4/14.6). */
#define FILE_TYPE_DIRECTORY 4
#define FILE_TYPE_REGULAR 5
#define ICB_STRATEGY_4 4

/* File Identifier Descriptor: characteristics bits and the fixed part's
 * length before the implementation use and the name (4/14.4). */
#define FID_DIRECTORY 0x02
#define FID_DELETED 0x04
#define FID_PARENT 0x08
#define FID_HEAD 38u

#endif
