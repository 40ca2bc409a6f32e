/*
 * netfront against Linux's netback (tests/domu.sh, test_domu_netfront): real
 * Ethernet frames between this guest (10.0.0.2, eth0) and dom0's bridge
 * xenbr0 (10.0.0.1, MAC 02:00:0a:00:00:01), with no TCP/IP stack: the few
 * ARP and ICMP frames are built and checked here by hand.
 *
 *   1. eth0's MAC is the one the xl config gave (00:16:3e:00:01:00)
 *   2. ARP: who has 10.0.0.1?  dom0 answers with the bridge's fixed MAC
 *   3. ICMP echo to dom0, 3 times, 1000 bytes each: the replies carry our
 *      payload back byte for byte, with correct checksums
 *   4. dom0's busybox ping (dom0-hook.sh): we answer its ARP and echo
 *      requests until 3 of its 1000-byte pings were answered, then 3 of
 *      8000 bytes once dom0 raised its vif's and bridge's MTU to 9000:
 *      frames over a page, several ring slots each way (feature-sg)
 *   5. the counters: no lying response, no error, multi-slot frames both
 *      ways; then an ordered close
 *
 * Each step prints one line; the first failure ends the run with status 1.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <minios/hypercall.h>
#include <minios/netdev.h>
#include <minios/sync.h>
#include <minios/time.h>

#define ETH_ARP     0x0806
#define ETH_IPV4    0x0800
#define PAYLOAD     1000
#define BIG_PAYLOAD 8000 /* an 8042-byte frame: two slots */
#define WANT_PINGS  3

static const uint8_t our_mac_want[6] = {0x00, 0x16, 0x3e, 0x00, 0x01, 0x00};
static const uint8_t dom0_mac_want[6] = {0x02, 0x00, 0x0a, 0x00, 0x00, 0x01};
static const uint8_t our_ip[4] = {10, 0, 0, 2}, dom0_ip[4] = {10, 0, 0, 1};
static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct netdev *dev;
static uint8_t our_mac[6], dom0_mac[6];
static unsigned int pings_answered, big_answered, arps_answered;

static int fail(const char *what)
{
    printf("net: FAILED: %s\n", what);
    return 1;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The Internet checksum (RFC 1071) of @len bytes: 0 over a correct header. */
static uint16_t csum(const uint8_t *p, size_t len)
{
    uint32_t sum = 0;

    for (size_t i = 0; i + 1 < len; i += 2)
        sum += get16(p + i);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static size_t eth_header(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, our_mac, 6);
    put16(f + 12, type);
    return 14;
}

static int send_arp(uint16_t op, const uint8_t *dst_mac, const uint8_t *target_mac,
                    const uint8_t *target_ip)
{
    uint8_t f[60] = {0}; /* the minimum Ethernet payload, padded */
    uint8_t *a = f + eth_header(f, dst_mac, ETH_ARP);

    put16(a, 1); /* Ethernet */
    put16(a + 2, ETH_IPV4);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op); /* 1 request, 2 reply */
    memcpy(a + 8, our_mac, 6);
    memcpy(a + 14, our_ip, 4);
    memcpy(a + 18, target_mac, 6);
    memcpy(a + 24, target_ip, 4);
    return netdev_send(dev, f, sizeof(f), monotonic_ns() + NSEC_PER_SEC);
}

/* An IPv4 + ICMP echo (type 8) or echo reply (0) to @dst. */
static int send_icmp(const uint8_t *dst_mac, const uint8_t *dst_ip, uint8_t type, uint16_t id,
                     uint16_t seq, const uint8_t *data, size_t len)
{
    static uint8_t f[NETDEV_FRAME_BIG];
    uint8_t *ip = f + eth_header(f, dst_mac, ETH_IPV4), *icmp = ip + 20;

    if (14 + 20 + 8 + len > sizeof(f))
        return -1;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + 8 + len));
    ip[8] = 64; /* TTL */
    ip[9] = 1;  /* ICMP */
    memcpy(ip + 12, our_ip, 4);
    memcpy(ip + 16, dst_ip, 4);
    put16(ip + 10, csum(ip, 20));
    icmp[0] = type;
    icmp[1] = 0;
    put16(icmp + 2, 0);
    put16(icmp + 4, id);
    put16(icmp + 6, seq);
    memcpy(icmp + 8, data, len);
    put16(icmp + 2, csum(icmp, 8 + len));
    return netdev_send(dev, f, 14 + 20 + 8 + len, monotonic_ns() + NSEC_PER_SEC);
}

/* A received frame, parsed: what the steps look at. */
struct frame {
    uint8_t buf[NETDEV_FRAME_BIG];
    long len;
    const uint8_t *ip, *icmp; /* an IPv4 ICMP frame to us with correct checksums */
    size_t icmp_len;
};

/*
 * Handles what any step must answer (ARP requests for us, echo requests
 * to us) and returns true for a frame the caller may want: an ARP reply or
 * an ICMP echo reply to us.
 */
static bool handle(struct frame *fr)
{
    const uint8_t *f = fr->buf;

    fr->ip = fr->icmp = NULL;
    if (fr->len < 14 + 28)
        return false;
    if (get16(f + 12) == ETH_ARP) {
        const uint8_t *a = f + 14;

        if (get16(a) != 1 || get16(a + 2) != ETH_IPV4 || memcmp(a + 24, our_ip, 4) != 0)
            return false;
        if (get16(a + 6) == 1) {
            if (send_arp(2, a + 8, a + 8, a + 14) == 0)
                arps_answered++;
            return false;
        }
        return get16(a + 6) == 2;
    }
    if (get16(f + 12) != ETH_IPV4)
        return false;
    const uint8_t *ip = f + 14;
    size_t ihl = (size_t)(ip[0] & 15) * 4, total = get16(ip + 2);

    if ((ip[0] >> 4) != 4 || ihl < 20 || total < ihl + 8 || 14 + total > (size_t)fr->len ||
        ip[9] != 1 || memcmp(ip + 16, our_ip, 4) != 0)
        return false;
    if (csum(ip, ihl) != 0 || csum(ip + ihl, total - ihl) != 0) {
        printf("net: a frame with a bad IP or ICMP checksum (%zu bytes)\n", total);
        return false;
    }
    fr->ip = ip;
    fr->icmp = ip + ihl;
    fr->icmp_len = total - ihl;
    if (fr->icmp[0] == 8) {
        size_t data_len = fr->icmp_len - 8;

        if (send_icmp(f + 6, ip + 12, 0, get16(fr->icmp + 4), get16(fr->icmp + 6), fr->icmp + 8,
                      data_len) == 0) {
            pings_answered += data_len == PAYLOAD;
            big_answered += data_len == BIG_PAYLOAD;
        }
        return false;
    }
    return fr->icmp[0] == 0;
}

/* Receives until a wanted frame (handle() true) or @deadline: 1, 0 at the deadline, <0. */
static int receive(struct frame *fr, uint64_t deadline)
{
    for (;;) {
        fr->len = netdev_recv(dev, fr->buf, sizeof(fr->buf), deadline);
        if (fr->len <= 0)
            return (int)fr->len;
        if (handle(fr))
            return 1;
    }
}

static int step_arp(void)
{
    static struct frame fr;
    static const uint8_t zero[6];

    for (int attempt = 0; attempt < 10; attempt++) {
        if (send_arp(1, broadcast, zero, dom0_ip) != 0)
            return fail("sending an ARP request");
        uint64_t deadline = monotonic_ns() + NSEC_PER_SEC;

        while (receive(&fr, deadline) == 1) {
            const uint8_t *a = fr.buf + 14;

            if (memcmp(a + 14, dom0_ip, 4) == 0) {
                memcpy(dom0_mac, a + 8, 6);
                printf("net: ARP: 10.0.0.1 is at %02x:%02x:%02x:%02x:%02x:%02x (attempt %d)\n",
                       dom0_mac[0], dom0_mac[1], dom0_mac[2], dom0_mac[3], dom0_mac[4], dom0_mac[5],
                       attempt + 1);
                return memcmp(dom0_mac, dom0_mac_want, 6) == 0
                           ? 0
                           : fail("dom0's MAC is not the bridge's fixed one");
            }
        }
    }
    return fail("no ARP reply from 10.0.0.1 in 10 s");
}

static int step_ping_dom0(void)
{
    static struct frame fr;
    static uint8_t data[PAYLOAD];
    uint64_t worst = 0;

    for (unsigned int seq = 1; seq <= 3; seq++) {
        for (size_t i = 0; i < PAYLOAD; i++)
            data[i] = (uint8_t)(i * 7 + seq);
        uint64_t start = monotonic_ns(), deadline = start + 5 * NSEC_PER_SEC;

        if (send_icmp(dom0_mac, dom0_ip, 8, 0x6d6e, (uint16_t)seq, data, PAYLOAD) != 0)
            return fail("sending an echo request");
        for (;;) {
            if (receive(&fr, deadline) != 1)
                return fail("no echo reply from 10.0.0.1 within 5 s");
            if (fr.icmp && get16(fr.icmp + 4) == 0x6d6e && get16(fr.icmp + 6) == seq)
                break;
        }
        if (fr.icmp_len != 8 + PAYLOAD || memcmp(fr.icmp + 8, data, PAYLOAD) != 0)
            return fail("the echo reply's payload differs from what we sent");
        if (monotonic_ns() - start > worst)
            worst = monotonic_ns() - start;
    }
    printf("net: ICMP: 3 echo replies from 10.0.0.1, %d-byte payloads intact, slowest %llu us\n",
           PAYLOAD, (unsigned long long)(worst / 1000));
    return 0;
}

static int step_answer_dom0(void)
{
    static struct frame fr;
    uint64_t deadline = monotonic_ns() + 90 * NSEC_PER_SEC;

    printf("net: answering dom0's ping\n");
    /* handle() answers and counts them; what it passes on is not for us now. */
    while ((pings_answered < WANT_PINGS || big_answered < WANT_PINGS) &&
           monotonic_ns() < deadline) {
        fr.len = netdev_recv(dev, fr.buf, sizeof(fr.buf), deadline);
        if (fr.len < 0)
            return fail("eth0 died while answering dom0");
        if (fr.len > 0)
            handle(&fr);
    }
    printf(
        "net: after %llu ms: answered %u echo requests of %d bytes and %u ARP requests from dom0\n",
        (unsigned long long)((monotonic_ns() - deadline + 90 * NSEC_PER_SEC) / 1000000),
        pings_answered, PAYLOAD, arps_answered);
    printf("net: answered %u echo requests of %d bytes (MTU 9000 in dom0)\n", big_answered,
           BIG_PAYLOAD);
    return pings_answered >= WANT_PINGS && big_answered >= WANT_PINGS
               ? 0
               : fail("dom0's pings did not arrive within 90 s");
}

int main(void)
{
    struct netdev_stats st;
    int n = netdev_count(), err;
    uint64_t t0 = monotonic_ns();

    printf("net: %d interface(s)\n", n);
    if (n < 1)
        return fail("no interface");
    dev = netdev_open("eth0", &err);
    if (!dev) {
        printf("net: netdev_open(eth0): %s\n", xen_strerror(err));
        return fail("eth0 did not connect");
    }
    printf("net: eth0 connected in %llu ms\n",
           (unsigned long long)((monotonic_ns() - t0) / 1000000));
    netdev_mac(dev, our_mac);
    printf("net: %s MAC %02x:%02x:%02x:%02x:%02x:%02x\n", netdev_name(dev), our_mac[0], our_mac[1],
           our_mac[2], our_mac[3], our_mac[4], our_mac[5]);
    if (memcmp(our_mac, our_mac_want, 6) != 0)
        return fail("the MAC is not the xl config's");
    if (netdev_open("eth0", &err) != NULL || err != -XEN_EBUSY)
        return fail("eth0 opened twice");
    if (step_arp() || step_ping_dom0() || step_answer_dom0())
        return 1;

    netdev_get_stats(dev, &st);
    printf("net: stats: rx %lu frames %lu bytes, tx %lu frames %lu bytes, rx errors %lu "
           "dropped %lu lies %lu, tx errors %lu lies %lu, %lu events\n",
           st.rx_frames, st.rx_bytes, st.tx_frames, st.tx_bytes, st.rx_errors, st.rx_dropped,
           st.rx_lies, st.tx_errors, st.tx_lies, st.events);
    printf("net: sg: frame max %zu, MTU %u; over several slots: rx %lu, tx %lu; checksums: "
           "rx validated %lu, blank %lu, tx blank %lu; extra-info slots %lu\n",
           netdev_frame_max(dev), netdev_mtu(dev), st.rx_multi, st.tx_multi, st.rx_csum_valid,
           st.rx_csum_blank, st.tx_csum_blank, st.rx_extras);
    if (st.rx_lies || st.tx_lies || st.tx_errors || st.rx_errors)
        return fail("the backend reported errors or lied");
    if (st.rx_multi < WANT_PINGS || st.tx_multi < WANT_PINGS)
        return fail("the 8000-byte pings did not go over several slots both ways");
    if (st.events == 0)
        return fail("no event from the backend: was it polled?");
    uint64_t t1 = monotonic_ns();
    int rc = netdev_close(dev);

    printf("net: closed: %s, in %llu ms; %llu ms since main()\n",
           rc == 0 ? "in order" : xen_strerror(rc),
           (unsigned long long)((monotonic_ns() - t1) / 1000000),
           (unsigned long long)((monotonic_ns() - t0) / 1000000));
    return rc == 0 ? 0 : 1;
}
