/*
 * An echo server (RFC 862) on TCP and UDP at once, in one thread: select()
 * over the listening socket, the UDP socket and every connection.  Runs
 * until the toolstack shuts the domain down (`xl shutdown`).
 *
 *   make run-domu APP=apps/echod NET=1 [ARGS="NET_IP=10.0.0.2/24 [PORT]"]
 *
 * then, from dom0: echo hi | nc 10.0.0.2 7   (docs/networking.md)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <minios/hypercall.h>
#include <minios/net.h>

static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);

        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static int open_socket(int type, int port)
{
    struct sockaddr_in addr = {.sin_len = sizeof(addr),
                               .sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr = {htonl(INADDR_ANY)}};
    int one = 1, fd = socket(AF_INET, type, 0);

    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        (type == SOCK_STREAM && listen(fd, 16) != 0)) {
        printf("echo: cannot open %s port %d: %s\n", type == SOCK_STREAM ? "TCP" : "UDP", port,
               strerror(errno));
        exit(1);
    }
    return fd;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    static char buf[16384];
    fd_set conns;
    int ls, us, maxfd, rc;
    unsigned long tcp_conns = 0, udp_datagrams = 0;

    if (port <= 0 || port > 65535) {
        printf("echo: usage: echo [PORT]\n");
        return 2;
    }
    rc = net_start(NULL);
    if (rc != 0) {
        printf("echo: net_start: %s\n", xen_strerror(rc));
        return 1;
    }
    ls = open_socket(SOCK_STREAM, port);
    us = open_socket(SOCK_DGRAM, port);
    FD_ZERO(&conns);
    maxfd = ls > us ? ls : us;
    printf("echo: serving TCP and UDP on port %d\n", port);
    for (;;) {
        fd_set rd = conns;

        FD_SET(ls, &rd);
        FD_SET(us, &rd);
        if (select(maxfd + 1, &rd, NULL, NULL, NULL) < 0) {
            printf("echo: select: %s\n", strerror(errno));
            return 1;
        }
        if (FD_ISSET(us, &rd)) {
            struct sockaddr_in from;
            socklen_t len = sizeof(from);
            ssize_t n = recvfrom(us, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);

            if (n >= 0 && sendto(us, buf, (size_t)n, 0, (struct sockaddr *)&from, len) == n)
                udp_datagrams++;
            if (udp_datagrams == 1)
                printf("echo: first UDP datagram echoed (%zd bytes)\n", n);
        }
        if (FD_ISSET(ls, &rd)) {
            int fd = accept(ls, NULL, NULL);

            if (fd >= FD_SETSIZE) {
                close(fd); /* cannot be watched: refused */
            } else if (fd >= 0) {
                FD_SET(fd, &conns);
                maxfd = fd > maxfd ? fd : maxfd;
                if (++tcp_conns == 1)
                    printf("echo: first TCP connection (fd %d)\n", fd);
            }
        }
        for (int fd = 0; fd <= maxfd; fd++) {
            if (fd == ls || fd == us || !FD_ISSET(fd, &rd))
                continue;
            ssize_t n = read(fd, buf, sizeof(buf));

            if (n <= 0 || write_all(fd, buf, (size_t)n) != 0) {
                close(fd);
                FD_CLR(fd, &conns);
            }
        }
    }
}
