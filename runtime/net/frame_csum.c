/*
 * Ethernet/IPv4 frame facts for checksum offload (frame_csum.h).
 * Freestanding: the host unit test compiles this file as it is.
 */
#include "frame_csum.h"

#define ETH_HLEN     14
#define ETH_P_IPV4   0x0800
#define IP_PROTO_TCP 6

static unsigned int get16(const uint8_t *p)
{
    return (unsigned int)p[0] << 8 | p[1];
}

/* The IPv4 header's length, or 0 if @f is not a whole IPv4 datagram within @len. */
static size_t ipv4_header(const uint8_t *f, size_t len, size_t *total)
{
    const uint8_t *ip = f + ETH_HLEN;
    size_t ihl;

    if (len < ETH_HLEN + 20 || get16(f + 12) != ETH_P_IPV4 || (ip[0] >> 4) != 4)
        return 0;
    ihl = (size_t)(ip[0] & 15) * 4;
    *total = get16(ip + 2);
    /* More fragments (0x2000) or an offset (0x1fff): a piece of a datagram. */
    if (ihl < 20 || *total < ihl || ETH_HLEN + *total > len || (get16(ip + 6) & 0x3fff) != 0)
        return 0;
    return ihl;
}

bool frame_ipv4_whole(const uint8_t *f, size_t len)
{
    size_t total;

    return ipv4_header(f, len, &total) != 0;
}

int frame_tcp_csum_partial(uint8_t *f, size_t len)
{
    size_t total, ihl = ipv4_header(f, len, &total);
    uint8_t *ip = f + ETH_HLEN;
    uint32_t sum;

    if (ihl == 0 || ip[9] != IP_PROTO_TCP || total - ihl < 20)
        return -1;
    sum = get16(ip + 12) + get16(ip + 14) + get16(ip + 16) + get16(ip + 18) + IP_PROTO_TCP +
          (uint32_t)(total - ihl);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    ip[ihl + 16] = (uint8_t)(sum >> 8);
    ip[ihl + 17] = (uint8_t)sum;
    return 0;
}
