/*
 * The system calls on file descriptors (newlib's stubs and the POSIX ones
 * it only declares), over the fd table and each file's ops (fd.h): look
 * the fd up with a reference, check the access mode, keep the offset
 * under the file's lock, and report an op's negative errno as -1 + errno.
 * Note newlib's read/write return int on this target: a count above
 * INT_MAX is cut to INT_MAX bytes (a short count, which callers retry).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "fd.h"

static size_t clamp(size_t n)
{
    return n > INT_MAX ? INT_MAX : n;
}

/* read, write, pread and pwrite in one: @at < 0 means "at the file's offset". */
static long transfer(int fd, void *buf, size_t n, off_t at, bool writing)
{
    struct file *f = fd_get(fd);
    long ret;

    if (!f)
        return -EBADF;
    if (writing ? !file_writable(f) || !f->ops->write : !file_readable(f) || !f->ops->read) {
        ret = -EBADF;
    } else if (at >= 0 && !f->ops->seekable) {
        ret = -ESPIPE;
    } else if (at >= 0) {
        off_t pos = at;

        ret =
            writing ? f->ops->write(f, buf, clamp(n), &pos) : f->ops->read(f, buf, clamp(n), &pos);
    } else if (!f->ops->seekable) {
        ret =
            writing ? f->ops->write(f, buf, clamp(n), NULL) : f->ops->read(f, buf, clamp(n), NULL);
    } else {
        mutex_lock(&f->pos_lock);
        ret = writing ? f->ops->write(f, buf, clamp(n), &f->pos)
                      : f->ops->read(f, buf, clamp(n), &f->pos);
        mutex_unlock(&f->pos_lock);
    }
    file_put(f);
    return ret;
}

int read(int fd, void *buf, size_t n)
{
    return (int)fd_result(transfer(fd, buf, n, -1, false));
}

int write(int fd, const void *buf, size_t n)
{
    return (int)fd_result(transfer(fd, (void *)buf, n, -1, true));
}

ssize_t pread(int fd, void *buf, size_t n, off_t offset)
{
    if (offset < 0)
        return fd_result(-EINVAL);
    return fd_result(transfer(fd, buf, n, offset, false));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset)
{
    if (offset < 0)
        return fd_result(-EINVAL);
    return fd_result(transfer(fd, (void *)buf, n, offset, true));
}

static long seek(struct file *f, off_t off, int whence)
{
    struct stat st;
    off_t base;
    long ret;

    if (!f->ops->seekable)
        return -ESPIPE;
    mutex_lock(&f->pos_lock);
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = f->pos;
        break;
    case SEEK_END:
        ret = f->ops->fstat(f, &st);
        if (ret < 0)
            goto out;
        base = st.st_size;
        break;
    default:
        ret = -EINVAL;
        goto out;
    }
    if (__builtin_add_overflow(base, off, &base))
        ret = -EOVERFLOW;
    else if (base < 0)
        ret = -EINVAL;
    else
        ret = f->pos = base;
out:
    mutex_unlock(&f->pos_lock);
    return ret;
}

off_t lseek(int fd, off_t off, int whence)
{
    struct file *f = fd_get(fd);
    long ret;

    if (!f)
        return fd_result(-EBADF);
    ret = seek(f, off, whence);
    file_put(f);
    return fd_result(ret);
}

int close(int fd)
{
    return (int)fd_result(fd_close(fd));
}

int fstat(int fd, struct stat *st)
{
    struct file *f = fd_get(fd);
    int ret;

    if (!f)
        return (int)fd_result(-EBADF);
    ret = f->ops->fstat(f, st);
    file_put(f);
    return (int)fd_result(ret);
}

/* A terminal: stdout is line-buffered, so a printf'd line goes out whole. */
int isatty(int fd)
{
    struct file *f = fd_get(fd);
    bool tty;

    if (!f) {
        errno = EBADF;
        return 0;
    }
    tty = f->ops->tty;
    file_put(f);
    if (!tty)
        errno = ENOTTY;
    return tty;
}

int ftruncate(int fd, off_t length)
{
    struct file *f = fd_get(fd);
    long ret;

    if (!f)
        return (int)fd_result(-EBADF);
    if (length < 0 || !f->ops->truncate)
        ret = -EINVAL;
    else if (!file_writable(f))
        ret = -EBADF; /* as Linux: not open for writing */
    else
        ret = f->ops->truncate(f, length);
    file_put(f);
    return (int)fd_result(ret);
}

int fsync(int fd)
{
    struct file *f = fd_get(fd);
    int ret;

    if (!f)
        return (int)fd_result(-EBADF);
    ret = f->ops->sync ? f->ops->sync(f) : 0;
    file_put(f);
    return (int)fd_result(ret);
}

int fdatasync(int fd)
{
    return fsync(fd);
}

int dup(int fd)
{
    struct file *f = fd_get(fd);
    int ret;

    if (!f)
        return (int)fd_result(-EBADF);
    ret = fd_install(f, 0);
    file_put(f);
    return (int)fd_result(ret);
}

int dup2(int old_fd, int new_fd)
{
    return (int)fd_result(fd_dup2(old_fd, new_fd));
}

/* The status flags F_SETFL may change; the access mode and the rest stay. */
#define SETTABLE_FLAGS (O_APPEND | O_NONBLOCK)

int fcntl(int fd, int cmd, ...)
{
    struct file *f = fd_get(fd);
    long ret;
    va_list ap;
    int arg;

    if (!f)
        return (int)fd_result(-EBADF);
    va_start(ap, cmd);
    arg = cmd == F_GETFD || cmd == F_GETFL ? 0 : va_arg(ap, int);
    va_end(ap);
    switch (cmd) {
    case F_DUPFD:
        ret = arg < 0 || arg >= FD_MAX ? -EINVAL : fd_install(f, arg);
        break;
    case F_GETFD:
        ret = fd_get_flags(fd);
        break;
    case F_SETFD:
        ret = fd_set_flags(fd, arg);
        break;
    case F_GETFL:
        ret = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
        break;
    case F_SETFL: {
        int old = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);

        while (!__atomic_compare_exchange_n(&f->flags, &old,
                                            (old & ~SETTABLE_FLAGS) | (arg & SETTABLE_FLAGS), false,
                                            __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            ;
        ret = 0;
        break;
    }
    default:
        ret = -EINVAL; /* locks (F_GETLK...) and the rest: nothing to share them with */
    }
    file_put(f);
    return (int)fd_result(ret);
}
