/*
 * runtime/net/frame_csum.c: the pseudo-header sum netif.c leaves in a TCP
 * segment for the backend (NETTXF_csum_blank), completed here as netback's
 * Linux would (sum from the TCP header on, complement) and compared with
 * the checksum computed the whole way, on 10,000 random segments; and
 * which frames are whole IPv4 datagrams (fragments, VLAN tags, short or
 * lying lengths are not).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "frame_csum.h"
#include "unit.h"

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

/* An IPv4 TCP frame: @opt bytes of IP options, @data bytes of payload. */
static size_t make_frame(uint8_t *f, unsigned long long *seed, size_t opt, size_t data)
{
    size_t ihl = 20 + opt, total = ihl + 20 + data;

    for (size_t i = 0; i < 14 + total; i++)
        f[i] = (uint8_t)unit_rand(seed);
    f[12] = 0x08;
    f[13] = 0x00;
    f[14] = (uint8_t)(0x40 | ihl / 4);
    f[16] = (uint8_t)(total >> 8);
    f[17] = (uint8_t)total;
    f[20] = f[21] = 0; /* not a fragment (DF left clear) */
    if (unit_rand(seed) % 2)
        f[20] = 0x40; /* DF */
    f[23] = 6;
    return 14 + total;
}

int main(void)
{
    static uint8_t f[9014];
    unsigned long long seed = 3;

    for (int k = 0; k < 10000; k++) {
        size_t opt = (size_t)(unit_rand(&seed) % 11) * 4, data = (size_t)(unit_rand(&seed) % 8900);
        size_t len = make_frame(f, &seed, opt, data), ihl = 20 + opt, l4 = len - 14 - ihl;
        uint8_t *ip = f + 14, *tcp = ip + ihl;
        /* The whole way: pseudo-header + segment with a zero field, complemented. */
        uint8_t pseudo[12] = {0};

        memcpy(pseudo, ip + 12, 8);
        pseudo[9] = 6;
        pseudo[10] = (uint8_t)(l4 >> 8);
        pseudo[11] = (uint8_t)l4;
        tcp[16] = tcp[17] = 0;
        uint16_t want = (uint16_t)~fold(sum16(tcp, l4, sum16(pseudo, 12, 0)));

        CHECK(frame_ipv4_whole(f, len), "segment %d is whole", k);
        CHECK(frame_tcp_csum_partial(f, len) == 0, "segment %d: partial sum written", k);
        /* The backend's half: the sum from the TCP header on, field included, complemented. */
        uint16_t got = (uint16_t)~fold(sum16(tcp, l4, 0));

        CHECK(got == want, "segment %d (%zu bytes, %zu of options): %#x, the whole way %#x", k, l4,
              opt, got, want);
        /* Trailing padding after the datagram (a short frame padded) changes nothing. */
        CHECK(frame_tcp_csum_partial(f, len + (len < sizeof(f) ? 1 : 0)) == 0, "padding");
    }

    size_t len = make_frame(f, &seed, 0, 100);
    uint8_t keep[200];

    memcpy(keep, f, len);
    f[20] = 0x20; /* more fragments */
    CHECK(!frame_ipv4_whole(f, len) && frame_tcp_csum_partial(f, len) < 0 &&
              memcmp(f + 14 + 20 + 16, keep + 14 + 20 + 16, 2) == 0,
          "a first fragment: not whole, nothing written");
    f[20] = 0x00;
    f[21] = 0x10; /* an offset */
    CHECK(!frame_ipv4_whole(f, len), "a later fragment");
    memcpy(f, keep, len);
    f[17] = (uint8_t)(f[17] + 1); /* total length one past the frame */
    CHECK(!frame_ipv4_whole(f, len) && frame_tcp_csum_partial(f, len) < 0, "a lying length");
    memcpy(f, keep, len);
    f[12] = 0x81; /* a VLAN tag */
    CHECK(!frame_ipv4_whole(f, len), "VLAN-tagged");
    memcpy(f, keep, len);
    f[14] = 0x44; /* IHL 16 bytes */
    CHECK(!frame_ipv4_whole(f, len), "IHL under 20");
    memcpy(f, keep, len);
    f[14] = 0x65; /* version 6 */
    CHECK(!frame_ipv4_whole(f, len), "not version 4");
    memcpy(f, keep, len);
    f[23] = 17; /* UDP */
    CHECK(frame_ipv4_whole(f, len) && frame_tcp_csum_partial(f, len) < 0, "UDP: not ours to do");
    memcpy(f, keep, len);
    f[16] = 0;
    f[17] = 20 + 19; /* a TCP header cut short */
    CHECK(frame_tcp_csum_partial(f, len) < 0, "19 bytes of TCP header");
    CHECK(!frame_ipv4_whole(f, 33), "shorter than an IPv4 header");
    return unit_result("frame_csum");
}
