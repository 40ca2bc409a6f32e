/*
 * The system calls newlib makes that are not about files (docs/newlib-glue.md
 * has the contract; fds are fd_calls.c's, paths runtime/fs/'s): the
 * process, signals, time; the calls with nothing behind them fail with
 * ENOSYS -- never a silent success.  errno is the calling thread's
 * (through __getreent()), as newlib's <errno.h> defines it.
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

#include <minios/console.h>
#include <minios/kernel.h>
#include <minios/time.h>

#include "enosys.h"
#include "libc_thread.h"

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

/* raise() without a handler lands here: for us, that is a crash with a report.  kill() of
 * ourselves with a handler set runs it, as POSIX says. */
int kill(pid_t pid, int sig)
{
    if (pid != getpid()) {
        errno = ESRCH;
        return -1;
    }
    if (sig == 0)
        return 0;
    /* A handler or SIG_IGN the caller set (signals.c): raise() honours it. */
    if (sig > 0 && sig < NSIG && _REENT_SIG_FUNC(_REENT) && _REENT_SIG_FUNC(_REENT)[sig] != SIG_DFL)
        return raise(sig);
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

/* No processes: say so (process.c has the rest of the family). */
ENOSYS_CALL(int, execve,
            (const char *path UNUSED, char *const argv[] UNUSED, char *const envp[] UNUSED))
ENOSYS_CALL(pid_t, fork, (void))
ENOSYS_CALL(pid_t, wait, (int *status UNUSED))

/* Constructors run through __libc_init_array(), which calls these first and last. */
void _init(void)
{
}

void _fini(void)
{
}
