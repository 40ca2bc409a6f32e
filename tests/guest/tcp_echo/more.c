/*
 * The rest of tests/net.sh's net-tcp boot, after the TCP echo (main.c):
 * select(), a UDP round trip, the errnos of a refused, a reset and a timed
 * out connection, getaddrinfo() of numbers and of names (dom0's dnsmasq),
 * the second interface, its detach, and a vif attached while we run
 * (hotplug.c).  dom0-hook.sh plays the other side
 * of each, in the same order.  Next to all of it, from the start, two
 * threads connect to an address that never answers (connect_timeout_*).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <minios/net.h>
#include <minios/time.h>
#include "tcp_echo.h"

#define TFTP_PORT 69
#define TFTP_FILE "minios.txt"
#define REFUSED   9003 /* nothing listens there in dom0 */
#define RESETTING 9002 /* dom0 accepts, never reads, and dies: a reset */
#define SILENT    9004 /* dom0 accepts and says nothing */
#define ETH1_PORT 10
#define NOBODY    "10.0.0.250" /* no host: nothing answers ARP, so every SYN is lost */

struct sockaddr_in dom0_at(int port)
{
    struct sockaddr_in a = {
        .sin_len = sizeof(a), .sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

    inet_pton(AF_INET, "10.0.0.1", &a.sin_addr);
    return a;
}

/* select() itself: an idle socket times out, a bad call says why. */
static int select_basics(int us)
{
    struct timeval tv = {0, 200000};
    fd_set rd;
    uint64_t t0 = monotonic_ns();
    int n;

    FD_ZERO(&rd);
    FD_SET(us, &rd);
    n = select(us + 1, &rd, NULL, NULL, &tv);
    if (n != 0 || FD_ISSET(us, &rd))
        return fail("select() on an idle UDP socket did not time out");
    if (monotonic_ns() - t0 < 190 * NSEC_PER_MSEC)
        return fail("select() returned before its 200 ms timeout");
    FD_SET(us, &rd);
    if (select(FD_SETSIZE + 1, &rd, NULL, NULL, &tv) != -1 || errno != EINVAL)
        return fail("select() with nfds over FD_SETSIZE did not say EINVAL");
    FD_ZERO(&rd);
    FD_SET(200, &rd); /* no such descriptor */
    if (select(201, &rd, NULL, NULL, &tv) != -1 || errno != EBADF)
        return fail("select() on a closed descriptor did not say EBADF");
    /* A socket is writable at once, and stdout (a file) too. */
    fd_set wr;
    FD_ZERO(&wr);
    FD_SET(us, &wr);
    FD_SET(1, &wr);
    if (select(us + 1, NULL, &wr, NULL, &tv) != 2 || !FD_ISSET(us, &wr) || !FD_ISSET(1, &wr))
        return fail("select() for writing: not both ready");
    printf("net: select: timeout after 200 ms, EINVAL over FD_SETSIZE %d, EBADF, writable 2 of 2\n",
           FD_SETSIZE);
    return 0;
}

/*
 * A UDP round trip: dom0's busybox tftp asks for TFTP_FILE (a read request,
 * RFC 1350); we answer with one DATA block and take its ACK.  select()
 * waits for each datagram, next to the TCP listener it must not confuse.
 */
static int udp_round_trip(int ls)
{
    struct sockaddr_in me = {
        .sin_len = sizeof(me), .sin_family = AF_INET, .sin_port = htons(TFTP_PORT)};
    struct sockaddr_in peer;
    socklen_t plen = sizeof(peer);
    unsigned char pkt[600];
    char content[128];
    int us = socket(AF_INET, SOCK_DGRAM, 0), maxfd, clen = 0;
    ssize_t n;

    if (us < 0 || bind(us, (struct sockaddr *)&me, sizeof(me)) != 0)
        return fail("UDP socket on port 69");
    if (select_basics(us))
        return 1;
    maxfd = us > ls ? us : ls;
    for (int step = 0; step < 2; step++) {
        struct timeval tv = {60, 0};
        fd_set rd;

        FD_ZERO(&rd);
        FD_SET(us, &rd);
        FD_SET(ls, &rd);
        int r = select(maxfd + 1, &rd, NULL, NULL, &tv);
        if (r != 1 || !FD_ISSET(us, &rd) || FD_ISSET(ls, &rd))
            return fail(step ? "select() for the TFTP ACK" : "select() for the TFTP request");
        plen = sizeof(peer);
        n = recvfrom(us, pkt, sizeof(pkt), 0, (struct sockaddr *)&peer, &plen);
        if (n < 4)
            return fail("recvfrom() on port 69");
        if (step == 0) {
            /* RRQ: opcode 1, the file name, a NUL, the mode, a NUL (options may follow). */
            if (pkt[0] != 0 || pkt[1] != 1 || memchr(pkt + 2, 0, (size_t)n - 2) == NULL ||
                strcmp((char *)pkt + 2, TFTP_FILE) != 0)
                return fail("the first datagram is not a read request for " TFTP_FILE);
            clen = snprintf(content, sizeof(content), "minios answered over UDP from port %d\n",
                            TFTP_PORT);
            pkt[0] = 0, pkt[1] = 3, pkt[2] = 0, pkt[3] = 1; /* DATA, block 1 */
            memcpy(pkt + 4, content, (size_t)clen);
            if (sendto(us, pkt, 4 + (size_t)clen, 0, (struct sockaddr *)&peer, plen) != 4 + clen)
                return fail("sendto() of the DATA block");
        } else if (pkt[0] != 0 || pkt[1] != 4 || pkt[2] != 0 || pkt[3] != 1) {
            return fail("the second datagram is not the ACK of block 1");
        }
    }
    char who[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &peer.sin_addr, who, sizeof(who));
    printf("net: UDP: read request from %s:%u, %d bytes sent, ACK back\n", who,
           ntohs(peer.sin_port), clen);
    close(us);
    return 0;
}

/* The errnos of connections that fail: refused, reset, timed out. */
static int errnos(void)
{
    struct sockaddr_in a = dom0_at(REFUSED);
    struct timeval tv = {0, 300000};
    char buf[64];
    uint64_t t0;
    int fd;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != -1 || errno != ECONNREFUSED)
        return fail("connect() to a closed port did not say ECONNREFUSED");
    close(fd);
    printf("net: errno: connect() to 10.0.0.1:%d: ECONNREFUSED\n", REFUSED);

    /* dom0 accepts and says nothing: a receive timeout is EAGAIN (SO_RCVTIMEO, POSIX). */
    a = dom0_at(SILENT);
    if ((fd = connect_retry(&a, "the silent port")) < 0)
        return 1;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
        return fail("setsockopt(SO_RCVTIMEO)");
    t0 = monotonic_ns();
    if (recv(fd, buf, sizeof(buf), 0) != -1 || errno != EAGAIN)
        return fail("recv() past SO_RCVTIMEO did not say EAGAIN");
    printf("net: errno: recv() with a 300 ms SO_RCVTIMEO: EAGAIN after %llu ms\n",
           (unsigned long long)((monotonic_ns() - t0) / NSEC_PER_MSEC));
    close(fd);

    /* A non-blocking connect to nobody: EINPROGRESS, and select() times out. */
    a = dom0_at(80);
    inet_pton(AF_INET, "10.0.0.250", &a.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fcntl(fd, F_SETFL, O_NONBLOCK) != 0)
        return fail("fcntl(O_NONBLOCK)");
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != -1 || errno != EINPROGRESS)
        return fail("a non-blocking connect() did not say EINPROGRESS");
    fd_set wr;
    FD_ZERO(&wr);
    FD_SET(fd, &wr);
    tv.tv_usec = 500000;
    if (select(fd + 1, NULL, &wr, NULL, &tv) != 0)
        return fail("select() on a connect to nobody did not time out");
    close(fd);
    printf("net: errno: non-blocking connect() to 10.0.0.250: EINPROGRESS, select() timed out\n");

    /* dom0 accepts, never reads what we send, and dies: its kernel answers with a reset. */
    a = dom0_at(RESETTING);
    if ((fd = connect_retry(&a, "the resetting port")) < 0)
        return 1;
    memset(buf, 'x', sizeof(buf));
    if (send(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
        return fail("send() to the resetting port");
    ssize_t r = recv(fd, buf, sizeof(buf), 0);
    if (r != -1 || errno != ECONNRESET)
        return fail("recv() after dom0's reset did not say ECONNRESET");
    close(fd);
    printf("net: errno: recv() after the peer reset the connection: ECONNRESET\n");
    return 0;
}

/*
 * A connect() to an address that drops every SYN ends in ETIMEDOUT after
 * lwIP's SYN retries (TCP_SYNMAXRTX 4, one every 3 s: 12.5 s on an idle
 * stack, longer on a busy one; at most 30 s allowed here): blocking in one thread, non-blocking
 * with poll() and SO_ERROR in another, both from net_start() on, so this boot does not last the 18
 * s longer.
 */
struct timeout_result {
    int err;     /* errno (blocking) or SO_ERROR (non-blocking) */
    uint64_t ms; /* how long until it came */
    const char *what;
};

static pthread_t timeout_threads[2];
static struct timeout_result timeout_results[2];

static void *connect_timeout_thread(void *arg)
{
    struct timeout_result *res = arg;
    struct sockaddr_in a = dom0_at(80);
    bool nonblocking = res == &timeout_results[1];
    uint64_t t0 = monotonic_ns();
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    inet_pton(AF_INET, NOBODY, &a.sin_addr);
    res->err = -1;
    if (fd < 0) {
        res->what = "socket()";
        return NULL;
    }
    if (!nonblocking) {
        res->what = "connect() returned 0";
        if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
            res->err = errno;
    } else {
        struct pollfd pf = {.fd = fd, .events = POLLOUT};
        socklen_t len = sizeof(res->err);

        res->what = "a non-blocking connect() without EINPROGRESS";
        if (fcntl(fd, F_SETFL, O_NONBLOCK) != 0 ||
            connect(fd, (struct sockaddr *)&a, sizeof(a)) != -1 || errno != EINPROGRESS)
            goto out;
        res->what = "poll() not ready within 30 s";
        if (poll(&pf, 1, 30000) != 1)
            goto out;
        res->what = "getsockopt(SO_ERROR)";
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &res->err, &len) != 0)
            res->err = -1;
    }
out:
    res->ms = (monotonic_ns() - t0) / NSEC_PER_MSEC;
    close(fd);
    return NULL;
}

int connect_timeout_start(void)
{
    for (int i = 0; i < 2; i++)
        if (pthread_create(&timeout_threads[i], NULL, connect_timeout_thread,
                           &timeout_results[i]) != 0)
            return fail("pthread_create() for the connect timeout");
    return 0;
}

static int connect_timeout_check(void)
{
    static const char *const how[2] = {"connect()", "non-blocking connect(), poll(), SO_ERROR"};

    for (int i = 0; i < 2; i++) {
        struct timeout_result *res = &timeout_results[i];

        pthread_join(timeout_threads[i], NULL);
        if (res->err != ETIMEDOUT || res->ms > 30000) {
            printf("net: FAILED: %s to " NOBODY ": %s (%d: %s) after %llu ms, not ETIMEDOUT "
                   "within 30 s\n",
                   how[i], res->err < 0 ? res->what : "error", res->err,
                   res->err > 0 ? strerror(res->err) : "-", (unsigned long long)res->ms);
            return 1;
        }
        printf("net: errno: %s to " NOBODY " (SYNs unanswered): ETIMEDOUT after %llu ms\n", how[i],
               (unsigned long long)res->ms);
    }
    return 0;
}

/*
 * Names through DNS: DHCP named dom0 (10.0.0.1) as the DNS server, where
 * dnsmasq knows dom0.minios.test and answers NXDOMAIN for other names of
 * minios.test.  lwIP's resolver ends a negative answer and no answer alike
 * (its callback gets no address), so a name that does not resolve is
 * EAI_FAIL (runtime/net/netdb.c says why not EAI_NONAME).
 */
static int resolve_names(void)
{
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
    char a[INET_ADDRSTRLEN];
    uint64_t t0 = monotonic_ns(), ms_found, ms_missing;
    int rc = getaddrinfo("dom0.minios.test", "9000", &hints, &ai);

    if (rc != 0)
        return printf("net: FAILED: getaddrinfo(dom0.minios.test): %s\n", gai_strerror(rc)), 1;
    ms_found = (monotonic_ns() - t0) / NSEC_PER_MSEC;
    struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
    inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
    if (ai->ai_family != AF_INET || ntohs(sin->sin_port) != 9000 || strcmp(a, "10.0.0.1") != 0)
        return printf("net: FAILED: getaddrinfo(dom0.minios.test, 9000) gave %s:%u\n", a,
                      ntohs(sin->sin_port)),
               1;
    freeaddrinfo(ai);
    t0 = monotonic_ns();
    rc = getaddrinfo("nosuch.minios.test", "9000", &hints, &ai);
    ms_missing = (monotonic_ns() - t0) / NSEC_PER_MSEC;
    if (rc != EAI_FAIL)
        return printf("net: FAILED: getaddrinfo(nosuch.minios.test) gave %d (%s), not EAI_FAIL\n",
                      rc, gai_strerror(rc)),
               1;
    printf("net: DNS: dom0.minios.test is %s (%llu ms), nosuch.minios.test EAI_FAIL (%llu ms)\n", a,
           (unsigned long long)ms_found, (unsigned long long)ms_missing);
    return 0;
}

static int resolve(void)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai;
    char a[INET_ADDRSTRLEN];
    int rc = getaddrinfo("10.0.0.1", "9000", &hints, &ai);

    if (rc != 0)
        return printf("net: FAILED: getaddrinfo(10.0.0.1): %s\n", gai_strerror(rc)), 1;
    struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
    inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
    if (ai->ai_family != AF_INET || ntohs(sin->sin_port) != 9000 || strcmp(a, "10.0.0.1") != 0)
        return printf("net: FAILED: getaddrinfo(10.0.0.1, 9000) gave %s:%u\n", a,
                      ntohs(sin->sin_port)),
               1;
    freeaddrinfo(ai);
    rc = getaddrinfo("10.0.0.1", "http", &hints, &ai);
    if (rc != EAI_SERVICE)
        return printf("net: FAILED: a service name gave %d, not EAI_SERVICE\n", rc), 1;
    hints.ai_family = 10; /* AF_INET6 */
    if ((rc = getaddrinfo("10.0.0.1", "80", &hints, &ai)) != EAI_FAMILY)
        return printf("net: FAILED: AF_INET6 gave %d, not EAI_FAMILY\n", rc), 1;
    printf("net: getaddrinfo: 10.0.0.1 port 9000, EAI_SERVICE for \"http\", EAI_FAMILY for IPv6\n");
    return resolve_names();
}

/* eth1: dom0 connects to its address; the connection arrives there. */
static int second_interface(void)
{
    struct net_if_info info;
    struct sockaddr_in a = {.sin_len = sizeof(a),
                            .sin_family = AF_INET,
                            .sin_port = htons(ETH1_PORT)},
                       me;
    socklen_t len = sizeof(me);
    char who[INET_ADDRSTRLEN], buf[128];
    int ls, fd;
    ssize_t n;

    if (net_if_info(1, &info) != 0 || !info.up)
        return fail("eth1 is not up");
    inet_ntop(AF_INET, &info.addr, who, sizeof(who));
    ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 1) != 0)
        return fail("listen on port 10");
    fd = accept(ls, NULL, NULL);
    if (fd < 0 || getsockname(fd, (struct sockaddr *)&me, &len) != 0)
        return fail("accept() on port 10");
    if (me.sin_addr.s_addr != info.addr)
        return fail("the connection to eth1's address arrived elsewhere");
    /* One line (busybox nc never half-closes), echoed; our close ends dom0's nc. */
    size_t have = 0;
    while (have < sizeof(buf) && !memchr(buf, '\n', have) &&
           (n = read(fd, buf + have, sizeof(buf) - have)) > 0)
        have += (size_t)n;
    if (!memchr(buf, '\n', have) || write(fd, buf, have) != (ssize_t)have)
        return fail("the line on eth1's connection");
    close(fd);
    close(ls);
    printf("net: eth1 (%s, MAC %02x:...:%02x): dom0's connection to it echoed\n", who, info.mac[0],
           info.mac[5]);
    return 0;
}

/* dom0 detaches eth1 (xl network-detach): we see it go, eth0 stays. */
static int detach(void)
{
    struct net_if_info info;
    unsigned long seen = 0;
    uint64_t t0 = monotonic_ns(), deadline = t0 + 90 * NSEC_PER_SEC;

    printf("net: waiting for eth1 to be detached\n");
    for (;;) {
        if (net_if_info(1, &info) != 0)
            return fail("eth1 vanished from net_if_info()");
        if (!info.up)
            break;
        if (monotonic_ns() > deadline)
            return fail("eth1 still up 90 s later");
        seen = net_if_wait_change(seen, deadline);
    }
    printf("net: eth1 went down %llu ms after we started waiting\n",
           (unsigned long long)((monotonic_ns() - t0) / NSEC_PER_MSEC));
    if (net_if_info(0, &info) != 0 || !info.up)
        return fail("eth0 went down with eth1");
    /* eth0 still carries traffic: a last connection to dom0. */
    if (wait_detach_done(9005))
        return 1;
    printf("net: eth0 still up after the detach, and dom0 done with it\n");
    return 0;
}

int wait_detach_done(int port)
{
    struct sockaddr_in a = dom0_at(port);
    int fd = connect_retry(&a, "dom0 after the detach");
    if (fd < 0)
        return 1;
    if (write(fd, "still here\n", 11) != 11)
        return fail("write() after the detach");
    /* dom0 answers once xl network-detach has returned: we must not end before (libxl). */
    struct timeval tv = {120, 0};
    char bye[8] = "";
    size_t have = 0;
    ssize_t n;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    while (have < sizeof(bye) - 1 && (n = read(fd, bye + have, sizeof(bye) - 1 - have)) > 0)
        have += (size_t)n;
    close(fd);
    if (strcmp(bye, "bye\n") != 0)
        return fail("dom0's bye after the detach");
    return 0;
}

int more_tests(void)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {
        .sin_len = sizeof(a), .sin_family = AF_INET, .sin_port = htons(TFTP_PORT)};

    /* A TCP listener next to the UDP socket: select() must tell them apart. */
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 1) != 0)
        return fail("TCP listener on port 69");
    if (udp_round_trip(ls) || errnos() || resolve() || connect_timeout_check() ||
        second_interface() || detach() || hotplug())
        return 1;
    close(ls);
    return 0;
}
