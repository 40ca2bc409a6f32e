/*
 * The end of a program: exit(), _exit(), and the last flush of stdio.
 *
 * newlib's own exit() closes every stream of the main thread after the
 * atexit handlers, and closing takes the stream's lock: a thread asleep in
 * fgets(stdin) holds stdin's lock for as long as no input comes, so exit()
 * from any other thread (or the toolstack's `xl shutdown`) waited forever.
 * Ours runs the atexit handlers the same way (newlib's __call_exitprocs),
 * then flushes every stream whose lock it can take at once and reports the
 * bytes of the others as dropped: it never waits for a lock another thread
 * holds.  There are no files to close.
 *
 * Every stream is on newlib's one global list (__sglue): stdin, stdout
 * and stderr are shared by all threads, as in POSIX (newlib 3.3 gave each
 * thread its own three).  Read streams hold no output and are left alone.
 */
#include <reent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/lock.h>
#include <unistd.h>

#include <kernel/app.h>
#include <kernel/console.h>
#include <kernel/format.h>
#include <minios/console.h>
#include <minios/kernel.h>

/* newlib's: runs the atexit (and on_exit, __cxa_atexit) handlers, last first. */
void __call_exitprocs(int status, void *dso);

/* Bytes in a write stream's buffer, read without its lock (for the report only). */
static long pending_bytes(const FILE *fp)
{
    long n = fp->_bf._base ? (long)(fp->_p - fp->_bf._base) : 0;

    return n < 0 || n > fp->_bf._size ? 0 : n;
}

/* "stdout", or "a stream on fd 1" for one of the program's own. */
static void stream_name(const FILE *fp, char *buf, size_t size)
{
    static const char *const std[] = {"stdin", "stdout", "stderr"};

    if (fp >= &__sf[0] && fp <= &__sf[2])
        ksnprintf(buf, size, "%s", std[fp - &__sf[0]]);
    else
        ksnprintf(buf, size, "a stream on fd %d", fp->_file);
}

/*
 * What fflush() does to a write stream, through the stream's own write
 * function, which the stream's first use set: calling newlib's _fflush_r()
 * here would link stdio's code (and the file calls under it) into every
 * program, one that writes no stream too.  The stream is left empty.
 */
static void write_out(struct _reent *r, FILE *fp)
{
    const char *p = (const char *)fp->_bf._base;
    long n = pending_bytes(fp);

    if (n == 0 || !fp->_write)
        return;
    fp->_p = fp->_bf._base;
    fp->_w = 0;
    while (n > 0) {
        long done = fp->_write(r, fp->_cookie, p, (int)n);

        if (done <= 0) {
            fp->_flags |= __SERR;
            return;
        }
        p += done;
        n -= done;
    }
}

static void flush_stream(struct _reent *r, FILE *fp)
{
    bool locking = !(fp->_flags2 & __SNLK); /* __fsetlocking(FSETLOCKING_BYCALLER) */
    long dropped;

    if (!(fp->_flags & __SWR))
        return;
    if (!locking || __lock_try_acquire_recursive(fp->_lock)) {
        write_out(r, fp);
        if (locking)
            __lock_release_recursive(fp->_lock);
        return;
    }
    dropped = pending_bytes(fp);
    if (dropped == 0)
        return;
    char name[32];

    stream_name(fp, name, sizeof(name));
    console_start_line();
    printk("minios: %ld bytes buffered for %s dropped: another thread holds its lock\n", dropped,
           name);
}

void app_flush_output(void)
{
    static int done;

    if (__atomic_exchange_n(&done, 1, __ATOMIC_SEQ_CST))
        return;
    /* Every stream, as newlib's _fwalk_sglue() finds them. */
    for (struct _glue *g = &__sglue; g; g = g->_next) {
        FILE *fp = g->_iobs;

        for (int n = g->_niobs; n > 0; n--, fp++) {
            if (fp->_flags != 0 && fp->_flags != 1 && fp->_file != -1)
                flush_stream(_REENT, fp);
        }
    }
}

void exit(int status)
{
    __call_exitprocs(status, NULL);
    _exit(status);
}

void _exit(int status)
{
    app_flush_output();
    minios_exit(status);
}

void app_exit(int status)
{
    exit(status);
}
