/*
 * Checksum offload's frame side (frame_csum.c): what netif.c needs to know
 * of an Ethernet frame to leave a TCP checksum to the backend, or to skip
 * checking one the backend vouched for.  Pure functions on the frame's
 * bytes: host-unit-tested (tests/unit/test_frame_csum.c).
 */
#ifndef FRAME_CSUM_H
#define FRAME_CSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * True for an IPv4 frame (no VLAN tag) that is a whole datagram, not a
 * fragment: a per-frame checksum verdict from the backend may be applied to
 * its TCP/UDP checksum (a fragment's verdict says nothing of the others').
 */
bool frame_ipv4_whole(const uint8_t *f, size_t len);

/*
 * For a whole IPv4 TCP segment in @f: writes the pseudo-header's sum
 * (addresses, protocol, TCP length; folded, not complemented) into the TCP
 * checksum field, as Linux's CHECKSUM_PARTIAL wants it: whoever adds the
 * segment's bytes from the TCP header on, and complements, gets the real
 * checksum.  0, or -1 (not such a frame, or its lengths do not add up:
 * nothing written).
 */
int frame_tcp_csum_partial(uint8_t *f, size_t len);

#endif /* FRAME_CSUM_H */
