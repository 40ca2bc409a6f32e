/*
 * Signals as far as minios has them: only synchronous ones.  raise() (and
 * abort()) run newlib's handler table; with SIG_DFL, kill() (syscalls.c)
 * ends the domain with a report.  Nothing outside the program sends a
 * signal, so no call here ever waits for one (sigsuspend, sigwait & co,
 * pause: ENOSYS), and nothing is ever pending.
 *
 * - Signal sets: the five operations, EINVAL for a number outside 1..NSIG-1.
 * - Dispositions (sigaction, on newlib's signal()): newlib keeps its table
 *   in the thread's struct _reent, so a disposition is the calling
 *   thread's, not the process's (POSIX's).  newlib's raise() resets a
 *   handler to SIG_DFL before calling it (ISO C's signal()); a handler set
 *   with sigaction() is called through sigaction_entry(), which sets it
 *   again first, so it stays as POSIX's sigaction() says.  sa_mask and
 *   sa_flags (newlib's struct has only SA_NOCLDSTOP) are kept and reported.
 * - The signal mask (sigprocmask, pthread_sigmask) is per thread, kept and
 *   reported; raise() does not consult it (newlib's), so blocking a signal
 *   does not hold back a raise() of it.
 */
#include <errno.h>
#include <pthread.h>
#include <reent.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <minios/thread.h>

#include "enosys.h"
#include "libc_thread.h"

/* newlib's unchecked macros (scripts/newlib-patches/sigset-functions.patch turns them off). */
#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

static bool valid(int sig)
{
    return sig > 0 && sig < NSIG;
}

static sigset_t bit(int sig)
{
    return (sigset_t)1 << sig;
}

int sigemptyset(sigset_t *set)
{
    *set = 0;
    return 0;
}

int sigfillset(sigset_t *set)
{
    *set = 0;
    for (int sig = 1; sig < NSIG; sig++)
        *set |= bit(sig);
    return 0;
}

int sigaddset(sigset_t *set, const int sig)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    *set |= bit(sig);
    return 0;
}

int sigdelset(sigset_t *set, const int sig)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    *set &= ~bit(sig);
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    return (*set & bit(sig)) != 0;
}

static struct libc_thread *this_thread(void)
{
    return libc_thread_of(thread_self(), true);
}

/* Returns an error number, as pthread_sigmask() does. */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    struct libc_thread *lt = this_thread();
    sigset_t mask;

    if (!lt)
        return EAGAIN;
    mask = lt->sigmask;
    if (old)
        *old = mask;
    if (!set)
        return 0;
    switch (how) {
    case SIG_BLOCK:
        mask |= *set;
        break;
    case SIG_UNBLOCK:
        mask &= ~*set;
        break;
    case SIG_SETMASK:
        mask = *set;
        break;
    default:
        return EINVAL;
    }
    /* POSIX: SIGKILL and SIGSTOP cannot be blocked, and asking is no error. */
    lt->sigmask = mask & ~(bit(SIGKILL) | bit(SIGSTOP) | 1);
    return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    int err = pthread_sigmask(how, set, old);

    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

/* Nothing is ever pending: every signal is raise()d synchronously. */
int sigpending(sigset_t *set)
{
    *set = 0;
    return 0;
}

/* Calls the handler sigaction() set, setting it again first (raise() reset it). */
static void sigaction_entry(int sig)
{
    struct libc_thread *lt = this_thread();

    if (!lt)
        return;
    signal(sig, sigaction_entry);
    lt->actions[sig].sa_handler(sig);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    struct libc_thread *lt = this_thread();
    _sig_func_ptr *table = _REENT_SIG_FUNC(_REENT);
    _sig_func_ptr current, handler;

    if (!valid(sig) || (act && (sig == SIGKILL || sig == SIGSTOP) && act->sa_handler != SIG_DFL)) {
        errno = EINVAL;
        return -1;
    }
    if (!lt) {
        errno = EAGAIN;
        return -1;
    }
    current = table ? table[sig] : SIG_DFL;
    if (old) {
        if (current == sigaction_entry) {
            *old = lt->actions[sig];
        } else {
            memset(old, 0, sizeof(*old));
            old->sa_handler = current; /* set by signal(), or SIG_DFL */
        }
    }
    if (!act)
        return 0;
    handler = act->sa_handler;
    if (handler != SIG_DFL && handler != SIG_IGN)
        handler = sigaction_entry;
    lt->actions[sig] = *act;
    return signal(sig, handler) == SIG_ERR ? -1 : 0;
}

/* There is one process: its group is itself (identity.c). */
int killpg(pid_t pgrp, int sig)
{
    if (pgrp < 0) {
        errno = EINVAL;
        return -1;
    }
    if (pgrp != 0 && pgrp != getpgrp()) {
        errno = ESRCH;
        return -1;
    }
    return kill(getpid(), sig);
}

/* newlib's struct sigaction has no sa_sigaction, so no handler can receive @value. */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
    (void)value;
    if (pid != getpid()) {
        errno = ESRCH;
        return -1;
    }
    return sig == 0 ? 0 : raise(sig);
}

/* Returns an error number.  Another thread cannot be interrupted: only the caller. */
int pthread_kill(pthread_t thread, int sig)
{
    if (sig != 0 && !valid(sig))
        return EINVAL;
    if (sig == 0)
        return 0;
    if (!pthread_equal(thread, pthread_self()))
        return ENOSYS;
    return raise(sig) ? errno : 0;
}

/* Handlers run on the stack of the thread that raise()s: there is no other stack to use. */
int sigaltstack(const stack_t *ss, stack_t *old)
{
    if (old) {
        memset(old, 0, sizeof(*old));
        old->ss_flags = SS_DISABLE;
    }
    if (ss) {
        errno = ENOSYS;
        return -1;
    }
    return 0;
}

/* Waiting for a signal: none can come, so each would wait forever. */
ENOSYS_CALL(int, sigsuspend, (const sigset_t *mask UNUSED))
/*
 * sigpause: <signal.h> names it __xpg_sigpause for X/Open (the System V
 * call) and sigpause for BSD; both wait, so both fail.
 */
ENOSYS_CALL(int, sigpause, (int sig UNUSED))
int __xpg_sigpause(int sig);
ENOSYS_CALL(int, __xpg_sigpause, (int sig UNUSED))
ENOSYS_CALL(int, sigwaitinfo, (const sigset_t *set UNUSED, siginfo_t *info UNUSED))
ENOSYS_CALL(int, sigtimedwait,
            (const sigset_t *set UNUSED, siginfo_t *info UNUSED,
             const struct timespec *timeout UNUSED))
ENOSYS_CALL(int, pause, (void))

/* Returns an error number, as sigwait() does. */
int sigwait(const sigset_t *set, int *sig)
{
    (void)set;
    (void)sig;
    return ENOSYS;
}
