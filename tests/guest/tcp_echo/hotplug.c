/*
 * The end of net-tcp: after eth1's detach, dom0 attaches a new vif to the
 * running guest (`xl network-attach ... mac=00:16:3e:00:01:02`).  It must
 * come up by itself (net.c's hotplug thread: the watch on device/vif, the
 * handshake, DHCP), under the name eth1 gave back, with its MAC and the
 * address dom0's udhcpd keeps for that MAC (10.0.0.4); dom0 pings it and
 * then connects to it, and we print its counters; then dom0 detaches it
 * again and we see it go.  dom0-hook.sh plays the other side.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <minios/net.h>
#include <minios/time.h>
#include "tcp_echo.h"

#define NEW_MAC_LAST 0x02 /* 00:16:3e:00:01:02 */
#define NEW_PORT     11

/* The interface with the new MAC, up and addressed: its index, or -1 at @deadline. */
static int wait_new(uint64_t deadline, struct net_if_info *info)
{
    unsigned long seen = 0;

    for (;;) {
        for (unsigned int k = 0; k < 4; k++) {
            if (net_if_info(k, info) == 0 && info->up && info->mac[5] == NEW_MAC_LAST &&
                info->addr != 0)
                return (int)k;
        }
        if (monotonic_ns() > deadline)
            return -1;
        seen = net_if_wait_change(seen, deadline);
    }
}

/* dom0 connects to the new address after its pings: one line, echoed. */
static int serve_one_line(const struct net_if_info *info)
{
    struct sockaddr_in a = {.sin_len = sizeof(a),
                            .sin_family = AF_INET,
                            .sin_port = htons(NEW_PORT)},
                       me;
    socklen_t len = sizeof(me);
    char buf[64];
    size_t have = 0;
    ssize_t n;
    int ls = socket(AF_INET, SOCK_STREAM, 0), fd;

    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 1) != 0)
        return fail("listen on port 11");
    fd = accept(ls, NULL, NULL);
    if (fd < 0 || getsockname(fd, (struct sockaddr *)&me, &len) != 0)
        return fail("accept() on port 11");
    if (me.sin_addr.s_addr != info->addr)
        return fail("the connection to the new address arrived elsewhere");
    while (have < sizeof(buf) && !memchr(buf, '\n', have) &&
           (n = read(fd, buf + have, sizeof(buf) - have)) > 0)
        have += (size_t)n;
    if (!memchr(buf, '\n', have) || write(fd, buf, have) != (ssize_t)have)
        return fail("the line on the new interface's connection");
    close(fd);
    close(ls);
    return 0;
}

int hotplug(void)
{
    struct net_if_info info;
    char addr[INET_ADDRSTRLEN];
    uint64_t t0 = monotonic_ns();
    unsigned long seen = 0;
    int k;

    printf("net: waiting for a vif attached while we run\n");
    k = wait_new(t0 + 120 * NSEC_PER_SEC, &info);
    if (k < 0)
        return fail("no new interface 120 s after eth1's detach");
    inet_ntop(AF_INET, &info.addr, addr, sizeof(addr));
    printf("net: hotplug: eth%d (MAC 00:16:3e:00:01:%02x) up with %s, %llu ms after we started "
           "waiting\n",
           k, info.mac[5], addr, (unsigned long long)((monotonic_ns() - t0) / NSEC_PER_MSEC));
    if (serve_one_line(&info))
        return 1;
    if (net_if_info((unsigned int)k, &info) != 0)
        return fail("the new interface vanished from net_if_info()");
    printf("net: hotplug: eth%d counters after dom0's ping and connection: rx %lu frames %lu "
           "bytes, tx %lu frames %lu bytes, dropped rx %lu tx %lu\n",
           k, info.rx_frames, info.rx_bytes, info.tx_frames, info.tx_bytes, info.rx_dropped,
           info.tx_dropped);
    /* dom0 detaches it again: we see it go. */
    t0 = monotonic_ns();
    while (net_if_info((unsigned int)k, &info) == 0 && info.up) {
        if (monotonic_ns() > t0 + 90 * NSEC_PER_SEC)
            return fail("the new interface still up 90 s later");
        seen = net_if_wait_change(seen, t0 + 90 * NSEC_PER_SEC);
    }
    printf("net: hotplug: eth%d went down again %llu ms after we started waiting\n", k,
           (unsigned long long)((monotonic_ns() - t0) / NSEC_PER_MSEC));
    if (wait_detach_done(9006))
        return 1;
    printf("net: hotplug: eth0 still up, and dom0 done with the second detach\n");
    return 0;
}
