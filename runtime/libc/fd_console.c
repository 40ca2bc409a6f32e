/*
 * The console as an open file: what fds 0, 1 and 2 name from the start.
 * Reads take console input (blocking until some comes; 0 at end of file),
 * writes go to the console whole.  It has no offset (lseek: ESPIPE) and is
 * a terminal, so stdout is line-buffered.  It is never freed, and close()
 * of it succeeds and keeps it: newlib's stdio closes fds 0-2 whenever a
 * thread ends, while other threads still print.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <minios/console.h>

#include "fd.h"

static ssize_t console_file_read(struct file *f, void *buf, size_t n, off_t *pos)
{
    (void)f;
    (void)pos;
    return (ssize_t)console_read(buf, n);
}

static ssize_t console_file_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
    (void)f;
    (void)pos;
    console_write(buf, n);
    return (ssize_t)n;
}

static int console_file_fstat(struct file *f, struct stat *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0620;
    st->st_nlink = 1;
    st->st_blksize = 1024;
    return 0;
}

static const struct file_ops console_ops = {
    .kind = "console",
    .tty = true,
    .stays_open = true,
    .read = console_file_read,
    .write = console_file_write,
    .fstat = console_file_fstat,
};

/* Three fds name it and it must never reach zero: one extra reference. */
struct file fd_console_file = {
    .ops = &console_ops,
    .flags = O_RDWR,
    .refs = 4,
};
