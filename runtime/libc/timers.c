/*
 * Timers that deliver signals, and setting the clock.  minios delivers no
 * asynchronous signal (signals.c), so a timer that would end in SIGALRM or
 * a sigevent cannot be armed: alarm, ualarm, setitimer and timer_create
 * fail with ENOSYS (alarm and ualarm return (unsigned)-1, having no other
 * way to fail).  Reading says what is true: no timer is armed
 * (getitimer), and no timer_t can name one (EINVAL).  The clock is Xen's
 * (time.c): a guest may not set it (EPERM); adjtime() can report that no
 * adjustment is in progress.
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "enosys.h"

unsigned alarm(unsigned seconds)
{
    if (seconds == 0)
        return 0; /* cancels nothing: none is pending */
    errno = ENOSYS;
    return (unsigned)-1;
}

useconds_t ualarm(useconds_t usecs, useconds_t interval)
{
    if (usecs == 0 && interval == 0)
        return 0;
    errno = ENOSYS;
    return (useconds_t)-1;
}

int getitimer(int which, struct itimerval *value)
{
    if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF) {
        errno = EINVAL;
        return -1;
    }
    memset(value, 0, sizeof(*value));
    return 0;
}

ENOSYS_CALL(int, setitimer,
            (int which UNUSED, const struct itimerval *value UNUSED, struct itimerval *old UNUSED))
ENOSYS_CALL(int, timer_create,
            (clockid_t clock UNUSED, struct sigevent *event UNUSED, timer_t *timer UNUSED))

/* No timer_t was ever handed out, so none is valid. */
static int no_such_timer(void)
{
    errno = EINVAL;
    return -1;
}

int timer_delete(timer_t timer)
{
    (void)timer;
    return no_such_timer();
}

int timer_gettime(timer_t timer, struct itimerspec *value)
{
    (void)timer;
    (void)value;
    return no_such_timer();
}

int timer_settime(timer_t timer, int flags, const struct itimerspec *value, struct itimerspec *old)
{
    (void)timer;
    (void)flags;
    (void)value;
    (void)old;
    return no_such_timer();
}

int timer_getoverrun(timer_t timer)
{
    (void)timer;
    return no_such_timer();
}

static int clock_is_xens(void)
{
    errno = EPERM;
    return -1;
}

int settimeofday(const struct timeval *tv, const struct timezone *tz)
{
    (void)tv;
    (void)tz;
    return clock_is_xens();
}

int clock_settime(clockid_t clock, const struct timespec *tp)
{
    (void)tp;
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
        errno = EINVAL;
        return -1;
    }
    return clock_is_xens();
}

int adjtime(const struct timeval *delta, struct timeval *old)
{
    if (delta)
        return clock_is_xens();
    if (old)
        memset(old, 0, sizeof(*old));
    return 0;
}
