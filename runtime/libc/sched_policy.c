/*
 * <sched.h>'s policy calls and nice(): the scheduler (kernel/sched.c) has
 * one policy, SCHED_OTHER, at one priority, 0 (what sched_get_priority_min
 * and _max say, runtime/pthread/pthread.c), and runs a thread until it
 * blocks or yields: no time slice.  Asking for what holds succeeds; asking
 * for another policy or priority is EINVAL (POSIX: "the requested policy
 * or a parameter is invalid"), as the pthread attribute calls answer too.
 * The only process is pid 1, also named 0 ("the caller").
 */
#include <errno.h>
#include <sched.h>
#include <unistd.h>

static int is_us(pid_t pid)
{
    if (pid == 0 || pid == getpid())
        return 1;
    errno = ESRCH;
    return 0;
}

int sched_getscheduler(pid_t pid)
{
    return is_us(pid) ? SCHED_OTHER : -1;
}

int sched_getparam(pid_t pid, struct sched_param *param)
{
    if (!is_us(pid))
        return -1;
    if (!param) {
        errno = EINVAL;
        return -1;
    }
    param->sched_priority = 0;
    return 0;
}

static int check_param(const struct sched_param *param)
{
    if (param && param->sched_priority == 0)
        return 0;
    errno = EINVAL;
    return -1;
}

int sched_setparam(pid_t pid, const struct sched_param *param)
{
    if (!is_us(pid))
        return -1;
    return check_param(param);
}

/* Returns the former policy, which was SCHED_OTHER. */
int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
    if (!is_us(pid))
        return -1;
    if (policy != SCHED_OTHER) {
        errno = EINVAL;
        return -1;
    }
    return check_param(param) ? -1 : SCHED_OTHER;
}

/*
 * No round robin: a thread runs until it blocks or yields.  A zero
 * interval says "no quantum" (what Linux reports for SCHED_FIFO too).
 */
int sched_rr_get_interval(pid_t pid, struct timespec *interval)
{
    if (!is_us(pid))
        return -1;
    if (!interval) {
        errno = EINVAL;
        return -1;
    }
    interval->tv_sec = 0;
    interval->tv_nsec = 0;
    return 0;
}

/*
 * The nice value is fixed at 0 (one priority): nice(0) returns it, a change
 * is EPERM (POSIX's error for a change the caller may not make).
 */
int nice(int incr)
{
    if (incr == 0)
        return 0;
    errno = EPERM;
    return -1;
}
