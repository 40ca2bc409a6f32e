/*
 * The remaining calls on names in the RAM file system: realpath, getwd,
 * pathconf and fpathconf, and the kinds of file the tree cannot hold.
 * There are no symbolic links: readlink() of an existing name is EINVAL
 * ("not a symbolic link"), and symlink() is EEXIST if the name is taken and
 * EPERM otherwise (POSIX names no error for a file system without links;
 * EPERM is what Linux answers for one, and XSH 2.3 lets a call report
 * errors beyond its list).  FIFOs need pipes, which minios has not got:
 * mkfifo() is ENOSYS (EEXIST first, as for any name).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"

/*
 * A caller's buffer is PATH_MAX bytes, and newlib has two: <limits.h>'s
 * 4096 and <sys/syslimits.h>'s 1024.  Write no more than the smaller.
 */
#define CALLER_PATH_MAX 1024

/* The absolute path of what @path names, with no ".", ".." or "//" (the lock held). */
static int resolve(struct ramfs *fs, const char *path, char *out, size_t size)
{
    struct ramfs_node *node, *dir;
    const char *name;
    size_t len, dir_len;
    bool dir_only;
    int ret = ramfs_lookup(fs, path, &node);

    if (ret)
        return ret;
    if (node->type == RAMFS_DIR)
        return ramfs_dir_path(fs, node, out, size);
    /* A file has no parent of its own (it may have many names): the one @path went through. */
    ret = ramfs_lookup_parent(fs, path, &dir, &name, &len, &dir_only);
    if (!ret)
        ret = ramfs_dir_path(fs, dir, out, size);
    if (ret)
        return ret;
    dir_len = strlen(out);
    if (dir_len == 1)
        dir_len = 0; /* the root: "/" + name */
    if (dir_len + 1 + len + 1 > size)
        return -ENAMETOOLONG;
    out[dir_len] = '/';
    memcpy(out + dir_len + 1, name, len);
    out[dir_len + 1 + len] = '\0';
    return 0;
}

char *realpath(const char *path, char *resolved)
{
    size_t size = resolved ? CALLER_PATH_MAX : RAMFS_PATH_MAX;
    char *out = resolved ? resolved : malloc(size);
    struct ramfs *fs;
    int ret;

    if (!path) {
        errno = EINVAL;
        free(resolved ? NULL : out);
        return NULL;
    }
    if (!out) {
        errno = ENOMEM;
        return NULL;
    }
    fs = fs_lock();
    ret = fs ? resolve(fs, path, out, size) : -ENOMEM;
    if (fs)
        fs_unlock();
    if (ret == -ERANGE)
        ret = -ENAMETOOLONG;
    if (ret) {
        if (!resolved)
            free(out);
        fd_result(ret);
        return NULL;
    }
    return out;
}

/* BSD's getcwd() into a MAXPATHLEN buffer: on failure the buffer holds the reason. */
char *getwd(char *buf)
{
    if (getcwd(buf, CALLER_PATH_MAX))
        return buf;
    strncpy(buf, strerror(errno), CALLER_PATH_MAX - 1);
    buf[CALLER_PATH_MAX - 1] = '\0';
    return NULL;
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
    struct stat st;

    (void)buf;
    (void)size;
    if (stat(path, &st))
        return -1;
    errno = EINVAL; /* it exists, and is not a symbolic link: none is */
    return -1;
}

/* EEXIST if @path names something, else @err (for the kinds the tree cannot hold). */
static int cannot_create(const char *path, int err)
{
    struct ramfs *fs = fs_lock();
    struct ramfs_node *dir;
    const char *name;
    size_t len;
    bool dir_only;
    int ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = ramfs_lookup_parent(fs, path, &dir, &name, &len, &dir_only);
    if (ret == -EINVAL || (!ret && ramfs_find(dir, name, len)))
        ret = -EEXIST; /* "/", "x/." or a taken name */
    fs_unlock();
    return (int)fd_result(ret ? ret : -err);
}

int symlink(const char *target, const char *path)
{
    (void)target;
    return cannot_create(path, EPERM);
}

int mkfifo(const char *path, mode_t mode)
{
    (void)mode;
    return cannot_create(path, ENOSYS);
}

/* What every file of the tree answers; -1 with errno unchanged is "no limit". */
static long limit(int name)
{
    switch (name) {
    case _PC_NAME_MAX:
        return RAMFS_NAME_MAX;
    case _PC_PATH_MAX:
        return RAMFS_PATH_MAX;
    case _PC_NO_TRUNC:
        return 1; /* a long name is ENAMETOOLONG, never cut */
    case _PC_CHOWN_RESTRICTED:
        return 1; /* only the one user's id is accepted (fs_attrs.c) */
    case _PC_FILESIZEBITS:
        return 42; /* RAMFS_FILE_MAX, 2^40, as a signed number */
    case _PC_2_SYMLINKS:
        return 0;
    case _PC_TIMESTAMP_RESOLUTION:
        return 1;       /* nanoseconds */
    case _PC_LINK_MAX:  /* an unsigned int counts them */
    case _PC_MAX_CANON: /* the console has no line limit */
    case _PC_MAX_INPUT:
    case _PC_VDISABLE:    /* no special characters to disable */
    case _PC_SYMLINK_MAX: /* there are none to hold */
    case _PC_ASYNC_IO:
    case _PC_PRIO_IO:
    case _PC_SYNC_IO:
    case _PC_ALLOC_SIZE_MIN:
    case _PC_REC_INCR_XFER_SIZE:
    case _PC_REC_MAX_XFER_SIZE:
    case _PC_REC_MIN_XFER_SIZE:
    case _PC_REC_XFER_ALIGN:
        return -1;
    case _PC_PIPE_BUF: /* no pipes nor FIFOs */
    default:
        errno = EINVAL;
        return -1;
    }
}

long pathconf(const char *path, int name)
{
    struct stat st;

    if (stat(path, &st))
        return -1;
    return limit(name);
}

long fpathconf(int fd, int name)
{
    struct stat st;

    if (fstat(fd, &st))
        return -1;
    return limit(name);
}
