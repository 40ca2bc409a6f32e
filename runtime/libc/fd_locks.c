/*
 * Locks on files, and the fd table's size by its old names.
 * lockf() locks are POSIX record locks, which belong to a process and only
 * ever keep other processes out: with one process nothing can conflict, so
 * every lock is granted at once (F_TEST finds none held by another) once
 * the fd and command are checked.  flock() locks belong to an open file and
 * would have to exclude this process's own other opens, which nothing here
 * records: ENOLCK ("no locks available") rather than a lock that is not one.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fd.h"

int lockf(int fd, int cmd, off_t len)
{
    struct file *f = fd_get(fd);
    bool writable;

    (void)len;
    if (!f) {
        errno = EBADF;
        return -1;
    }
    writable = file_writable(f);
    file_put(f);
    switch (cmd) {
    case F_LOCK:
    case F_TLOCK:
        if (!writable) {
            errno = EBADF; /* POSIX: a lock needs an fd open for writing */
            return -1;
        }
        return 0;
    case F_ULOCK:
    case F_TEST:
        return 0;
    default:
        errno = EINVAL;
        return -1;
    }
}

int flock(int fd, int operation)
{
    if (!fd_is_open(fd)) {
        errno = EBADF;
        return -1;
    }
    if (operation & ~(LOCK_SH | LOCK_EX | LOCK_NB | LOCK_UN)) {
        errno = EINVAL;
        return -1;
    }
    errno = ENOLCK;
    return -1;
}

/* sysconf(_SC_OPEN_MAX): the table has FD_MAX slots, always. */
int getdtablesize(void)
{
    return FD_MAX;
}

/* The table cannot grow or shrink: asking for its own size (or less) is no change. */
int setdtablesize(int size)
{
    if (size > 0 && size <= FD_MAX)
        return 0;
    errno = EINVAL;
    return -1;
}

/* Every open file's buffered data goes where it belongs (fsync(), for the kinds that have any). */
void sync(void)
{
    for (int fd = 0; fd < FD_MAX; fd++) {
        struct file *f = fd_get(fd);

        if (!f)
            continue;
        if (f->ops->sync)
            f->ops->sync(f);
        file_put(f);
    }
}
