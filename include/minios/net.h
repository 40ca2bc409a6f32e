/*
 * TCP/IP for applications: lwIP (Debian's 2.1.3 with its patches) on the
 * PV network interfaces (<minios/netdev.h>).  docs/networking.md tells
 * how to use it and what is not there yet.
 *
 * net_start() brings lwIP up on every interface the toolstack gave us,
 * each with an address from DHCP or a static one; then the BSD socket
 * calls of <sys/socket.h> work from any thread on any vCPU.  Errors are
 * negative Xen errnos, like the rest of the minios API.
 */
#ifndef MINIOS_NET_H
#define MINIOS_NET_H

#include <stdbool.h>
#include <stdint.h>

#pragma GCC visibility push(default)

/* eth0's configuration; a NULL member is taken as if absent. */
struct net_config {
    const char *address; /* "10.0.0.2/24", "dhcp", or NULL: xenstore's, else DHCP */
    const char *gateway; /* "10.0.0.1", or NULL: DHCP's router, else none */
    const char *dns;     /* "10.0.0.1", or NULL: DHCP's server, else none */
};

/*
 * Starts lwIP's thread and every network interface (eth0 must connect;
 * another that fails is reported and left out), and waits until each
 * has an address; prints one line per interface with its MAC, address and
 * where the address came from:
 *
 *   net: eth0 00:16:3e:00:01:00 10.0.0.2/24 gw 10.0.0.1 dns 10.0.0.1 (dhcp from 10.0.0.1)
 *
 * Where an interface's address comes from, first found wins:
 *  - for eth0, @config (NULL: the environment, i.e. the NAME=VALUE words
 *    at the start of the command line: NET_IP=10.0.0.2/24, NET_GW=,
 *    NET_DNS=); for ethN, N > 0, the environment's NET_IP<N>=;
 *    the address "dhcp" asks for DHCP;
 *  - the vif's `ip` key in xenstore (xl's vif option `ip=10.0.0.2/24`);
 *  - DHCP, waiting up to 30 s for a lease.
 * Interfaces the toolstack adds later (xl network-attach) come up by
 * themselves the same way, under the lowest free name, each with its line
 * (docs/networking.md, "Attach and detach").
 * Once only: -XEN_EBUSY after that.  -XEN_EINVAL for an address that is
 * not one; -XEN_ETIMEDOUT when DHCP found no server; eth0's errors as
 * netdev_open() returns them.
 */
int net_start(const struct net_config *config);

/* One interface as lwIP has it now (net_if_info()). */
struct net_if_info {
    char name[8]; /* "eth0" */
    uint8_t mac[6];
    bool up;                 /* false once the backend closed it (xl network-detach) */
    bool dhcp;               /* the address is a DHCP lease */
    uint32_t addr, mask, gw; /* network byte order; 0 before an address */
    unsigned long rx_frames, tx_frames, rx_bytes, tx_bytes, rx_dropped, tx_dropped;
    unsigned int mtu;              /* lwIP's for the interface (netdev_mtu()) */
    unsigned long rx_multi;        /* frames received over several ring slots */
    unsigned long tx_multi;        /* frames sent over several ring slots */
    unsigned long rx_csum_trusted; /* frames whose TCP/UDP checksum lwIP did not check */
    unsigned long tx_csum_blank;   /* frames whose TCP checksum the backend finished */
};

/*
 * Interface @index (0 for eth0) as it is now: 0, or -XEN_ENODEV if there
 * is none (or net_start() did not run).  A detached interface stays, not
 * up, until a new one takes its name.
 */
int net_if_info(unsigned int index, struct net_if_info *info);

/*
 * Sleeps until an interface comes (xl network-attach), gets its address,
 * or goes (net_if_info() then tells which) or @deadline (monotonic_ns();
 * NO_DEADLINE) passes.  @seen is what
 * the previous call returned (0 the first time): the call returns at once
 * when something changed since.  Returns the new change count.
 */
unsigned long net_if_wait_change(unsigned long seen, uint64_t deadline);

#pragma GCC visibility pop

#endif /* MINIOS_NET_H */
