/*
 * POSIX clocks and sleeps on Xen time and the scheduler.
 * CLOCK_MONOTONIC is Xen system time (ns since the domain began: never
 * goes backwards on a vCPU); CLOCK_REALTIME adds Xen's wall clock.  Sleeps
 * block the calling thread, not the vCPU, and never end early.
 */
#include <errno.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <minios/thread.h>
#include <minios/time.h>

static int clock_ns(clockid_t clock, uint64_t *ns)
{
    switch (clock) {
    case CLOCK_MONOTONIC:
        *ns = monotonic_ns();
        return 0;
    case CLOCK_REALTIME:
        *ns = wallclock_ns();
        return 0;
    default:
        errno = EINVAL;
        return -1;
    }
}

int clock_gettime(clockid_t clock, struct timespec *tp)
{
    uint64_t ns;

    if (clock_ns(clock, &ns))
        return -1;
    tp->tv_sec = (time_t)(ns / NSEC_PER_SEC);
    tp->tv_nsec = (long)(ns % NSEC_PER_SEC);
    return 0;
}

/* C11: TIME_UTC is the only base; it is CLOCK_REALTIME.  0 means failure. */
int timespec_get(struct timespec *ts, int base)
{
    if (base != TIME_UTC || clock_gettime(CLOCK_REALTIME, ts) != 0)
        return 0;
    return base;
}

int clock_getres(clockid_t clock, struct timespec *res)
{
    uint64_t ns;

    if (clock_ns(clock, &ns))
        return -1;
    if (res) {
        res->tv_sec = 0;
        res->tv_nsec = 1;
    }
    return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (!req || req->tv_nsec < 0 || req->tv_nsec >= (long)NSEC_PER_SEC || req->tv_sec < 0) {
        errno = EINVAL;
        return -1;
    }
    thread_sleep_ns((uint64_t)req->tv_sec * NSEC_PER_SEC + (uint64_t)req->tv_nsec);
    if (rem) {
        rem->tv_sec = 0;
        rem->tv_nsec = 0;
    }
    return 0;
}

unsigned sleep(unsigned seconds)
{
    thread_sleep_ns((uint64_t)seconds * NSEC_PER_SEC);
    return 0;
}

int usleep(useconds_t us)
{
    thread_sleep_ns((uint64_t)us * NSEC_PER_USEC);
    return 0;
}

int sched_yield(void)
{
    thread_yield();
    return 0;
}
