/*
 * The initial files' archive (scripts/minios-link --files): POSIX ustar,
 * read entry by entry.  Pure logic, unit-tested on the host
 * (tests/unit/test_ustar.c): the archive is in the image, but it was made
 * from a directory on the build machine, so every field is checked.
 */
#ifndef RUNTIME_FS_USTAR_H
#define RUNTIME_FS_USTAR_H

#include <stddef.h>

#define USTAR_BLOCK    512
#define USTAR_PATH_MAX 257 /* prefix (155) + '/' + name (100) + NUL */

struct ustar_entry {
    char path[USTAR_PATH_MAX]; /* relative, normalised: no ./, no .., no leading / */
    char type;                 /* '0' a file, '5' a directory */
    unsigned int mode;         /* permission bits */
    const unsigned char *data; /* a file's bytes, inside the archive */
    size_t size;
};

/*
 * Reads the entry at *@offset of @ar (@len bytes) and moves *@offset past
 * it.  Returns 1 with *@e filled, 0 at the end of the archive (two zero
 * blocks, or its end), -1 for an entry that is refused, with *@why saying
 * why (a bad checksum, a size past the end, a link or device, an absolute
 * name or one with "..").  The archive's "." entry comes back as a
 * directory with an empty path.
 */
int ustar_next(const unsigned char *ar, size_t len, size_t *offset, struct ustar_entry *e,
               const char **why);

#endif /* RUNTIME_FS_USTAR_H */
