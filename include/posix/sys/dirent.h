/*
 * Directory entries for newlib's <dirent.h> (which includes this header and
 * declares the functions): directories of the RAM file system, read through
 * a directory fd (runtime/fs/dirent.c).
 */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_DIR     4
#define DT_REG     8

struct dirent {
    ino_t d_ino;
    unsigned char d_type;
    char d_name[256];
};

typedef struct __minios_dir DIR;

#endif /* _SYS_DIRENT_H */
