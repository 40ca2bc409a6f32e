/*
 * Directory entries for newlib's <dirent.h> (which includes this header and
 * declares the functions): minios has no file system, so the only
 * directories are "/" and ".", and they are empty (runtime/libc/dirent.c).
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
