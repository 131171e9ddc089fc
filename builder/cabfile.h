/*
 * cabfile.h - a Microsoft Cabinet (CAB) file's members, through libmspack
 *
 * Windows update packages (.msu), their package CABs and the Integration
 * Services CAB of vmguest.iso are cabinets.  libmspack reads them: it
 * checks the header, each data block's checksum and the compressed
 * streams, so nothing here parses CAB bytes itself.  Member names are
 * only ever compared and shown, never used as paths: extraction goes to
 * a path the caller chooses.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef WIN7GEN2_CABFILE_H
#define WIN7GEN2_CABFILE_H

#include <stddef.h>
#include <stdint.h>

struct cabfile;

/*
 * Opens a cabinet and lists its members.  A cabinet that is one part of
 * a multi-part set is refused (its members continue in files we do not
 * have).  0 on success; -1 with *why set to a static explanation.
 */
int cabfile_open(const char *path, struct cabfile **cab, const char **why);
void cabfile_close(struct cabfile *cab);

size_t cabfile_count(const struct cabfile *cab);
/* A member's name as the cabinet spells it, folders separated by '\\'. */
const char *cabfile_name(const struct cabfile *cab, size_t index);
uint32_t cabfile_size(const struct cabfile *cab, size_t index);

/* The member of that name in the cabinet's root, compared without regard
 * to ASCII case as Windows does; -1 when there is none. */
long cabfile_find(const struct cabfile *cab, const char *name);

/* Decompresses a member to the file to (created or replaced), checking
 * its data.  0 on success; -1 with *why set. */
int cabfile_extract(struct cabfile *cab, size_t index, const char *to, const char **why);

/* Decompresses every member and throws the bytes away: the whole
 * cabinet's data is checked.  On failure *failed is the member. */
int cabfile_verify(struct cabfile *cab, size_t *failed, const char **why);

#endif
