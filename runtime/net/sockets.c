/*
 * The BSD socket calls of <sys/socket.h>, <arpa/inet.h> and <poll.h> on
 * lwIP's socket layer (lwip_*, hidden inside the kernel).  This file sees
 * lwIP's definitions of the types, the public headers declare the same
 * layouts (tests/net.sh's socket-abi compares them); newlib's <fcntl.h>
 * comes first so lwIP's fcntl speaks newlib's O_NONBLOCK.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <lwip/opt.h>
#include <lwip/inet.h>
#include <lwip/sockets.h>
#include <kernel/net_fd.h>
#include "net_internal.h"

/* lwIP's inet.h maps these names to its own functions: ours are real ones. */
#undef inet_addr
#undef inet_ntop
#undef inet_pton

#define PUBLIC __attribute__((visibility("default")))

/* Sockets exist only once lwIP runs: before that, say the network is down. */
#define NEED_NET(fail)                                                                             \
    do {                                                                                           \
        if (!net_running()) {                                                                      \
            errno = ENETDOWN;                                                                      \
            return fail;                                                                           \
        }                                                                                          \
    } while (0)

PUBLIC int socket(int domain, int type, int protocol)
{
    NEED_NET(-1);
    return lwip_socket(domain, type, protocol);
}

PUBLIC int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    NEED_NET(-1);
    return lwip_bind(fd, addr, len);
}

PUBLIC int listen(int fd, int backlog)
{
    NEED_NET(-1);
    return lwip_listen(fd, backlog);
}

PUBLIC int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    NEED_NET(-1);
    return lwip_accept(fd, addr, len);
}

PUBLIC int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    NEED_NET(-1);
    return lwip_connect(fd, addr, len);
}

PUBLIC ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    NEED_NET(-1);
    return lwip_send(fd, buf, n, flags);
}

PUBLIC ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    NEED_NET(-1);
    return lwip_recv(fd, buf, n, flags);
}

PUBLIC ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
                      socklen_t tolen)
{
    NEED_NET(-1);
    return lwip_sendto(fd, buf, n, flags, to, tolen);
}

PUBLIC ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                        socklen_t *fromlen)
{
    NEED_NET(-1);
    return lwip_recvfrom(fd, buf, n, flags, from, fromlen);
}

PUBLIC int shutdown(int fd, int how)
{
    NEED_NET(-1);
    return lwip_shutdown(fd, how);
}

PUBLIC int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    NEED_NET(-1);
    return lwip_getsockopt(fd, level, name, val, len);
}

PUBLIC int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    NEED_NET(-1);
    return lwip_setsockopt(fd, level, name, val, len);
}

PUBLIC int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
    NEED_NET(-1);
    return lwip_getsockname(fd, addr, len);
}

PUBLIC int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
    NEED_NET(-1);
    return lwip_getpeername(fd, addr, len);
}

PUBLIC int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    NEED_NET(-1);
    return lwip_poll(fds, nfds, timeout);
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

/* ---- read(), write(), close() and fcntl() on sockets (kernel/net_fd.h) ---- */

bool net_fd_is_socket(int fd)
{
    return fd >= LWIP_SOCKET_OFFSET && fd < LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN && net_running();
}

long net_fd_read(int fd, void *buf, size_t n)
{
    return lwip_read(fd, buf, n);
}

long net_fd_write(int fd, const void *buf, size_t n)
{
    return lwip_write(fd, buf, n);
}

int net_fd_close(int fd)
{
    return lwip_close(fd);
}

int net_fd_fcntl(int fd, int cmd, int val)
{
    if (cmd != F_GETFL && cmd != F_SETFL) {
        errno = ENOSYS;
        return -1;
    }
    return lwip_fcntl(fd, cmd, val);
}
