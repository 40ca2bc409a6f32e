/*
 * select() and pselect() over poll() (runtime/net/sockets.c), so they take
 * sockets and other files together exactly as poll() does.  Only the first
 * @nfds bits of each set are read or written: the caller's fd_set may be
 * of any FD_SETSIZE that holds them.  @nfds above the descriptor table
 * (FD_MAX) is EINVAL; a set bit for a closed descriptor is EBADF, as POSIX
 * says.  There are no signals in minios: pselect()'s mask changes nothing.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include "../libc/fd.h"

#define PUBLIC __attribute__((visibility("default")))

static bool in(const fd_set *set, int fd)
{
    return set && FD_ISSET(fd, set);
}

/* select() with a timeout in milliseconds (-1: none). */
static int select_ms(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, int timeout_ms)
{
    struct pollfd *pf;
    int n = 0, ready = 0;

    if (nfds < 0 || nfds > FD_MAX) {
        errno = EINVAL;
        return -1;
    }
    pf = nfds ? calloc((size_t)nfds, sizeof(*pf)) : NULL;
    if (nfds && !pf) {
        errno = ENOMEM;
        return -1;
    }
    for (int fd = 0; fd < nfds; fd++) {
        short ev = (short)((in(rd, fd) ? POLLIN : 0) | (in(wr, fd) ? POLLOUT : 0) |
                           (in(ex, fd) ? POLLPRI : 0));

        if (!ev)
            continue;
        pf[n].fd = fd;
        pf[n].events = ev;
        n++;
    }
    if (poll(pf, (nfds_t)n, timeout_ms) < 0) {
        free(pf);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        if (pf[k].revents & POLLNVAL) {
            free(pf);
            errno = EBADF;
            return -1;
        }
    }
    for (int fd = 0; fd < nfds; fd++) {
        if (rd)
            FD_CLR(fd, rd);
        if (wr)
            FD_CLR(fd, wr);
        if (ex)
            FD_CLR(fd, ex);
    }
    for (int k = 0; k < n; k++) {
        short re = pf[k].revents, ev = pf[k].events;
        int fd = pf[k].fd;

        /* An error or a hang-up makes a read or a write return at once: "ready". */
        if ((ev & POLLIN) && (re & (POLLIN | POLLERR | POLLHUP))) {
            FD_SET(fd, rd);
            ready++;
        }
        if ((ev & POLLOUT) && (re & (POLLOUT | POLLERR | POLLHUP))) {
            FD_SET(fd, wr);
            ready++;
        }
        if ((ev & POLLPRI) && (re & POLLPRI)) {
            FD_SET(fd, ex);
            ready++;
        }
    }
    free(pf);
    return ready;
}

/* Milliseconds for poll(), rounded up; -1 for none; INT_MAX at most. */
static int to_ms(long long sec, long long sub_ns, bool *bad)
{
    if (sec < 0 || sub_ns < 0 || sub_ns >= 1000000000LL) {
        *bad = true;
        return 0;
    }
    if (sec > INT_MAX / 1000 - 1)
        return INT_MAX;
    return (int)(sec * 1000 + (sub_ns + 999999) / 1000000);
}

PUBLIC int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *timeout)
{
    bool bad = false;
    int ms = timeout ? to_ms(timeout->tv_sec, (long long)timeout->tv_usec * 1000, &bad) : -1;

    if (bad || (timeout && timeout->tv_usec >= 1000000)) {
        errno = EINVAL;
        return -1;
    }
    return select_ms(nfds, rd, wr, ex, ms);
}

PUBLIC int pselect(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *timeout,
                   const sigset_t *mask)
{
    bool bad = false;
    int ms = timeout ? to_ms(timeout->tv_sec, timeout->tv_nsec, &bad) : -1;

    (void)mask;
    if (bad) {
        errno = EINVAL;
        return -1;
    }
    return select_ms(nfds, rd, wr, ex, ms);
}
