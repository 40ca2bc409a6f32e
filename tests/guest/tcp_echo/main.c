/*
 * TCP over lwIP against dom0's busybox tools (tests/net.sh, net-tcp): the
 * guest (its address from dom0's DHCP server) serves an echo on port 7 for one
 * connection of a size given as argv, using the BSD calls of
 * <sys/socket.h> and read()/write()/close() on the socket; then, as a
 * client, it sends 10,000 numbered lines to dom0's `nc -l` on 10.0.0.1:9000
 * and closes.  dom0-hook.sh checks both byte for byte.  more.c goes on with
 * select(), UDP, errnos, getaddrinfo, eth1 and its detach.
 *
 *   tcp_echo BYTES
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <minios/hypercall.h>
#include <minios/net.h>
#include <minios/thread.h>
#include <minios/time.h>
#include "tcp_echo.h"

#define ECHO_PORT      7
#define CLIENT_PORT    9000
#define LINES          10000
#define PARALLEL       4 /* connections served at once, one thread each */
#define PARALLEL_BYTES 262144

int fail(const char *what)
{
    printf("tcp: FAILED: %s (errno %d: %s)\n", what, errno, strerror(errno));
    return 1;
}

/* Writes all of @buf or fails. */
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

static int serve_echo(long want)
{
    static char buf[16384];
    struct sockaddr_in addr = {.sin_len = sizeof(addr),
                               .sin_family = AF_INET,
                               .sin_port = htons(ECHO_PORT),
                               .sin_addr = {htonl(INADDR_ANY)}};
    struct sockaddr_in peer;
    socklen_t peer_len = sizeof(peer);
    int one = 1, ls, fd;
    long total = 0;
    char who[INET_ADDRSTRLEN];

    ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 3)
        return fail("socket()");
    if (setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
        return fail("setsockopt(SO_REUSEADDR)");
    if (bind(ls, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(ls, 4) != 0)
        return fail("bind()/listen() on port 7");
    printf("tcp: listening on port %d (socket %d)\n", ECHO_PORT, ls);
    fd = accept(ls, (struct sockaddr *)&peer, &peer_len);
    if (fd < 0)
        return fail("accept()");
    if (!inet_ntop(AF_INET, &peer.sin_addr, who, sizeof(who)))
        return fail("inet_ntop()");
    printf("tcp: connection from %s:%u\n", who, ntohs(peer.sin_port));
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)
        return fail("setsockopt(TCP_NODELAY)");

    uint64_t start = monotonic_ns();

    while (total < want) {
        ssize_t r = read(fd, buf, sizeof(buf));

        if (r < 0)
            return fail("read()");
        if (r == 0)
            break;
        if (write_all(fd, buf, (size_t)r) != 0)
            return fail("write()");
        total += r;
    }
    uint64_t ns = monotonic_ns() - start;

    printf("tcp: echoed %ld bytes in %llu ms (%llu KB/s each way)\n", total,
           (unsigned long long)(ns / 1000000),
           (unsigned long long)(ns ? (uint64_t)total * 1000000 / ns : 0));
    if (close(fd) != 0 || close(ls) != 0)
        return fail("close()");
    return total == want ? 0 : (printf("tcp: FAILED: %ld of %ld bytes\n", total, want), 1);
}

struct conn {
    int fd;
    int cpu; /* the vCPU its thread is pinned to: both are used */
    long bytes;
    unsigned int cpus; /* bit per vCPU the thread ran on */
};

/* One connection's echo in its own thread: PARALLEL_BYTES, then we close (busybox nc never
 * half-closes). */
static void *echo_thread(void *arg)
{
    struct conn *c = arg;
    char buf[4096];
    ssize_t r;

    thread_set_affinity(thread_self(), c->cpu);
    while (c->bytes < PARALLEL_BYTES && (r = recv(c->fd, buf, sizeof(buf), 0)) > 0) {
        c->cpus |= 1U << thread_cpu();
        if (write_all(c->fd, buf, (size_t)r) != 0)
            break;
        c->bytes += r;
    }
    close(c->fd);
    return NULL;
}

/* PARALLEL connections from dom0 at once, each echoed by a thread on any vCPU. */
static int serve_parallel(void)
{
    struct sockaddr_in addr = {
        .sin_len = sizeof(addr), .sin_family = AF_INET, .sin_port = htons(ECHO_PORT + 1)};
    static struct conn conns[PARALLEL];
    pthread_t threads[PARALLEL];
    unsigned int cpus = 0;
    int ls = socket(AF_INET, SOCK_STREAM, 0);

    if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(ls, PARALLEL) != 0)
        return fail("socket/bind/listen on port 8");
    printf("tcp: listening on port %d for %d connections at once\n", ECHO_PORT + 1, PARALLEL);
    for (int i = 0; i < PARALLEL; i++) {
        conns[i].fd = accept(ls, NULL, NULL);
        if (conns[i].fd < 0)
            return fail("accept() on port 8");
        conns[i].cpu = i % 2;
        if (pthread_create(&threads[i], NULL, echo_thread, &conns[i]) != 0)
            return fail("pthread_create()");
    }
    for (int i = 0; i < PARALLEL; i++) {
        pthread_join(threads[i], NULL);
        cpus |= conns[i].cpus;
        if (conns[i].bytes != PARALLEL_BYTES) {
            printf("tcp: FAILED: connection %d echoed %ld of %d bytes\n", i, conns[i].bytes,
                   PARALLEL_BYTES);
            return 1;
        }
    }
    close(ls);
    printf("tcp: %d connections echoed %d bytes each in parallel, on vCPUs mask 0x%x\n", PARALLEL,
           PARALLEL_BYTES, cpus);
    return 0;
}

int connect_retry(const struct sockaddr_in *a, const char *what)
{
    char msg[96];

    /* dom0's nc -l may not listen yet: connection refused, then try again. */
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);

        if (fd < 0)
            return fail("socket()"), -1;
        if (connect(fd, (const struct sockaddr *)a, sizeof(*a)) == 0)
            return fd;
        if (errno != ECONNREFUSED && errno != ECONNRESET) {
            snprintf(msg, sizeof(msg), "connect() to %s", what);
            return fail(msg), -1;
        }
        close(fd);
        usleep(100000);
    }
    snprintf(msg, sizeof(msg), "connect() to %s: refused for 10 s", what);
    return fail(msg), -1;
}

static int client(void)
{
    struct sockaddr_in addr = {
        .sin_len = sizeof(addr), .sin_family = AF_INET, .sin_port = htons(CLIENT_PORT)};
    char line[32];
    int fd;

    if (inet_pton(AF_INET, "10.0.0.1", &addr.sin_addr) != 1)
        return fail("inet_pton()");
    if ((fd = connect_retry(&addr, "10.0.0.1:9000")) < 0)
        return 1;
    for (int i = 0; i < LINES; i++) {
        int n = snprintf(line, sizeof(line), "line %d\n", i);

        if (send(fd, line, (size_t)n, 0) != n)
            return fail("send()");
    }
    if (shutdown(fd, SHUT_WR) != 0 || close(fd) != 0)
        return fail("shutdown()/close()");
    printf("tcp: sent %d lines to 10.0.0.1:%d\n", LINES, CLIENT_PORT);
    return 0;
}
/* Checksum offload as eth0's counters saw it through the echo (docs/networking.md). */
static int offload_counters(void)
{
    struct net_if_info info;

    if (net_if_info(0, &info) != 0)
        return fail("net_if_info(0)");
    printf("tcp: eth0 MTU %u: rx %lu frames, %lu with TCP/UDP checksums trusted; tx %lu frames, "
           "%lu with TCP checksums left to netback; over several slots rx %lu, tx %lu\n",
           info.mtu, info.rx_frames, info.rx_csum_trusted, info.tx_frames, info.tx_csum_blank,
           info.rx_multi, info.tx_multi);
    return info.rx_csum_trusted && info.tx_csum_blank ? 0 : fail("no checksum offload on eth0");
}

int main(int argc, char **argv)
{
    char *end;
    long want;
    int rc;

    want = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (want <= 0 || *end != '\0')
        return fail("usage: tcp_echo BYTES");
    if (socket(AF_INET, SOCK_STREAM, 0) != -1 || errno != ENETDOWN)
        return fail("socket() before net_start() did not say ENETDOWN");
    rc = net_start(NULL);
    if (rc != 0) {
        printf("tcp: net_start: %s\n", xen_strerror(rc));
        return 1;
    }
    if (connect_timeout_start() || serve_echo(want) || offload_counters() || serve_parallel() ||
        client() || more_tests())
        return 1;
    return 0;
}
