/*
 * The BSD socket calls of <sys/socket.h>, <arpa/inet.h> and <poll.h> on
 * lwIP's socket layer (lwip_*, hidden inside the kernel).  A socket is a
 * kind of open file in the C library's fd table (runtime/libc/fd.h): its
 * descriptor is an ordinary one, so read(), write(), close(), fcntl(),
 * dup() and fstat() work on it, and lwIP's own socket number stays inside
 * the file.  This file sees lwIP's definitions of the types, the public
 * headers declare the same layouts (tests/net.sh's socket-abi compares
 * them); newlib's <fcntl.h> comes first so lwIP's fcntl speaks newlib's
 * O_NONBLOCK.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lwip/opt.h>
#include <lwip/inet.h>
#include <lwip/sockets.h>
#include <minios/thread.h>
#include "../libc/fd.h"
#include "net_internal.h"

/* lwIP's inet.h maps these names to its own functions: ours are real ones. */
#undef inet_addr
#undef inet_ntop
#undef inet_pton

#define PUBLIC __attribute__((visibility("default")))

/* lwIP's calls return -1 with errno set; the fd layer's ops a negative errno. */
static long lwip_result(long ret)
{
    return ret < 0 ? -(long)errno : ret;
}

static int lwip_sock(const struct file *f)
{
    return (int)(intptr_t)f->priv;
}

static ssize_t sock_read(struct file *f, void *buf, size_t n, off_t *pos)
{
    (void)pos;
    return lwip_result(lwip_read(lwip_sock(f), buf, n));
}

static ssize_t sock_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
    (void)pos;
    return lwip_result(lwip_write(lwip_sock(f), buf, n));
}

static int sock_fstat(struct file *f, struct stat *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFSOCK | 0777;
    st->st_nlink = 1;
    return 0;
}

/*
 * O_NONBLOCK through FIONBIO, not lwip_fcntl(): lwip.o was built with
 * lwIP's own O_NONBLOCK (1), not newlib's, and its fcntl refuses any other
 * bit with ENOSYS.
 */
static int sock_set_flags(struct file *f, int flags)
{
    int on = (flags & O_NONBLOCK) != 0;

    return (int)lwip_result(lwip_ioctl(lwip_sock(f), FIONBIO, &on));
}

/* The last descriptor and the last call are gone: lwIP's socket goes too. */
static bool connecting_take(int s);

static void sock_release(struct file *f)
{
    connecting_take(lwip_sock(f));
    lwip_close(lwip_sock(f));
}

static const struct file_ops socket_ops = {
    .kind = "socket",
    .read = sock_read,
    .write = sock_write,
    .fstat = sock_fstat,
    .set_flags = sock_set_flags,
    .release = sock_release,
};

/* Wraps lwIP's socket @s in a file with a descriptor; closes @s if that fails. */
static int sock_install(int s)
{
    struct file *f;
    int fd;

    if (s < 0)
        return -1;
    f = file_new(&socket_ops, (void *)(intptr_t)s, O_RDWR);
    if (!f) {
        lwip_close(s);
        return (int)fd_result(-ENOMEM);
    }
    fd = fd_install(f, 0);
    file_put(f); /* the fd's reference, or the last one: lwip_close */
    return (int)fd_result(fd);
}

/* The socket file @fd names, with a reference; NULL with errno EBADF or ENOTSOCK. */
static struct file *sock_get(int fd)
{
    struct file *f = fd_get(fd);

    if (!f) {
        errno = EBADF;
        return NULL;
    }
    if (f->ops != &socket_ops) {
        file_put(f);
        errno = ENOTSOCK;
        return NULL;
    }
    return f;
}

/* Runs lwip_NAME(lwIP's socket, ARGS...) on the socket @fd names. */
#define ON_SOCKET(fd, call, ...)                                                                   \
    ({                                                                                             \
        struct file *f_ = sock_get(fd);                                                            \
        long r_ = -1;                                                                              \
        if (f_) {                                                                                  \
            r_ = call(lwip_sock(f_), ##__VA_ARGS__);                                               \
            int e_ = errno;                                                                        \
            file_put(f_);                                                                          \
            errno = e_;                                                                            \
        }                                                                                          \
        r_;                                                                                        \
    })

PUBLIC int socket(int domain, int type, int protocol)
{
    if (!net_running()) {
        errno = ENETDOWN; /* sockets exist only once net_start() brought lwIP up */
        return -1;
    }
    return sock_install(lwip_socket(domain, type, protocol));
}

PUBLIC int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    return (int)ON_SOCKET(fd, lwip_bind, addr, len);
}

PUBLIC int listen(int fd, int backlog)
{
    return (int)ON_SOCKET(fd, lwip_listen, backlog);
}

PUBLIC int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return sock_install((int)ON_SOCKET(fd, lwip_accept, addr, len));
}

/*
 * lwIP's sockets whose non-blocking connect() said EINPROGRESS and whose
 * outcome nobody has read yet (getsockopt(SO_ERROR)): a bit per lwIP
 * socket number, from LWIP_SOCKET_OFFSET.
 */
static uint64_t connecting[(MEMP_NUM_NETCONN + 63) / 64];

static void connecting_set(int s, bool on)
{
    unsigned i = (unsigned)(s - LWIP_SOCKET_OFFSET);

    if (i >= MEMP_NUM_NETCONN)
        return;
    if (on)
        __atomic_fetch_or(&connecting[i / 64], 1ULL << (i % 64), __ATOMIC_RELAXED);
    else
        __atomic_fetch_and(&connecting[i / 64], ~(1ULL << (i % 64)), __ATOMIC_RELAXED);
}

static bool connecting_take(int s)
{
    unsigned i = (unsigned)(s - LWIP_SOCKET_OFFSET);
    uint64_t bit = 1ULL << (i % 64);

    if (i >= MEMP_NUM_NETCONN)
        return false;
    return (__atomic_fetch_and(&connecting[i / 64], ~bit, __ATOMIC_RELAXED) & bit) != 0;
}

/*
 * A connection attempt that ended with ERR_ABRT: while the pcb is in
 * SYN_SENT, lwIP aborts it when its SYN retries run out (TCP_SYNMAXRTX,
 * runtime/net/lwip/lwipopts.h) and reports that as ECONNABORTED; POSIX
 * (and every other system) calls it ETIMEDOUT.  The only other aborts of
 * a connecting pcb are local: the interface's address going away (the
 * attempt could not have succeeded either) or the stack out of memory.
 */
static int connect_errno(int e)
{
    if (e == ECONNRESET) /* a reset in answer to our SYN: POSIX calls it a refusal */
        return ECONNREFUSED;
    if (e == ECONNABORTED)
        return ETIMEDOUT;
    return e;
}

PUBLIC int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct file *f = sock_get(fd);
    int r, e;

    if (!f)
        return -1;
    r = lwip_connect(lwip_sock(f), addr, len);
    e = errno;
    if (r < 0 && e == EINPROGRESS) {
        connecting_set(lwip_sock(f), true);
    } else if (r < 0 && e != EALREADY) {
        connecting_set(lwip_sock(f), false);
        e = connect_errno(e);
    }
    file_put(f);
    errno = e;
    return r;
}

PUBLIC ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    return ON_SOCKET(fd, lwip_send, buf, n, flags);
}

PUBLIC ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    return ON_SOCKET(fd, lwip_recv, buf, n, flags);
}

PUBLIC ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
                      socklen_t tolen)
{
    return ON_SOCKET(fd, lwip_sendto, buf, n, flags, to, tolen);
}

PUBLIC ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                        socklen_t *fromlen)
{
    return ON_SOCKET(fd, lwip_recvfrom, buf, n, flags, from, fromlen);
}

PUBLIC int shutdown(int fd, int how)
{
    return (int)ON_SOCKET(fd, lwip_shutdown, how);
}

PUBLIC int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    struct file *f = sock_get(fd);
    int r, e;

    if (!f)
        return -1;
    r = lwip_getsockopt(lwip_sock(f), level, name, val, len);
    e = errno;
    /* The outcome of a non-blocking connect(), in the same words as a blocking one's. */
    if (r == 0 && level == SOL_SOCKET && name == SO_ERROR && len && *len >= sizeof(int)) {
        int *err = val;
        struct pollfd pf = {.fd = lwip_sock(f), .events = POLLOUT};

        if (*err != 0 && connecting_take(lwip_sock(f)))
            *err = connect_errno(*err);
        else if (*err == 0 && lwip_poll(&pf, 1, 0) == 1 && (pf.revents & POLLOUT))
            connecting_take(lwip_sock(f)); /* connected: later errors are the connection's */
    }
    file_put(f);
    errno = e;
    return r;
}

PUBLIC int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    return (int)ON_SOCKET(fd, lwip_setsockopt, level, name, val, len);
}

PUBLIC int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
    return (int)ON_SOCKET(fd, lwip_getsockname, addr, len);
}

PUBLIC int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
    return (int)ON_SOCKET(fd, lwip_getpeername, addr, len);
}

PUBLIC int inet_pton(int af, const char *src, void *dst)
{
    return lwip_inet_pton(af, src, dst);
}

PUBLIC const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
    return lwip_inet_ntop(af, src, dst, size);
}

PUBLIC in_addr_t inet_addr(const char *cp)
{
    ip4_addr_t a;

    return ip4addr_aton(cp, &a) ? ip4_addr_get_u32(&a) : IPADDR_NONE;
}

/*
 * poll() over any descriptors: sockets are lwIP's to wait on; another open
 * file (the console, a RAM file, a disk) never blocks a poll and reports
 * what it was asked (regular files are always ready, as POSIX says; the
 * console too, which is a simplification for stdin); a closed one
 * POLLNVAL; a negative fd is ignored.
 */
PUBLIC int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    struct pollfd *sp = NULL;
    struct file **held = NULL;
    nfds_t *at = NULL, ns = 0, i, k;
    int ready = 0;

    if (nfds > FD_MAX) {
        errno = EINVAL;
        return -1;
    }
    if (nfds && (!(sp = calloc(nfds, sizeof(*sp))) || !(held = calloc(nfds, sizeof(*held))) ||
                 !(at = calloc(nfds, sizeof(*at))))) {
        free(sp);
        free(held);
        errno = ENOMEM;
        return -1;
    }
    for (i = 0; i < nfds; i++) {
        struct file *f = fds[i].fd >= 0 ? fd_get(fds[i].fd) : NULL;

        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        if (f && f->ops == &socket_ops) {
            held[ns] = f;
            at[ns] = i;
            sp[ns].fd = lwip_sock(f);
            sp[ns].events = fds[i].events;
            ns++;
            continue;
        }
        if (!f) {
            fds[i].revents = POLLNVAL;
        } else {
            fds[i].revents = fds[i].events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
            file_put(f);
        }
        ready += fds[i].revents != 0;
    }
    if (ns) {
        if (lwip_poll(sp, ns, ready ? 0 : timeout) < 0) {
            ready = -1;
        } else {
            for (k = 0; k < ns; k++) {
                fds[at[k]].revents = sp[k].revents;
                ready += sp[k].revents != 0;
            }
        }
    } else if (!ready && timeout > 0) {
        thread_sleep_ns((uint64_t)timeout * 1000000); /* nothing to wait on but the clock */
    } else if (!ready && timeout < 0) {
        for (;;)
            thread_sleep_ns(3600ULL * 1000000000);
    }
    for (k = 0; k < ns; k++)
        file_put(held[k]);
    free(sp);
    free(held);
    free(at);
    return ready;
}
