/*
 * pipe(): a byte queue between the threads of the domain, as an fd kind
 * (fd.h).  The buffer holds PIPE_SIZE bytes; a write of up to PIPE_BUF
 * (512) bytes goes in whole or waits, a longer one may be split by
 * another writer's.  A read waits for bytes while a write end is open and
 * returns what there is (0 at end of file, when none is); a write waits
 * for room while a read end is open, and with none fails with EPIPE
 * (POSIX would also raise SIGPIPE: no signal is ever sent here).
 * O_NONBLOCK (fcntl F_SETFL) makes a wait EAGAIN.  mkfifo() has no file
 * system node to give one (fs_names.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minios/mm.h>
#include <minios/sync.h>

#include "fd.h"

#define PIPE_SIZE   4096
#define PIPE_ATOMIC 512 /* PIPE_BUF in newlib's <sys/syslimits.h> */

struct pipe {
    struct mutex lock;
    struct condvar changed; /* bytes came or went, an end closed */
    size_t head, len;       /* the bytes are buf[head...] mod PIPE_SIZE */
    unsigned int readers, writers;
    unsigned char buf[PIPE_SIZE];
};

static ssize_t pipe_read(struct file *f, void *out, size_t n, off_t *pos)
{
    struct pipe *p = f->priv;
    size_t done = 0;

    (void)pos;
    mutex_lock(&p->lock);
    while (p->len == 0 && p->writers > 0 && n > 0) {
        if (f->flags & O_NONBLOCK) {
            mutex_unlock(&p->lock);
            return -EAGAIN;
        }
        condvar_wait(&p->changed, &p->lock);
    }
    while (done < n && p->len > 0) {
        size_t chunk = PIPE_SIZE - p->head;

        if (chunk > p->len)
            chunk = p->len;
        if (chunk > n - done)
            chunk = n - done;
        memcpy((unsigned char *)out + done, p->buf + p->head, chunk);
        p->head = (p->head + chunk) % PIPE_SIZE;
        p->len -= chunk;
        done += chunk;
    }
    condvar_broadcast(&p->changed);
    mutex_unlock(&p->lock);
    return (ssize_t)done;
}

static ssize_t pipe_write(struct file *f, const void *in, size_t n, off_t *pos)
{
    struct pipe *p = f->priv;
    size_t done = 0;

    (void)pos;
    mutex_lock(&p->lock);
    while (done < n) {
        size_t room = PIPE_SIZE - p->len;
        /* A small write goes in whole: wait for room for all of it. */
        size_t need = n <= PIPE_ATOMIC ? n : 1;

        if (p->readers == 0) {
            mutex_unlock(&p->lock);
            return done ? (ssize_t)done : -EPIPE;
        }
        if (room < need) {
            if (f->flags & O_NONBLOCK) {
                mutex_unlock(&p->lock);
                return done ? (ssize_t)done : -EAGAIN;
            }
            condvar_wait(&p->changed, &p->lock);
            continue;
        }
        size_t tail = (p->head + p->len) % PIPE_SIZE;
        size_t chunk = PIPE_SIZE - tail;

        if (chunk > room)
            chunk = room;
        if (chunk > n - done)
            chunk = n - done;
        memcpy(p->buf + tail, (const unsigned char *)in + done, chunk);
        p->len += chunk;
        done += chunk;
        condvar_broadcast(&p->changed);
    }
    mutex_unlock(&p->lock);
    return (ssize_t)done;
}

static int pipe_fstat(struct file *f, struct stat *st)
{
    struct pipe *p = f->priv;

    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFIFO | 0600;
    st->st_blksize = PIPE_SIZE;
    mutex_lock(&p->lock);
    st->st_size = (off_t)p->len;
    mutex_unlock(&p->lock);
    return 0;
}

/* An end closes: wake the other side; the last one frees the pipe. */
static void pipe_release(struct file *f)
{
    struct pipe *p = f->priv;
    bool last;

    mutex_lock(&p->lock);
    if (file_readable(f))
        p->readers--;
    else
        p->writers--;
    last = p->readers == 0 && p->writers == 0;
    condvar_broadcast(&p->changed);
    mutex_unlock(&p->lock);
    if (last)
        kfree(p);
}

static const struct file_ops pipe_ops = {
    .kind = "pipe",
    .read = pipe_read,
    .write = pipe_write,
    .fstat = pipe_fstat,
    .release = pipe_release,
};

int pipe(int fds[2])
{
    struct pipe *p = kcalloc(1, sizeof(*p));
    struct file *rd, *wr;
    int rfd = -1, wfd = -1;

    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    mutex_init(&p->lock, false);
    condvar_init(&p->changed);
    p->readers = p->writers = 1;
    rd = file_new(&pipe_ops, p, O_RDONLY);
    wr = rd ? file_new(&pipe_ops, p, O_WRONLY) : NULL;
    if (!rd || !wr) {
        if (rd) {
            p->writers = 0; /* rd's release frees it */
            file_put(rd);
        } else {
            kfree(p);
        }
        errno = ENOMEM;
        return -1;
    }
    rfd = fd_install(rd, 0);
    wfd = rfd >= 0 ? fd_install(wr, 0) : -EMFILE;
    file_put(rd); /* the fds hold them now (or nothing does, and they go) */
    file_put(wr);
    if (wfd < 0) {
        if (rfd >= 0)
            fd_close(rfd);
        errno = EMFILE;
        return -1;
    }
    fds[0] = rfd;
    fds[1] = wfd;
    return 0;
}
