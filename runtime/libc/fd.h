/*
 * File descriptors: a table of open files, each with its own operations.
 *
 * An open file (struct file, POSIX's "open file description") is whatever
 * an fd names: the console, a file of the RAM file system, a directory,
 * later a block device or a socket.  Its ops table says what the calls on
 * it do; the generic system calls (fd_calls.c) look the fd up, hold a
 * reference for the length of the call, keep the offset and turn the ops'
 * negative errno returns into -1 + errno.  Thread-safe across vCPUs: the
 * table has one spin lock (held only to look up or change a slot), a file
 * is freed when its last fd is closed and the last call on it has
 * returned, and calls that use the file's offset are serialised by the
 * file's own mutex (two threads reading one fd get different bytes).
 *
 * A new kind of file provides a struct file_ops and calls file_new() +
 * fd_install(); nothing here knows the kinds.
 */
#ifndef RUNTIME_LIBC_FD_H
#define RUNTIME_LIBC_FD_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <minios/sync.h>

#pragma GCC visibility push(hidden)

/* The table's size: sysconf(_SC_OPEN_MAX), open()'s EMFILE. */
#define FD_MAX 256

struct file;

/*
 * What a kind of file does.  Every function returns >= 0 or a negative
 * errno.  A NULL member is refused with the errno noted.  @pos is the
 * offset to use and advance: the file's own (under its offset lock) or
 * pread/pwrite's; it is NULL for a file without an offset (!seekable).
 */
struct file_ops {
    const char *kind; /* for messages: "console", "file", "directory" */
    bool seekable;    /* has an offset: lseek, pread, pwrite (else ESPIPE) */
    bool tty;         /* isatty() says yes */
    bool stays_open;  /* close() of fd 0-2 succeeds and keeps it (stdio closes them per thread) */
    ssize_t (*read)(struct file *f, void *buf, size_t n, off_t *pos);        /* EBADF */
    ssize_t (*write)(struct file *f, const void *buf, size_t n, off_t *pos); /* EBADF */
    int (*fstat)(struct file *f, struct stat *st);                           /* required */
    int (*truncate)(struct file *f, off_t length);                           /* EINVAL */
    int (*sync)(struct file *f);                                             /* 0: nothing to do */
    /* The last reference is gone: free what priv holds.  May be NULL. */
    void (*release)(struct file *f);
};

struct file {
    const struct file_ops *ops;
    void *priv;            /* the kind's own object (an inode, a device) */
    int flags;             /* O_ACCMODE, O_APPEND, O_NONBLOCK as open()/F_SETFL set them */
    unsigned long refs;    /* fds naming it + calls in progress; atomic */
    struct mutex pos_lock; /* held while @pos is used */
    off_t pos;
};

/* A new open file with one reference (the caller's); NULL if out of memory. */
struct file *file_new(const struct file_ops *ops, void *priv, int flags);

/* Takes one more reference to @f. */
void file_get(struct file *f);

/* Drops a reference; the last one releases and frees the file. */
void file_put(struct file *f);

/*
 * Gives @f the lowest free fd at or above @min_fd, taking a reference for
 * it (the caller keeps its own).  Returns the fd or -EMFILE.
 */
int fd_install(struct file *f, int min_fd);

/* The file @fd names, with a reference the caller must file_put(); NULL: EBADF. */
struct file *fd_get(int fd);

/* Whether @fd names a file. */
bool fd_is_open(int fd);

/* Frees @fd and drops its reference.  0 or -EBADF. */
int fd_close(int fd);

/* Makes @new_fd name what @old_fd names (closing what it named).  @new_fd or -EBADF. */
int fd_dup2(int old_fd, int new_fd);

/* The fd's own flags (FD_CLOEXEC): F_GETFD / F_SETFD.  -EBADF if @fd is free. */
int fd_get_flags(int fd);
int fd_set_flags(int fd, int flags);

/* Whether @f's access mode allows reading / writing. */
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/* Sets errno to -@ret when @ret is negative and returns -1; else returns @ret. */
long fd_result(long ret);

/* The console, which fds 0, 1 and 2 name from the start (fd_console.c). */
extern struct file fd_console_file;

#pragma GCC visibility pop

#endif /* RUNTIME_LIBC_FD_H */
