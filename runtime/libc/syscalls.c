/*
 * The system calls newlib makes (docs/newlib-glue.md has the contract).
 * There are no files: fds 0, 1 and 2 are the console, everything else is
 * EBADF, and the calls with nothing behind them fail with ENOSYS --
 * never a silent success.  errno is the calling thread's (through
 * __getreent()), as newlib's <errno.h> defines it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <unistd.h>

#include <kernel/net_fd.h>
#include <minios/console.h>
#include <minios/kernel.h>
#include <minios/time.h>

#include "libc_thread.h"

#define CONSOLE_FDS 3

static int bad_fd(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

int write(int fd, const void *buf, size_t n)
{
    if (net_fd_is_socket(fd))
        return (int)net_fd_write(fd, buf, n);
    if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
        return fd == STDIN_FILENO ? (errno = EBADF, -1) : bad_fd(fd);
    console_write(buf, n);
    return (int)n;
}

int read(int fd, void *buf, size_t n)
{
    if (net_fd_is_socket(fd))
        return (int)net_fd_read(fd, buf, n);
    if (fd != STDIN_FILENO)
        return bad_fd(fd);
    return (int)console_read(buf, n);
}

off_t lseek(int fd, off_t off, int whence)
{
    (void)off;
    (void)whence;
    if (fd < 0 || fd >= CONSOLE_FDS)
        return bad_fd(fd);
    errno = ESPIPE;
    return -1;
}

/* stdio closes 0-2 at exit and per thread: the console must survive it. */
int close(int fd)
{
    if (net_fd_is_socket(fd))
        return net_fd_close(fd);
    return fd >= 0 && fd < CONSOLE_FDS ? 0 : bad_fd(fd);
}

int fstat(int fd, struct stat *st)
{
    if (fd < 0 || fd >= CONSOLE_FDS)
        return bad_fd(fd);
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR;
    return 0;
}

/* A terminal: stdout is line-buffered, so a printf'd line goes out whole. */
int isatty(int fd)
{
    if (fd >= 0 && fd < CONSOLE_FDS)
        return 1;
    errno = fd < 0 ? EBADF : ENOTTY;
    return 0;
}

pid_t getpid(void)
{
    return 1;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGABRT:
        return "SIGABRT";
    case SIGSEGV:
        return "SIGSEGV";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGKILL:
        return "SIGKILL";
    default:
        return "a signal";
    }
}

/* raise() without a handler lands here: for us, that is a crash with a report. */
int kill(pid_t pid, int sig)
{
    if (pid != getpid()) {
        errno = ESRCH;
        return -1;
    }
    if (sig == 0)
        return 0;
    panic("killed by signal %d (%s)%s", sig, signal_name(sig),
          sig == SIGABRT ? ": abort() was called" : "");
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    if (tv) {
        uint64_t ns = wallclock_ns();

        tv->tv_sec = (time_t)(ns / NSEC_PER_SEC);
        tv->tv_usec = (suseconds_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
    }
    return 0;
}

/* clock() is utime + stime in CLOCKS_PER_SEC (1000) ticks: the time since boot. */
clock_t times(struct tms *buf)
{
    clock_t ticks = (clock_t)(monotonic_ns() / NSEC_PER_MSEC);

    if (buf) {
        buf->tms_utime = ticks;
        buf->tms_stime = 0;
        buf->tms_cutime = 0;
        buf->tms_cstime = 0;
    }
    return ticks;
}

/* No file system, no processes: say so. */
#define ENOSYS_CALL(ret, name, params)                                                             \
    ret name params                                                                                \
    {                                                                                              \
        errno = ENOSYS;                                                                            \
        return (ret)-1;                                                                            \
    }

int open(const char *path, int flags, ...)
{
    (void)path;
    (void)flags;
    errno = ENOSYS;
    return -1;
}

int fcntl(int fd, int cmd, ...)
{
    if (net_fd_is_socket(fd)) {
        va_list ap;
        int val;

        va_start(ap, cmd);
        val = cmd == F_SETFL ? va_arg(ap, int) : 0;
        va_end(ap);
        return net_fd_fcntl(fd, cmd, val);
    }
    if (fd < 0 || fd >= CONSOLE_FDS)
        return bad_fd(fd);
    errno = ENOSYS;
    return -1;
}

ENOSYS_CALL(int, unlink, (const char *path __attribute__((unused))))
ENOSYS_CALL(int, link,
            (const char *a __attribute__((unused)), const char *b __attribute__((unused))))
ENOSYS_CALL(int, stat,
            (const char *path __attribute__((unused)), struct stat *st __attribute__((unused))))
ENOSYS_CALL(int, mkdir,
            (const char *path __attribute__((unused)), mode_t mode __attribute__((unused))))
ENOSYS_CALL(int, execve,
            (const char *path __attribute__((unused)), char *const argv[] __attribute__((unused)),
             char *const envp[] __attribute__((unused))))
ENOSYS_CALL(pid_t, fork, (void))
ENOSYS_CALL(pid_t, wait, (int *status __attribute__((unused))))

/* Constructors run through __libc_init_array(), which calls these first and last. */
void _init(void)
{
}

void _fini(void)
{
}
