/*
 * The fd table and open files' lifetimes (fd.h).  One spin lock guards the
 * slots; it is held only to read or change them, never across a call into
 * a file's ops (those may sleep).  A file's reference count covers the fds
 * naming it and the calls in progress on it, so close() on one vCPU while
 * read() runs on another frees the file only when read() has returned.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <minios/spinlock.h>
#include <minios/sync.h>

#include "fd.h"

struct fd_slot {
    struct file *file; /* NULL: free */
    int flags;         /* FD_CLOEXEC */
};

/* fds 0, 1 and 2 name the console from the start: nothing to set up. */
static struct fd_slot table[FD_MAX] = {
    {&fd_console_file, 0},
    {&fd_console_file, 0},
    {&fd_console_file, 0},
};
static spinlock_t table_lock = SPINLOCK_INIT;

struct file *file_new(const struct file_ops *ops, void *priv, int flags)
{
    struct file *f = calloc(1, sizeof(*f));

    if (!f)
        return NULL;
    f->ops = ops;
    f->priv = priv;
    f->flags = flags;
    f->refs = 1;
    mutex_init(&f->pos_lock, false);
    return f;
}

void file_get(struct file *f)
{
    __atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
    if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (f->ops->release)
        f->ops->release(f);
    free(f);
}

static bool valid_fd(int fd)
{
    return fd >= 0 && fd < FD_MAX;
}

int fd_install(struct file *f, int min_fd)
{
    if (min_fd < 0)
        min_fd = 0;
    spin_lock(&table_lock);
    for (int fd = min_fd; fd < FD_MAX; fd++) {
        if (!table[fd].file) {
            file_get(f);
            table[fd].file = f;
            table[fd].flags = 0;
            spin_unlock(&table_lock);
            return fd;
        }
    }
    spin_unlock(&table_lock);
    return -EMFILE;
}

struct file *fd_get(int fd)
{
    struct file *f = NULL;

    if (!valid_fd(fd))
        return NULL;
    spin_lock(&table_lock);
    f = table[fd].file;
    if (f)
        file_get(f);
    spin_unlock(&table_lock);
    return f;
}

bool fd_is_open(int fd)
{
    struct file *f = fd_get(fd);

    if (f)
        file_put(f);
    return f != NULL;
}

int fd_close(int fd)
{
    struct file *f;
    bool keep;

    if (!valid_fd(fd))
        return -EBADF;
    spin_lock(&table_lock);
    f = table[fd].file;
    keep = f && f->ops->stays_open && fd <= STDERR_FILENO;
    if (f && !keep)
        table[fd].file = NULL;
    spin_unlock(&table_lock);
    if (!f)
        return -EBADF;
    if (!keep)
        file_put(f);
    return 0;
}

int fd_dup2(int old_fd, int new_fd)
{
    struct file *f, *old = NULL;

    if (!valid_fd(old_fd) || !valid_fd(new_fd))
        return -EBADF;
    spin_lock(&table_lock);
    f = table[old_fd].file;
    if (!f) {
        spin_unlock(&table_lock);
        return -EBADF;
    }
    if (old_fd != new_fd) {
        old = table[new_fd].file;
        file_get(f);
        table[new_fd].file = f;
        table[new_fd].flags = 0;
    }
    spin_unlock(&table_lock);
    if (old)
        file_put(old); /* outside the lock: a release may sleep */
    return new_fd;
}

int fd_get_flags(int fd)
{
    int flags = -EBADF;

    if (!valid_fd(fd))
        return -EBADF;
    spin_lock(&table_lock);
    if (table[fd].file)
        flags = table[fd].flags;
    spin_unlock(&table_lock);
    return flags;
}

int fd_set_flags(int fd, int flags)
{
    int ret = -EBADF;

    if (!valid_fd(fd))
        return -EBADF;
    spin_lock(&table_lock);
    if (table[fd].file) {
        table[fd].flags = flags & FD_CLOEXEC;
        ret = 0;
    }
    spin_unlock(&table_lock);
    return ret;
}

bool file_readable(const struct file *f)
{
    return (f->flags & O_ACCMODE) != O_WRONLY;
}

bool file_writable(const struct file *f)
{
    return (f->flags & O_ACCMODE) != O_RDONLY;
}

long fd_result(long ret)
{
    if (ret < 0) {
        errno = (int)-ret;
        return -1;
    }
    return ret;
}
