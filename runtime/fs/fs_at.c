/*
 * The *at() calls: a relative path starts at the directory an fd names
 * (or the working directory for AT_FDCWD); an absolute one ignores the fd.
 * fs_at() takes the file system's lock (recursive), points the tree's
 * working directory at that directory, runs the plain call (open, stat,
 * unlink...), which takes the lock again, and puts the working directory
 * back: no other thread can see the swap or move the directory meanwhile.
 * The two-path calls make the first path absolute under the same lock.
 * There are no symbolic links, so AT_SYMLINK_NOFOLLOW/_FOLLOW change
 * nothing; one user, so AT_EACCESS neither.  Unknown flags are EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"

int fs_at(int dirfd, const char *path, int (*op)(void *arg), void *arg)
{
    struct ramfs_node *saved;
    struct ramfs *fs;
    struct file *f;
    int err, ret;

    if (dirfd == AT_FDCWD || (path && path[0] == '/'))
        return op(arg);
    f = fs_dir_file(dirfd, &err);
    if (!f)
        return (int)fd_result(-err);
    fs = fs_lock();
    if (!fs) {
        file_put(f);
        return (int)fd_result(-ENOMEM);
    }
    saved = fs->cwd;
    fs->cwd = f->priv;
    ret = op(arg);
    fs->cwd = saved;
    fs_unlock();
    file_put(f);
    return ret;
}

/* The arguments of one call, for its op. */
struct at_call {
    const char *path;
    const char *other; /* the other path of symlinkat, renameat, linkat */
    int flags;
    mode_t mode;
    uid_t uid;
    gid_t gid;
    struct stat *st;
    const struct timespec *times;
    char *buf;
    size_t size;
};

static int bad_flags(int flags, int allowed)
{
    if (!(flags & ~allowed))
        return 0;
    errno = EINVAL;
    return -1;
}

static int do_open(void *arg)
{
    struct at_call *c = arg;

    return open(c->path, c->flags, c->mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    struct at_call c = {.path = path, .flags = flags};

    if (flags & O_CREAT) {
        va_list ap;

        va_start(ap, flags);
        c.mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    return fs_at(dirfd, path, do_open, &c);
}

static int do_stat(void *arg)
{
    struct at_call *c = arg;

    return stat(c->path, c->st);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    struct at_call c = {.path = path, .st = st};

    return bad_flags(flags, AT_SYMLINK_NOFOLLOW) ?: fs_at(dirfd, path, do_stat, &c);
}

static int do_access(void *arg)
{
    struct at_call *c = arg;

    return access(c->path, (int)c->mode);
}

int faccessat(int dirfd, const char *path, int how, int flags)
{
    struct at_call c = {.path = path, .mode = (mode_t)how};

    return bad_flags(flags, AT_EACCESS) ?: fs_at(dirfd, path, do_access, &c);
}

static int do_chmod(void *arg)
{
    struct at_call *c = arg;

    return chmod(c->path, c->mode);
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
    struct at_call c = {.path = path, .mode = mode};

    return bad_flags(flags, AT_SYMLINK_NOFOLLOW) ?: fs_at(dirfd, path, do_chmod, &c);
}

static int do_chown(void *arg)
{
    struct at_call *c = arg;

    return chown(c->path, c->uid, c->gid);
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
    struct at_call c = {.path = path, .uid = uid, .gid = gid};

    return bad_flags(flags, AT_SYMLINK_NOFOLLOW) ?: fs_at(dirfd, path, do_chown, &c);
}

static int do_mkdir(void *arg)
{
    struct at_call *c = arg;

    return mkdir(c->path, c->mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
    struct at_call c = {.path = path, .mode = mode};

    return fs_at(dirfd, path, do_mkdir, &c);
}

static int do_mkfifo(void *arg)
{
    struct at_call *c = arg;

    return mkfifo(c->path, c->mode);
}

int mkfifoat(int dirfd, const char *path, mode_t mode)
{
    struct at_call c = {.path = path, .mode = mode};

    return fs_at(dirfd, path, do_mkfifo, &c);
}

/* POSIX leaves mknod() of anything but a FIFO to privileged callers and unspecified. */
int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
    (void)dev;
    if (S_ISFIFO(mode))
        return mkfifoat(dirfd, path, mode & ~S_IFMT);
    errno = EPERM;
    return -1;
}

static int do_readlink(void *arg)
{
    struct at_call *c = arg;

    return (int)readlink(c->path, c->buf, c->size);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
    struct at_call c = {.path = path, .buf = buf, .size = size};

    return fs_at(dirfd, path, do_readlink, &c);
}

static int do_symlink(void *arg)
{
    struct at_call *c = arg;

    return symlink(c->other, c->path);
}

int symlinkat(const char *target, int dirfd, const char *path)
{
    struct at_call c = {.path = path, .other = target};

    return fs_at(dirfd, path, do_symlink, &c);
}

static int do_unlink(void *arg)
{
    struct at_call *c = arg;

    return (c->flags & AT_REMOVEDIR) ? rmdir(c->path) : unlink(c->path);
}

int unlinkat(int dirfd, const char *path, int flags)
{
    struct at_call c = {.path = path, .flags = flags};

    return bad_flags(flags, AT_REMOVEDIR) ?: fs_at(dirfd, path, do_unlink, &c);
}

static int do_utimens(void *arg)
{
    struct at_call *c = arg;

    return fs_utimens(c->path, c->times);
}

int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
    struct at_call c = {.path = path, .times = times};

    return bad_flags(flags, AT_SYMLINK_NOFOLLOW) ?: fs_at(dirfd, path, do_utimens, &c);
}

/*
 * Runs @op on (@old_path from @old_dirfd, @new_path from @new_dirfd): the
 * first made absolute (realpath of its directory, then its last name), the
 * second through fs_at(), all under one hold of the lock.
 */
static int two_paths(int old_dirfd, const char *old_path, int new_dirfd, const char *new_path,
                     int (*op)(void *arg), struct at_call *c)
{
    struct ramfs *fs = fs_lock();
    struct file *f = NULL;
    char *abs = NULL;
    int err = 0, ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    c->path = new_path;
    c->other = old_path;
    if (old_dirfd != AT_FDCWD && old_path[0] != '/') {
        f = fs_dir_file(old_dirfd, &err);
        err = -err;
        if (f)
            abs = malloc(RAMFS_PATH_MAX);
        if (f && !abs)
            err = -ENOMEM;
        if (abs)
            err = ramfs_dir_path(fs, f->priv, abs, RAMFS_PATH_MAX);
        if (!err && strlen(abs) + 1 + strlen(old_path) + 1 > RAMFS_PATH_MAX)
            err = -ERANGE;
        if (!err) {
            if (strcmp(abs, "/") != 0)
                strcat(abs, "/");
            strcat(abs, old_path);
            c->other = abs;
        }
    }
    ret = err ? (int)fd_result(err == -ERANGE ? -ENAMETOOLONG : err)
              : fs_at(new_dirfd, new_path, op, c);
    free(abs);
    if (f)
        file_put(f);
    fs_unlock();
    return ret;
}

static int do_rename(void *arg)
{
    struct at_call *c = arg;

    return rename(c->other, c->path);
}

int renameat(int old_dirfd, const char *old_path, int new_dirfd, const char *new_path)
{
    struct at_call c = {0};

    return two_paths(old_dirfd, old_path, new_dirfd, new_path, do_rename, &c);
}

static int do_link(void *arg)
{
    struct at_call *c = arg;

    return link(c->other, c->path);
}

int linkat(int old_dirfd, const char *old_path, int new_dirfd, const char *new_path, int flags)
{
    struct at_call c = {0};

    return bad_flags(flags, AT_SYMLINK_FOLLOW)
               ?: two_paths(old_dirfd, old_path, new_dirfd, new_path, do_link, &c);
}
