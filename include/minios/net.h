/*
 * TCP/IP for applications: lwIP (Debian's 2.1.3 with its patches) on the
 * PV network interfaces (<minios/netdev.h>).  docs/networking.md tells
 * how to use it and what is not there yet.
 *
 * net_start() brings lwIP up on eth0 with a static IPv4 address; then the
 * BSD socket calls of <sys/socket.h> work from any thread on any vCPU.
 * Errors are negative Xen errnos, like the rest of the minios API.
 */
#ifndef MINIOS_NET_H
#define MINIOS_NET_H

#include <stdint.h>

#pragma GCC visibility push(default)

struct net_config {
    const char *address; /* "10.0.0.2/24": address and prefix length */
    const char *gateway; /* "10.0.0.1", or NULL for none */
};

/*
 * Starts lwIP's thread, connects eth0 (netdev_open()) and gives it the
 * address; prints one line with the MAC and the address.  With @config
 * NULL, the address comes from the environment, i.e. the NAME=VALUE words
 * at the start of the command line: NET_IP=10.0.0.2/24 [NET_GW=10.0.0.1].  Once only:
 * -XEN_EBUSY after that.  -XEN_EINVAL for an address that is not one;
 * eth0's errors as netdev_open() returns them.
 */
int net_start(const struct net_config *config);

#pragma GCC visibility pop

#endif /* MINIOS_NET_H */
